"""The progress bar on a terminal (``test_cli.py``: none elsewhere)."""

import io
import os
import re
import sys
import threading
from pathlib import Path

import pytest
import typing_extensions

from {{ cookiecutter.package_name }}.downloader.progress import progress, size

if sys.platform != "win32":  # POSIX only
    import termios

from tests.core.fixtures import TIMEOUT, failing_stream, linux_only, posix_only
from tests.downloader.conftest import pseudo_terminal


class FakeTerminal(io.StringIO):
    """A stream that claims to be a terminal (fault injection for isatty)."""

    @typing_extensions.override
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("total", "shown", "hidden"),
    [(100, "100%", "100/"), (None, "1.2 KiB", "%")],
    ids=["percent-of-a-known-size", "bytes-so-far"],
)
def test_a_bar_on_a_terminal(total: int | None, shown: str, hidden: str) -> None:
    stream = FakeTerminal()
    with progress("file.bin", total, stream=stream) as advance:
        advance(34)
        advance(1200 if total is None else 66)
    assert "file.bin" in stream.getvalue()
    assert shown in stream.getvalue()
    assert hidden not in stream.getvalue()
    assert re.search(r"\d B/s|iB/s", stream.getvalue())  # the rate, as curl shows it
    assert ("100 B" if total else "1.2 KiB") in stream.getvalue()  # bytes done


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (5 * 2**30, "5.0 GiB")],
)
def test_sizes_are_shown_for_people(count: int, shown: str) -> None:
    assert size(count) == shown


def test_no_stream_is_no_terminal() -> None:  # stderr closed: 2>&-
    with progress("file.bin", 100, stream=None) as advance:
        advance(100)


def test_a_terminal_whose_writes_fail_only_ends_the_bar(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with failing_stream(tmp_path) as terminal:
        monkeypatch.setattr(terminal, "isatty", lambda: True)
        with progress("file.bin", 100, stream=terminal) as advance:
            advance(10)  # its first drawing failed: no more are tried
            advance(90)
        assert os.path.samestat(os.fstat(terminal.fileno()), Path(os.devnull).stat())


@linux_only(reason="a pseudo-terminal whose controller has gone fails writes with EIO")
def test_a_terminal_that_goes_away_only_ends_the_bar() -> None:
    master, slave = pseudo_terminal()
    with os.fdopen(slave, "w") as terminal:
        with progress("file.bin", 100, stream=terminal) as advance:
            advance(10)
            assert b"file.bin" in os.read(master, 4096)
            os.close(master)  # the terminal goes away: its writes fail (EIO)
            advance(10)
            advance(80)
        # The bar drew on a handle of its own: the stream is left for messages.
        assert not os.path.samestat(os.fstat(slave), Path(os.devnull).stat())


@posix_only(reason="a pseudo-terminal and its flow control")
def test_a_terminal_that_stops_reading_never_holds_the_download() -> None:
    master, slave = pseudo_terminal()
    if sys.platform != "win32":  # the calls exist there alone
        termios.tcflow(slave, termios.TCOOFF)  # Ctrl-S: it takes no more output
    advanced: list[int] = []

    def download() -> None:
        with (
            os.fdopen(slave, "w", closefd=False) as terminal,
            progress("file.bin", 10**6, stream=terminal) as advance,
        ):
            for _ in range(1000):
                advance(1000)
                advanced.append(1000)

    drawing = threading.Thread(target=download, daemon=True)
    drawing.start()
    drawing.join(TIMEOUT)
    held = drawing.is_alive()
    if sys.platform != "win32":
        termios.tcflow(slave, termios.TCOON)  # a held write goes on: the thread ends
    drawing.join(TIMEOUT)
    os.close(master)
    os.close(slave)
    assert not held
    assert sum(advanced) == 10**6
