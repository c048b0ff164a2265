"""The one boundary where errors and signals become a message and an exit code.

Exit codes: 0 success; 1 the command failed; 2 bad usage, input or
configuration; 128+N stopped by signal N, as a Unix shell reports it (130
Ctrl-C, 129 SIGHUP, 131 SIGQUIT, 143 SIGTERM, 141 a closed standard output;
on Windows, 149 Ctrl-Break). Errors print one line on stderr, never a
traceback and never a secret (``--log-level DEBUG`` logs the cause chain,
secrets masked too). Output is best effort (``say``): a full disk, a
terminal that went away or a reader that has gone never changes what a
command does or its exit code, except a closed standard output, which ends
the command as SIGPIPE would (141). How stop signals are handled, from the
program's first moment to its last: ``core.signals``.
"""

import logging
import os
import select
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from .errors import ProjectError
from .redact import Redactor
from .signals import (
    SIGNAL_EXIT_BASE,
    STOP_SIGNALS,
    StoppedError,
    silence,
    stop_signals_raise,
    stopped,
)

# STOP_SIGNALS and silence live in core.signals now; code imports them from here.
__all__ = ["STOP_SIGNALS", "boundary", "one_printable_line", "report", "say", "silence"]

logger = logging.getLogger(__name__)

SIGPIPE = 13  # its number on every Unix; Windows has no such signal


@contextmanager
def boundary() -> Iterator[Redactor]:
    """Run a command: stop signals unwind it; errors become one line and a code.

    It yields the command's ``Redactor``: give it the secrets once they are
    loaded, and every message about an error is masked with it.
    """
    redact = Redactor()
    try:
        with stop_signals_raise():
            yield redact
    except ProjectError as exc:
        report(exc, redact)
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:  # whoever reads our output has gone: stop quietly
        silence(sys.stdout)
        raise SystemExit(SIGNAL_EXIT_BASE + SIGPIPE) from None
    except Exception as exc:  # noqa: BLE001 -- a bug: still one line, no secret
        report(exc, redact)
        raise SystemExit(1) from None
    except KeyboardInterrupt:  # SIGINT when no handler of ours was installed
        raise stopped(signal.SIGINT) from None
    except StoppedError as exc:
        raise stopped(exc.signum) from None
    finally:  # what a failed write left behind must not fail the last flush
        for stream in (sys.stdout, sys.stderr):
            _flush(stream)


def report(exc: BaseException, redact: Redactor) -> None:
    """Print ``exc`` as one line on stderr; log its traceback at DEBUG level.

    The text is masked and reduced to printable characters on one line,
    whatever a library or a server put in it.
    """
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s", redact("".join(traceback.format_exception(exc))))
    text = str(exc) if isinstance(exc, ProjectError) else _unexpected(exc)
    say(f"Error: {one_printable_line(redact(text))}", err=True)


def say(message: str | bytes, *, err: bool = False) -> None:
    """Print ``message`` and a newline on stdout (or stderr), best effort.

    A stream that fails (a full disk, a terminal that went away, a reader
    that has gone) is silenced, with one warning on stderr if it was stdout,
    and the command goes on. A broken pipe on stdout still propagates: the
    boundary ends the command quietly, as SIGPIPE would. A missing stream
    (``2>&-``) prints nothing. A full pipe that another program left
    non-blocking is waited on, as a blocking one is (``_said_when_drained``).
    """
    stream = sys.stderr if err else sys.stdout
    try:
        if not _said_when_drained(stream, message):
            click.echo(message, err=err)
    except BrokenPipeError:
        if not err:
            raise
        silence(stream)
    except OSError as exc:
        silence(stream)
        if not err:
            reason = exc.strerror or exc
            say(f"Warning: stdout failed ({reason}); it shows nothing more", err=True)


if sys.platform == "win32":  # pragma: windows-only

    def _said_when_drained(_stream: TextIO | None, _message: str | bytes) -> bool:
        """Leave the writing to click: Windows' pipes are not left non-blocking."""
        return False

else:  # pragma: posix-only

    def _said_when_drained(stream: TextIO | None, message: str | bytes) -> bool:
        """Print to a non-blocking ``stream`` as to a blocking one: wait while full.

        Another program may leave a pipe we share non-blocking (the flag is
        the open file's, not one process's): a full pipe then refuses a
        write at once, where it would wait for its reader, and Python's text
        layer loses what it refused, silently when unbuffered (``python
        -u``). What a script reads must not be lost: each write waits until
        the reader drains the pipe, as it would on a blocking one (a stop
        signal still ends the wait). Say False, having written nothing, for
        a stream that blocks as usual: click writes to it then.
        """
        if stream is None:
            return False
        try:
            descriptor = stream.fileno()
        except (OSError, ValueError):  # no descriptor (io.UnsupportedOperation)
            return False
        if os.get_blocking(descriptor):
            return False
        if isinstance(message, str):  # as click.echo writes it
            text = message if stream.isatty() else click.unstyle(message)
            message = text.encode(stream.encoding, stream.errors or "strict")
        unwritten = memoryview(message + b"\n")
        while True:
            try:
                stream.flush()  # what it holds goes first
                while unwritten:
                    unwritten = unwritten[os.write(descriptor, unwritten) :]
            except BlockingIOError:  # full: wait until the reader takes some
                select.select([], [descriptor], [])
            else:
                return True


def _flush(stream: TextIO | None) -> None:
    """Flush ``stream``, or silence it if it cannot take what it holds."""
    if stream is None:
        return
    try:
        stream.flush()
    except (OSError, ValueError):  # ValueError: a closed stream
        silence(stream)


def one_printable_line(text: str) -> str:
    """Join ``text``'s lines with spaces; show other control characters as ``?``."""
    joined = " ".join(text.splitlines())
    return "".join(char if char.isprintable() else "?" for char in joined)


def _unexpected(exc: BaseException) -> str:
    return f"unexpected {type(exc).__name__}: {exc}"
