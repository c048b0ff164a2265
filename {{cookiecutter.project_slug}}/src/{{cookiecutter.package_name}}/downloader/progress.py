"""A progress bar for people at a terminal, and silence for pipes, logs and CI.

Best effort: a terminal that goes away during a download (its writes fail)
only ends the bar, never the download, and so does one that stops reading
(Ctrl-S, a pane nobody scrolls): the bar never waits for the terminal.
"""

import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import TextIO

import click

from {{ cookiecutter.package_name }}.core.boundary import silence

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")
Advance = Callable[[int], None]
"""Called with the number of bytes just written."""

Progress = Callable[[str, int | None], AbstractContextManager[Advance]]
"""Given a label and the total size (if known), a context yielding an ``Advance``."""


@contextmanager
def progress(
    label: str, total: int | None, *, stream: TextIO | None
) -> Iterator[Advance]:
    """Show a bar on ``stream`` if it is a terminal; otherwise show nothing.

    No stream at all (``2>&-``) is no terminal. An open-ended
    ``itertools.count()`` tells click the length may be unknown; the bar is
    advanced by hand with the byte counts.
    """
    if stream is None or not stream.isatty():
        yield _ignore
        return
    with _own_handle(stream) as out:
        started = time.monotonic()

        def done_and_rate(_: object) -> str:
            """Say the bytes done and the mean rate, as curl and pip do."""
            rate = bar.pos / max(time.monotonic() - started, 1e-3)
            return f"{size(bar.pos)}  {size(rate)}/s"

        bar = click.progressbar(
            itertools.count(),
            length=total,
            label=label,
            file=out,
            item_show_func=done_and_rate,
        )
        draw = _BestEffort(out)
        draw(bar.render_progress)
        try:
            yield lambda size: draw(bar.update, size)
        finally:
            draw(bar.render_finish)


if sys.platform == "win32":  # pragma: windows-only

    @contextmanager
    def _own_handle(stream: TextIO) -> Iterator[TextIO]:
        """Draw on ``stream`` itself: a Windows console takes writes at once."""
        yield stream

else:  # pragma: posix-only

    @contextmanager
    def _own_handle(stream: TextIO) -> Iterator[TextIO]:
        """Open the terminal of ``stream`` again, for the bar alone, non-blocking.

        Writing to a terminal waits while it does not read; the bar's own
        handle fails instead (EAGAIN), which ends the bar. Messages still go
        to ``stream``. A stream that is not a terminal device is drawn on as
        it is.
        """
        try:
            terminal = os.ttyname(stream.fileno())
            handle = open(  # noqa: SIM115 -- closed below, a failed flush ignored
                terminal, "w", encoding=stream.encoding, opener=_non_blocking
            )
        except (OSError, ValueError):  # io.UnsupportedOperation: no descriptor
            yield stream
            return
        try:
            yield handle
        finally:
            with suppress(OSError):  # what a stopped terminal did not take
                handle.close()

    def _non_blocking(path: str, flags: int) -> int:
        return os.open(path, flags | os.O_NONBLOCK | os.O_NOCTTY)


class _BestEffort:
    """Call drawing functions until one fails; then silence the stream, call none."""

    def __init__(self, stream: TextIO) -> None:
        self._stream: TextIO | None = stream

    def __call__(self, draw: Callable[..., None], *args: int) -> None:
        if self._stream is None:
            return
        try:
            draw(*args)
        except OSError:  # EIO from a closed terminal, EPIPE, ENOSPC
            silence(self._stream)
            self._stream = None


def size(count: float) -> str:
    """Show a number of bytes for people: ``512 B``, ``1.5 KiB``, ``3.0 GiB``."""
    unit = 0
    while count >= 1024 and unit < len(_UNITS) - 1:  # noqa: PLR2004 -- 1 KiB
        count, unit = count / 1024, unit + 1
    return f"{count:.0f} B" if unit == 0 else f"{count:.1f} {_UNITS[unit]}"


def _ignore(_: int) -> None:
    """Advance nothing."""
