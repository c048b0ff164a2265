"""A progress bar for people at a terminal, and silence for pipes, logs and CI."""

import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TextIO

import click

Advance = Callable[[int], None]
"""Called with the number of bytes just written."""

Progress = Callable[[str, int | None], AbstractContextManager[Advance]]
"""Given a label and the total size (if known), a context yielding an ``Advance``."""


@contextmanager
def progress(label: str, total: int | None, *, stream: TextIO) -> Iterator[Advance]:
    """Show a bar on ``stream`` if it is a terminal; otherwise show nothing.

    An open-ended ``itertools.count()`` tells click the length may be unknown;
    the bar is advanced by hand with the byte counts.
    """
    if not stream.isatty():
        yield _ignore
        return
    with click.progressbar(
        itertools.count(),
        length=total,
        label=label,
        file=stream,
        show_pos=total is None,
    ) as bar:
        yield bar.update


def _ignore(_: int) -> None:
    """Advance nothing."""
