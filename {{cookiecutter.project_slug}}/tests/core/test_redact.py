"""Secret masking: every form a library may print, never a mask inside a word."""

import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core import redact as redact_module
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


def test_a_secret_that_is_not_utf_8_is_masked_in_the_bytes_it_stands_for() -> None:
    # An environment variable holding the byte 0xff reads as "\udcff".
    secret = "tok-\udcff-secret"  # noqa: S105 # pragma: allowlist secret
    printed = f"{secret} {secret!r} b'tok-\\xff-secret' tok-%FF-secret"
    shown = Redactor([secret])(printed)
    assert shown == f"{MASK} '{MASK}' b'{MASK}' {MASK}"


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


#: How a URL may begin, as users type it and servers send it: browsers read
#: each as ``http://`` (or the scheme's own ``//``) before its user information.
URL_STARTS = [
    "http://",
    "HTTPS://",
    "git+ssh://",
    "http:///",
    "http:",
    "//",
    r"http:\\",
]
#: Where a URL shows: an error line quotes it raw, a log line as a ``repr``,
#: an HTTP library's debug log in its list of headers.
SHOWN_AS = [
    lambda url: f"Error: invalid URL {url}: credentials do not belong in a URL",
    lambda url: f"redirected to {url!r}",
    lambda url: f"return_value=[(b'Location', {url.encode()!r}), (b'Server', b'x')]",
]


@given(
    hidden=text(),
    start=st.sampled_from(URL_STARTS),
    shown_as=st.sampled_from(SHOWN_AS),
)
@example(hidden="Sekr3tPW", start="http://", shown_as=SHOWN_AS[0])
@example(hidden="user:p@ss", start="https://", shown_as=SHOWN_AS[2])  # an @ in it
@example(hidden="pa'ss\"", start="http://", shown_as=SHOWN_AS[2])
@example(hidden="p/ss?q#f", start="http://", shown_as=SHOWN_AS[0])
@example(hidden="p ss\tx\ny", start="http://", shown_as=SHOWN_AS[0])
@example(hidden="Sekr3tPW", start=r"http:\\", shown_as=SHOWN_AS[0])
def test_no_password_survives_in_a_url_whatever_its_characters_and_form(
    hidden: str, start: str, shown_as: Callable[[str], str]
) -> None:
    shown = shown_as(f"{start}u:{hidden}@127.0.0.1:8080/f")
    before, after = shown.split("u:", 1)[0], shown[shown.rindex("@") :]
    # All from the URL's start to its last @ is masked: the password too.
    assert Redactor()(shown) == f"{before}{MASK}{after}"


@given(message=text(TRICKY.replace("@", "")))
@example(message="see https://host/a and //cdn/x.js, then http:h:1/")
def test_text_without_an_at_sign_is_left_as_it_is(message: str) -> None:
    assume(not re.search("cookie|authorization", message, re.IGNORECASE))
    assert Redactor()(message) == message


def test_an_address_before_any_url_is_left_as_it_is() -> None:
    message = "mail@example.com wrote: see https://host/a and https://h:1/"
    assert Redactor()(message) == message


def test_an_at_sign_after_a_url_masks_up_to_it_hiding_more_never_less() -> None:
    # A password may hold a "/" or a space: the @ might end user information.
    assert Redactor()("see https://host/a@b") == f"see https://{MASK}@b"
    assert Redactor()("http://h/ by me@example.com") == f"http://{MASK}@example.com"


def test_a_secret_is_masked_percent_encoded_as_in_a_redirect_s_query() -> None:
    token = "tok+EN/abc=="  # noqa: S105 # pragma: allowlist secret
    shown = Redactor([token])(
        f"https://h/?access_token={quote(token, safe='')} https://h/{quote(token)}"
        f" token={quote_plus(token)}"
    )
    assert shown == f"https://h/?access_token={MASK} https://h/{MASK} token={MASK}"


