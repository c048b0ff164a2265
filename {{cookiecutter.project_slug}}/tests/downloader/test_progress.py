"""The progress bar shows on a terminal only."""

import io

import typing_extensions

from {{ cookiecutter.package_name }}.downloader.progress import progress


class FakeTerminal(io.StringIO):
    """A stream that claims to be a terminal (fault injection for isatty)."""

    @typing_extensions.override
    def isatty(self) -> bool:
        return True


def test_no_bar_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress("file.bin", 100, stream=stream) as advance:
        advance(100)
    assert stream.getvalue() == ""


def test_a_bar_with_percent_on_a_terminal() -> None:
    stream = FakeTerminal()
    with progress("file.bin", 100, stream=stream) as advance:
        advance(50)
        advance(50)
    shown = stream.getvalue()
    assert "file.bin" in shown
    assert "100%" in shown


def test_a_byte_count_when_the_size_is_unknown() -> None:
    stream = FakeTerminal()
    with progress("file.bin", None, stream=stream) as advance:
        advance(1234)
    shown = stream.getvalue()
    assert "file.bin" in shown
    assert "1234" in shown
    assert "%" not in shown
