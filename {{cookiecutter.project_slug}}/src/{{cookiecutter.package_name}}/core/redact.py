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
from urllib.parse import quote, quote_plus

MASK = "**********"
MIN_MASKED_PIECE = 4  # shorter pieces of a secret would mask ordinary words
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
        self._forms: set[str] = set()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Mask ``secrets`` from now on; an empty one hides nothing.

        Masking an empty secret would put a mask between every two
        characters of the message that says it is empty.
        """
        for secret in filter(None, secrets):
            self._forms.update(_forms(secret))

    def __call__(self, text: str) -> str:
        r"""Mask each secret in ``text``, in every form a library may print it.

        A library may quote a value raw, as ``repr`` of the text or of its bytes
        (``b'Bearer tok\n...'``), percent-encoded in a URL, or line by line:
        each form is masked. One pass over ``text``, longest form first, so a
        mask is never masked again. Then the values of credential headers,
        and the user information of URLs, are masked.
        """
        if self._forms:
            forms = sorted(self._forms, key=len, reverse=True)
            text = re.sub("|".join(map(_pattern, forms)), MASK, text)
        text = _HEADER_PAIR.sub(rf"\g<name>{MASK}", text)
        text = _HEADER_LINE.sub(rf"\g<name>{MASK}", text)
        return _mask_user_information(text)


def _forms(secret: str) -> set[str]:
    # "surrogateescape": an environment variable that is not UTF-8 holds its
    # bytes so (b"\xff" is "\udcff"), and a library prints those bytes.
    errors = "surrogateescape"
    forms = {
        secret,
        repr(secret)[1:-1],
        repr(secret.encode(errors=errors))[2:-1],
        quote(secret, safe="", errors=errors),  # a query's value
        quote(secret, errors=errors),  # a path's part
        quote_plus(secret, errors=errors),  # a form's value
        *secret.splitlines(),
    }
    return {form for form in forms if len(form) >= MIN_MASKED_PIECE} | {secret}


def _pattern(form: str) -> str:
    """Match ``form`` anywhere, or a short one only where it stands alone.

    A secret of a few characters (``ab1``) also occurs inside ordinary words;
    masking it there would garble every message and hide nothing.
    """
    if len(form) >= MIN_MASKED_PIECE:
        return re.escape(form)
    return rf"(?<!\w){re.escape(form)}(?!\w)"


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
