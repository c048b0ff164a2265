"""The subprocess helper, run for real: success, failure, timeout, no program."""

import sys
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.commands import run
from {{ cookiecutter.package_name }}.errors import CommandError


def test_returns_the_stripped_output() -> None:
    assert run([sys.executable, "-c", "print('  hi  ')"], timeout=10) == "hi"


def test_arguments_are_never_interpreted_by_a_shell() -> None:
    text = "$(echo pwned); rm -rf / #"
    assert (
        run([sys.executable, "-c", "import sys; print(sys.argv[1])", text], timeout=10)
        == text
    )


def test_a_failure_names_the_program_and_its_error() -> None:
    script = "import sys; sys.stderr.write('it broke'); sys.exit(3)"
    with pytest.raises(CommandError, match="exit status 3: it broke"):
        run([sys.executable, "-c", script], timeout=10)


def test_a_hung_program_is_stopped_by_the_timeout() -> None:
    with pytest.raises(CommandError, match=r"no answer after 0\.1 s"):
        run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.1)


def test_a_missing_program_is_a_project_error() -> None:
    with pytest.raises(CommandError, match="no-such-program-here: program not found"):
        run(["no-such-program-here"], timeout=10)


def test_a_folder_to_run_in_that_is_missing_or_a_file_is_a_project_error(
    tmp_path: Path,
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("")
    for folder in (tmp_path / "missing", a_file):
        with pytest.raises(CommandError, match=str(folder)):
            run([sys.executable, "-c", "pass"], timeout=10, cwd=folder)


def test_a_nul_character_is_a_project_error() -> None:
    with pytest.raises(CommandError, match="cannot run it: embedded null byte"):
        run([sys.executable, "-c", "pass", "a\0b"], timeout=10)
