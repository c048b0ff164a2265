"""Downloads against real loopback servers: success, retries, limits, cleanup."""

import contextlib
import errno
import functools
import gzip
import hashlib
import io
import logging
import os
import re
import socket
import ssl
import stat
import sys
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }}.core.errors import InputError, ProjectError
from {{ cookiecutter.package_name }}.downloader.breaker import (
    Breakers,
    CircuitBreaker,
    State,
)
from {{ cookiecutter.package_name }}.downloader.client import (
    MIN_RATE,
    RATE_WINDOW,
    RateWatch,
    open_client,
    refuse_unsafe_url,
)
from {{ cookiecutter.package_name }}.downloader.download import (
    Downloader,
    DownloadRequest,
    atomic_file,
    framing,
    origin_key,
    parse_content_length,
)
from {{ cookiecutter.package_name }}.downloader.errors import (
    BadStatusError,
    ChecksumError,
    CircuitOpenError,
    DownloadError,
    SizeLimitError,
    TransferError,
    UnsafeTargetError,
    UnsafeUrlError,
)
from {{ cookiecutter.package_name }}.downloader.progress import (
    Advance,
    Progress,
    progress,
)
from {{ cookiecutter.package_name }}.downloader.retries import is_transient

from tests.core.fixtures import posix_only, text
from tests.downloader.conftest import (
    LATIN_1,
    RESPONSE,
    Payload,
    RawServer,
    raw_server,
    reset,
)
from tests.downloader.test_breaker import FakeClock

BODY = b"hello, sturdy world\n"
DIGEST = hashlib.sha256(BODY).hexdigest()
#: A progress display that never draws: its stream is no terminal.
SILENT = functools.partial(progress, stream=io.StringIO())


def make_downloader(
    client: httpx2.Client,
    dest: Path,
    *,
    progress: Progress = SILENT,
    attempts: int = 3,
    max_bytes: int = 10_000,
    overwrite: bool = False,
    breakers: Breakers | None = None,
    clock: Callable[[], float] = time.monotonic,
    timeout: float = 5.0,
    waits: list[float] | None = None,
) -> Downloader:
    """Build a ``Downloader`` that records its waits between tries in ``waits``."""
    return Downloader(
        client=client,
        breakers=breakers
        or Breakers(lambda key: CircuitBreaker(key, is_failure=is_transient)),
        dest=dest,
        max_bytes=max_bytes,
        attempts=attempts,
        progress=progress,
        overwrite=overwrite,
        clock=clock,
        timeout=timeout,
        sleep=([] if waits is None else waits).append,
    )


def files_in(folder: Path) -> list[str]:
    """List every entry, hidden temp files included."""
    return sorted(path.name for path in folder.iterdir())


def test_a_download_is_saved_as_served_under_a_safe_name_and_verified(
    server: HTTPServer, client: httpx2.Client, dest: Path, tmp_path: Path
) -> None:
    published = gzip.compress(b"\0" * 2**20)  # a bomb: 1 MiB in about 1 KiB
    server.expect_request(
        "/files/dl", headers={"Accept-Encoding": "identity"}
    ).respond_with_data(
        published,
        headers={
            "Content-Encoding": "gzip",  # not decoded: a .tar.gz keeps its digest
            "Content-Disposition": 'attachment; filename="../release-1.0.tar.gz"',
        },
    )
    downloader = make_downloader(client, dest, max_bytes=len(published))
    saved = downloader.fetch(
        server.url_for("/files/dl"), hashlib.sha256(published).hexdigest()
    )
    assert saved == dest.resolve() / "release-1.0.tar.gz"
    assert saved.read_bytes() == published
    assert files_in(dest) == ["release-1.0.tar.gz"]
    assert not (tmp_path / "release-1.0.tar.gz").exists()


def test_several_urls_from_one_host_reuse_one_connection(
    client: httpx2.Client, dest: Path
) -> None:
    downloader = make_downloader(client, dest)
    with raw_server(RESPONSE, keep_alive=True) as raw:
        for name in ("a.txt", "b.txt", "c.txt"):
            downloader.fetch(raw.url.replace("file.bin", name))
        assert raw.connections == 1
    assert files_in(dest) == ["a.txt", "b.txt", "c.txt"]


def closed_at_the_second_request(then: Callable[[socket.socket], None]) -> Payload:
    """Answer each connection's first request; at its second, call ``then``."""
    answered: set[socket.socket] = set()

    def answer(conn: socket.socket) -> None:
        if conn in answered:
            then(conn)
        else:
            answered.add(conn)
            conn.sendall(RESPONSE)

    return answer


def close(conn: socket.socket) -> None:
    conn.shutdown(socket.SHUT_RDWR)


