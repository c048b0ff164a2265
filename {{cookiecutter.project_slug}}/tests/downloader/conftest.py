"""The downloader's fixtures: real servers on the loopback, the pooled client.

Every test runs without proxies (``tests/core/fixtures.py``: a proxy would
stand between the client and the loopback) and with stamina's waits off.
The servers listen on 127.0.0.1 only.
"""

import contextlib
import functools
import http.server
import io
import os
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
import stamina
import stamina.instrumentation
import typing_extensions
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.downloader.breaker import Breakers, CircuitBreaker
from {{ cookiecutter.package_name }}.downloader.client import open_client
from {{ cookiecutter.package_name }}.downloader.progress import Progress, progress
from {{ cookiecutter.package_name }}.downloader.retries import is_transient

from tests.core.fixtures import FOREIGN, handlers_restored  # noqa: F401 -- a fixture

#: Every Latin-1 character, controls included: what HTTP headers may carry.
LATIN_1 = "".join(map(chr, range(256)))
SOCKET_TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def no_retry_waits() -> Iterator[None]:
    """Turn stamina's waits off, keep each caller's own attempt count."""
    with stamina.set_testing(True, attempts=1_000, cap=True):
        yield


@pytest.fixture(autouse=True)
def restore_retry_hooks() -> Iterator[None]:
    """Undo what the download command sets up: stamina's retry hook."""
    yield
    stamina.instrumentation.set_on_retry_hooks(None)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """Return an empty destination folder."""
    folder = tmp_path / "dest"
    folder.mkdir()
    return folder


@pytest.fixture
def breakers() -> Breakers:
    """Return per-host breakers as the CLI builds them."""
    return Breakers(lambda host: CircuitBreaker(host, is_failure=is_transient))


@pytest.fixture
def silent() -> Progress:
    """Return a progress display that never draws (its stream is no terminal)."""
    return functools.partial(progress, stream=io.StringIO())


class _QuickStopServer(HTTPServer):
    """pytest-httpserver, polling for shutdown every 50 ms instead of 500 ms."""

    @typing_extensions.override
    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.05)


def make_server() -> HTTPServer:
    """Start a threaded pytest-httpserver on the IPv4 loopback."""
    server = _QuickStopServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    servers = (make_server(), make_server())
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def client(_servers: object) -> Iterator[httpx2.Client]:
    """Return the pooled client, one for the whole run, as in the application.

    It needs the servers so that it is closed before them: a server waits for
    its open connections when it stops.
    """
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in list(os.environ):  # read when the client is built, before
            if name.upper() in FOREIGN:  # any test's own isolation
                monkeypatch.delenv(name)
        with open_client(timeout=5) as opened:
            yield opened


@pytest.fixture
def server(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """Return the scripted loopback server, cleared, checked after the test."""
    _servers[0].clear()
    yield _servers[0]
    _servers[0].check_assertions()


@pytest.fixture
def other_server(_servers: tuple[HTTPServer, HTTPServer]) -> HTTPServer:
    """Return a second loopback server: another origin (another port)."""
    _servers[1].clear()
    return _servers[1]


class _KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open, unlike werkzeug's
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall

    def do_GET(self) -> None:
        server = self.server
        assert isinstance(server, KeepAliveServer)
        server.ports.append(self.client_address[1])
        body = b"body of " + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @typing_extensions.override
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


class KeepAliveServer(http.server.ThreadingHTTPServer):
    """A stdlib server that records the client port of each request."""

    daemon_threads = True
    ports: list[int]


@pytest.fixture
def keepalive_server() -> Iterator[KeepAliveServer]:
    """Start a keep-alive HTTP/1.1 server; ``.ports`` shows the connections used."""
    server = KeepAliveServer(("127.0.0.1", 0), _KeepAliveHandler)
    server.ports = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(SOCKET_TIMEOUT)


@dataclass
class RawServer:
    """A socket server that sends fixed bytes: for responses HTTP servers won't send."""

    payload: bytes
    read_request: bool = True
    hold: threading.Event = field(default_factory=threading.Event)
    connections: int = 0
    url: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        """Answer each connection in a thread: ``payload``, then wait for ``hold``."""
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(SOCKET_TIMEOUT)
            if self.read_request:
                _read_request_head(conn)
            conn.sendall(self.payload)
            self.hold.wait(SOCKET_TIMEOUT)


def _read_request_head(conn: socket.socket) -> None:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = conn.recv(4096)
        if not chunk:
            return
        received += chunk


@contextlib.contextmanager
def raw_server(
    payload: bytes, *, hold: bool = False, read_request: bool = True
) -> Iterator[RawServer]:
    """Serve ``payload`` on the loopback; ``hold`` keeps sockets open until exit.

    Without ``read_request`` the payload goes out at once (or, when empty,
    the connection closes at once), whatever the client sent.
    """
    raw = RawServer(payload, read_request=read_request)
    if not hold:
        raw.hold.set()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.05)
        raw.url = f"http://127.0.0.1:{listener.getsockname()[1]}/file.bin"
        thread = threading.Thread(target=raw.serve, args=(listener,), daemon=True)
        thread.start()
        try:
            yield raw
        finally:
            raw.hold.set()
            raw._stop.set()  # noqa: SLF001 -- the fixture's own helper
            thread.join(SOCKET_TIMEOUT)


@dataclass
class TlsServer:
    """An HTTPS server with a throwaway self-signed certificate nobody trusts."""

    BODY = b"over tls\n"

    url: str
    certificate: Path
    handshakes: int = 0


class _TlsHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(TlsServer.BODY)))
        self.end_headers()
        self.wfile.write(TlsServer.BODY)

    @typing_extensions.override
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for 127.0.0.1 with the openssl program."""
    openssl = shutil.which("openssl")
    assert openssl, "these tests need the openssl program to make a certificate"
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 -- a fixed program, test arguments, no shell
        [
            *(openssl, "req", "-x509", "-newkey", "ec", "-nodes", "-days", "1"),
            *("-pkeyopt", "ec_paramgen_curve:P-256", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=SOCKET_TIMEOUT * 6,
    )
    return cert, key


@pytest.fixture(scope="session")
def _tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TlsHandler)
    server.daemon_threads = True
    tls = TlsServer(f"https://127.0.0.1:{server.server_address[1]}/a.txt", cert)

    def get_request() -> tuple[socket.socket, object]:
        conn, address = plain_accept()
        tls.handshakes += 1
        return context.wrap_socket(conn, server_side=True), address

    plain_accept = server.get_request
    server.get_request = get_request  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield tls
    server.shutdown()
    server.server_close()
    thread.join(SOCKET_TIMEOUT)


@pytest.fixture
def tls_server(_tls: TlsServer) -> TlsServer:
    """Return the HTTPS server, its handshake count reset."""
    _tls.handshakes = 0
    return _tls
