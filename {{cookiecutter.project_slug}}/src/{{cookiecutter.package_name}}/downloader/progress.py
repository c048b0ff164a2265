"""A progress bar for people at a terminal, and silence for pipes, logs and CI.

Best effort: a terminal that goes away during a download (its writes fail)
only ends the bar, never the download.
"""

import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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
    started = time.monotonic()

    def done_and_rate(_: object) -> str:
        """Say the bytes done and the mean rate, as curl and pip do."""
        rate = bar.pos / max(time.monotonic() - started, 1e-3)
        return f"{size(bar.pos)}  {size(rate)}/s"

    bar = click.progressbar(
        itertools.count(),
        length=total,
        label=label,
        file=stream,
        item_show_func=done_and_rate,
    )
    draw = _BestEffort(stream)
    draw(bar.render_progress)
    try:
        yield lambda size: draw(bar.update, size)
    finally:
        draw(bar.render_finish)


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
