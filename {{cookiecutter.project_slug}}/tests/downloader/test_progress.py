"""The progress bar on a terminal (``test_cli.py``: none elsewhere)."""

import io

import pytest
import typing_extensions

from {{ cookiecutter.package_name }}.downloader.progress import progress


class FakeTerminal(io.StringIO):
    """A stream that claims to be a terminal (fault injection for isatty)."""

    @typing_extensions.override
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("total", "shown", "hidden"),
    [(100, "100%", "100/"), (None, "1234", "%")],
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
