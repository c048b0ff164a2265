"""The boundary: each error and stop signal becomes one line and its exit code."""

import io
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import pytest

from {{ cookiecutter.package_name }}.core import boundary as boundary_module
from {{ cookiecutter.package_name }}.core.boundary import (
    STOP_SIGNALS,
    boundary,
    say,
    silence,
)
from {{ cookiecutter.package_name }}.core.errors import (
    ConfigError,
    InputError,
    ProjectError,
)

from tests.core.fixtures import (
    PACKAGE,
    TIMEOUT,
    child_environment,
    failing_stream,
    linux_only,
    posix_only,
    run_python,
)

if sys.platform != "win32":  # POSIX only
    import termios

SECRET = "boundary-secret-do-not-leak"  # noqa: S105 # pragma: allowlist secret


def command(error: BaseException) -> None:
    """Raise ``error`` inside the boundary, once ``SECRET`` is known."""
    with boundary() as redact:
        redact.add(SECRET)
        raise error


def exit_code_of(
    error: BaseException, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str]:
    """Return the exit code and stderr of a command that raises ``error``."""
    with pytest.raises(SystemExit) as caught:
        command(error)
    return caught.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "code"), [(ProjectError, 1), (InputError, 2), (ConfigError, 2)]
)
def test_a_project_error_is_one_line_and_its_exit_code(
    error: type[ProjectError], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_code_of(error("went wrong"), capsys) == (code, "Error: went wrong\n")


def test_an_unexpected_error_is_one_printable_line_without_its_secrets(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = RuntimeError(f"boom\x1b[31m\n{SECRET!r} {SECRET.encode()!r}")
    code, err = exit_code_of(error, capsys)
    assert code == 1
    assert (
        err == "Error: unexpected RuntimeError: boom?[31m '**********' b'**********'\n"
    )
    assert "Traceback" in caplog.text  # the debug log has the cause...
    assert SECRET not in caplog.text  # ...masked


def test_ctrl_c_without_a_handler_of_ours_exits_130(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert exit_code_of(KeyboardInterrupt(), capsys) == (130, "Stopped by SIGINT.\n")


def test_a_closed_standard_output_exits_141_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(boundary_module, "silence", lambda _: None)
    assert exit_code_of(BrokenPipeError(), capsys) == (141, "")


def test_a_missing_stream_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)  # 2>&-
    say("nowhere to go", err=True)


def test_a_silenced_stream_writes_to_the_null_device(tmp_path: Path) -> None:
    with (tmp_path / "out.txt").open("w") as out:
        silence(out)
        out.write("lost")
    assert (tmp_path / "out.txt").read_text() == ""
    silence(io.StringIO())  # no descriptor: left as it is


@contextmanager
def reader_gone() -> Iterator[TextIO]:
    """Yield a real pipe's writing end, its reader already gone (EPIPE)."""
    reading, writing = os.pipe()
    os.close(reading)
    with os.fdopen(writing, "w") as stream:
        yield stream
        silence(stream)  # what it still holds is lost: closing it must not fail


def is_null_device(stream: TextIO) -> bool:
    return os.path.samestat(os.fstat(stream.fileno()), Path(os.devnull).stat())


def print_then_stop() -> None:
    with boundary():
        say("a")  # fails, then goes nowhere
        say("b")
        signal.raise_signal(signal.SIGTERM)
        time.sleep(TIMEOUT)


@pytest.mark.usefixtures("handlers_restored")
def test_streams_that_fail_are_silenced_and_never_change_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The same on every system: each write reaches the system and fails.
    with failing_stream(tmp_path) as stderr:
        monkeypatch.setattr("sys.stderr", stderr)
        with pytest.raises(SystemExit) as caught:
            command(ProjectError("its line is lost"))
        assert caught.value.code == 1
        assert is_null_device(stderr)
    with (
        (tmp_path / "err.txt").open("w") as stderr,
        failing_stream(tmp_path) as stdout,
    ):
        monkeypatch.setattr("sys.stderr", stderr)
        monkeypatch.setattr("sys.stdout", stdout)
        with pytest.raises(SystemExit) as caught:
            print_then_stop()
        assert caught.value.code == 143  # a signal still means 128+N
        assert is_null_device(stdout)
    warning = (tmp_path / "err.txt").read_text()
    assert re.fullmatch(
        r"Warning: stdout failed \(.+\); it shows nothing more\nStopped by SIGTERM\.\n",
        warning,
    ), warning


def test_what_a_failing_stream_still_holds_never_fails_the_last_flush(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with failing_stream(tmp_path) as stdout:
        monkeypatch.setattr("sys.stdout", stdout)
        monkeypatch.setattr("sys.stderr", None)  # 2>&-
        with boundary():
            stdout.write("held in the buffer")  # as a failed log line leaves it
        assert is_null_device(stdout)
        stdout.flush()  # the interpreter's last flush: it would exit 120


@linux_only(reason="/dev/full, a disk that is full")
@pytest.mark.usefixtures("handlers_restored")
def test_output_that_fails_never_changes_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # stdout on a full disk, stderr a pipe whose reader has gone: both real.
    with Path("/dev/full").open("w") as full:
        monkeypatch.setattr("sys.stderr", full)
        with pytest.raises(SystemExit) as caught:
            command(ProjectError("its line is lost"))
        assert caught.value.code == 1
    with reader_gone() as stderr, Path("/dev/full").open("w") as stdout:
        monkeypatch.setattr("sys.stderr", stderr)
        with pytest.raises(SystemExit) as caught:
            command(ProjectError("its line is lost"))
        assert caught.value.code == 1
        assert is_null_device(stderr)
        monkeypatch.setattr("sys.stdout", stdout)
        with pytest.raises(SystemExit) as caught:
            print_then_stop()
        assert caught.value.code == 143  # a signal still means 128+N
        assert is_null_device(stdout)
    with (
        (tmp_path / "err.txt").open("w") as stderr,
        Path("/dev/full").open("w") as stdout,
    ):
        monkeypatch.setattr("sys.stderr", stderr)
        monkeypatch.setattr("sys.stdout", stdout)
        with boundary():
            say("a")
            say("b")
    assert (tmp_path / "err.txt").read_text() == (
        "Warning: stdout failed (No space left on device); it shows nothing more\n"
    )


@linux_only(reason="/dev/full, a disk that is full")
def test_what_a_stream_still_holds_at_the_end_never_fails_the_last_flush(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Path("/dev/full").open("w") as stdout:
        monkeypatch.setattr("sys.stdout", stdout)
        monkeypatch.setattr("sys.stderr", None)  # 2>&-
        with boundary():
            stdout.write("held in the buffer")  # as a failed log line leaves it
        stdout.flush()  # the interpreter's last flush: it would exit 120


def test_a_broken_pipe_ends_the_command_on_stdout_and_is_silenced_on_stderr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Systems report a reader that has gone each their own way (EPIPE on
    # POSIX, where the test below uses a real pipe): here the error itself
    # is injected, so that this runs on every system.
    def broken_pipe(*_: object, **__: object) -> None:
        raise BrokenPipeError

    with (tmp_path / "err.txt").open("w") as stderr:
        monkeypatch.setattr("sys.stderr", stderr)
        monkeypatch.setattr("click.echo", broken_pipe)
        say("lost", err=True)  # silenced, never raised
        assert is_null_device(stderr)
        with pytest.raises(BrokenPipeError):
            say("lost")  # the boundary ends the command with 141


@posix_only(reason="EPIPE, a pipe whose reader has gone")
def test_a_broken_pipe_on_stdout_still_ends_the_command() -> None:
    with reader_gone() as stdout, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("sys.stdout", stdout)
        with pytest.raises(BrokenPipeError):
            say("a")


def fill(descriptor: int) -> int:
    """Write to a non-blocking pipe until it is full; return how many bytes it holds."""
    held = 0
    with suppress(BlockingIOError):
        while True:
            held += os.write(descriptor, b"x" * 4096)
    return held


@posix_only(reason="a pipe left non-blocking (O_NONBLOCK)")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "python -u"])
def test_a_full_pipe_left_non_blocking_is_waited_on_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    buffered: bool,
) -> None:
    # Another program set O_NONBLOCK on the pipe we print to, and its reader
    # is slow: the paths a script reads must all arrive, in order.
    reading, writing = os.pipe()
    if sys.platform != "win32":  # Windows has it from Python 3.12 on only
        os.set_blocking(writing, False)
    held = fill(writing)
    lines = [f"/downloads/file-{number}.bin" for number in range(5000)]  # > a pipe
    received = []

    def read_late() -> None:
        time.sleep(0.05)
        with os.fdopen(reading, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read_late, daemon=True)
    reader.start()
    raw = io.FileIO(writing, "w", closefd=False)
    stdout: TextIO
    if buffered:
        stdout = io.TextIOWrapper(io.BufferedWriter(raw))
        stdout.write("printed before\n")  # held in the buffer: it comes first
    else:
        stdout = io.TextIOWrapper(raw, write_through=True)  # as python -u makes it
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        with boundary():
            for number, line in enumerate(lines):
                say(line.encode() if number % 2 else line)  # bytes, as they came
    finally:
        os.close(writing)  # the reader's end of file
        reader.join(TIMEOUT)
    expected = "printed before\n" * buffered + "".join(f"{line}\n" for line in lines)
    assert received == [b"x" * held + expected.encode()]
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("handlers_restored")
@pytest.mark.parametrize("signum", STOP_SIGNALS)
def test_a_stop_signal_unwinds_the_command_and_exits_128_plus_n(
    signum: int, capsys: pytest.CaptureFixture[str]
) -> None:
    cleaned_up = []

    @contextmanager
    def resource() -> Iterator[None]:
        try:
            yield
        finally:
            cleaned_up.append(True)

    def signalled() -> None:
        with boundary(), resource():
            signal.raise_signal(signum)  # a real signal, to this very process
            time.sleep(TIMEOUT)  # interrupted: the handler raises at once

    started = time.monotonic()
    with pytest.raises(SystemExit) as caught:
        signalled()
    assert time.monotonic() - started < TIMEOUT
    assert caught.value.code == 128 + signum
    assert capsys.readouterr().err == f"Stopped by {signal.Signals(signum).name}.\n"
    assert cleaned_up == [True]


@pytest.mark.usefixtures("handlers_restored")
def test_a_stop_signal_with_stderr_closed_still_exits_128_plus_n(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stderr", None)  # 2>&-
    with pytest.raises(SystemExit) as caught, boundary():
        signal.raise_signal(signal.SIGTERM)
    assert caught.value.code == 128 + signal.SIGTERM


@pytest.mark.usefixtures("handlers_restored")
def test_a_stop_signal_with_stderr_failing_still_exits_128_plus_n(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with failing_stream(tmp_path) as stderr:
        monkeypatch.setattr(sys, "stderr", stderr)
        with pytest.raises(SystemExit) as caught, boundary():
            signal.raise_signal(signal.SIGTERM)
        assert caught.value.code == 128 + signal.SIGTERM
        assert is_null_device(stderr)


@posix_only(reason="a pseudo-terminal and its flow control")
@pytest.mark.usefixtures("handlers_restored")
def test_a_stop_signal_ends_the_command_even_on_a_terminal_that_stopped_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ctrl-S, then output until the terminal holds no more: a write now waits
    # until Ctrl-Q, and "Stopped by SIGTERM." must not keep the program alive.
    if sys.platform != "win32":  # the calls exist there alone
        controller, terminal = os.openpty()
        termios.tcflow(terminal, termios.TCOOFF)
        os.set_blocking(terminal, False)
        with suppress(BlockingIOError):
            while True:
                os.write(terminal, b"x" * 4096)
        os.set_blocking(terminal, True)
        # Should the message wait, Ctrl-Q comes after TIMEOUT, and the test fails.
        resume = threading.Timer(TIMEOUT, termios.tcflow, (terminal, termios.TCOON))
        resume.start()
        started = time.monotonic()
        with os.fdopen(terminal, "w", closefd=False) as stream:
            monkeypatch.setattr(sys, "stderr", stream)
            with pytest.raises(SystemExit) as caught, boundary():
                signal.raise_signal(signal.SIGTERM)
        elapsed = time.monotonic() - started
        resume.cancel()
        os.close(controller)
        os.close(terminal)
        assert caught.value.code == 128 + signal.SIGTERM
        assert elapsed < TIMEOUT / 2


@pytest.mark.usefixtures("handlers_restored")
def test_a_second_signal_cannot_cut_the_clean_up_short() -> None:
    cleaned_up = []

    def signalled_twice() -> None:
        with boundary():
            try:
                signal.raise_signal(signal.SIGTERM)
                time.sleep(TIMEOUT)
            finally:
                signal.raise_signal(signal.SIGINT)  # ignored now: clean-up goes on
                cleaned_up.append(True)

    with pytest.raises(SystemExit) as caught:
        signalled_twice()
    assert caught.value.code == 143
    assert cleaned_up == [True]


@posix_only(reason="two signals held back, then let through at once (pthread_sigmask)")
@pytest.mark.usefixtures("handlers_restored")
def test_two_signals_at_once_stop_the_command_once_and_quietly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Both arrive before Python runs a handler: the second must still run one
    # (Python would say "Signal 15 ignored due to race condition" on SIG_IGN).
    def signalled_twice_at_once() -> None:
        with boundary():
            if sys.platform != "win32":  # the calls exist there alone
                both = {signal.SIGINT, signal.SIGTERM}
                signal.pthread_sigmask(signal.SIG_BLOCK, both)
                for signum in both:
                    signal.pthread_kill(threading.get_ident(), signum)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, both)
            time.sleep(TIMEOUT)

    with pytest.raises(SystemExit) as caught:
        signalled_twice_at_once()
    stopped = (caught.value.code, capsys.readouterr().err)
    assert stopped in {(130, "Stopped by SIGINT.\n"), (143, "Stopped by SIGTERM.\n")}


@pytest.mark.usefixtures("handlers_restored")
def test_after_a_stop_the_stop_signals_stay_ignored_as_the_process_exits() -> None:
    with pytest.raises(SystemExit) as caught, boundary():
        signal.raise_signal(signal.SIGTERM)
    assert caught.value.code == 143
    assert {signal.getsignal(signum) for signum in STOP_SIGNALS} == {signal.SIG_IGN}
    signal.raise_signal(signal.SIGINT)  # ignored: no KeyboardInterrupt, no "Aborted!"


def test_a_signal_while_the_stopped_process_exits_is_ignored(tmp_path: Path) -> None:
    # One signal as the exit begins (atexit), one as the interpreter tears
    # down its modules (__del__), where Python's own handlers are gone.
    script = (
        "import atexit, signal\n"
        f"from {PACKAGE}.core.boundary import boundary\n"
        "class Late:\n"
        "    def __del__(self):\n"
        "        signal.raise_signal(signal.SIGINT)\n"
        "late = Late()\n"
        "atexit.register(signal.raise_signal, signal.SIGINT)\n"
        "with boundary():\n"
        "    signal.raise_signal(signal.SIGTERM)\n"
    )
    child = run_python(script, tmp_path)
    assert (child.returncode, child.stderr) == (143, "Stopped by SIGTERM.\n")


@pytest.mark.usefixtures("handlers_restored")
@pytest.mark.parametrize("error", [None, ProjectError("failed"), RuntimeError("bug")])
def test_without_a_stop_the_handlers_before_the_command_are_restored(
    error: Exception | None,
) -> None:
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    with suppress(SystemExit), boundary():
        if error:
            raise error
    assert {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} == before


@pytest.mark.usefixtures("handlers_restored")
def test_an_ignored_signal_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a background job
    try:
        with boundary():
            seen = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert seen is signal.SIG_IGN


def test_signals_are_left_alone_outside_the_main_thread() -> None:
    seen = []

    def work() -> None:
        with boundary():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(TIMEOUT)
    assert seen == [before]


@posix_only(reason="SIGPIPE, a pipe whose reader has gone")
def test_a_real_process_whose_reader_has_gone_ends_like_sigpipe(tmp_path: Path) -> None:
    script = (
        f"from {PACKAGE}.core.boundary import boundary\n"
        "with boundary():\n"
        "    while True:\n"
        "        print('line', flush=True)\n"
    )
    with subprocess.Popen(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(tmp_path),
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        child.stdout.readline()
        child.stdout.close()  # like `| head -1`
        stderr = child.stderr.read()
        child.wait(TIMEOUT)
    assert child.returncode == 141
    assert stderr == ""
