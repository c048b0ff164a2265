"""The program's start: a stop signal ends it quietly, first moment to last.

Each test runs the program in a child process, from the entry point the
installed package declares (as its console script does), and sends it a
real signal at a moment the child holds for the test. (``python -m`` runs
``__main__.py``, which is yours: a fresh one calls ``core.start.main`` too.)
"""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.core.signals import STOP_SIGNALS
from {{ cookiecutter.package_name }}.core.start import main

from tests.core.fixtures import (
    PACKAGE,
    TIMEOUT,
    child_environment,
    posix_only,
    run_python,
)

SCRIPT = "{{ cookiecutter.project_slug }}"  # the console script's name
NUMBERS = [int(signum) for signum in STOP_SIGNALS]  # as a child's script spells them
#: Start as a fresh interpreter does, whatever this test process inherited
#: (a background job ignores SIGINT, and so would its children).
DEFAULTS = (
    "import signal, sys\n"
    f"for signum in {NUMBERS!r}:\n"
    "    signal.signal(signum, signal.SIG_DFL)\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "sys.argv = sys.argv[1:]  # the program's name, then its arguments\n"
)
#: Then run the program as its console script does.
CONSOLE_SCRIPT = (
    "from importlib.metadata import entry_points\n"
    "(script,) = entry_points(group='console_scripts', name=sys.argv[0])\n"
    "sys.exit(script.load()())\n"
)
#: Hold the import of click (most of a start-up) until a signal comes.
HOLD_CLICK = (
    "import time\n"
    "class HoldClick:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'click':\n"
    "            print('importing click', flush=True)\n"
    f"            time.sleep({TIMEOUT})\n"
    "sys.meta_path.insert(0, HoldClick())\n"
)
#: Once the program has ended, a signal as the interpreter exits.
SIGNAL_AT_EXIT = (
    "import atexit\n"
    "atexit.register(signal.raise_signal, signal.SIGINT)\n"
    "atexit.register(print, 'exiting', flush=True)\n"
)


def child(setup: str, tmp_path: Path) -> "subprocess.Popen[str]":
    """Start the program (``--help``) as its console script, after ``setup``."""
    script = DEFAULTS + setup + CONSOLE_SCRIPT
    return subprocess.Popen(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-c", script, SCRIPT, "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(tmp_path),
    )


@posix_only(reason="a signal sent to one process")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_while_the_program_starts_ends_it_quietly_with_128_plus_n(
    signum: int, tmp_path: Path
) -> None:
    with child(HOLD_CLICK, tmp_path) as started:
        assert started.stdout is not None
        assert started.stdout.readline() == "importing click\n"
        started.send_signal(signum)
        _, stderr = started.communicate(timeout=TIMEOUT)
    assert (started.returncode, stderr) == (
        128 + signum,
        f"Stopped by {signal.Signals(signum).name}.\n",
    )


@pytest.mark.usefixtures("handlers_restored")
def test_a_stop_signal_outside_any_command_ends_the_program_with_128_plus_n(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As click parses the command line, say: no command's boundary runs yet.
    monkeypatch.setattr(cli, "main", lambda: signal.raise_signal(signal.SIGTERM))
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 128 + signal.SIGTERM
    assert capsys.readouterr().err == "Stopped by SIGTERM.\n"
    assert {signal.getsignal(signum) for signum in STOP_SIGNALS} == {signal.SIG_IGN}


def test_a_stop_signal_as_the_program_exits_is_ignored(tmp_path: Path) -> None:
    with child(SIGNAL_AT_EXIT, tmp_path) as started:
        stdout, stderr = started.communicate(timeout=TIMEOUT)
    assert (started.returncode, stderr) == (0, "")
    assert stdout.endswith("exiting\n")


def test_importing_the_package_sets_no_signal_handler(tmp_path: Path) -> None:
    script = (
        "import signal\n"
        f"before = [signal.getsignal(signum) for signum in {NUMBERS!r}]\n"
        f"import {PACKAGE}.cli, {PACKAGE}.core.start\n"
        f"after = [signal.getsignal(signum) for signum in {NUMBERS!r}]\n"
        "print(before == after)\n"
    )
    done = run_python(script, tmp_path)
    assert (done.stdout, done.stderr) == ("True\n", "")
