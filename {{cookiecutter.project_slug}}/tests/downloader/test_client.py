"""The client: explicit timeouts, closed after use, a token scoped to one origin.

That it reuses connections is shown by the downloads (``test_download.py``).
"""

import base64
import errno
import os
import socket
import ssl
from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.core.errors import InputError
from {{ cookiecutter.package_name }}.downloader.client import (
    ScopedBearerToken,
    deadline,
    open_client,
)

from tests.downloader.conftest import RESPONSE, answering_proxy, raw_server

TOKEN = "s3cret-token-value"  # noqa: S105 -- a test value, not a secret


def authorization_seen(server: HTTPServer) -> list[str | None]:
    return [request.headers.get("Authorization") for request, _ in server.log]


def test_every_timeout_is_explicit_and_the_client_closed_after_the_block() -> None:
    with open_client(timeout=7.5) as client:
        assert client.timeout == httpx2.Timeout(
            connect=7.5, read=7.5, write=7.5, pool=7.5
        )
        assert not client.is_closed
    assert client.is_closed


def test_the_token_goes_to_its_origin_and_nowhere_else(
    server: HTTPServer, other_server: HTTPServer
) -> None:
    server.expect_request("/x").respond_with_data("ok")
    server.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": other_server.url_for("/landing")}
    )
    other_server.expect_request("/landing").respond_with_data("ok")
    with open_client(
        timeout=5, token=SecretStr(TOKEN), token_url=server.url_for("/api")
    ) as client:
        client.get(server.url_for("/x"))
        hop = client.get(server.url_for("/go"), follow_redirects=True)
        assert hop.text == "ok"  # a cross-origin hop
        client.get(  # a header set by hand is stripped too
            other_server.url_for("/landing"), headers={"Authorization": "Bearer x"}
        )
    with open_client(timeout=5) as client:  # without a token, none is sent
        client.get(server.url_for("/x"))
    assert authorization_seen(server) == [f"Bearer {TOKEN}", f"Bearer {TOKEN}", None]
    assert authorization_seen(other_server) == [None, None]


def test_the_hook_never_shows_the_token() -> None:
    hook = ScopedBearerToken(
        SecretStr(TOKEN), httpx2.Origin("https://api.example.com:8443/v1")
    )
    assert TOKEN not in repr(hook)
    assert "api.example.com" in repr(hook)
    assert "8443" in repr(hook)


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_a_bad_ssl_cert_file_is_one_clear_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None
) -> None:
    cafile = tmp_path / "ca.pem"
    if content is not None:
        cafile.write_bytes(content)
    monkeypatch.setenv("SSL_CERT_FILE", str(cafile))
    with (
        pytest.raises(InputError, match="cannot load the trusted certificates"),
        open_client(timeout=1),
    ):
        pass


def test_a_key_log_file_that_cannot_be_written_is_named_not_the_trust_variables(
    certificate: tuple[Path, ssl.SSLContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read where SSL_CERT_FILE is set; the command's exit code: test_main.py.
    keylog = tmp_path / "missing" / "keys.log"  # in a folder that does not exist
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.setenv("SSLKEYLOGFILE", str(keylog))
    with pytest.raises(InputError) as caught, open_client(timeout=1):
        pass
    assert str(caught.value) == (
        f"SSLKEYLOGFILE: cannot write TLS keys to {keylog}: {os.strerror(errno.ENOENT)}"
    )


def test_with_no_time_left_nothing_is_sent() -> None:
    with raw_server(RESPONSE, keep_alive=True) as raw, open_client(timeout=5) as client:
        with deadline(0), pytest.raises(httpx2.ConnectTimeout):
            client.get(raw.url)
        assert raw.connections == 0
        with deadline(5):  # a later deadline: the earlier one still holds
            assert client.get(raw.url).text == "body\n"
            with deadline(0), pytest.raises(httpx2.WriteTimeout):  # pooled
                client.get(raw.url)


def test_proxies_come_from_the_environment_and_no_proxy_hosts_are_reached_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heads: list[bytes] = []
    with (
        raw_server(RESPONSE) as origin,
        raw_server(answering_proxy(heads), read_request=False) as proxy,
    ):
        proxy_host = proxy.url.removeprefix("http://").split("/")[0]
        proxy_url = f"http://user:pa%20ss@{proxy_host}"  # pragma: allowlist secret
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with open_client(timeout=5) as client:
            assert client.get(origin.url).text == "body\n"  # in NO_PROXY: direct
            proxied = origin.url.replace("127.0.0.1", "localhost")
            assert client.get(proxied).text == "body\n"
    assert origin.connections == 1
    assert len(heads) == 1
    assert heads[0].startswith(f"GET {proxied} HTTP/1.1\r\n".encode())
    credentials = base64.b64encode(b"user:pa ss").decode()
    assert f"Proxy-Authorization: Basic {credentials}\r\n".encode() in heads[0]


#: A response with ten bytes of body, and a whole second response behind it.
POISONED = (
    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"
    b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"
)
GOOD = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood"


def test_bytes_beyond_a_responses_length_never_answer_the_next_request() -> None:
    answers = iter([POISONED])

    def answer(conn: socket.socket) -> None:
        conn.sendall(next(answers, GOOD))

    with raw_server(answer, keep_alive=True) as raw, open_client(timeout=5.0) as client:
        assert client.get(raw.url).content == b"0123456789"
        assert client.get(raw.url).content == b"good"  # asked again, elsewhere
        assert raw.connections == 2  # the first one was dropped


def test_a_server_whose_every_response_runs_over_is_refused() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(POISONED)

    with raw_server(answer, keep_alive=True) as raw, open_client(timeout=5.0) as client:
        with client.stream("GET", raw.url) as one, client.stream("GET", raw.url) as two:
            one.read()  # two connections, each with a response waiting in it
            two.read()
        with pytest.raises(httpx2.RemoteProtocolError, match="more bytes than"):
            client.get(raw.url)
