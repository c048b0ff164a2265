"""The error hierarchy: one root, exit codes on the classes, one-line messages."""

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from {{ cookiecutter.package_name }}.errors import (
    CommandError,
    ConfigError,
    InputError,
    ProjectError,
    one_line,
    redact,
    register_secret,
)


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
