"""A Python the tests need but cannot find fails loudly; it never skips."""

from __future__ import annotations

import pytest

from tools.interpreters import InterpreterNotFoundError, find_python

pytestmark = pytest.mark.fast


def test_a_missing_interpreter_is_an_error_that_says_which() -> None:
    with pytest.raises(InterpreterNotFoundError, match=r"no Python 2\.9 interpreter found"):
        find_python("2.9")


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_every_python_min_choice_is_found(version: str) -> None:
    assert find_python(version).is_file()
