"""The command line through click's runner: exit codes, messages, precedence."""

import itertools
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }} import boundary as boundary_module
from {{ cookiecutter.package_name }}.boundary import boundary
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.settings import default_config_path

from tests.conftest import ENV_PREFIX, TRICKY, forget_secrets, text

TOKEN = "cli-token-do-not-leak"  # noqa: S105 -- a test value
TICK_AND_A_HALF = 0.15
APP = "{{ cookiecutter.package_name }}.app"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") or result.stderr.startswith("Usage: ")
    assert text in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--config", "missing.toml", "config", "show"], "missing.toml not found"),
        (
            ["--log-level", "LOUD", "config", "show"],
            "invalid log_level (flag --log-level)",
        ),
        (["config", "show", "--colour", "x"], "No such option"),
        (["conifg", "show"], "No such command"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], text: str) -> None:
    assert_one_line_error(run(*args), 2, text)


def test_a_bad_environment_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}LOG_LEVEL", "many")
    assert_one_line_error(run("config", "show"), 2, f"{ENV_PREFIX}LOG_LEVEL")


def test_a_token_in_the_config_file_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'api_token = "{TOKEN}"\n')
    result = run("--config", str(config), "config", "show")
    assert_one_line_error(result, 2, f"set {ENV_PREFIX}API_TOKEN")
    assert TOKEN not in result.output


def test_an_unknown_config_key_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("retries = 3\n")
    assert_one_line_error(
        run("--config", str(config), "config", "show"), 2, "unknown key"
    )


def test_a_config_file_that_is_not_utf_8_exits_2_naming_it() -> None:
    default_config_path().parent.mkdir(parents=True)
    default_config_path().write_bytes(b"# caf\xe9\n")
    result = run("config", "show")
    assert_one_line_error(result, 2, f"config file {default_config_path()}: not UTF-8")


def winner(candidates: list[tuple[str | None, str]], default: str) -> str:
    """Return ``value  (origin)`` of the first candidate set, else the default."""
    value, origin = next(
        ((v, o) for v, o in candidates if v is not None), (default, "default")
    )
    return f"{value}  ({origin})"


@pytest.mark.parametrize(
    ("flag", "env", "file"),
    list(itertools.product([None, "DEBUG"], [None, "INFO"], [None, "ERROR"])),
)
def test_config_show_precedence_matrix(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str | None, file: str | None
) -> None:
    if env is not None:
        monkeypatch.setenv(f"{ENV_PREFIX}LOG_LEVEL", env)
    if file is not None:
        default_config_path().parent.mkdir(parents=True)
        default_config_path().write_text(f'log_level = "{file}"\n')
    result = run(*([] if flag is None else ["--log-level", flag]), "config", "show")
    assert result.exit_code == 0, result.output
    expected = winner(
        [
            (flag, "flag --log-level"),
            (env, f"env {ENV_PREFIX}LOG_LEVEL"),
            (file, f"file {default_config_path()}"),
        ],
        "WARNING",
    )
    assert f"log_level = {expected}" in result.stdout.splitlines()


