"""The command line through click's runner: exit codes, messages, precedence."""

import itertools
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }} import boundary as boundary_module
from {{ cookiecutter.package_name }}.boundary import STOP_SIGNALS, boundary
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.download import Downloader
from {{ cookiecutter.package_name }}.settings import default_config_path

from tests.conftest import ENV_PREFIX

TOKEN = "cli-token-do-not-leak"  # noqa: S105 -- a test value
BODY = b"payload\n"
TICK_AND_A_HALF = 0.15


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") or result.stderr.startswith("Usage: ")
    assert text in result.stderr
    assert "Traceback" not in result.output


def test_download_prints_the_saved_path(server: HTTPServer, dest: Path) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{dest.resolve() / 'a.txt'}\n"
    assert result.stderr == ""  # not a terminal: no progress bar
    assert (dest / "a.txt").read_bytes() == BODY


def test_a_failed_download_exits_1(server: HTTPServer, dest: Path) -> None:
    server.expect_request("/a.txt").respond_with_data("no", status=404)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert_one_line_error(result, 1, "HTTP 404")
    assert result.stderr.count("\n") == 1


def test_one_failure_does_not_stop_the_other_urls(
    server: HTTPServer, dest: Path
) -> None:
    server.expect_request("/bad.txt").respond_with_data("no", status=404)
    server.expect_request("/good.txt").respond_with_data(BODY)
    urls = [server.url_for("/bad.txt"), server.url_for("/good.txt")]
    result = run("download", *urls, "--dest", str(dest))
    assert result.exit_code == 1
    assert result.stdout == f"{dest.resolve() / 'good.txt'}\n"
    assert "HTTP 404" in result.stderr


def test_a_checksum_mismatch_exits_1(server: HTTPServer, dest: Path) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run(
        "download", server.url_for("/a.txt"), "--dest", str(dest), "--sha256", "f" * 64
    )
    assert_one_line_error(result, 1, "SHA-256")
    assert list(dest.iterdir()) == []


def test_max_bytes_from_the_command_line(server: HTTPServer, dest: Path) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run(
        "download", server.url_for("/a.txt"), "--dest", str(dest), "--max-bytes", "3"
    )
    assert_one_line_error(result, 1, "the limit is 3")


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["download", "ftp://example.com/a"], "invalid URL 1"),
        (
            ["download", "http://example.com/a", "--timeout", "-3"],
            "invalid timeout (flag --timeout)",
        ),
        (["download", "http://example.com/a", "--sha256", "abc"], "invalid --sha256"),
        (["--config", "missing.toml", "config", "show"], "missing.toml not found"),
        (
            ["--log-level", "LOUD", "config", "show"],
            "invalid log_level (flag --log-level)",
        ),
        (["download"], "Missing argument"),
        (["download", "--colour", "x"], "No such option"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], text: str) -> None:
    assert_one_line_error(run(*args), 2, text)


def test_a_bad_environment_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}ATTEMPTS", "many")
    assert_one_line_error(run("config", "show"), 2, f"{ENV_PREFIX}ATTEMPTS")


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


def test_ctrl_c_exits_130(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Downloader, "fetch", interrupted)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 130
    assert result.stderr == "Stopped by SIGINT.\n"


def test_environment_is_used_when_no_flag_is_given(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    monkeypatch.setenv(f"{ENV_PREFIX}DEST", str(dest))
    assert run("download", server.url_for("/a.txt")).exit_code == 0
    assert (dest / "a.txt").read_bytes() == BODY


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


@pytest.mark.parametrize(
    ("flag", "env", "file", "tries"),
    [
        ("2", "3", "4", 2),
        (None, "3", "4", 3),
        (None, None, "4", 4),
        (None, None, None, 3),
    ],
)
def test_download_options_follow_the_same_precedence(
    server: HTTPServer,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: str | None,
    env: str | None,
    file: str | None,
    tries: int,
) -> None:
    server.expect_request("/a.txt").respond_with_data("busy", status=503)
    if env is not None:
        monkeypatch.setenv(f"{ENV_PREFIX}ATTEMPTS", env)
    if file is not None:
        default_config_path().parent.mkdir(parents=True)
        default_config_path().write_text(f"attempts = {file}\n")
    args = [] if flag is None else ["--attempts", flag]
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest), *args)
    assert result.exit_code == 1
    assert len(server.log) == tries


