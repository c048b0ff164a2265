"""The download command through click's runner: exit codes, messages, precedence."""

import base64
import logging
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


@pytest.mark.parametrize(
    ("option", "text"),
    [(["--sha256", "f" * 64], "SHA-256"), (["--max-bytes", "3"], "the limit is 3")],
)
def test_a_download_failed_by_a_flag_exits_1_with_one_line(
    server: HTTPServer, dest: Path, option: list[str], text: str
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest), *option)
    assert_one_line_error(result, 1, text)
    assert result.stderr.count("\n") == 1
    assert list(dest.iterdir()) == []


def test_no_failure_of_one_url_stops_the_others(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/bad.txt").respond_with_data("no", status=404)
    server.expect_request("/good.txt").respond_with_data(BODY)
    real_fetch = Downloader.fetch

    def buggy_once(self: Downloader, url: str, sha256: str | None = None) -> Path:
        if url.endswith("buggy.txt"):
            msg = "a parser bug"
            raise UnicodeError(msg)
        return real_fetch(self, url, sha256)

    monkeypatch.setattr(Downloader, "fetch", buggy_once)
    urls = [server.url_for(f"/{name}.txt") for name in ("bad", "buggy", "good")]
    result = run("download", *urls, "--dest", str(dest))
    assert result.exit_code == 1
    assert result.stdout == f"{dest.resolve() / 'good.txt'}\n"
    assert result.stderr == (
        f"Error: {urls[0]}: HTTP 404\nError: unexpected UnicodeError: a parser bug\n"
    )


@pytest.mark.parametrize(
    ("flag", "env", "file", "tries"),
    [
        ("8", "3", "4", 8),  # above the breaker's threshold: all are made
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
    assert "HTTP 503" in result.stderr  # the last try's failure, not the breaker's


def test_the_token_reaches_its_host_only_and_never_any_output(
    server: HTTPServer,
    other_server: HTTPServer,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", server.url_for("/"))
    echoed = {"X-Echo": f"Bearer {TOKEN}"}  # a server may echo what it got
    server.expect_request("/mine.txt").respond_with_data(BODY, headers=echoed)
    other_server.expect_request("/theirs.txt").respond_with_data("no", status=503)
    with_password = other_server.url_for("/x").replace("//", "//user:hunter2@")
    server.expect_request("/moved.txt").respond_with_data(
        "", status=302, headers={"Location": with_password}
    )
    real_fetch = Downloader.fetch

    def leaky(self: Downloader, url: str, sha256: str | None = None) -> Path:
        if url.endswith("leaky.txt"):  # as the HTTP library's messages could
            header = f"Bearer {TOKEN}".encode()
            msg = f"Illegal header value {header!r}\nand {TOKEN!r} again"
            raise ValueError(msg)
        return real_fetch(self, url, sha256)

    monkeypatch.setattr(Downloader, "fetch", leaky)
    caplog.handler.setLevel(logging.DEBUG)
    urls = [server.url_for("/mine.txt"), other_server.url_for("/theirs.txt")]
    urls += [server.url_for("/leaky.txt"), server.url_for("/moved.txt")]
    result = run("--log-level", "DEBUG", "download", *urls, "--dest", str(dest))
    assert result.exit_code == 1
    assert server.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert {
        request.headers.get("Authorization") for request, _ in other_server.log
    } == {None}
    assert "Error: unexpected ValueError: Illegal header value" in result.stderr
    assert result.stderr.count("\n") == 3  # one line for each failed URL
    assert "X-Echo" in caplog.text  # the response headers were logged...
    for secret in (TOKEN, "hunter2"):  # ...masked
        assert secret not in result.output
        assert secret not in caplog.text
    assert "saved" in caplog.text  # the debug logs were on...
    assert "Traceback" in caplog.text  # ...with the cause, masked
    assert logging.getLogger().level == logging.DEBUG


def test_a_closed_standard_output_mid_batch_exits_141_quietly(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    def broken_pipe(*_: object, **__: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr("click.echo", broken_pipe)
    result = run("download", server.url_for("/a.txt"), "--dest", str(dest))
    assert result.exit_code == 141
    assert result.stderr == ""


def test_the_help_says_how_to_trust_a_private_authority() -> None:
    assert "SSL_CERT_FILE" in run("download", "--help").stdout


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["download", "ftp://example.com/a"], "invalid URL ftp://example.com/a: "),
        (
            ["download", "http://127.0.0.1:65616/a"],
            "invalid URL http://127.0.0.1:65616/a: ",
        ),
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


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALL_PROXY", "socks5://127.0.0.1:1080"),
        ("HTTP_PROXY", "ftp://user:hunter2@proxy.test"),  # pragma: allowlist secret
        ("https_proxy", "socks5h://proxy.example.com"),
        ("HTTPS_PROXY", "http://[::1"),
        ("HTTP_PROXY", "http://127.0.0.1:99999"),  # would reach port 34463
        ("http_proxy", "http://127.0.0.1:0"),
        ("ALL_PROXY", "http://:8080"),
        ("HTTPS_PROXY", " "),
    ],
)
def test_a_proxy_it_cannot_use_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, dest: Path, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = run("download", "https://example.com/a.txt", "--dest", str(dest))
    assert_one_line_error(result, 2, f"{variable}: ")
    assert "proxies work" in result.stderr or "proxy URL" in result.stderr
    assert "hunter2" not in result.output
    assert list(dest.iterdir()) == []


def test_an_http_proxy_from_the_environment_is_used(
    server: HTTPServer, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)  # a forward proxy
    monkeypatch.setenv("http_proxy", server.url_for("/").removeprefix("http://"))
    monkeypatch.setenv("NO_PROXY", "localhost")
    result = run("download", "http://example.invalid/a.txt", "--dest", str(dest))
    assert result.exit_code == 0, result.output
    assert server.log[0][0].headers["Host"] == "example.invalid"
    assert (dest / "a.txt").read_bytes() == BODY


def test_a_proxy_that_echoes_its_credentials_never_shows_them_in_the_log(
    server: HTTPServer,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "Sekr3t-PW"  # noqa: S105  # pragma: allowlist secret
    basic = base64.b64encode(f"user:{password}".encode()).decode()
    server.expect_request("/a.txt").respond_with_data(  # a forward proxy
        BODY, headers={"X-Echo": f"Basic {basic}", "X-Password": password}
    )
    proxy = server.url_for("/").replace("http://", f"http://user:{password}@")
    monkeypatch.setenv("HTTP_PROXY", proxy)
    caplog.handler.setLevel(logging.DEBUG)
    url = "http://a.invalid/a.txt"
    result = run("--log-level", "DEBUG", "download", url, "--dest", str(dest))
    assert result.exit_code == 0, result.output
    assert server.log[0][0].headers["Proxy-Authorization"] == f"Basic {basic}"
    assert "X-Echo" in caplog.text  # the header was logged, its value masked
    for secret in (basic, password):
        assert secret not in caplog.text
        assert secret not in result.output


def test_a_bad_download_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}ATTEMPTS", "many")
    assert_one_line_error(run("config", "show"), 2, f"{ENV_PREFIX}ATTEMPTS")


@pytest.mark.parametrize("source", ["env", "file"])
def test_a_base_url_with_credentials_is_refused_unseen(
    monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    url = "https://user:hunter2@api.example.com/"  # pragma: allowlist secret
    if source == "env":
        monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", url)
    else:
        default_config_path().parent.mkdir(parents=True)
        default_config_path().write_text(f'base_url = "{url}"\n')
    for args in (["config", "show"], ["download", "https://api.example.com/a"]):
        result = run("--log-level", "DEBUG", *args)
        assert_one_line_error(result, 2, "credentials do not belong in a URL")
        assert "base_url" in result.stderr
        assert "hunter2" not in result.output


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
