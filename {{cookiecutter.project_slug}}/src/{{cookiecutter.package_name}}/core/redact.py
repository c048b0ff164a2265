"""Secret masking: no message or log line shows a secret, whoever wrote it.

A ``Redactor`` lives as long as one command (``core.boundary`` makes it):
the settings hand it their secrets once loaded, and everything the command
prints about an error, and every log record (``core.logs``), goes through
it. Nothing is process-wide, so one command's (or one test's) secrets never
mask another's messages. Two kinds of credentials are masked too, known or
not, since a server's redirect or a library's debug log may carry them: the
user information of any URL (``user:password@``), and the values of the
headers that carry credentials (``Authorization``, ``Cookie``, ...).
"""

import re
from collections.abc import Iterable

MASK = "**********"
MIN_MASKED_PIECE = 4  # shorter pieces of a secret would mask ordinary words
#: An environment variable that is not UTF-8 holds its bytes so (b"\xff" is
#: "\udcff"), and a library prints those bytes.
ESCAPED_BYTES = "surrogateescape"
#: A secret longer than this is never in a URL (servers refuse a request line
#: of 8 KiB), and a pattern of its percent-encoded forms takes long to build.
URL_LIMIT = 2**13
#: Where a URL's user information may begin: after ``//`` or ``\\``
#: (``http://``, ``git+ssh://``, ``//host``), or after a scheme that browsers
#: read without its slashes (to them, ``http:u:p@h`` is ``http://u:p@h``).
_URL_START = re.compile(r"(?i:\b(?:https?|wss?|ftp):[/\\]*)|[/\\]{2}")
_CREDENTIAL_HEADER = r"(?i:(?:proxy-)?authorization|(?:set-)?cookie)"
#: Such a header as a library prints a pair, ``(b'Cookie', b'a=1')`` or
#: ``'cookie': 'a=1'``: its quoted value, escapes included, is masked.
_HEADER_PAIR = re.compile(
    rf"""(?s)(?P<name>(?P<q>['"]){_CREDENTIAL_HEADER}(?P=q)[,:]\s*b?(?P<v>['"]))"""
    r"(?:\\.|(?!(?P=v))[^\\])*"
)
#: Such a header as a line, ``Cookie: a=1``: masked to the end of the line.
_HEADER_LINE = re.compile(rf"(?P<name>\b{_CREDENTIAL_HEADER}:[ \t]*).*")


class Redactor:
    """Mask every secret it was given in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        """Start with ``secrets`` (more may be added once the settings load)."""
        self._secrets: list[str] = []
        #: The patterns that mask them, built when first needed: without, and
        #: with, their percent-encoded forms (which take longer to build).
        self._masks: dict[bool, re.Pattern[str]] = {}
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Mask ``secrets`` from now on; an empty one hides nothing.

        Masking an empty secret would put a mask between every two
        characters of the message that says it is empty.
        """
        self._secrets.extend(filter(None, secrets))
        self._masks.clear()

    def __call__(self, text: str) -> str:
        r"""Mask each secret in ``text``, in every form a library may print it.

        A library may quote a value raw, as ``repr`` of the text or of its bytes
        (``b'Bearer tok\n...'``), percent-encoded in a URL, or line by line:
        each form is masked. One pass over ``text``, longest form first, so a
        mask is never masked again. Then the values of credential headers,
        and the user information of URLs, are masked.
        """
        if self._secrets:  # only a text with a "%" or a "+" may hold one encoded
            text = self._mask(encoded="%" in text or "+" in text).sub(MASK, text)
        text = _HEADER_PAIR.sub(rf"\g<name>{MASK}", text)
        text = _HEADER_LINE.sub(rf"\g<name>{MASK}", text)
        return _mask_user_information(text)

    def _mask(self, *, encoded: bool) -> re.Pattern[str]:
        """Return the pattern of every form, percent-encoded ones if ``encoded``."""
        if encoded not in self._masks:
            patterns: dict[str, int] = {}
            for secret in self._secrets:
                patterns.update(_patterns(secret, encoded=encoded))
            # Longest first, so that a longer secret is masked whole.
            forms = sorted(patterns, key=patterns.__getitem__, reverse=True)
            self._masks[encoded] = re.compile("|".join(forms))
        return self._masks[encoded]


def _patterns(secret: str, *, encoded: bool) -> dict[str, int]:
    """Map a pattern of each form of ``secret`` a library may print to its length.

    A form shorter than ``MIN_MASKED_PIECE`` (a short secret, a line of a
    secret) would also occur inside ordinary words, where masking it would
    garble every message and hide nothing: the secret itself is masked only
    where it stands alone, a shorter line not at all.
    """
    forms = {
        repr(secret)[1:-1],
        repr(secret.encode(errors=ESCAPED_BYTES))[2:-1],
        *secret.splitlines(),
    } - {secret}  # the secret itself is matched raw or encoded, below
    patterns = {
        re.escape(form): len(form) for form in forms if len(form) >= MIN_MASKED_PIECE
    }
    whole = re.escape(secret)
    if encoded and len(secret) <= URL_LIMIT:
        whole = _percent_encoded(secret)
    if len(secret) < MIN_MASKED_PIECE:
        whole = rf"(?<!\w){whole}(?!\w)"
    return {**patterns, whole: len(secret)}


def _percent_encoded(secret: str) -> str:
    r"""Match ``secret`` with any of its characters percent-encoded, in either case.

    Encoders differ in what they encode (``quote`` keeps ``/``, a form
    writes a space as ``+``, others encode more or less) and in the case of
    the hex digits (``%2F``, ``%2f``), and a server may quote back a URL it
    decoded in part. A character that stands for a byte that is not UTF-8
    (``\udcff``) is that byte encoded (``%FF``).
    """
    pattern = []
    for char in secret:
        encoded = "".join(f"%{byte:02x}" for byte in char.encode(errors=ESCAPED_BYTES))
        plus = r"|\+" if char == " " else ""
        # Encoded first: of a "%" followed by "25", "%25" is all the secret's.
        pattern.append(f"(?:(?i:{encoded})|{re.escape(char)}{plus})")
    return "".join(pattern)


def _mask_user_information(text: str) -> str:
    """Mask all from the first URL's start to the last ``@`` after it.

    A URL's user information ends at its last ``@``, and a password quoted
    back from a refused URL or a server's redirect may hold any character:
    a quote, a ``/``, a space, a line break. So the mask reaches the last
    ``@`` of the text: it may hide more than the credentials (an ``@`` in a
    path, or an address later in the text), never less. Text without an
    ``@`` after a URL's start is left as it is.
    """
    last = text.rfind("@")
    start = _URL_START.search(text, 0, last) if last > 0 else None
    if start is None:
        return text
    return f"{text[: start.end()]}{MASK}{text[last:]}"
