"""The one boundary where errors and signals become a message and an exit code.

Exit codes: 0 success; 1 the command failed; 2 bad usage, input or
configuration; 128+N stopped by signal N, as a Unix shell reports it (130
Ctrl-C, 129 SIGHUP, 131 SIGQUIT, 143 SIGTERM, 141 a closed standard output).
Errors print one line on stderr, never a traceback and never a secret
(``--log-level DEBUG`` logs the cause chain, secrets masked too).
"""

import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

import click

from .errors import ProjectError, redact

logger = logging.getLogger(__name__)

#: What ``timeout``, systemd, ``docker stop``, a closed terminal and Ctrl-C or
#: Ctrl-\ send. Windows has only the first two.
STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)
SIGPIPE = 13  # its number on every Unix; Windows has no such signal
SIGNAL_EXIT_BASE = 128
TICK = 0.1  # seconds: the longest a stop signal may wait to be handled
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
def boundary() -> Iterator[None]:
    """Run a command: stop signals unwind it; errors become one line and a code."""
    try:
        with _stop_signals_raise():
            yield
    except ProjectError as exc:
        report(exc)
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:  # whoever reads our output has gone: stop quietly
        _detach_stdout()
        raise SystemExit(SIGNAL_EXIT_BASE + SIGPIPE) from None
    except Exception as exc:  # noqa: BLE001 -- a bug: still one line, no secret
        report(exc)
        raise SystemExit(1) from None
    except KeyboardInterrupt:  # SIGINT when no handler of ours was installed
        raise _stopped(signal.SIGINT) from None
    except StoppedError as exc:
        raise _stopped(exc.signum) from None


def report(exc: BaseException) -> None:
    """Print ``exc`` as one line on stderr; log its traceback at DEBUG level.

    The text is masked (``errors.redact``) and reduced to printable
    characters on one line, whatever a library or a server put in it.
    """
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s", redact("".join(traceback.format_exception(exc))))
    text = str(exc) if isinstance(exc, ProjectError) else _unexpected(exc)
    click.echo(f"Error: {one_printable_line(redact(text))}", err=True)


def one_printable_line(text: str) -> str:
    """Join ``text``'s lines with spaces; show other control characters as ``?``."""
    joined = " ".join(text.splitlines())
    return "".join(char if char.isprintable() else "?" for char in joined)


def _unexpected(exc: BaseException) -> str:
    return f"unexpected {type(exc).__name__}: {exc}"


def _stopped(signum: int) -> SystemExit:
    click.echo(f"Stopped by {signal.Signals(signum).name}.", err=True)
    return SystemExit(SIGNAL_EXIT_BASE + signum)


@contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """Turn each stop signal into ``StoppedError`` in the main thread, then restore.

    A signal the caller ignores stays ignored (``nohup``, a background job's
    SIGINT): that is the caller's wish. After the first signal the others
    are ignored, so a second Ctrl-C cannot cut the clean-up short.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; its caller handles them
        return
    previous: dict[int, Handler] = {}

    def raise_stopped(signum: int, _: FrameType | None) -> None:
        for handled in previous:
            signal.signal(handled, signal.SIG_IGN)
        raise StoppedError(signum)

    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, raise_stopped)
    try:
        with _ticking():
            yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler or signal.SIG_DFL)


@contextmanager
def _ticking() -> Iterator[None]:
    """Wake the main thread every ``TICK`` seconds while a command runs.

    A signal that lands just before ``time.sleep`` enters the system call (a
    wait between retries, say, begins right after its log line) does not
    interrupt the sleep: its handler would run only when the wait ends.
    A no-op SIGALRM every ``TICK`` interrupts such a sleep, the interpreter
    then runs the pending handler, and the sleep goes on otherwise unchanged
    (PEP 475). Skipped where there is no timer, or SIGALRM is someone else's.
    """
    if not hasattr(signal, "setitimer") or (
        signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _ignore_tick)
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _ignore_tick(_signum: int, _frame: FrameType | None) -> None:
    """Do nothing: waking the main thread was the point."""


def _detach_stdout() -> None:
    """Point stdout at the null device: the interpreter's last flush must not fail."""
    with suppress(OSError, ValueError):  # stdout may have no file descriptor
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
