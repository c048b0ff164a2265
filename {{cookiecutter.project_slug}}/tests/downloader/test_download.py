"""Downloads against real loopback servers: success, retries, limits, cleanup."""

import errno
import functools
import gzip
import hashlib
import io
import os
import socket
import ssl
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from {{ cookiecutter.package_name }}.core.errors import InputError, ProjectError
from {{ cookiecutter.package_name }}.downloader import download as download_module
from {{ cookiecutter.package_name }}.downloader.breaker import (
    Breakers,
    CircuitBreaker,
    State,
)
from {{ cookiecutter.package_name }}.downloader.client import open_client
from {{ cookiecutter.package_name }}.downloader.download import (
    RATE_WINDOW,
    Downloader,
    DownloadRequest,
    atomic_file,
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
from {{ cookiecutter.package_name }}.downloader.retries import (
    backoff_hook,
    is_transient,
)

from tests.core.fixtures import text
from tests.downloader.conftest import LATIN_1, RESPONSE, RawServer, raw_server
from tests.downloader.test_breaker import FakeClock

BODY = b"hello, sturdy world\n"
DIGEST = hashlib.sha256(BODY).hexdigest()


def make_downloader(
    client: httpx2.Client,
    dest: Path,
    progress: Progress,
    *,
    attempts: int = 3,
    max_bytes: int = 10_000,
    overwrite: bool = False,
    breakers: Breakers | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Downloader:
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
    )


def files_in(folder: Path) -> list[str]:
    """List every entry, hidden temp files included."""
    return sorted(path.name for path in folder.iterdir())


def test_downloads_into_the_destination(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/files/hello.txt").respond_with_data(BODY)
    saved = make_downloader(client, dest, silent).fetch(
        server.url_for("/files/hello.txt")
    )
    assert saved == dest.resolve() / "hello.txt"
    assert saved.read_bytes() == BODY
    assert files_in(dest) == ["hello.txt"]


def test_requests_the_body_unencoded(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request(
        "/a.txt", headers={"Accept-Encoding": "identity"}
    ).respond_with_data(BODY)
    assert (
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt")).exists()
    )


def test_several_urls_from_one_host_reuse_one_connection(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    downloader = make_downloader(client, dest, silent)
    with raw_server(RESPONSE, keep_alive=True) as raw:
        for name in ("a.txt", "b.txt", "c.txt"):
            downloader.fetch(raw.url.replace("file.bin", name))
        assert raw.connections == 1
    assert files_in(dest) == ["a.txt", "b.txt", "c.txt"]


def test_a_matching_sha256_is_accepted(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    saved = make_downloader(client, dest, silent).fetch(
        server.url_for("/a.txt"), DIGEST
    )
    assert saved.read_bytes() == BODY


def test_a_checksum_mismatch_leaves_nothing(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    with pytest.raises(ChecksumError, match="expected 0000"):
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"), "0" * 64)
    assert files_in(dest) == []
    assert len(server.log) == 1  # a wrong digest is not retried


def test_503_twice_then_200(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    for _ in range(2):
        server.expect_oneshot_request("/a.txt").respond_with_data("busy", status=503)
    server.expect_request("/a.txt").respond_with_data(BODY)
    saved = make_downloader(client, dest, silent, attempts=3).fetch(
        server.url_for("/a.txt")
    )
    assert saved.read_bytes() == BODY
    assert [response.status_code for _, response in server.log] == [503, 503, 200]


def test_attempts_is_the_total_number_of_tries(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data("busy", status=503)
    with pytest.raises(BadStatusError, match="HTTP 503"):
        make_downloader(client, dest, silent, attempts=2).fetch(
            server.url_for("/a.txt")
        )
    assert len(server.log) == 2
    assert files_in(dest) == []


def test_retry_after_is_read_and_honoured(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_oneshot_request("/a.txt").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    server.expect_request("/a.txt").respond_with_data(BODY)
    url = server.url_for("/a.txt")
    with pytest.raises(BadStatusError) as caught:
        make_downloader(client, dest, silent, attempts=1).fetch(url)
    assert caught.value.retry_after == 7.0
    assert backoff_hook(caught.value) == 7.0  # the wait stamina is told to use
    assert (
        make_downloader(client, dest, silent, attempts=2).fetch(url).read_bytes()
        == BODY
    )


def test_client_errors_are_not_retried(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data("no", status=404)
    with pytest.raises(BadStatusError, match="HTTP 404") as caught:
        make_downloader(client, dest, silent, attempts=5).fetch(
            server.url_for("/a.txt")
        )
    assert caught.value.status == 404
    assert len(server.log) == 1


def test_a_host_that_always_fails_opens_its_breaker_then_recovers(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data("down", status=503)
    clock = FakeClock()
    breakers = Breakers(
        lambda key: CircuitBreaker(
            key, threshold=5, cooldown=30.0, is_failure=is_transient, clock=clock
        )
    )
    downloader = make_downloader(client, dest, silent, attempts=3, breakers=breakers)
    url = server.url_for("/a.txt")
    with pytest.raises(BadStatusError):
        downloader.fetch(url)  # three failures
    with pytest.raises(CircuitOpenError, match=f"{url}: skipped: .*too many"):
        downloader.fetch(url)  # two more open it; the third try fails fast
    assert len(server.log) == 5
    started = time.monotonic()
    with pytest.raises(CircuitOpenError):
        downloader.fetch(url)
    assert time.monotonic() - started < 0.5
    assert len(server.log) == 5  # not a single request while open

    server.clear()
    server.expect_request("/a.txt").respond_with_data(BODY)
    clock.now = 30.0  # cool-down over: one trial request goes through
    assert downloader.fetch(url).read_bytes() == BODY
    assert len(server.log) == 1
    assert breakers[origin_key(url)].state() is State.CLOSED


def test_a_body_cut_off_midway_is_retried_then_leaves_nothing(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
    with raw_server(head + b"x" * 100) as raw:
        with pytest.raises(TransferError, match="1000"):
            make_downloader(client, dest, silent, attempts=2).fetch(raw.url)
        assert raw.connections == 2
    assert files_in(dest) == []


def test_a_silent_server_times_out(dest: Path, silent: Progress) -> None:
    with raw_server(b"", hold=True) as raw, open_client(timeout=0.1) as client:
        started = time.monotonic()
        with pytest.raises(TransferError):
            make_downloader(client, dest, silent, attempts=2).fetch(raw.url)
        assert time.monotonic() - started < 3
        assert raw.connections == 2
    assert files_in(dest) == []


def test_a_refused_connection_is_a_transfer_error(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(TransferError, match=r"127\.0\.0\.1"):
        make_downloader(client, dest, silent).fetch(f"http://127.0.0.1:{port}/a.txt")


def test_an_announced_size_over_the_limit_fails_before_reading(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n"
    with raw_server(head, hold=True) as raw:  # would hang if the body were read
        started = time.monotonic()
        with pytest.raises(SizeLimitError, match="10000000000 bytes announced"):
            make_downloader(client, dest, silent, max_bytes=1000).fetch(raw.url)
        assert time.monotonic() - started < 2
        assert raw.connections == 1
    assert files_in(dest) == []


def test_a_body_over_the_limit_is_cut_while_streaming(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked encoding
        for _ in range(10):
            yield b"x" * 1000

    server.expect_request("/big").respond_with_handler(lambda _: Response(chunks()))
    with pytest.raises(SizeLimitError, match="more than 5000 bytes"):
        make_downloader(client, dest, silent, max_bytes=5000).fetch(
            server.url_for("/big")
        )
    assert files_in(dest) == []


def test_a_traversal_name_from_the_server_stays_inside(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    silent: Progress,
    tmp_path: Path,
) -> None:
    header = {"Content-Disposition": 'attachment; filename="../../evil.sh"'}
    server.expect_request("/dl").respond_with_data(BODY, headers=header)
    saved = make_downloader(client, dest, silent).fetch(server.url_for("/dl"))
    assert saved == dest.resolve() / "evil.sh"
    assert not (tmp_path / "evil.sh").exists()


def test_an_existing_file_is_kept_unless_overwrite(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    (dest / "a.txt").write_bytes(b"old")
    with pytest.raises(UnsafeTargetError, match="--overwrite"):
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"))
    assert (dest / "a.txt").read_bytes() == b"old"
    make_downloader(client, dest, silent, overwrite=True).fetch(
        server.url_for("/a.txt")
    )
    assert (dest / "a.txt").read_bytes() == BODY
    assert files_in(dest) == ["a.txt"]


def test_a_symlinked_target_is_refused(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    silent: Progress,
    tmp_path: Path,
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    (dest / "a.txt").symlink_to(outside)
    with pytest.raises(UnsafeTargetError, match="symlink"):
        make_downloader(client, dest, silent, overwrite=True).fetch(
            server.url_for("/a.txt")
        )
    assert outside.read_bytes() == b"keep"


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
    with pytest.raises(KeyboardInterrupt):
        make_downloader(client, dest, interrupting).fetch(server.url_for("/a.txt"))
    assert files_in(dest) == []


def test_a_file_appearing_meanwhile_is_not_replaced(
    server: HTTPServer, client: httpx2.Client, dest: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    @contextmanager
    def racing(label: str, total: int | None) -> Iterator[Advance]:
        assert total

        def another_writer(_: int) -> None:
            (dest / label).write_bytes(b"theirs")

        yield another_writer

    with pytest.raises(UnsafeTargetError, match="appeared"):
        make_downloader(client, dest, racing).fetch(server.url_for("/a.txt"))
    assert files_in(dest) == ["a.txt"]
    assert (dest / "a.txt").read_bytes() == b"theirs"


def test_a_disk_error_is_a_download_error(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    silent: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", disk_full)
    with pytest.raises(DownloadError, match=r"cannot save.*No space"):
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"))
    assert files_in(dest) == []
    assert len(server.log) == 1  # a full disk is not retried


def test_a_redirect_to_another_scheme_is_not_retried(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    headers = {"Location": "ftp://127.0.0.1/a.txt"}
    server.expect_request("/a.txt").respond_with_data("", status=302, headers=headers)
    with pytest.raises(DownloadError, match="ftp") as caught:
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"))
    assert not isinstance(caught.value, TransferError)
    assert len(server.log) == 1


def test_a_body_shorter_than_announced_is_caught(dest: Path, silent: Progress) -> None:
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
        make_downloader(client, dest, silent, attempts=2).fetch("http://example.test/a")
    assert len(calls) == 2
    assert files_in(dest) == []


def test_atomic_file_removes_its_temp_file_on_error(dest: Path) -> None:
    seen: list[str] = []

    def fail_midway() -> None:
        with atomic_file(dest / "a.txt", overwrite=False) as out:
            out.write(b"partial")
            seen.extend(files_in(dest))
            msg = "boom"
            raise RuntimeError(msg)

    with pytest.raises(RuntimeError):
        fail_midway()
    assert len(seen) == 1
    assert seen[0].startswith(".a.txt.")
    assert seen[0].endswith(".part")  # hidden, beside the target
    assert files_in(dest) == []


def test_atomic_file_renames_into_place(dest: Path) -> None:
    target = dest / "a.txt"
    with atomic_file(target, overwrite=False) as out:
        out.write(b"whole")
        assert not target.exists()
    assert target.read_bytes() == b"whole"


def test_origin_key_ignores_everything_but_the_origin() -> None:
    assert origin_key("https://Example.com/a?b") == "https://example.com:443"
    assert origin_key("http://example.com:8080/") == "http://example.com:8080"


@pytest.mark.parametrize(
    ("urls", "sha256", "message"),
    [
        ([], None, "invalid URL: List should have at least 1 item"),
        (["ftp://h/a"], None, "invalid URL 1: URL scheme should be 'http' or 'https'"),
        (["http://h/a", "nope"], None, "invalid URL 2: Input should be a valid URL"),
        (
            ["http://user:pw@h/a"],  # pragma: allowlist secret
            None,
            "credentials do not belong in a URL",
        ),
        (["http://h/a"], "xyz", "invalid --sha256: String should match pattern"),
        (["http://h/a", "http://h/b"], DIGEST, "--sha256 needs exactly one URL"),
    ],
)
def test_requests_are_validated_before_any_work(
    urls: list[str], sha256: str | None, message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        DownloadRequest.parse(urls, sha256)
    assert "\n" not in str(caught.value)
    assert "pw" not in str(caught.value)


def test_a_valid_request_normalises_the_digest() -> None:
    request = DownloadRequest.parse(["https://h/a"], DIGEST.upper())
    assert request.sha256 == DIGEST
    assert [str(url) for url in request.urls] == ["https://h/a"]


def test_a_trickling_body_is_cut_on_the_read_that_passes_the_limit(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    head = b"HTTP/1.1 200 OK\r\n\r\n"  # no length: read until the server closes
    with (
        raw_server(head + b"x" * 2000, hold=True) as trickle,  # then nothing more
        pytest.raises(SizeLimitError, match="more than 1000 bytes"),
    ):
        make_downloader(client, dest, silent, max_bytes=1000).fetch(trickle.url)
    assert files_in(dest) == []


def ticking(step: float) -> Callable[[], float]:
    """Return a clock that moves ``step`` seconds each time it is read."""
    readings = iter(range(1_000_000))
    return lambda: next(readings) * step


def test_a_stalled_transfer_is_abandoned_and_leaves_nothing(
    client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    with raw_server(head + b"x" * 10, hold=True) as dripping:
        downloader = make_downloader(
            client, dest, silent, attempts=2, clock=ticking(RATE_WINDOW + 1)
        )
        with pytest.raises(TransferError, match="stalled below 1024 bytes/s"):
            downloader.fetch(dripping.url)
    assert dripping.connections == 2  # a stall is retried like a timeout
    assert files_in(dest) == []


def test_a_slow_but_steady_transfer_goes_on(
    server: HTTPServer,
    client: httpx2.Client,
    dest: Path,
    silent: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(download_module, "MIN_RATE", 1)
    server.expect_request("/a.bin").respond_with_data(b"x" * 300_000)
    downloader = make_downloader(
        client, dest, silent, max_bytes=10**6, clock=ticking(RATE_WINDOW)
    )
    assert downloader.fetch(server.url_for("/a.bin")).stat().st_size == 300_000


def test_a_gzip_body_is_saved_as_served(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    published = gzip.compress(BODY * 100)
    server.expect_request("/release-1.0.tar.gz").respond_with_data(
        published, headers={"Content-Encoding": "gzip"}
    )
    saved = make_downloader(client, dest, silent).fetch(
        server.url_for("/release-1.0.tar.gz"), hashlib.sha256(published).hexdigest()
    )
    assert saved.read_bytes() == published


def test_a_gzip_bomb_is_only_ever_its_compressed_size(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    bomb = gzip.compress(b"\0" * 2**24)  # 16 MiB of zeros in about 16 KiB
    server.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}
    )
    url = server.url_for("/bomb")
    saved = make_downloader(client, dest, silent, max_bytes=10**5).fetch(url)
    assert saved.stat().st_size == len(bomb)
    with pytest.raises(SizeLimitError):
        make_downloader(client, dest, silent, max_bytes=1000, overwrite=True).fetch(url)


def test_a_redirect_to_a_port_above_65535_is_refused(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/landing").respond_with_data(BODY)
    wrapped = 65536 + server.port  # httpx2 would connect to server.port
    head = f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{wrapped}/landing\r\n"
    with (
        raw_server(f"{head}Content-Length: 0\r\n\r\n".encode()) as redirecting,
        pytest.raises(UnsafeUrlError, match=f"port {wrapped} is outside 1-65535"),
    ):
        make_downloader(client, dest, silent).fetch(redirecting.url)
    assert server.log == []
    assert files_in(dest) == []


def test_a_redirect_carrying_credentials_is_refused_without_showing_them(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    location = server.url_for("/landing").replace("//", "//user:hunter2@")
    headers = {"Location": location}
    server.expect_request("/a.txt").respond_with_data("", status=302, headers=headers)
    with pytest.raises(UnsafeUrlError, match="credentials") as caught:
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"))
    assert "hunter2" not in str(caught.value)
    assert len(server.log) == 1


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

    dest = tmp_path_factory.mktemp("dest")
    with open_client(timeout=5, transport=httpx2.MockTransport(answer)) as client:
        try:
            saved = make_downloader(client, dest, progress_silent()).fetch(
                "http://example.test/a.bin"
            )
        except ProjectError:
            assert files_in(dest) == []
        else:
            assert saved.read_bytes() == BODY
    assert all(url.port is None or 0 < url.port <= 65535 for url in seen)
    assert all(url.scheme in {"http", "https"} for url in seen)


def progress_silent() -> Progress:
    return functools.partial(progress, stream=io.StringIO())


def test_an_untrusted_certificate_fails_at_once_and_says_how_to_trust_it(
    tls_server: RawServer, dest: Path, silent: Progress
) -> None:
    with open_client(timeout=5) as client, pytest.raises(DownloadError) as caught:
        make_downloader(client, dest, silent, attempts=3).fetch(tls_server.url)
    assert not isinstance(caught.value, TransferError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert "SSL_CERT_FILE" in str(caught.value)
    assert tls_server.connections == 1  # not retried
    assert files_in(dest) == []


def test_ssl_cert_file_trusts_a_private_authority(
    tls_server: RawServer,
    certificate: tuple[Path, ssl.SSLContext],
    dest: Path,
    silent: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with open_client(timeout=5) as client:
        saved = make_downloader(client, dest, silent).fetch(tls_server.url)
    assert saved.read_bytes() == b"body\n"


def test_a_lost_connection_during_the_handshake_stays_transient(
    dest: Path, silent: Progress
) -> None:
    with (
        raw_server(b"", read_request=False) as closing,  # accepts, closes at once
        open_client(timeout=5) as client,
        pytest.raises(TransferError),
    ):
        make_downloader(client, dest, silent, attempts=2).fetch(
            closing.url.replace("http:", "https:")
        )
    assert closing.connections == 2


def test_overwrite_keeps_the_mode_of_the_replaced_file(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/a.txt").respond_with_data(BODY)
    (dest / "a.txt").write_bytes(b"old")
    (dest / "a.txt").chmod(0o600)
    saved = make_downloader(client, dest, silent, overwrite=True).fetch(
        server.url_for("/a.txt")
    )
    assert saved.read_bytes() == BODY
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_two_urls_of_one_batch_never_save_over_each_other(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    server.expect_request("/one/file.txt").respond_with_data(b"first")
    server.expect_request("/two/file.txt").respond_with_data(b"second")
    downloader = make_downloader(client, dest, silent, overwrite=True)
    downloader.fetch(server.url_for("/one/file.txt"))
    with pytest.raises(UnsafeTargetError, match="saved from another URL"):
        downloader.fetch(server.url_for("/two/file.txt"))
    assert (dest / "file.txt").read_bytes() == b"first"
    assert files_in(dest) == ["file.txt"]


@pytest.mark.parametrize("taken", [False, True])
def test_without_hard_links_the_name_is_still_checked_before_the_move(
    dest: Path, monkeypatch: pytest.MonkeyPatch, *, taken: bool
) -> None:
    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = dest / "a.txt"
    if taken:

        def raced() -> None:
            with atomic_file(target, overwrite=False) as out:
                out.write(b"mine")
                target.write_bytes(b"theirs")  # another writer, meanwhile

        with pytest.raises(UnsafeTargetError, match="appeared"):
            raced()
        assert target.read_bytes() == b"theirs"
    else:
        with atomic_file(target, overwrite=False) as out:
            out.write(b"mine")
        assert target.read_bytes() == b"mine"
    assert files_in(dest) == ["a.txt"]


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


def test_a_bad_location_is_a_download_error_not_a_crash(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    headers = {"Location": "http://[::1"}
    server.expect_request("/a.txt").respond_with_data("", status=302, headers=headers)
    with pytest.raises(DownloadError):
        make_downloader(client, dest, silent).fetch(server.url_for("/a.txt"))


def test_a_redirect_loop_is_a_download_error_not_retried(
    server: HTTPServer, client: httpx2.Client, dest: Path, silent: Progress
) -> None:
    headers = {"Location": "/loop"}
    server.expect_request("/loop").respond_with_data("", status=302, headers=headers)
    with pytest.raises(DownloadError, match="redirects") as caught:
        make_downloader(client, dest, silent).fetch(server.url_for("/loop"))
    assert not isinstance(caught.value, TransferError)
    assert len(server.log) == 11  # the first request and ten redirects, once


def test_a_temp_name_taken_by_another_process_is_left_alone(
    dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("secrets.token_hex", lambda _: "0000")
    theirs = dest / ".a.txt.0000.part"
    theirs.write_bytes(b"theirs")
    with pytest.raises(FileExistsError), atomic_file(dest / "a.txt", overwrite=False):
        pass
    assert theirs.read_bytes() == b"theirs"
