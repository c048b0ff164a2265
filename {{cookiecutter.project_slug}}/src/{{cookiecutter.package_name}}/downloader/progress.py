"""A progress bar for people at a terminal, and silence for pipes, logs and CI.

Best effort: a terminal that goes away during a download (its writes fail)
only ends the bar, never the download.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TextIO

import click

from {{ cookiecutter.package_name }}.core.boundary import silence

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
    bar = click.progressbar(
        itertools.count(),
        length=total,
        label=label,
        file=stream,
        show_pos=total is None,
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


def _ignore(_: int) -> None:
    """Advance nothing."""
