"""The downloader's fixtures: real servers on the loopback, the pooled client.

Every test runs without proxies (``tests/core/fixtures.py``: a proxy would
stand between the client and the loopback), and the download command run
in this process records its waits between tries instead of waiting them.
The servers listen on 127.0.0.1 only.
"""

import contextlib
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
import typing_extensions
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.downloader import app
from {{ cookiecutter.package_name }}.downloader.client import open_client

from tests.core.fixtures import FOREIGN

#: Every Latin-1 character, controls included: what HTTP headers may carry.
LATIN_1 = "".join(map(chr, range(256)))
SOCKET_TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Return the waits the download command asked for between its tries.

    They are recorded, not waited; each caller keeps its own attempt count.
    """
    waits: list[float] = []
    monkeypatch.setattr(app, "wait", waits.append)
    return waits


def pseudo_terminal() -> tuple[int, int]:
    """Open a pseudo-terminal: its controller's descriptor, then its terminal's.

    POSIX only: a test that uses one is marked ``posix_only`` (or ``linux_only``).
    """
    if sys.platform == "win32":
        pytest.fail("Windows has no pseudo-terminal: mark the test posix_only")
    else:
        return os.openpty()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """Return an empty destination folder."""
    folder = tmp_path / "dest"
    folder.mkdir()
    return folder


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


#: What a raw server sends: fixed bytes, or a function that writes to the socket.
Payload = bytes | Callable[[socket.socket], None]


@dataclass
class RawServer:
    """A socket server that sends fixed bytes: for responses HTTP servers won't send.

    Unlike werkzeug's, it can keep a connection open for the next request
    (``keep_alive``), and speak TLS (``tls``); ``connections`` counts them all,
    failed handshakes included. A callable payload writes the answer itself
    (slowly, in parts, for ever).
    """

    payload: Payload
    read_request: bool = True
    keep_alive: bool = False
    tls: ssl.SSLContext | None = None
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
            if self._stop.is_set():  # the fixture's wake-up call: stop now
                conn.close()
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):  # a failed handshake included
            conn.settimeout(SOCKET_TIMEOUT)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            with conn:
                while not self.read_request or _read_request_head(conn):
                    if callable(self.payload):
                        self.payload(conn)
                    else:
                        conn.sendall(self.payload)
                    if not self.keep_alive:
                        break
                self.hold.wait(SOCKET_TIMEOUT)


def _read_request_head(conn: socket.socket) -> bool:
    """Read up to the end of a request's head; say whether there was one."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        received += chunk
    return True


@contextlib.contextmanager
def raw_server(
    payload: Payload,
    *,
    hold: bool = False,
    read_request: bool = True,
    keep_alive: bool = False,
    tls: ssl.SSLContext | None = None,
) -> Iterator[RawServer]:
    """Serve ``payload`` on the loopback; ``hold`` keeps sockets open until exit.

    Without ``read_request`` the payload goes out at once (or, when empty,
    the connection closes at once), whatever the client sent.
    """
    raw = RawServer(payload, read_request=read_request, keep_alive=keep_alive, tls=tls)
    if not hold:
        raw.hold.set()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.05)
        scheme = "http" if tls is None else "https"
        raw.url = f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/file.bin"
        thread = threading.Thread(target=raw.serve, args=(listener,), daemon=True)
        thread.start()
        try:
            yield raw
        finally:
            raw.hold.set()
            raw._stop.set()  # noqa: SLF001 -- the fixture's own helper
            with contextlib.suppress(OSError):  # wake accept() at once
                socket.create_connection(listener.getsockname()[:2], 1).close()
            thread.join(SOCKET_TIMEOUT)


def answering_proxy(heads: list[bytes]) -> Callable[[socket.socket], None]:
    """Return a raw server's payload: an HTTP proxy that answers each request itself.

    It keeps each request's head in ``heads``, to show what was asked for,
    with no DNS and no origin server.
    """

    def answer(conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            head += conn.recv(4096)
        heads.append(head)
        conn.sendall(RESPONSE)

    return answer


def reset(conn: socket.socket) -> None:
    """Close ``conn`` with a reset (RST) rather than an orderly end (FIN)."""
    off_at_once = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, off_at_once)
    conn.close()


#: A whole response, for the servers that keep connections open or speak TLS.
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nbody\n"


@pytest.fixture(scope="session")
def certificate(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, ssl.SSLContext]:
    """Return a self-signed certificate nobody trusts, and a server context using it.

    Made for 127.0.0.1 by the openssl program.
    """
    openssl = shutil.which("openssl")
    assert openssl, "these tests need the openssl program to make a certificate"
    folder = tmp_path_factory.mktemp("tls")
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
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


@pytest.fixture
def tls_server(certificate: tuple[Path, ssl.SSLContext]) -> Iterator[RawServer]:
    """Return an HTTPS server presenting ``certificate``."""
    with raw_server(RESPONSE, tls=certificate[1]) as server:
        yield server
