"""The one boundary where errors and signals become a message and an exit code.

Exit codes: 0 success; 1 the command failed; 2 bad usage, input or
configuration; 128+N stopped by signal N, as a Unix shell reports it (130
Ctrl-C, 129 SIGHUP, 131 SIGQUIT, 143 SIGTERM, 141 a closed standard output;
on Windows, 149 Ctrl-Break). Errors print one line on stderr, never a
traceback and never a secret (``--log-level DEBUG`` logs the cause chain,
secrets masked too). Output is best effort (``say``): a full disk, a
terminal that went away or a reader that has gone never changes what a
command does or its exit code, except a closed standard output, which ends
the command as SIGPIPE would (141).
"""

import logging
import os
import select
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any, TextIO

import click

from .errors import ProjectError
from .redact import Redactor

logger = logging.getLogger(__name__)

#: What ``timeout``, systemd, ``docker stop``, a closed terminal, Ctrl-C and
#: Ctrl-\ send; on Windows, Ctrl-C and Ctrl-Break.
if sys.platform == "win32":  # pragma: windows-only
    STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGBREAK)
else:  # pragma: posix-only
    STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
SIGPIPE = 13  # its number on every Unix; Windows has no such signal
SIGNAL_EXIT_BASE = 128
Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class StoppedError(BaseException):
    """A stop signal arrived: unwind as Ctrl-C does, so every ``with`` cleans up.

    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception``
    on the way may swallow it.
    """

    def __init__(self, signum: int) -> None:
        """Keep the signal's number for the exit code."""
        super().__init__(signum)
        self.signum = signum


@contextmanager
def boundary() -> Iterator[Redactor]:
    """Run a command: stop signals unwind it; errors become one line and a code.

    It yields the command's ``Redactor``: give it the secrets once they are
    loaded, and every message about an error is masked with it.
    """
    redact = Redactor()
    try:
        with _stop_signals_raise():
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
        raise _stopped(signal.SIGINT) from None
    except StoppedError as exc:
        raise _stopped(exc.signum) from None
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
    (``2>&-``) prints nothing.
    """
    stream = sys.stderr if err else sys.stdout
    try:
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


def silence(stream: TextIO) -> None:
    """Point ``stream`` at the null device: what it holds, and all later output.

    Then the interpreter's last flush cannot fail (that would make the exit
    code 120). A stream without a file descriptor is left as it is.
    """
    with suppress(OSError, ValueError):  # io.UnsupportedOperation: no descriptor
        descriptor = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


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


def _stopped(signum: int) -> SystemExit:
    if _takes_a_line_now(sys.stderr):  # a stopped program must end, told or not
        say(f"Stopped by {signal.Signals(signum).name}.", err=True)
    return SystemExit(SIGNAL_EXIT_BASE + signum)


if sys.platform == "win32":  # pragma: windows-only

    def _takes_a_line_now(_: TextIO | None) -> bool:
        """Say yes: a Windows console does not stop taking output."""
        return True

else:  # pragma: posix-only

    def _takes_a_line_now(stream: TextIO | None) -> bool:
        """Say whether ``stream`` takes a line at once, rather than make us wait.

        A terminal whose output is stopped (Ctrl-S) and full holds every write
        until it goes on: the message would keep a stopped program alive.
        """
        if stream is None:  # 2>&-: nothing is written
            return True
        try:
            ready = select.select([], [stream.fileno()], [], 0)[1]
        except (OSError, ValueError):  # no descriptor (io.UnsupportedOperation)
            return True
        return bool(ready)


@contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """Turn each stop signal into ``StoppedError`` in the main thread.

    A signal the caller ignores stays ignored (``nohup``, a background job's
    SIGINT): that is the caller's wish. After the first signal the others
    are ignored until the process exits, so a second Ctrl-C cuts short
    neither the clean-up nor the exit. Without a stop, the caller's handlers
    are restored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; its caller handles them
        return
    previous: dict[int, Handler] = {}

    def raise_stopped(signum: int, _: FrameType | None) -> None:
        # A handler that does nothing, not SIG_IGN: Python still runs the
        # handler of a signal that came with this one, and says it cannot.
        for handled in previous:
            signal.signal(handled, _ignore)
        raise StoppedError(signum)

    for stop in STOP_SIGNALS:
        if signal.getsignal(stop) is not signal.SIG_IGN:
            previous[stop] = signal.signal(stop, raise_stopped)
    restore: Mapping[int, Handler] = previous
    try:
        yield
    except StoppedError:
        # Ignored until the process exits: as it exits, Python puts the
        # default back in place of its own handlers, and a signal then would
        # kill it. (signal.signal runs the handlers of signals that came
        # before it changes one: those run ``_ignore``.)
        restore = dict.fromkeys(previous, signal.SIG_IGN)
        raise
    finally:
        for signum, handler in restore.items():
            signal.signal(signum, handler or signal.SIG_DFL)


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """Handle a stop signal that came after the first: do nothing."""
