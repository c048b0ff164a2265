"""Logging: the standard library's, set up once per command, on stderr.

Library code only calls ``logging.getLogger(__name__)``; the application
decides where records go, and at which level. No secret reaches the output:
every record is masked by the command's ``Redactor`` on its way to each
handler, a library's own (an HTTP client logging the headers it got) too.
"""

import logging

import typing_extensions

from .redact import Redactor

FORMAT = "%(levelname)s %(name)s: %(message)s"


class MaskingFilter(logging.Filter):
    """Mask a record's message and traceback with a command's ``Redactor``."""

    def __init__(self, redact: Redactor) -> None:
        """Mask with ``redact``."""
        super().__init__()
        self.redact = redact

    @typing_extensions.override
    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the message by its masked text; keep the record."""
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            traceback = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.redact(traceback)
        return True


def configure_logging(level: str, redact: Redactor) -> None:
    """Send records of ``level`` and above to stderr, masked by ``redact``.

    ``basicConfig`` does nothing when logging is already set up (by a program
    embedding this one, or by pytest), so only the level is forced, and the
    masking filter is put on every handler of the root logger, in place of
    an earlier command's.
    """
    logging.basicConfig(format=FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    unmask()
    for handler in root.handlers:
        handler.addFilter(MaskingFilter(redact))


def unmask() -> None:
    """Take the masking filters off the root logger's handlers (tests end so)."""
    for handler in logging.getLogger().handlers:
        for masking in [f for f in handler.filters if isinstance(f, MaskingFilter)]:
            handler.removeFilter(masking)