def test_config_show_masks_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    result = run("--log-level", "DEBUG", "config", "show")
    assert result.exit_code == 0
    assert f"api_token = **********  (env {ENV_PREFIX}API_TOKEN)" in result.stdout
    assert (
        f"base_url = https://api.example.com/  (env {ENV_PREFIX}BASE_URL)"
        in result.stdout
    )
    assert TOKEN not in result.output


def test_config_show_lists_unset_values_and_the_secrets_dir(tmp_path: Path) -> None:
    lines = run("config", "show").stdout.splitlines()
    assert "api_token = (not set)  (default)" in lines
    assert f"secrets dir: {tmp_path / 'no-secrets'}" in lines


def test_the_token_reaches_its_host_only_and_never_the_output(
    server: HTTPServer,
    other_server: HTTPServer,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", server.url_for("/"))
    server.expect_request("/mine.txt").respond_with_data(BODY)
    other_server.expect_request("/theirs.txt").respond_with_data("no", status=503)
    urls = [server.url_for("/mine.txt"), other_server.url_for("/theirs.txt")]
    result = run("--log-level", "DEBUG", "download", *urls, "--dest", str(dest))
    assert result.exit_code == 1
    assert server.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert {
        request.headers.get("Authorization") for request, _ in other_server.log
    } == {None}
    assert TOKEN not in result.output
    assert TOKEN not in caplog.text
    assert "saved" in caplog.text  # the debug logs were on
    assert logging.getLogger().level == logging.DEBUG


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{{ cookiecutter.project_slug }} {__version__}")


def test_retries_are_logged(
    server: HTTPServer, dest: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_oneshot_request("/a.txt").respond_with_data("busy", status=503)
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 0
    url = server.url_for("/a.txt")
    assert f"try 1 failed, next in 0.0 s: {url}: HTTP 503" in caplog.messages


@pytest.fixture
def default_dispositions() -> Iterator[None]:
    """Handle signals as by default, whatever pytest inherited (``trap "" INT``)."""
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        signal.SIGTERM: signal.signal(signal.SIGTERM, signal.SIG_DFL),
        signal.SIGHUP: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    }
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.fixture
def handlers_restored(default_dispositions: None) -> Iterator[None]:  # noqa: ARG001 -- set first
    """Prove the CLI leaves this process's signal handlers as it found them."""
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    yield
    assert {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} == before


@pytest.mark.usefixtures("handlers_restored")
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_a_stop_signal_mid_download_cleans_up_and_exits_128_plus_n(
    server: HTTPServer,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    signum: int,
    code: int,
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    real_copy = Downloader._copy  # noqa: SLF001 -- the fault goes in mid-body

    def signalled(self: Downloader, *args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signum)  # a real signal, to this very process
        time.sleep(5)  # interrupted: the handler raises at once
        return real_copy(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Downloader, "_copy", signalled)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == code
    assert result.stderr == f"Stopped by {signal.Signals(signum).name}.\n"
    assert list(dest.iterdir()) == []


@pytest.mark.usefixtures("handlers_restored")
def test_an_ignored_signal_stays_ignored(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    seen = []

    def look(*_: object) -> Path:
        seen.append(signal.getsignal(signal.SIGHUP))
        return dest / "a.txt"

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        monkeypatch.setattr(Downloader, "fetch", look)
        assert run("download", server.url_for("/a.txt")).exit_code == 0
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


def test_a_closed_standard_output_exits_141_quietly(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    def broken_pipe(*_: object, **__: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr("{{ cookiecutter.package_name }}.app.click.echo", broken_pipe)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 141
    assert result.stderr == ""


def test_a_token_with_a_newline_exits_2_naming_the_variable_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", f"{TOKEN}\nsecond-line")
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    result = run("download", "https://api.example.com/a")
    assert_one_line_error(result, 2, f"api_token (env {ENV_PREFIX}API_TOKEN)")
    assert result.stderr.count("\n") == 1
    assert TOKEN not in result.output
    assert "second-line" not in result.output


def test_no_message_from_a_library_can_show_the_token(
    server: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", server.url_for("/"))

    def leaky(*_: object) -> Path:
        header = f"Bearer {TOKEN}".encode()
        msg = f"Illegal header value {header!r}\nand {TOKEN!r} again"
        raise ValueError(msg)

    monkeypatch.setattr(Downloader, "fetch", leaky)
    caplog.set_level(logging.DEBUG)
    result = run("--log-level", "DEBUG", "download", server.url_for("/a"))
    assert_one_line_error(result, 1, "unexpected ValueError: Illegal header value")
    assert result.stderr.count("\n") == 1
    assert TOKEN not in result.output
    assert TOKEN not in caplog.text
    assert "Traceback" in caplog.text  # the debug log has the cause, masked


def test_an_unexpected_error_in_one_url_does_not_stop_the_batch(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/good.txt").respond_with_data(BODY)
    real_fetch = Downloader.fetch

    def buggy_once(self: Downloader, url: str, sha256: str | None = None) -> Path:
        if url.endswith("bad.txt"):
            msg = "a parser bug"
            raise UnicodeError(msg)
        return real_fetch(self, url, sha256)

    monkeypatch.setattr(Downloader, "fetch", buggy_once)
    urls = [server.url_for("/bad.txt"), server.url_for("/good.txt")]
    result = run("download", *urls, "--dest", str(dest))
    assert result.exit_code == 1
    assert result.stdout == f"{dest.resolve() / 'good.txt'}\n"
    assert result.stderr == "Error: unexpected UnicodeError: a parser bug\n"


def test_an_unexpected_error_outside_the_batch_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> None:
        msg = "boom\x1b[31m"  # a terminal escape sequence, as a server may send
        raise RuntimeError(msg)

    monkeypatch.setattr("{{ cookiecutter.package_name }}.app.load", broken)
    result = run("config", "show")
    assert result.exit_code == 1
    assert result.stderr == "Error: unexpected RuntimeError: boom?[31m\n"


def test_more_attempts_than_the_breaker_threshold_are_all_made(
    server: HTTPServer, dest: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data("busy", status=503)
    result = run(
        "download", server.url_for("/a.txt"), "--dest", str(dest), "--attempts", "8"
    )
    assert result.exit_code == 1
    assert len(server.log) == 8
    assert "HTTP 503" in result.stderr


def test_a_port_above_65535_on_the_command_line_is_refused() -> None:
    result = run("download", "http://127.0.0.1:65616/a")
    assert_one_line_error(result, 2, "invalid URL 1")


def test_the_help_says_how_to_trust_a_private_authority() -> None:
    assert "SSL_CERT_FILE" in run("download", "--help").stdout


def test_a_config_file_that_is_not_utf_8_exits_2_naming_it() -> None:
    default_config_path().parent.mkdir(parents=True)
    default_config_path().write_bytes(b"# caf\xe9\n")
    result = run("config", "show")
    assert_one_line_error(result, 2, f"config file {default_config_path()}: not UTF-8")


def test_a_closed_stdout_is_pointed_at_the_null_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "out.txt").open("w") as out:
        monkeypatch.setattr("sys.stdout", out)
        boundary_module._detach_stdout()  # noqa: SLF001 -- the last flush's safety
        out.write("lost")
    assert (tmp_path / "out.txt").read_text() == ""


def test_an_alarm_of_the_caller_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def record(*_: object) -> None:
        seen.append(signal.getitimer(signal.ITIMER_REAL))

    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the caller's
    try:
        monkeypatch.setattr("{{ cookiecutter.package_name }}.app.show_config", record)
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

    monkeypatch.setattr("{{ cookiecutter.package_name }}.app.show_config", record)
    assert run("config", "show").exit_code == 0
    assert seen == [boundary_module.TICK]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
