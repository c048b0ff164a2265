"""The download command through click's runner: exit codes, messages, precedence."""

import logging
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.core.sources import (
    ENV_PREFIX,
    default_config_path,
)
from {{ cookiecutter.package_name }}.downloader.download import Downloader

TOKEN = "cli-token-do-not-leak"  # noqa: S105 -- a test value
BODY = b"payload\n"
APP = "{{ cookiecutter.package_name }}.downloader.app"


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


def test_ctrl_c_mid_download_exits_130(
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


def test_retries_are_logged(
    server: HTTPServer, dest: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_oneshot_request("/a.txt").respond_with_data("busy", status=503)
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 0
    url = server.url_for("/a.txt")
    assert f"try 1 failed, next in 0.0 s: {url}: HTTP 503" in caplog.messages


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


def test_a_closed_standard_output_mid_batch_exits_141_quietly(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    def broken_pipe(*_: object, **__: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(f"{APP}.click.echo", broken_pipe)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 141
    assert result.stderr == ""


def test_no_message_from_the_http_library_can_show_the_token(
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


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["download", "ftp://example.com/a"], "invalid URL 1"),
        (
            ["download", "http://example.com/a", "--timeout", "-3"],
            "invalid timeout (flag --timeout)",
        ),
        (["download", "http://example.com/a", "--sha256", "abc"], "invalid --sha256"),
        (["download"], "Missing argument"),
        (["download", "--colour", "x"], "No such option"),
    ],
)
def test_bad_download_input_exits_2_with_one_line(args: list[str], text: str) -> None:
    assert_one_line_error(run(*args), 2, text)


def test_a_bad_download_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}ATTEMPTS", "many")
    assert_one_line_error(run("config", "show"), 2, f"{ENV_PREFIX}ATTEMPTS")


def test_config_show_lists_the_download_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    lines = run("config", "show").stdout.splitlines()
    assert "attempts = 3  (default)" in lines
    assert f"base_url = https://api.example.com/  (env {ENV_PREFIX}BASE_URL)" in lines


def test_a_token_without_its_host_is_refused_before_any_download(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert_one_line_error(result, 2, f"{ENV_PREFIX}BASE_URL must be set")
    assert TOKEN not in result.output
    assert server.log == []
