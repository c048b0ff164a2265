"""Stop signals: whenever one comes, it ends the program with one line and 128+N.

``core.start`` sets the handlers before the command line is even imported,
and the boundary (``core.boundary``) sets its own around each command: a
stop signal raises ``StoppedError``, which unwinds what runs, then the
program says which signal stopped it and exits with 128+N, as a Unix shell
reports it. This module runs before anything else of the program, while a
Ctrl-C would otherwise print Python's traceback of the imports: it imports
nothing the interpreter has not loaded already, but ``signal``, ``select``
and ``threading``.
"""

import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from types import FrameType

#: typing.TYPE_CHECKING, without the import of typing (milliseconds, while a
#: signal would still print a traceback): type checkers read it as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

#: What ``timeout``, systemd, ``docker stop``, a closed terminal, Ctrl-C and
#: Ctrl-\ send; on Windows, Ctrl-C and Ctrl-Break.
if sys.platform == "win32":  # pragma: windows-only
    STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGBREAK)
else:  # pragma: posix-only
    STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
SIGNAL_EXIT_BASE = 128
Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


class StoppedError(BaseException):
    """A stop signal arrived: unwind as Ctrl-C does, so every ``with`` cleans up.

    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception``
    on the way may swallow it.
    """

    def __init__(self, signum: int) -> None:
        """Keep the signal's number for the exit code."""
        super().__init__(signum)
        self.signum = signum


def stopped(signum: int) -> SystemExit:
    """Say which signal stopped the program, if stderr takes a line now; exit 128+N.

    A stopped program must end, told or not: a stream that fails is silenced.
    """
    stream = sys.stderr
    if stream is not None and _takes_a_line_now(stream):  # None: 2>&-
        try:
            stream.write(f"Stopped by {signal.Signals(signum).name}.\n")
            stream.flush()
        except (OSError, ValueError):  # ValueError: a closed stream
            silence(stream)
    return SystemExit(SIGNAL_EXIT_BASE + signum)


def silence(stream: "TextIO") -> None:
    """Point ``stream`` at the null device: what it holds, and all later output.

    Then the interpreter's last flush cannot fail (that would make the exit
    code 120). A stream without a file descriptor is left as it is.
    """
    with suppress(OSError, ValueError):  # io.UnsupportedOperation: no descriptor
        descriptor = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


if sys.platform == "win32":  # pragma: windows-only

    def _takes_a_line_now(_: "TextIO") -> bool:
        """Say yes: a Windows console does not stop taking output."""
        return True

else:  # pragma: posix-only

    def _takes_a_line_now(stream: "TextIO") -> bool:
        """Say whether ``stream`` takes a line at once, rather than make us wait.

        A terminal whose output is stopped (Ctrl-S) and full holds every write
        until it goes on: the message would keep a stopped program alive.
        """
        try:
            ready = select.select([], [stream.fileno()], [], 0)[1]
        except (OSError, ValueError):  # no descriptor (io.UnsupportedOperation)
            return True
        return bool(ready)


@contextmanager
def stop_signals_raise(*, afterwards: Handler = None) -> Iterator[None]:
    """Turn each stop signal into ``StoppedError`` in the main thread.

    A signal the caller ignores stays ignored (``nohup``, a background job's
    SIGINT): that is the caller's wish. After the first signal the others
    are ignored until the process exits, so a second Ctrl-C cuts short
    neither the clean-up nor the exit. Without a stop, each handler becomes
    ``afterwards``, or by default the caller's handler again.
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
    if afterwards is not None:
        restore = dict.fromkeys(previous, afterwards)
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
