"""Secret masking: no message or log line shows a secret, whoever wrote it.

A ``Redactor`` lives as long as one command (``core.boundary`` makes it):
the settings hand it their secrets once loaded, and everything the command
prints about an error, and every log record (``core.logs``), goes through
it. Nothing is process-wide, so one command's (or one test's) secrets never
mask another's messages. The credentials of any URL (its ``user:password@``
after ``://``) are masked too, known or not: a server's redirect or a
library's message may carry them.
"""

import re
from collections.abc import Iterable

MASK = "**********"
MIN_MASKED_PIECE = 4  # shorter pieces of a secret would mask ordinary words
#: A URL's user information, up to its last ``@`` before the host: masked.
_USERINFO = re.compile(r"(?<=://)[^\s/?#'\"<>]*@")


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
        (``b'Bearer tok\n...'``), or line by line: each form is masked. One pass
        over ``text``, longest form first, so a mask is never masked again.
        Then the user information of every URL is masked.
        """
        if self._forms:
            forms = sorted(self._forms, key=len, reverse=True)
            text = re.sub("|".join(map(_pattern, forms)), MASK, text)
        return _USERINFO.sub(f"{MASK}@", text)


def _forms(secret: str) -> set[str]:
    forms = {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}
    forms.update(secret.splitlines())
    return {form for form in forms if len(form) >= MIN_MASKED_PIECE} | {secret}


def _pattern(form: str) -> str:
    """Match ``form`` anywhere, or a short one only where it stands alone.

    A secret of a few characters (``ab1``) also occurs inside ordinary words;
    masking it there would garble every message and hide nothing.
    """
    if len(form) >= MIN_MASKED_PIECE:
        return re.escape(form)
    return rf"(?<!\w){re.escape(form)}(?!\w)"