#: How an encoder may write one character: as it is, or each of its UTF-8
#: bytes percent-encoded in capitals or in small letters.
ENCODINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda char: char,
    "%XX": lambda char: "".join(f"%{byte:02X}" for byte in char.encode()),
    "%xx": lambda char: "".join(f"%{byte:02x}" for byte in char.encode()),
}


@given(
    hidden=text(TRICKY.replace("\0", "")).filter(bool),
    ways=st.lists(st.sampled_from(sorted(ENCODINGS)), min_size=1),
)
@example(hidden="tok+EN/abc==", ways=["raw"])
@example(hidden="p ss/\u00e9", ways=["raw"])
@example(hidden="tok+EN/abc==", ways=["%xx"])  # tok%2bEN%2fabc%3d%3d
@example(hidden="tok+EN/abc==", ways=["raw", "raw", "raw", "%xx"])  # +%2f only
@example(hidden="000%", ways=["raw"])  # quoted: 000%25, the 25 is the secret's too
def test_any_secret_percent_encoded_is_masked_whole(
    hidden: str, ways: list[str]
) -> None:
    # As quote, quote_plus and others encode it, in capitals or not, whole
    # or in part: each character as one of ``ways`` says, in turn.
    libraries = [quote(hidden, safe=""), quote(hidden), quote_plus(hidden)]
    small = [re.sub("%..", lambda hex_: hex_[0].lower(), form) for form in libraries]
    mixed = "".join(
        ENCODINGS[ways[number % len(ways)]](char) for number, char in enumerate(hidden)
    )
    redact = Redactor([hidden])
    for encoded in [*libraries, *small, mixed]:
        assert redact(f"\0{encoded}\0") == f"\0{MASK}\0"


def test_a_secret_longer_than_any_url_is_masked_as_it_is_and_quoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(redact_module, "URL_LIMIT", 8)  # the secret is 9 long
    secret = "key-file\n"  # noqa: S105 # pragma: allowlist secret
    shown = f"{secret} {secret!r} 100%"  # a "%": encoded forms are looked for
    assert Redactor([secret])(shown) == f"{MASK} '{MASK}' 100%"


CREDENTIAL_HEADERS = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"]


def test_credential_headers_are_masked_in_an_http_library_s_debug_line() -> None:
    line = (
        "receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK',"
        " [(b'Set-Cookie', b'session=SECRET; HttpOnly'),"
        " (b'proxy-authorization', b'Basic dTpTZWtyM3RQVw=='),"
        " (b'Content-Type', b'text/plain'), (b'WWW-Authenticate', b'Basic realm=x')])"
        " Headers({'cookie': 'a=SECRET', 'host': 'h'})"
    )
    masked = {"cookie": MASK, "host": "h"}
    assert Redactor()(line) == (
        "receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK',"
        f" [(b'Set-Cookie', b'{MASK}'),"
        f" (b'proxy-authorization', b'{MASK}'),"
        " (b'Content-Type', b'text/plain'), (b'WWW-Authenticate', b'Basic realm=x')])"
        f" Headers({masked})"
    )


@given(
    name=st.sampled_from(CREDENTIAL_HEADERS).flatmap(
        lambda name: st.sampled_from([name, name.lower(), name.upper()])
    ),
    value=text(),
)
@example(name="Set-Cookie", value="a='b\"; c=\\")
def test_any_credential_header_s_value_is_masked_as_a_pair_or_a_line(
    name: str, value: str
) -> None:
    pair = repr(value.encode())  # b'...' or b"...": each escape as repr makes it
    masked = f"{pair[:2]}{MASK}{pair[-1]}"  # in the same quotes
    shown = Redactor()(f"[({name.encode()!r}, {pair}), (b'Via', b'1.1 x')]")
    assert shown == f"[({name.encode()!r}, {masked}), (b'Via', b'1.1 x')]"
    line = value.replace("\n", " ").lstrip(" \t")  # the blanks after ":" are kept
    assert Redactor()(f"{name}: {line}\nVia: 1.1 x") == f"{name}: {MASK}\nVia: 1.1 x"