def test_config_show_masks_the_token(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    result = run("--log-level", "DEBUG", "config", "show")
    assert result.exit_code == 0
    assert f"api_token = **********  (env {ENV_PREFIX}API_TOKEN)" in result.stdout
    assert TOKEN not in result.output
    assert "settings: " in caplog.text  # the debug log shows the settings...
    assert TOKEN not in caplog.text  # ...masked
    assert logging.getLogger().level == logging.DEBUG


def test_config_show_lists_unset_values_and_the_secrets_dir(tmp_path: Path) -> None:
    lines = run("config", "show").stdout.splitlines()
    assert "api_token = (not set)  (default)" in lines
    assert "log_level = WARNING  (default)" in lines
    assert f"secrets dir: {tmp_path / 'no-secrets'}" in lines


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{{ cookiecutter.project_slug }} {__version__}")


def test_help_names_every_source_of_the_settings() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert f"{ENV_PREFIX}<NAME>" in result.stdout
    assert "config" in result.stdout


@settings(max_examples=40)
@given(value=text(TRICKY.replace("\0", "")))
@example(value=f"{TOKEN}\nsecond-line")
@example(value="")
def test_any_token_in_the_environment_is_shown_masked_or_refused_in_one_line(
    value: str,
) -> None:
    token = f"Zq{value}Zq"  # marked, so that no output can hold it by chance
    with pytest.MonkeyPatch.context() as monkeypatch:
        forget_secrets(monkeypatch)
        result = run("config", "show", env={f"{ENV_PREFIX}API_TOKEN": token})
    assert token not in result.output
    if result.exit_code == 0:
        assert f"api_token = **********  (env {ENV_PREFIX}API_TOKEN)" in result.stdout
    else:
        assert_one_line_error(result, 2, f"api_token (env {ENV_PREFIX}API_TOKEN)")
        assert result.stderr.count("\n") == 1


@given(value=st.text(st.sampled_from(TRICKY.replace("\0", "")), max_size=3))
@example(value="")
@example(value=" ")
@example(value="(")
def test_a_token_of_a_few_characters_is_shown_masked_or_refused_naming_the_variable(
    value: str,
) -> None:
    # Too short to mark, so the message's own words must survive its masking.
    with pytest.MonkeyPatch.context() as monkeypatch:
        forget_secrets(monkeypatch)
        result = run("config", "show", env={f"{ENV_PREFIX}API_TOKEN": value})
    if result.exit_code == 0:
        assert f"api_token = **********  (env {ENV_PREFIX}API_TOKEN)" in result.stdout
    else:
        named = f"invalid api_token (env {ENV_PREFIX}API_TOKEN)"
        assert_one_line_error(result, 2, named)
        assert result.stderr.count("\n") == 1


def test_a_token_with_a_newline_exits_2_naming_the_variable_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", f"{TOKEN}\nsecond-line")
    result = run("config", "show")
    assert_one_line_error(result, 2, f"api_token (env {ENV_PREFIX}API_TOKEN)")
    assert result.stderr.count("\n") == 1
    assert TOKEN not in result.output
    assert "second-line" not in result.output


def test_no_message_from_a_library_can_show_the_token(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)

    def leaky() -> Path:
        header = f"Bearer {TOKEN}".encode()
        msg = f"Illegal header value {header!r}\nand {TOKEN!r} again"
        raise ValueError(msg)

    monkeypatch.setattr(f"{APP}.secrets_dir", leaky)  # runs after the token loaded
    caplog.set_level(logging.DEBUG)
    result = run("--log-level", "DEBUG", "config", "show")
    assert_one_line_error(result, 1, "unexpected ValueError: Illegal header value")
    assert result.stderr.count("\n") == 1
    assert TOKEN not in result.output
    assert TOKEN not in caplog.text
    assert "Traceback" in caplog.text  # the debug log has the cause, masked


def test_an_unexpected_error_is_one_printable_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> None:
        msg = "boom\x1b[31m"  # a terminal escape sequence, as a server may send
        raise RuntimeError(msg)

    monkeypatch.setattr(f"{APP}.load", broken)
    result = run("config", "show")
    assert result.exit_code == 1
    assert result.stderr == "Error: unexpected RuntimeError: boom?[31m\n"


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(f"{APP}.show_config", interrupted)
    result = run("config", "show")
    assert result.exit_code == 130
    assert result.stderr == "Stopped by SIGINT.\n"


def test_a_closed_standard_output_exits_141_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_pipe(*_: object, **__: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(f"{APP}.click.echo", broken_pipe)
    result = run("config", "show")
    assert result.exit_code == 141
    assert result.stderr == ""


def test_a_closed_stdout_is_pointed_at_the_null_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "out.txt").open("w") as out:
        monkeypatch.setattr("sys.stdout", out)
        boundary_module._detach_stdout()  # noqa: SLF001 -- the last flush's safety
        out.write("lost")
    assert (tmp_path / "out.txt").read_text() == ""


@pytest.mark.usefixtures("handlers_restored")
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_a_stop_signal_unwinds_the_command_and_exits_128_plus_n(
    monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    cleaned_up = []

    @contextmanager
    def resource() -> Iterator[None]:
        try:
            yield
        finally:
            cleaned_up.append(True)

    def signalled(*_: object) -> None:
        with resource():
            os.kill(os.getpid(), signum)  # a real signal, to this very process
            time.sleep(5)  # interrupted: the handler raises at once

    monkeypatch.setattr(f"{APP}.show_config", signalled)
    started = time.monotonic()
    result = run("config", "show")
    assert time.monotonic() - started < 5
    assert result.exit_code == code
    assert result.stderr == f"Stopped by {signal.Signals(signum).name}.\n"
    assert cleaned_up == [True]


@pytest.mark.usefixtures("handlers_restored")
def test_a_second_signal_cannot_cut_the_clean_up_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cleaned_up = []

    def signalled(*_: object) -> None:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        finally:
            os.kill(os.getpid(), signal.SIGINT)  # ignored now: the clean-up goes on
            cleaned_up.append(True)

    monkeypatch.setattr(f"{APP}.show_config", signalled)
    result = run("config", "show")
    assert result.exit_code == 143
    assert cleaned_up == [True]


@pytest.mark.usefixtures("handlers_restored")
def test_an_ignored_signal_stays_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def look(*_: object) -> None:
        seen.append(signal.getsignal(signal.SIGHUP))

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        monkeypatch.setattr(f"{APP}.show_config", look)
        assert run("config", "show").exit_code == 0
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert seen == [signal.SIG_IGN]


def test_signals_are_left_alone_outside_the_main_thread() -> None:
    seen = []

    def work() -> None:
        with boundary():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert seen == [before]


def test_an_alarm_of_the_caller_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def record(*_: object) -> None:
        seen.append(signal.getitimer(signal.ITIMER_REAL))

    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the caller's
    try:
        monkeypatch.setattr(f"{APP}.show_config", record)
        assert run("config", "show").exit_code == 0
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert seen == [(0.0, 0.0)]


def test_the_main_thread_is_woken_while_a_command_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = []

    def record(*_: object) -> None:
        seen.append(signal.getitimer(signal.ITIMER_REAL)[1])
        time.sleep(TICK_AND_A_HALF)  # a tick, handled and ignored

    monkeypatch.setattr(f"{APP}.show_config", record)
    assert run("config", "show").exit_code == 0
    assert seen == [boundary_module.TICK]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
