"""The error hierarchy: one root, exit codes on the classes, one-line messages."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr, ValidationError

from {{ cookiecutter.package_name }}.errors import (
    MASK,
    CommandError,
    ConfigError,
    InputError,
    ProjectError,
    one_line,
    redact,
    register_secret,
)

from tests.conftest import TRICKY, forget_secrets, text

#: Token characters and message characters that share none: a message drawn
#: from the second cannot hold any form of a secret drawn from the first.
REGISTERED_CHARACTERS = "abcdefghijklm0123456789-._~+/="
MESSAGE_CHARACTERS = "nopqrstuvwxyzNOPQRSTUVWXYZ :;,'\"()!?\n\u00e9\u2028"
WORD_CHARACTERS = "abcXYZ019_\u00e9\u00df\u0663"


@pytest.mark.parametrize(
    ("error", "code"),
    [(InputError, 2), (ConfigError, 2), (CommandError, 1)],
)
def test_every_error_is_a_project_error_with_an_exit_code(
    error: type[ProjectError], code: int
) -> None:
    assert issubclass(error, ProjectError)
    assert error.exit_code == code


class Sample(BaseModel):
    """A model with a plain and a secret field."""

    count: int
    secret: SecretStr


def test_one_line_names_each_field_and_never_shows_the_input() -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"count": "many", "secret": 12345})
    line = one_line(caught.value, lambda loc: f"--{loc[0]}")
    assert line.startswith("invalid --count: Input should be a valid integer")
    assert "; invalid --secret:" in line
    assert "many" not in line
    assert "12345" not in line


def test_redact_masks_a_secret_in_every_form_a_library_may_print() -> None:
    secret = "tok-redact-me\nsecond-line"  # noqa: S105 # pragma: allowlist secret
    register_secret(secret)
    shown = redact(f"{secret} | {secret!r} | {secret.encode()!r} | only tok-redact-me")
    assert "tok-redact-me" not in shown
    assert "second-line" not in shown
    assert shown.count("**********") >= 4


def test_redact_masks_even_a_short_secret_whole() -> None:
    register_secret("ab1")
    assert redact("x ab1 y") == "x ********** y"


def test_an_empty_secret_masks_nothing() -> None:
    register_secret("")
    assert redact("the token is empty") == "the token is empty"


def test_a_short_secret_is_masked_where_it_stands_alone_never_inside_a_word() -> None:
    register_secret("a")
    assert redact("invalid api_token: 'a'") == "invalid api_token: '**********'"


def test_a_mask_is_never_masked_again() -> None:
    register_secret("*")
    register_secret("tok-redact-me")  # pragma: allowlist secret
    assert redact("tok-redact-me *") == "********** **********"


@given(
    secret=st.text(st.sampled_from(REGISTERED_CHARACTERS)),
    message=st.text(st.sampled_from(MESSAGE_CHARACTERS)),
)
def test_a_message_without_the_secret_is_left_as_it_is(
    secret: str, message: str
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        forget_secrets(monkeypatch)
        register_secret(secret)
        assert redact(message) == message


@given(hidden=text(TRICKY.replace("\0", "")).filter(bool))
@example(hidden="*")
@example(hidden="x\ny")
def test_any_secret_standing_alone_is_masked_whole(hidden: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        forget_secrets(monkeypatch)
        register_secret(hidden)
        assert redact(f"\0{hidden}\0") == f"\0{MASK}\0"


@given(
    secret=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1, max_size=3),
    left=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1),
    right=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1),
)
def test_a_short_secret_inside_a_word_is_left_alone(
    secret: str, left: str, right: str
) -> None:
    word = f"{left}{secret}{right}"
    with pytest.MonkeyPatch.context() as monkeypatch:
        forget_secrets(monkeypatch)
        register_secret(secret)
        assert redact(f"an {word} here") == f"an {word} here"
