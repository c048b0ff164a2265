"""The markers every test can use keep working for tests of older releases."""

import sys

import pytest

from .fixtures import linux_only, posix_only, windows_only


@pytest.mark.parametrize("marker", [posix_only, linux_only, windows_only])
def test_a_test_marked_bare_stays_a_test(marker: pytest.MarkDecorator) -> None:
    """Earlier projects use the markers bare: their tests must still be collected."""

    def a_test() -> None:
        """Stand for a test of the user's."""

    assert marker(a_test) is a_test
    assert [mark.name for mark in getattr(a_test, "pytestmark", [])] == ["skipif"]


def test_a_marker_given_a_reason_keeps_its_condition_and_shows_the_reason() -> None:
    marked = posix_only(reason="SIGHUP").mark
    assert marked.args == (sys.platform == "win32",)
    assert marked.kwargs == {"reason": "SIGHUP"}
