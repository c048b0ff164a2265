"""The client: explicit timeouts, pooled connections, a token scoped to one origin."""

from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.core.errors import InputError
from {{ cookiecutter.package_name }}.downloader.client import (
    ScopedBearerToken,
    open_client,
)

from tests.downloader.conftest import KeepAliveServer

TOKEN = "s3cret-token-value"  # noqa: S105 -- a test value, not a secret


def authorization_seen(server: HTTPServer) -> list[str | None]:
    return [request.headers.get("Authorization") for request, _ in server.log]


def test_every_timeout_is_explicit() -> None:
    with open_client(timeout=7.5) as client:
        assert client.timeout == httpx2.Timeout(
            connect=7.5, read=7.5, write=7.5, pool=7.5
        )


def test_the_client_is_closed_after_the_block() -> None:
    with open_client(timeout=1) as client:
        assert not client.is_closed
    assert client.is_closed


def test_requests_to_one_host_share_one_connection(
    keepalive_server: KeepAliveServer,
) -> None:
    host, port = keepalive_server.server_address[:2]
    with open_client(timeout=5) as client:
        for index in range(5):
            response = client.get(f"http://{host!s}:{port}/{index}")
            assert response.content == f"body of /{index}".encode()
    assert len(keepalive_server.ports) == 5
    assert len(set(keepalive_server.ports)) == 1


def test_no_authorization_without_a_token(server: HTTPServer) -> None:
    server.expect_request("/x").respond_with_data("ok")
    with open_client(timeout=5) as client:
        client.get(server.url_for("/x"))
    assert authorization_seen(server) == [None]


def test_the_token_goes_to_its_origin_and_nowhere_else(
    server: HTTPServer, other_server: HTTPServer
) -> None:
    server.expect_request("/x").respond_with_data("ok")
    other_server.expect_request("/y").respond_with_data("ok")
    with open_client(
        timeout=5, token=SecretStr(TOKEN), token_url=server.url_for("/api")
    ) as client:
        client.get(server.url_for("/x"))
        client.get(other_server.url_for("/y"))
    assert authorization_seen(server) == [f"Bearer {TOKEN}"]
    assert authorization_seen(other_server) == [None]


def test_the_token_is_stripped_on_a_cross_origin_redirect(
    server: HTTPServer, other_server: HTTPServer
) -> None:
    target = other_server.url_for("/landing")
    server.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": target}
    )
    other_server.expect_request("/landing").respond_with_data("ok")
    with open_client(
        timeout=5, token=SecretStr(TOKEN), token_url=server.url_for("/")
    ) as client:
        response = client.get(server.url_for("/go"))
    assert response.text == "ok"
    assert authorization_seen(server) == [f"Bearer {TOKEN}"]
    assert authorization_seen(other_server) == [None]


def test_a_token_header_set_by_hand_is_stripped_for_other_origins(
    other_server: HTTPServer,
) -> None:
    other_server.expect_request("/y").respond_with_data("ok")
    hook = ScopedBearerToken(SecretStr(TOKEN), httpx2.Origin("https://api.example.com"))
    with open_client(timeout=5) as client:
        client.event_hooks = {"request": [hook]}
        client.get(
            other_server.url_for("/y"), headers={"Authorization": "Bearer leaked"}
        )
    assert authorization_seen(other_server) == [None]


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
