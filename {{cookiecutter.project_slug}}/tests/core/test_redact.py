"""Secret masking: every form a library may print, never a mask inside a word."""

from hypothesis import example, given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core.redact import MASK, Redactor

from tests.core.fixtures import TRICKY, text

#: Token characters and message characters that share none: a message drawn
#: from the second cannot hold any form of a secret drawn from the first.
HIDDEN_CHARACTERS = "abcdefghijklm0123456789-._~+/="
MESSAGE_CHARACTERS = "nopqrstuvwxyzNOPQRSTUVWXYZ :;,'\"()!?\n\u00e9\u2028"
WORD_CHARACTERS = "abcXYZ019_\u00e9\u00df\u0663"


def test_a_secret_is_masked_in_every_form_a_library_may_print() -> None:
    secret = "tok-redact-me\nsecond-line"  # noqa: S105 # pragma: allowlist secret
    shown = Redactor([secret])(
        f"{secret} | {secret!r} | {secret.encode()!r} | only tok-redact-me"
    )
    assert "tok-redact-me" not in shown
    assert "second-line" not in shown
    assert shown.count(MASK) >= 4


def test_a_short_secret_is_masked_where_it_stands_alone_never_inside_a_word() -> None:
    redact = Redactor(["ab1"])
    assert redact("x ab1 y") == f"x {MASK} y"
    assert redact("tab12") == "tab12"


def test_an_empty_secret_masks_nothing() -> None:
    assert Redactor([""])("the token is empty") == "the token is empty"


def test_a_mask_is_never_masked_again() -> None:
    assert Redactor(["*", "tok-redact-me"])("tok-redact-me *") == f"{MASK} {MASK}"


def test_secrets_added_later_are_masked_and_redactors_are_independent() -> None:
    first, second = Redactor(), Redactor()
    first.add("tok-first-one")
    assert first("tok-first-one") == MASK
    assert second("tok-first-one") == "tok-first-one"


@given(
    secret=st.text(st.sampled_from(HIDDEN_CHARACTERS)),
    message=st.text(st.sampled_from(MESSAGE_CHARACTERS)),
)
def test_a_message_without_the_secret_is_left_as_it_is(
    secret: str, message: str
) -> None:
    assert Redactor([secret])(message) == message


@given(hidden=text(TRICKY.replace("\0", "")).filter(bool))
@example(hidden="*")
@example(hidden="x\ny")
def test_any_secret_standing_alone_is_masked_whole(hidden: str) -> None:
    assert Redactor([hidden])(f"\0{hidden}\0") == f"\0{MASK}\0"


@given(
    secret=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1, max_size=3),
    left=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1),
    right=st.text(st.sampled_from(WORD_CHARACTERS), min_size=1),
)
def test_a_short_secret_inside_a_word_is_left_alone(
    secret: str, left: str, right: str
) -> None:
    word = f"{left}{secret}{right}"
    assert Redactor([secret])(f"an {word} here") == f"an {word} here"


USERINFO_CHARACTERS = "".join(
    char for char in TRICKY if char.isprintable() and char not in " /?#'\"<>"
)


@given(
    userinfo=text(USERINFO_CHARACTERS).filter(bool),
    scheme=st.sampled_from(["http", "https", "ftp", "git+ssh"]),
    rest=st.sampled_from(["", "/", "/path?q=1", ":8080/x", "#f"]),
)
@example(userinfo="user:p@ss", scheme="https", rest="/")  # an @ in the password
def test_the_credentials_of_any_url_are_masked(
    userinfo: str, scheme: str, rest: str
) -> None:
    shown = Redactor()(f"got [(b'Location', b'{scheme}://{userinfo}@host{rest}')]")
    assert shown == f"got [(b'Location', b'{scheme}://{MASK}@host{rest}')]"


def test_a_url_without_credentials_is_left_as_it_is() -> None:
    text = "see https://host/a@b and mail@example.com, then https://h:1/"
    assert Redactor()(text) == text