def close_mid_head(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 20")
    conn.shutdown(socket.SHUT_RDWR)


@pytest.mark.parametrize("then", [close, reset], ids=["closed", "reset"])
def test_a_kept_alive_connection_lost_as_it_is_reused_costs_no_retry(
    client: httpx2.Client,
    dest: Path,
    caplog: pytest.LogCaptureFixture,
    then: Callable[[socket.socket], None],
) -> None:
    # The server closes the connection the moment the next request arrives,
    # before any byte of a response: it is sent again at once, as curl does.
    waits: list[float] = []
    downloader = make_downloader(client, dest, attempts=1, waits=waits)
    with raw_server(closed_at_the_second_request(then), keep_alive=True) as raw:
        for name in ("a.txt", "b.txt"):
            downloader.fetch(raw.url.replace("file.bin", name))
        assert raw.connections == 2
    assert files_in(dest) == ["a.txt", "b.txt"]
    assert waits == []
    assert all(record.levelno < logging.WARNING for record in caplog.records)


def test_a_reused_connection_lost_mid_response_is_not_sent_again_unasked(
    client: httpx2.Client, dest: Path
) -> None:
    # A response had begun: only the retry policy may try again.
    downloader = make_downloader(client, dest, attempts=1)
    answer = closed_at_the_second_request(close_mid_head)
    with raw_server(answer, keep_alive=True) as raw:
        downloader.fetch(raw.url.replace("file.bin", "a.txt"))
        with pytest.raises(TransferError):
            downloader.fetch(raw.url.replace("file.bin", "b.txt"))
        assert raw.connections == 1
    assert files_in(dest) == ["a.txt"]


@pytest.mark.parametrize(
    ("status", "location", "sha256", "error", "message", "requests"),
    [
        (404, None, None, BadStatusError, "HTTP 404", 1),
        (200, None, "0" * 64, ChecksumError, "expected 0000", 1),
        (302, "ftp://127.0.0.1/a.txt", None, UnsafeUrlError, "only http and https", 1),
        (302, "{url}", None, UnsafeUrlError, "credentials", 1),  # user:hunter2@
        (302, "/a.txt", None, DownloadError, "redirects", 11),  # and ten redirects
    ],
)
def test_a_permanent_failure_is_not_retried_and_leaves_nothing(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    status: int,
    location: str | None,
    sha256: str | None,
    error: type[DownloadError],
    message: str,
    requests: int,
) -> None:
    credentials = server.url_for("/landing").replace("//", "//user:hunter2@")
    headers = {} if location is None else {"Location": location.format(url=credentials)}
    server.expect_request("/a.txt").respond_with_data(
        BODY, status=status, headers=headers
    )
    with pytest.raises(error, match=message) as caught:
        make_downloader(client, dest).fetch(server.url_for("/a.txt"), sha256)
    assert not is_transient(caught.value)
    assert len(server.log) == requests
    assert "hunter2" not in str(caught.value)
    assert files_in(dest) == []


def test_a_disk_error_is_a_download_error_not_retried(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", disk_full)
    with pytest.raises(DownloadError) as caught:
        make_downloader(client, dest).fetch(server.url_for("/a.txt"))
    assert str(caught.value) == (
        f"{server.url_for('/a.txt')}: cannot save: No space left on device"
    )
    assert files_in(dest) == []
    assert len(server.log) == 1


def test_transient_failures_are_retried_up_to_the_attempts_retry_after_heard(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_oneshot_request("/a.txt").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    server.expect_oneshot_request("/a.txt").respond_with_data("busy", status=503)
    server.expect_request("/a.txt").respond_with_data(BODY)
    server.expect_request("/b.txt").respond_with_data("busy", status=503)
    waits: list[float] = []
    with pytest.raises(BadStatusError, match="HTTP 503"):
        make_downloader(client, dest, attempts=1, waits=waits).fetch(
            server.url_for("/b.txt")
        )
    assert waits == []  # the only try failed: nothing to wait for
    fetched = make_downloader(client, dest, attempts=3, waits=waits)
    assert fetched.fetch(server.url_for("/a.txt")).read_bytes() == BODY
    assert waits[0] == 7.0  # the server's Retry-After
    assert 1.0 <= waits[1] <= 2.0  # the second backoff, 1 s, and up to 1 s of jitter
    assert [response.status_code for _, response in server.log] == [503, 429, 503, 200]


def test_a_host_that_keeps_failing_opens_its_breaker_for_every_path_then_recovers(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data("down", status=503)
    server.expect_request("/healthy.txt").respond_with_data(BODY)
    clock = FakeClock()
    breakers = Breakers(
        lambda key: CircuitBreaker(
            key, threshold=5, cooldown=30.0, is_failure=is_transient, clock=clock
        )
    )
    downloader = make_downloader(client, dest, attempts=3, breakers=breakers)
    url = server.url_for("/a.txt")
    with pytest.raises(BadStatusError):
        downloader.fetch(url)  # three failures
    with pytest.raises(CircuitOpenError, match=f"{url}: skipped: .*too many"):
        downloader.fetch(url)  # two more open it; the third try fails fast
    assert len(server.log) == 5
    with pytest.raises(CircuitOpenError):  # one host, one health: a path that
        downloader.fetch(server.url_for("/healthy.txt"))  # works waits as well
    assert len(server.log) == 5  # not a single request while open

    server.clear()
    server.expect_request("/a.txt").respond_with_data(BODY)
    clock.now = 30.0  # cool-down over: one trial request goes through
    assert downloader.fetch(url).read_bytes() == BODY
    assert len(server.log) == 1
    assert breakers[origin_key(url)].state() is State.CLOSED


def test_the_breaker_blames_the_host_that_failed_not_the_one_typed(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:  # closed: refuses
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/x"
    for path in ("/1", "/2"):  # healthy, but redirecting to a dead host
        server.expect_request(path).respond_with_data(
            "", status=302, headers={"Location": dead}
        )
    server.expect_request("/3").respond_with_data(BODY)
    breakers = Breakers(
        lambda key: CircuitBreaker(key, threshold=5, is_failure=is_transient)
    )
    downloader = make_downloader(client, dest, attempts=3, breakers=breakers)
    with pytest.raises(TransferError):
        downloader.fetch(server.url_for("/1"))  # the dead host fails three times
    with pytest.raises(CircuitOpenError, match=f"skipped: {origin_key(dead)}"):
        downloader.fetch(server.url_for("/2"))  # twice more: its breaker opens
    assert downloader.fetch(server.url_for("/3")).read_bytes() == BODY
    assert breakers[origin_key(server.url_for("/"))].state() is State.CLOSED
    assert breakers[origin_key(dead)].state() is State.OPEN


def test_a_dead_proxy_is_blamed_and_named_not_every_host_behind_it(
    dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:  # closed: refuses
        port = probe.getsockname()[1]
    proxy = f"http://user:hunter2@127.0.0.1:{port}"  # pragma: allowlist secret
    monkeypatch.setenv("HTTP_PROXY", proxy)
    breakers = Breakers(
        lambda key: CircuitBreaker(key, threshold=2, is_failure=is_transient)
    )
    reads: list[dict[str, str]] = []  # of the proxy settings, one a hop
    getproxies = urllib.request.getproxies

    def reading() -> dict[str, str]:
        reads.append(getproxies())
        return reads[-1]

    with open_client(timeout=5.0) as client:
        monkeypatch.setattr(urllib.request, "getproxies", reading)
        downloader = make_downloader(client, dest, attempts=1, breakers=breakers)
        for host in ("127.0.0.2", "127.0.0.3"):  # two hosts, one proxy
            with pytest.raises(TransferError, match="cannot reach the proxy") as e:
                downloader.fetch(f"http://{host}/a.txt")
            assert origin_key(proxy) in str(e.value)
            assert "hunter2" not in str(e.value)
        with pytest.raises(CircuitOpenError, match=f"skipped: {origin_key(proxy)}"):
            downloader.fetch("http://127.0.0.4/a.txt")  # not a third connect
    assert len(reads) == 3  # once a hop (macOS and Windows ask the system)


def dripping(head: bytes, drop: bytes) -> Payload:
    """Send ``head``, then ``drop`` every 5 ms, for 3 s at most (then close)."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(head)
        end = time.monotonic() + 3
        while time.monotonic() < end:
            conn.sendall(drop)
            time.sleep(0.005)

    return answer


@pytest.mark.parametrize(
    ("head", "drop", "proxy"),
    [
        (b"HTTP/1.1 200 OK\r\n", b"X", False),  # a header line that never ends
        (b"HTTP/1.1 200 OK\r\n", b"X", True),  # the same, through a proxy
        (b"", b"HTTP/1.1 102 Processing\r\n\r\n", False),  # for ever
        (b"HTTP/1.1 302 Found\r\nContent-Length: 99999\r\n", b"x", False),
    ],
    ids=["trickled-headers", "trickled-through-a-proxy", "endless-102", "slow-3xx"],
)
def test_every_phase_has_a_deadline_so_a_download_ends_by_itself(
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    head: bytes,
    drop: bytes,
    *,
    proxy: bool,
) -> None:
    # Each read returns within the timeout: only a deadline for the whole
    # phase ends it. A redirect's slow body is dropped, the redirect followed.
    with raw_server(RESPONSE) as landing:
        if head.startswith(b"HTTP/1.1 302"):
            head += b"Location: %s\r\n\r\n" % landing.url.encode()
        with raw_server(dripping(head, drop)) as slow:
            url = slow.url
            if proxy:
                monkeypatch.setenv("HTTP_PROXY", slow.url)
                url = "http://example.invalid/file.bin"
            started = time.monotonic()
            with open_client(timeout=0.1) as client:
                downloader = make_downloader(client, dest, attempts=1, timeout=0.1)
                if head.startswith(b"HTTP/1.1 302"):
                    assert downloader.fetch(url).read_bytes() == b"body\n"
                else:
                    with pytest.raises(
                        TransferError, match=r"no response within 0\.1 s"
                    ):
                        downloader.fetch(url)
            assert time.monotonic() - started < 1.5


def ticking(step: float) -> Callable[[], float]:
    """Return a clock that moves ``step`` seconds each time it is read."""
    readings = iter(range(1_000_000))
    return lambda: next(readings) * step


LENGTH_1000 = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, chunked",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5",
        b"http/1.1 200 OK\r\nContent-Length: 5",
    ],
    ids=["gzip-then-chunked", "two-lengths", "negative-length", "lowercase-status"],
)
def test_a_response_head_that_is_not_http_is_refused_once_in_plain_words(
    dest: Path, head: bytes
) -> None:
    with raw_server(head + b"\r\n\r\nhello") as raw, open_client(timeout=5.0) as client:
        with pytest.raises(DownloadError) as caught:
            make_downloader(client, dest, attempts=3).fetch(raw.url)
        assert str(caught.value) == f"{raw.url}: the response is not valid HTTP/1.1"
        assert not isinstance(caught.value, TransferError)  # not worth another try
        assert raw.connections == 1
    assert files_in(dest) == []


CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(
    ("framing", "drip"),
    [(b"", b"0"), (b"5;name=", b"v"), (b"5\r\nhello\r\n0\r\nX-Trailer: ", b"v")],
    ids=["chunk-size-line", "chunk-extension", "trailer"],
)
def test_a_body_whose_framing_trickles_is_abandoned_below_the_minimum_rate(
    dest: Path, framing: bytes, drip: bytes
) -> None:
    # A byte every 10 ms: each read ends well within the timeout, and no data
    # of the file ever arrives, only the bytes that frame it.
    def trickle(conn: socket.socket) -> None:
        conn.sendall(CHUNKED + framing)
        with contextlib.suppress(OSError):  # until the client has gone
            for _ in range(300):  # then the server gives up and closes
                conn.sendall(drip)
                time.sleep(0.01)

    with raw_server(trickle) as raw, open_client(timeout=5.0) as client:
        downloader = make_downloader(client, dest, attempts=1, clock=ticking(1.0))
        with pytest.raises(TransferError, match="stalled below 1024 bytes/s"):
            downloader.fetch(raw.url)
    assert files_in(dest) == []


@pytest.mark.parametrize(
    ("serving", "scheme", "timeout", "clock", "message"),
    [
        pytest.param(
            functools.partial(raw_server, LENGTH_1000 + b"x" * 100),
            "http",
            5.0,
            time.monotonic,
            "connection closed after 100 of 1000 bytes",
            id="body-cut-off",
        ),
        pytest.param(
            functools.partial(raw_server, b""),  # reads the request, then closes
            "http",
            5.0,
            time.monotonic,
            "the connection closed before a complete response",
            id="closed-before-any-response",
        ),
        pytest.param(
            functools.partial(raw_server, b"", hold=True),
            "http",
            0.05,
            time.monotonic,
            "timed out",
            id="silent-server-times-out",
        ),
        pytest.param(
            functools.partial(raw_server, LENGTH_1000 + b"x" * 10, hold=True),
            "http",
            5.0,
            ticking(RATE_WINDOW + 1),
            "stalled below 1024 bytes/s",
            id="stalled-below-the-minimum-rate",
        ),
        pytest.param(
            functools.partial(raw_server, b"", read_request=False),  # closes at once
            "https",
            5.0,
            time.monotonic,
            None,  # an EOF or a reset, as the kernel has it
            id="connection-lost-during-the-tls-handshake",
        ),
    ],
)
def test_a_transfer_failure_is_retried_then_leaves_nothing(
    dest: Path,
    serving: Callable[[], AbstractContextManager[RawServer]],
    scheme: str,
    timeout: float,
    clock: Callable[[], float],
    message: str | None,
) -> None:
    with serving() as raw, open_client(timeout=timeout) as client:
        downloader = make_downloader(client, dest, attempts=2, clock=clock)
        with pytest.raises(TransferError, match=message):
            downloader.fetch(raw.url.replace("http:", f"{scheme}:"))
        assert raw.connections == 2
    assert files_in(dest) == []


def head_over_100_kib(conn: socket.socket) -> None:
    """Send a head of 256 KiB: h11 judges its size between reads of 64 KiB."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 2**18 + b"\r\n\r\n")


def hello_then_close(conn: socket.socket) -> None:
    """Read the TLS ClientHello, then close: an EOF, never a reset, in the handshake."""
    conn.recv(4096)
    conn.shutdown(socket.SHUT_RDWR)


@pytest.mark.parametrize(
    ("payload", "scheme", "line"),
    [
        (
            head_over_100_kib,
            "http",
            "the response's status line and headers are longer than 100 KiB",
        ),
        (
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
            "http",
            (
                "the server switched to another protocol (HTTP 101), though none"
                " was asked for"
            ),
        ),
        (b"", "http", "the connection closed before a complete response"),
        (reset, "http", "connection reset"),
        (LENGTH_1000 + b"x" * 100, "http", "connection closed after 100 of 1000 bytes"),
        (CHUNKED + b"5\r\nhello\r\n", "http", "connection closed after 5 bytes"),
        (
            CHUNKED + b"5\r\nhello\r\nzz\r\n",
            "http",
            "the response is not valid HTTP/1.1 after 5 bytes",
        ),
        (hello_then_close, "https", "the connection closed during the TLS handshake"),
    ],
    ids=[
        "head-over-100-KiB",
        "switching-protocols",
        "closed-before-a-response",
        "reset-before-a-response",
        "body-cut-off",
        "chunks-cut-off",
        "chunk-size-not-hex",
        "closed-in-the-tls-handshake",
    ],
)
def test_what_a_server_did_wrong_is_told_in_one_line_of_the_users_words(
    dest: Path, payload: Payload, scheme: str, line: str
) -> None:
    # Not the libraries' words ("Receive buffer too long", "illegal chunk
    # header: bytearray(b'zz')", "EOF occurred in violation of protocol
    # (_ssl.c:1000)"), nor the system's numbers ("[Errno 104]").
    tls_first = scheme == "https"  # answered before a request: the handshake
    with raw_server(payload, read_request=not tls_first) as raw:
        url = raw.url.replace("http:", f"{scheme}:")
        with open_client(timeout=5.0) as client, pytest.raises(DownloadError) as e:
            make_downloader(client, dest, attempts=1).fetch(url)
    assert str(e.value) == f"{url}: {line}"
    assert files_in(dest) == []


def test_informational_answers_before_the_response_are_passed_over(
    client: httpx2.Client, dest: Path
) -> None:
    # Any 1xx but 101, as curl does: 100, 102 and 103, and those not defined.
    informational = b"HTTP/1.1 104 Upload Resumption\r\n\r\nHTTP/1.1 199 Odd\r\n\r\n"
    with raw_server(informational + RESPONSE) as raw:
        assert make_downloader(client, dest).fetch(raw.url).read_bytes() == b"body\n"


CHUNKED_16K = b"4000\r\n" + b"x" * 16384 + b"\r\n0\r\n\r\n"


@pytest.mark.parametrize(
    ("head", "body", "message"),
    [
        (
            b"206 Partial Content\r\nContent-Range: bytes 0-999/16384",
            b"x" * 1000,
            "HTTP 206",  # no Range was sent: a part is not the file
        ),
        (
            b"200 OK\r\nContent-Length: 100000\r\nTransfer-Encoding: chunked",
            CHUNKED_16K,
            "both Content-Length and Transfer-Encoding",
        ),
    ],
    ids=["unsolicited-206", "length-and-chunked"],
)
def test_a_framing_it_cannot_trust_is_refused_at_once(
    client: httpx2.Client, dest: Path, head: bytes, body: bytes, message: str
) -> None:
    with raw_server(b"HTTP/1.1 " + head + b"\r\n\r\n" + body) as raw:
        with pytest.raises(DownloadError, match=message) as caught:
            make_downloader(client, dest, max_bytes=10**6).fetch(raw.url)
        assert raw.connections == 1  # not retried: a retry gets the same
    assert not is_transient(caught.value)
    assert files_in(dest) == []


FRAMING_VALUES = st.one_of(
    st.none(), text(), st.integers(0, 10**20).map(str), st.just("chunked")
)


@settings(max_examples=50)
@given(
    status=st.sampled_from([200, 203, 206]),
    length=FRAMING_VALUES,
    encoding=FRAMING_VALUES,
)
def test_any_framing_is_a_length_unknown_or_refused(
    status: int, length: str | None, encoding: str | None
) -> None:
    pairs = [("Content-Length", length), ("Transfer-Encoding", encoding)]
    headers = httpx2.Headers(
        [(name.encode(), value.encode()) for name, value in pairs if value is not None]
    )
    try:
        declared = framing("http://h/a", status, headers)
    except DownloadError:
        assert status == 206 or (length is not None and encoding is not None)
    else:
        assert status != 206
        assert declared == (None if encoding else parse_content_length(length))


def test_a_proxy_that_refuses_the_tunnel_is_a_download_error(
    dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with raw_server(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with open_client(timeout=5) as client, pytest.raises(DownloadError) as caught:
            make_downloader(client, dest).fetch("https://example.invalid/a.txt")
        assert proxy.connections == 1  # not retried
    assert not is_transient(caught.value)
    assert str(caught.value) == (
        "https://example.invalid/a.txt: the proxy refused to open a tunnel:"
        " HTTP 403 Forbidden"
    )


def test_a_refused_connection_is_a_transfer_error(
    client: httpx2.Client, dest: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(TransferError, match=r"127\.0\.0\.1"):
        make_downloader(client, dest).fetch(f"http://127.0.0.1:{port}/a.txt")


def test_a_body_shorter_than_announced_is_caught(dest: Path) -> None:
    # A real server connection cannot deliver this: h11 rejects it first.
    # MockTransport injects it to prove the size check behind the framing.
    calls: list[httpx2.Request] = []

    def short(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        stream = httpx2.ByteStream(b"x" * 10)  # a stream, as a transport gives
        return httpx2.Response(200, headers={"Content-Length": "100"}, stream=stream)

    mock = httpx2.MockTransport(short)
    with (
        open_client(timeout=5, transport=mock) as client,
        pytest.raises(TransferError, match="after 10 of 100 bytes"),
    ):
        make_downloader(client, dest, attempts=2).fetch("http://example.test/a")
    assert len(calls) == 2
    assert files_in(dest) == []


def test_the_rate_is_judged_over_whole_windows() -> None:
    clock = FakeClock()
    watch, enough = RateWatch(clock), int(MIN_RATE * RATE_WINDOW)
    clock.now = RATE_WINDOW - 1
    assert not watch.stalled(0)  # a window not over yet is not judged
    clock.now = RATE_WINDOW
    assert not watch.stalled(enough)  # slow but steady: it goes on
    clock.now = 2 * RATE_WINDOW
    assert watch.stalled(enough - 1)  # the next window counts on its own


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n",
            "10000000000 bytes announced",  # refused before the body
        ),
        (  # no length: read until the server closes, which it never does
            b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 2000,
            "more than 1000 bytes",  # cut on the read that passes the limit
        ),
    ],
)
def test_the_size_limit_holds_before_and_during_the_body(
    client: httpx2.Client, dest: Path, head: bytes, message: str
) -> None:
    with raw_server(head, hold=True) as raw:  # a read past the limit would hang
        with pytest.raises(SizeLimitError, match=message):
            make_downloader(client, dest, max_bytes=1000).fetch(raw.url)
        assert raw.connections == 1
    assert files_in(dest) == []


def test_nothing_is_silently_replaced(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_request("/one/a.txt").respond_with_data(b"first")
    server.expect_request("/two/a.txt").respond_with_data(b"second")
    old = dest / "a.txt"
    old.write_bytes(b"old")
    with pytest.raises(UnsafeTargetError, match="--overwrite"):
        make_downloader(client, dest).fetch(server.url_for("/one/a.txt"))
    assert old.read_bytes() == b"old"
    downloader = make_downloader(client, dest, overwrite=True)
    saved = downloader.fetch(server.url_for("/one/a.txt"))  # its mode: the test below
    with pytest.raises(UnsafeTargetError, match="saved from another URL"):
        downloader.fetch(server.url_for("/two/a.txt"))  # of the same batch
    assert saved.read_bytes() == b"first"
    assert files_in(dest) == ["a.txt"]


@posix_only(reason="file modes and the umask")
def test_a_replaced_file_keeps_its_mode_from_the_first_byte(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    (dest / "a.txt").write_bytes(b"old")
    (dest / "a.txt").chmod(0o600)
    modes: list[int] = []

    @contextmanager
    def watching(label: str, total: int | None) -> Iterator[Advance]:
        assert (label, total) == ("a.txt", len(BODY))
        yield lambda _: modes.extend(
            stat.S_IMODE(part.stat().st_mode) for part in dest.glob(".a.txt.*.part")
        )

    umask = os.umask(0o022)  # a new file would be 0o644: readable by others
    try:
        downloader = make_downloader(client, dest, overwrite=True, progress=watching)
        saved = downloader.fetch(server.url_for("/a.txt"))
    finally:
        os.umask(umask)
    assert modes == [0o600]  # while the body was written
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def two_groups() -> tuple[int, int]:
    """Return two groups this user may give its files: any two for root."""
    groups = [1, 2]
    if sys.platform != "win32":  # the calls exist there alone
        if os.geteuid() != 0:
            groups = sorted(set(os.getgroups()) | {os.getegid()})
        if len(groups) < len(("folder's", "file's")):
            pytest.skip("needs root, or a user in two groups")
    return groups[0], groups[1]


@posix_only(reason="owners, groups and setgid folders")
def test_a_replaced_file_keeps_its_group_in_a_folder_that_gives_another(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    # In a setgid folder a new file takes the folder's group: with the old
    # file's mode, that group would read what it could not read before.
    server.expect_request("/a.txt").respond_with_data(BODY)
    folders_group, files_group = two_groups()
    (dest / "a.txt").write_bytes(b"old")
    if sys.platform != "win32":  # the calls exist there alone
        os.chown(dest, -1, folders_group)
        os.chown(dest / "a.txt", -1, files_group)
    dest.chmod(0o2775)
    (dest / "a.txt").chmod(0o640)
    seen: list[tuple[int, int]] = []

    @contextmanager
    def watching(label: str, total: int | None) -> Iterator[Advance]:
        assert (label, total) == ("a.txt", len(BODY))
        yield lambda _: seen.extend(
            (part.stat().st_gid, stat.S_IMODE(part.stat().st_mode))
            for part in dest.glob(".a.txt.*.part")
        )

    downloader = make_downloader(client, dest, overwrite=True, progress=watching)
    saved = downloader.fetch(server.url_for("/a.txt"))
    assert seen == [(files_group, 0o640)]  # while the body was written
    assert (saved.stat().st_gid, stat.S_IMODE(saved.stat().st_mode)) == seen[0]
    assert saved.read_bytes() == BODY


@contextmanager
def interrupting(label: str, total: int | None) -> Iterator[Advance]:
    """Press Ctrl-C after the first chunk reached the disk."""
    assert label
    assert total

    def advance(_: int) -> None:
        raise KeyboardInterrupt

    yield advance


def test_ctrl_c_mid_body_leaves_nothing(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    downloader = make_downloader(client, dest, progress=interrupting)
    with pytest.raises(KeyboardInterrupt):
        downloader.fetch(server.url_for("/a.txt"))
    assert files_in(dest) == []


@pytest.mark.parametrize("fails", [False, True])
def test_atomic_file_shows_all_or_nothing(dest: Path, *, fails: bool) -> None:
    target = dest / "a.txt"
    with contextlib.suppress(RuntimeError), atomic_file(target, overwrite=False) as out:
        out.write(b"whole")
        (part,) = files_in(dest)  # not the target yet: a hidden file beside it
        assert part.startswith(".a.txt.")
        assert part.endswith(".part")
        if fails:
            raise RuntimeError
    assert files_in(dest) == ([] if fails else ["a.txt"])
    assert fails or target.read_bytes() == b"whole"


@pytest.mark.parametrize("hard_links", [True, False], ids=["links", "no-links"])
@pytest.mark.parametrize("taken", [True, False], ids=["taken", "free"])
def test_the_move_never_replaces_a_name_that_appeared_meanwhile(
    dest: Path, monkeypatch: pytest.MonkeyPatch, *, hard_links: bool, taken: bool
) -> None:
    def no_links(*_: object) -> None:  # FAT and some network shares
        raise OSError(errno.EPERM, "Operation not permitted")

    if not hard_links:
        monkeypatch.setattr(os, "link", no_links)
    target = dest / "a.txt"
    refused: AbstractContextManager[object] = (
        pytest.raises(UnsafeTargetError, match="appeared")
        if taken
        else contextlib.nullcontext()
    )
    with refused, atomic_file(target, overwrite=False) as out:
        out.write(b"mine")
        if taken:
            target.write_bytes(b"theirs")  # another process, meanwhile
    assert target.read_bytes() == (b"theirs" if taken else b"mine")
    assert files_in(dest) == ["a.txt"]


def test_a_temp_name_taken_by_another_process_is_left_alone(
    dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("secrets.token_hex", lambda _: "0000")
    theirs = dest / ".a.txt.0000.part"
    theirs.write_bytes(b"theirs")
    with pytest.raises(FileExistsError), atomic_file(dest / "a.txt", overwrite=False):
        pass
    assert theirs.read_bytes() == b"theirs"


def test_origin_key_ignores_everything_but_the_origin() -> None:
    assert origin_key("https://Example.com/a?b") == "https://example.com:443"
    assert origin_key("http://example.com:8080/") == "http://example.com:8080"


@pytest.mark.parametrize(
    ("urls", "sha256", "message"),
    [
        ([], None, "invalid URL: List should have at least 1 item"),
        (
            ["ftp://h/a"],
            None,
            "invalid URL ftp://h/a: URL scheme should be 'http' or 'https'",
        ),
        (["http://h/a", "nope"], None, "invalid URL nope: Input should be a valid URL"),
        (
            [f"http://{'x' * 64}.example/a"],  # no resolver takes it (UnicodeError)
            None,
            (
                f"invalid URL http://{'x' * 64}.example/a: the host name has a part"
                " between dots that is empty or over 63 characters"
            ),
        ),
        (
            ["http://h/na\udce9ve"],  # Latin-1, read by a UTF-8 locale (PEP 383)
            None,
            "invalid URL http://h/na\\udce9ve: not UTF-8 text: type it in UTF-8,",
        ),
        (
            ["ftp://h/\x1b[2J\n"],  # shown, not obeyed: no escape reaches the terminal
            None,
            "invalid URL ftp://h/\\x1b[2J\\n: URL scheme should be 'http' or 'https'",
        ),
        (
            ["http://user:pw@h/a"],  # pragma: allowlist secret
            None,
            "invalid URL http://**********@h/a: credentials do not belong in a URL",
        ),
        (
            ["http://h/a"],
            "xyz",
            "invalid --sha256: not a SHA-256 digest: 64 hexadecimal digits expected",
        ),
        (["http://h/a", "http://h/b"], DIGEST, "--sha256 needs exactly one URL"),
    ],
)
def test_requests_are_validated_before_any_work(
    urls: list[str], sha256: str | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        DownloadRequest.parse(urls, sha256)
    assert str(caught.value).startswith(message)
    assert "Value error" not in str(caught.value)
    assert "pw" not in str(caught.value)


def parsed(typed: str) -> str | None:
    """Return the URL ``typed`` means, or ``None`` if it is refused in one line.

    A URL taken is one the client sends: its hook lets it through, and the
    resolver's IDNA codec takes its host.
    """
    try:
        url = str(DownloadRequest.parse([typed], None).urls[0])
    except InputError as exc:
        refusal = str(exc)
    else:
        request = httpx2.Request("GET", url)
        refuse_unsafe_url(request)
        request.url.raw_host.decode().encode("idna")
        return url
    assert "\n" not in refusal
    return None


TYPED_URLS = st.builds(
    "{}://{}/{}".format, st.sampled_from(["http", "HTTPS", "ftp", ""]), text(), text()
)


@given(typed=TYPED_URLS)
@example(typed="http://b\u00fccher.example/na\u00efve.txt")
@example(typed="http://a..b/")
def test_a_typed_url_means_the_same_under_every_locale(typed: str) -> None:
    # The bytes typed, read as a UTF-8 locale reads them, and as the C
    # locale does without UTF-8 mode (each non-ASCII byte a lone surrogate).
    raw = typed.encode()
    as_utf8, as_c = raw.decode(), raw.decode("ascii", "surrogateescape")
    assert parsed(as_utf8) == parsed(as_c)


def test_a_valid_request_normalises_the_digest() -> None:
    request = DownloadRequest.parse(["https://h/a"], DIGEST.upper())
    assert request.sha256 == DIGEST
    assert [str(url) for url in request.urls] == ["https://h/a"]


@pytest.mark.parametrize(
    ("location", "refusal"),
    [
        # httpx2 would connect to the port modulo 65536: the server's own.
        ("http://127.0.0.1:{port}/landing", "port {port} is outside 1-65535"),
        # The resolver's IDNA codec would raise UnicodeError.
        (
            "http://a..b/landing",
            "the host name has a part between dots that is empty or over 63 characters",
        ),
    ],
    ids=["port-above-65535", "empty-host-label"],
)
def test_a_redirect_to_a_url_no_one_could_type_is_refused_in_one_line(
    server: HTTPServer, client: httpx2.Client, dest: Path, location: str, refusal: str
) -> None:
    server.expect_request("/landing").respond_with_data(BODY)
    wrapped = 65536 + server.port
    location, refusal = location.format(port=wrapped), refusal.format(port=wrapped)
    head = f"HTTP/1.1 302 Found\r\nLocation: {location}\r\n"
    with raw_server(f"{head}Content-Length: 0\r\n\r\n".encode()) as redirecting:
        with pytest.raises(UnsafeUrlError) as caught:
            make_downloader(client, dest).fetch(redirecting.url)
        assert str(caught.value) == f"{location}: {refusal}"
    assert server.log == []
    assert files_in(dest) == []


ZEROS = bytes(2**16)


def redirect_with_a_body(location: str, size: int) -> Payload:
    """Answer a 302 to ``location`` whose body is ``size`` bytes, sent while read."""

    def answer(conn: socket.socket) -> None:
        head = (
            f"HTTP/1.1 302 Found\r\nLocation: {location}\r\n"
            f"Content-Length: {size}\r\n\r\n"
        )
        conn.sendall(head.encode())
        for _ in range(size // len(ZEROS)):  # the same bytes: no allocation here
            conn.sendall(ZEROS)

    return answer


#: 16 MiB of zeros, gzipped to about 16 KiB: decoded, it would be 16 MiB.
BOMB = gzip.compress(bytes(2**24), compresslevel=9)


@pytest.mark.parametrize("body", ["large", "gzip-bomb", "two-large-hops"])
def test_memory_stays_bounded_whatever_a_redirect_carries(
    client: httpx2.Client, dest: Path, body: str
) -> None:
    with contextlib.ExitStack() as servers:
        # No werkzeug server here: after each response it reads with a 10 MB
        # buffer, which would count in this process' peak.
        landing = servers.enter_context(raw_server(RESPONSE)).url
        bomb = b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Encoding: gzip\r\n" % (
            landing.encode()
        )
        if body == "gzip-bomb":
            first = servers.enter_context(
                raw_server(bomb + b"Content-Length: %d\r\n\r\n%s" % (len(BOMB), BOMB))
            )
        else:
            first = servers.enter_context(
                raw_server(redirect_with_a_body(landing, 2**25))  # 32 MiB
            )
        if body == "two-large-hops":
            first = servers.enter_context(
                raw_server(redirect_with_a_body(first.url, 2**25))
            )
        make_downloader(client, dest).fetch(first.url)  # every module now imported
        tracemalloc.start()
        try:
            saved = make_downloader(client, dest, overwrite=True).fetch(first.url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert saved.read_bytes() == b"body\n"
    assert peak < 2**21  # 2 MiB: never a redirect's body whole, nor decoded


LATIN_1_LINE = text(LATIN_1[0x20:])
LOCATIONS = st.one_of(
    LATIN_1_LINE,
    st.builds("http://{}:{}/{}".format, LATIN_1_LINE, st.integers(), LATIN_1_LINE),
    st.builds("{}://h/x".format, st.sampled_from(["ftp", "file", "HTTPS", "", "h"])),
)


@settings(max_examples=150, deadline=None)
@given(location=LOCATIONS)
@example(location="http://[::1")
@example(location="http://127.0.0.1:65616/x")
@example(location="http://xn--a.example/x")
@example(location="http://a..b/x")
def test_any_location_is_followed_safely_or_refused_with_a_project_error(
    location: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The values a real server cannot easily send (any character, any port):
    # MockTransport stands in below the client, whose redirect logic runs.
    seen: list[httpx2.URL] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.url)
        if len(seen) == 1:
            raw = [(b"Location", location.encode("latin-1"))]  # bytes, as served
            return httpx2.Response(302, headers=raw)
        return httpx2.Response(200, stream=httpx2.ByteStream(BODY))

    dest = tmp_path_factory.getbasetemp() / "locations"  # one for every example
    dest.mkdir(exist_ok=True)
    with open_client(timeout=5, transport=httpx2.MockTransport(answer)) as client:
        try:
            saved = make_downloader(client, dest).fetch("http://example.test/a.bin")
        except ProjectError:
            assert files_in(dest) == []
        else:
            assert saved.read_bytes() == BODY
        finally:  # empty for the next example, even after a failed one
            for name in files_in(dest):
                (dest / name).unlink()
    assert all(url.port is None or 0 < url.port <= 65535 for url in seen)
    assert all(url.scheme in {"http", "https"} for url in seen)
    for url in seen:  # each one a resolver takes (its IDNA codec)
        url.raw_host.decode().encode("idna")


def untrusted(error: DownloadError) -> str:
    """Return how ``error`` tells an untrusted certificate, after its URL."""
    told = str(error).replace("self signed", "self-signed")  # OpenSSL before 3
    return told.partition(": ")[2]


#: How the untrusted certificate of ``certificate`` is told.
UNTRUSTED = (
    "TLS handshake failed: the certificate is not trusted (self-signed"
    " certificate); to trust a private certificate authority, set SSL_CERT_FILE"
    " to its PEM file"
)


def test_an_untrusted_certificate_fails_at_once_and_says_how_to_trust_it(
    tls_server: RawServer, dest: Path
) -> None:
    with open_client(timeout=5) as client, pytest.raises(DownloadError) as caught:
        make_downloader(client, dest, attempts=3).fetch(tls_server.url)
    assert not isinstance(caught.value, TransferError)
    assert str(caught.value).startswith(f"{tls_server.url}: ")
    assert untrusted(caught.value) == UNTRUSTED
    assert tls_server.connections == 1  # not retried
    assert files_in(dest) == []


def test_an_untrusted_certificate_behind_a_proxy_is_the_servers_not_the_proxys(
    certificate: tuple[Path, ssl.SSLContext],
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def tunnel(conn: socket.socket) -> None:  # a CONNECT proxy, to a TLS server
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        certificate[1].wrap_socket(conn, server_side=True)  # the client refuses

    with raw_server(tunnel) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url.removesuffix("/file.bin"))
        with open_client(timeout=5) as client, pytest.raises(DownloadError) as caught:
            make_downloader(client, dest, attempts=3).fetch("https://a.test/f")
        assert proxy.connections == 1  # not retried
    assert not isinstance(caught.value, TransferError)
    assert str(caught.value).startswith("https://a.test/f: ")  # not the proxy's
    assert untrusted(caught.value) == UNTRUSTED


def test_a_server_that_does_not_speak_tls_fails_at_once_in_openssls_own_words(
    dest: Path,
) -> None:
    with raw_server(b"HTTP/1.1 400 Bad Request\r\n\r\n", read_request=False) as raw:
        url = raw.url.replace("http:", "https:")
        with open_client(timeout=5) as client, pytest.raises(DownloadError) as e:
            make_downloader(client, dest, attempts=3).fetch(url)
        assert raw.connections == 1  # not retried
    # "wrong version number" in OpenSSL 3.0: its words, never its codes.
    told = f"{url}: TLS handshake failed: "
    assert str(e.value).startswith(told)
    assert re.fullmatch("[a-z ]+", str(e.value).removeprefix(told))


def test_ssl_cert_file_trusts_a_private_authority(
    tls_server: RawServer,
    certificate: tuple[Path, ssl.SSLContext],
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with open_client(timeout=5) as client:
        saved = make_downloader(client, dest).fetch(tls_server.url)
    assert saved.read_bytes() == b"body\n"


#: A body that ends with its connection (no length, not chunked), over TLS.
CLOSE_DELIMITED = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody\n"


@pytest.mark.parametrize("closing_alert", [True, False], ids=["ended", "cut"])
def test_a_tls_body_that_ends_with_its_connection_needs_tls_s_closing_alert(
    certificate: tuple[Path, ssl.SSLContext],
    dest: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    closing_alert: bool,
) -> None:
    """Only TLS's close_notify tells an end from a cut an attacker made, as in curl."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(CLOSE_DELIMITED)
        if closing_alert:
            assert isinstance(conn, ssl.SSLSocket)
            with contextlib.suppress(OSError):  # the client may close first
                conn.unwrap()

    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with (
        raw_server(answer, tls=certificate[1]) as raw,
        open_client(timeout=5) as client,
    ):
        downloader = make_downloader(client, dest, attempts=1)
        if closing_alert:
            assert downloader.fetch(raw.url).read_bytes() == b"body\n"
            return
        with pytest.raises(TransferError) as caught:
            downloader.fetch(raw.url)
    cut = "the TLS connection was cut without its closing alert after 5 bytes"
    assert str(caught.value) == f"{raw.url}: {cut}"
    assert list(dest.iterdir()) == []


@given(size=st.integers(0, 10**18 - 1), pad=st.sampled_from(["", " ", "\t"]))
def test_a_plain_content_length_is_read(size: int, pad: str) -> None:
    assert parse_content_length(f"{pad}{size}{pad}") == size


@given(value=st.one_of(st.none(), text()))
@example(value="\u00b2")  # str.isdigit() says yes, int() says no
@example(value="\u0663")  # an Arabic-Indic digit, which int() reads as 3
@example(value="1" * 5000)  # beyond int()'s digit limit
def test_any_content_length_is_ascii_digits_or_unknown(value: str | None) -> None:
    size = parse_content_length(value)
    if size is not None:
        assert value is not None
        assert value.strip().isascii()
        assert int(value.strip()) == size
