"""The progress bar on a terminal (``test_cli.py``: none elsewhere)."""

import io
import os
import re
from pathlib import Path

import pytest
import typing_extensions

from {{ cookiecutter.package_name }}.downloader.progress import progress, size

from tests.core.fixtures import failing_stream, linux_only
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
        assert os.path.samestat(os.fstat(slave), Path(os.devnull).stat())
