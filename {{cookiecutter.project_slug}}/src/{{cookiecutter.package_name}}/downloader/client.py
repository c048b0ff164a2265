"""The one HTTP client of the process: pooled, with explicit timeouts and limits.

Guide, Connection reuse: one client per process, so requests to a host reuse
its open connections instead of paying a new handshake each time. Guide,
Cleanup: the client is only handed out by a context manager, which closes
every connection on exit, errors and Ctrl-C included.

A timeout bounds one connect, read or write; a server that answers a byte
at a time, or sends ``102 Processing`` for ever, never lets one expire. So
every socket operation of the client is also bounded by the deadline of
the phase it belongs to (``deadline``): the whole phase ends in time. The
body of a file, which may rightly take long, has a minimum rate instead
(``minimum_rate``), counted on every read of the socket, so a server
dripping chunk sizes or trailers is caught as surely as one dripping data.
"""

import base64
import math
import os
import ssl
import time
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import httpcore2
import httpx2
import typing_extensions
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.core.errors import InputError

from .errors import UnsafeUrlError

LIMITS = httpx2.Limits(
    max_connections=10, max_keepalive_connections=10, keepalive_expiry=30.0
)
MAX_REDIRECTS = 10
#: The longest response head (status line and headers), in bytes, h11 reads.
MAX_HEAD = httpcore2.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE
DISTRIBUTION = "{{ cookiecutter.project_slug }}"
SCHEMES = frozenset({"http", "https"})
MAX_PORT = 65535
MAX_LABEL = 63  # characters between two dots of a host name (RFC 1035)
TRUST_VARIABLES = "SSL_CERT_FILE, SSL_CERT_DIR"
PROXY_VARIABLES = frozenset({"http", "https", "all"})  # the ones the client reads
#: A transfer slower than ``MIN_RATE`` bytes per second over ``RATE_WINDOW``
#: seconds is abandoned (as ``curl --speed-limit 1024 --speed-time 30``): each
#: read is bounded by the timeout, but a server dripping a byte at a time
#: would otherwise hold the download for ever. Constants, not options: no
#: real transfer is that slow, and a stalled one is retried like a timeout.
MIN_RATE = 1024
RATE_WINDOW = 30.0


class RateWatch:
    """Say whether a transfer stayed below ``MIN_RATE`` for a whole ``RATE_WINDOW``."""

    def __init__(self, clock: Callable[[], float]) -> None:
        """Start the first window now, by ``clock`` (injectable for tests)."""
        self._clock = clock
        self._start, self._bytes = clock(), 0

    def stalled(self, received: int) -> bool:
        """Count ``received`` bytes; at the end of a window, judge it and start anew."""
        self._bytes += received
        now = self._clock()
        elapsed = now - self._start
        if elapsed < RATE_WINDOW:
            return False
        too_slow = self._bytes < MIN_RATE * elapsed
        self._start, self._bytes = now, 0
        return too_slow


_DEADLINE: ContextVar[float] = ContextVar("deadline", default=math.inf)
_RATE: ContextVar[RateWatch | None] = ContextVar("rate", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Make the socket operations in this block, all together, end within ``seconds``.

    Each connect (TLS included), read and write gets what is left of the
    time, at most; once none is left, the next one raises httpx2's timeout
    for its kind. Nested, the earlier deadline still holds.
    """
    token = _DEADLINE.set(min(_DEADLINE.get(), time.monotonic() + seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextmanager
def minimum_rate(watch: RateWatch) -> Iterator[None]:
    """Make the reads in this block fail once ``watch`` finds them too slow.

    The window is judged before each read as well as after it: a read that
    is still waiting counts as nothing received.
    """
    token = _RATE.set(watch)
    try:
        yield
    finally:
        _RATE.reset(token)


def _check_rate(received: int) -> None:
    watch = _RATE.get()
    if watch is not None and watch.stalled(received):
        msg = f"stalled below {MIN_RATE} bytes/s for {RATE_WINDOW:g} s"
        raise httpcore2.ReadTimeout(msg)


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """Return ``timeout`` cut to what the deadline leaves, or raise ``expired``."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        msg = "the deadline passed"
        raise expired(msg)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose every operation ends by the deadline of its phase.

    It also counts the bytes received, before the last write and since. A
    response whose headers were parsed with none since was in the buffer
    before the request went out (``heard_since_write``); a request that
    failed with none since, on a connection that had carried a response
    before, was lost as a kept-alive connection was closed (``unanswered_reuse``).
    """

    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self._stream = stream
        self._received = self._received_at_write = 0

    def heard_since_write(self) -> bool:
        """Say whether any byte came since the last request was written."""
        return self._received > self._received_at_write

    def unanswered_reuse(self) -> bool:
        """Say whether the last request went on a reused connection, unanswered."""
        return self._received_at_write > 0 and not self.heard_since_write()

    @typing_extensions.override
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        _check_rate(0)
        data = self._stream.read(max_bytes, _left(timeout, httpcore2.ReadTimeout))
        _check_rate(len(data))
        self._received += len(data)
        return data

    @typing_extensions.override
    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _SENT_ON.set(self)
        self._received_at_write = self._received
        self._stream.write(buffer, _left(timeout, httpcore2.WriteTimeout))

    @typing_extensions.override
    def close(self) -> None:
        self._stream.close()

    @typing_extensions.override
    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        within = _left(timeout, httpcore2.ConnectTimeout)  # the whole handshake
        tls = self._stream.start_tls(ssl_context, server_hostname, within)
        # A body that ends with its connection ends with TLS's closing alert:
        # a connection cut without one (by an attacker, say) is an error, as
        # in curl, not the end of the file. The socket is an ``SSLSocket``
        # (through an HTTPS proxy, the proxy's), which reads a cut as an end.
        tls.get_extra_info("socket").suppress_ragged_eofs = False
        return _DeadlineStream(tls)

    @typing_extensions.override
    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


#: The connection the request being sent was written to (``handle_request``).
_SENT_ON: ContextVar[_DeadlineStream | None] = ContextVar("sent_on", default=None)


class _DeadlineBackend(httpcore2.NetworkBackend):
    """Open connections that end each operation by the deadline of its phase."""

    def __init__(self, backend: httpcore2.NetworkBackend) -> None:
        self._backend = backend

    @typing_extensions.override
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        within = _left(timeout, httpcore2.ConnectTimeout)
        stream = self._backend.connect_tcp(
            host, port, within, local_address, socket_options
        )
        return _DeadlineStream(stream)


#: httpcore2's errors and their httpx2 namesakes, which callers of a client catch.
_ERRORS: dict[type[Exception], type[httpx2.TransportError]] = {
    httpcore2.ConnectTimeout: httpx2.ConnectTimeout,
    httpcore2.ReadTimeout: httpx2.ReadTimeout,
    httpcore2.WriteTimeout: httpx2.WriteTimeout,
    httpcore2.PoolTimeout: httpx2.PoolTimeout,
    httpcore2.TimeoutException: httpx2.TimeoutException,
    httpcore2.ConnectError: httpx2.ConnectError,
    httpcore2.ReadError: httpx2.ReadError,
    httpcore2.WriteError: httpx2.WriteError,
    httpcore2.NetworkError: httpx2.NetworkError,
    httpcore2.ProxyError: httpx2.ProxyError,
    httpcore2.UnsupportedProtocol: httpx2.UnsupportedProtocol,
    httpcore2.RemoteProtocolError: httpx2.RemoteProtocolError,
    httpcore2.LocalProtocolError: httpx2.LocalProtocolError,
    httpcore2.ProtocolError: httpx2.ProtocolError,
}


@contextmanager
def _as_httpx2_errors() -> Iterator[None]:
    """Raise an error of httpcore2 as its httpx2 namesake, the cause kept."""
    try:
        yield
    except tuple(_ERRORS) as exc:
        kind = next(_ERRORS[kind] for kind in type(exc).__mro__ if kind in _ERRORS)
        raise kind(str(exc)) from exc


class _Body(httpx2.SyncByteStream):
    """A response body of httpcore2, read as httpx2 reads one."""

    def __init__(self, response: httpcore2.Response) -> None:
        self._response = response

    @typing_extensions.override
    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx2_errors():
            yield from self._response.iter_stream()

    @typing_extensions.override
    def close(self) -> None:
        with _as_httpx2_errors():
            self._response.close()


class DeadlineTransport(httpx2.BaseTransport):
    """httpx2's transport, built on httpcore2's pools with the deadline backend.

    ``httpx2.HTTPTransport`` takes no network backend, so this one builds the
    pools itself, through httpcore2's public constructors: one direct, and
    one for each proxy that ``urllib.request.getproxies`` finds (the
    environment, or the system's settings on macOS and Windows), which
    ``NO_PROXY`` bypasses (``urllib.request.proxy_bypass``). httpx2 reads the
    same variables, but only for the transports it builds itself. The
    requests and responses are translated as httpx2's own transport does.
    """

    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        """Build the pools, each connection of them under the deadline."""
        backend = _DeadlineBackend(httpcore2.SyncBackend())

        def pool(proxy: httpcore2.Proxy | None) -> httpcore2.ConnectionPool:
            return httpcore2.ConnectionPool(
                ssl_context=ssl_context,
                proxy=proxy,
                max_connections=LIMITS.max_connections,
                max_keepalive_connections=LIMITS.max_keepalive_connections,
                keepalive_expiry=LIMITS.keepalive_expiry,
                network_backend=backend,
            )

        self._direct = pool(None)
        self._proxied = {
            scheme: pool(_proxy(url))
            for scheme, url in urllib.request.getproxies().items()
            if scheme in PROXY_VARIABLES
        }

    def _pool(self, url: httpx2.URL) -> httpcore2.ConnectionPool:
        scheme = _proxied_as(url, self._proxied)
        return self._direct if scheme is None else self._proxied[scheme]

    @typing_extensions.override
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request`` through its pool, as ``httpx2.HTTPTransport`` does.

        The request goes once more, on another connection, in two cases, as
        curl does (each request here is a GET, safe to send twice); a second
        failure is raised. A server may close a kept-alive connection just
        as it is reused: the request then fails before any byte of a
        response, and a retry would cost a wait for nothing. A server that
        sends more than a response's length poisons its connection: the
        excess would be read as the next response, on another URL; when a
        response was there before its request (no byte came since the
        request was written), its connection is dropped.
        """
        for last in (False, True):
            token = _SENT_ON.set(None)
            try:
                with _as_httpx2_errors():
                    response = self._pool(request.url).handle_request(
                        httpcore2.Request(
                            method=request.method,
                            url=_core_url(request.url),
                            headers=request.headers.raw,
                            content=request.stream,
                            extensions=request.extensions,
                        )
                    )
            except (httpx2.NetworkError, httpx2.RemoteProtocolError):
                sent_on = _SENT_ON.get()
                if last or sent_on is None or not sent_on.unanswered_reuse():
                    raise
                continue
            finally:
                _SENT_ON.reset(token)
            stream = response.extensions.get("network_stream")
            if not isinstance(stream, _DeadlineStream) or stream.heard_since_write():
                break
            with _as_httpx2_errors():
                response.close()  # its body unread: httpcore2 closes the connection
        else:
            msg = "the server sent more bytes than its responses announced"
            raise httpx2.RemoteProtocolError(msg)
        return httpx2.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response),
            extensions=response.extensions,
        )

    @typing_extensions.override
    def close(self) -> None:
        """Close every connection of every pool."""
        for pool in (self._direct, *self._proxied.values()):
            pool.close()


def _proxied_as(url: httpx2.URL, proxies: Collection[str]) -> str | None:
    """Name the proxy ``url`` goes through: its scheme's, or ``all``; NO_PROXY wins."""
    scheme = url.scheme if url.scheme in proxies else "all"
    if scheme not in proxies or urllib.request.proxy_bypass(url.host):
        return None
    return scheme


def proxy_for(url: httpx2.URL) -> httpx2.URL | None:
    """Return the proxy that requests for ``url`` go through, or ``None``."""
    proxies = urllib.request.getproxies()
    scheme = _proxied_as(url, proxies.keys() & PROXY_VARIABLES)
    return None if scheme is None else httpx2.Proxy(_with_scheme(proxies[scheme])).url


def _with_scheme(proxy: str) -> str:
    return proxy if "://" in proxy else f"http://{proxy}"


def _core_url(url: httpx2.URL) -> httpcore2.URL:
    return httpcore2.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )


def _proxy(url: str) -> httpcore2.Proxy:
    """Read a proxy variable as httpx2 does: no scheme means http; credentials apart."""
    proxy = httpx2.Proxy(_with_scheme(url))
    return httpcore2.Proxy(url=_core_url(proxy.url), auth=proxy.raw_auth)


def proxy_secrets() -> Iterator[str]:
    """Yield each proxy's password, alone and as the Basic credentials sent to it.

    The command masks them: a proxy may echo its ``Proxy-Authorization`` back
    in a header of its own, which a DEBUG log line would show.
    """
    for scheme, url in urllib.request.getproxies().items():
        if scheme in PROXY_VARIABLES:
            auth = httpx2.Proxy(_with_scheme(url)).raw_auth
            if auth is not None and auth[1]:
                yield auth[1].decode(errors="surrogateescape")
                yield base64.b64encode(b":".join(auth)).decode()


def refuse_unusable_proxies() -> None:
    """Refuse a proxy variable the client would fail on, naming it, never its value.

    The client reads ``HTTP_PROXY``, ``HTTPS_PROXY`` and ``ALL_PROXY`` (lower
    case first, as ``urllib`` does) when it is built, and httpx2 and
    httpcore2 would fail then, or at the first request, on a SOCKS proxy (no
    ``socksio``), another scheme, or a URL that is not one. The value may hold
    the proxy's password, so the message shows neither.
    """
    for scheme, url in urllib.request.getproxies().items():
        if scheme not in PROXY_VARIABLES:
            continue
        names = (f"{scheme}_proxy", f"{scheme.upper()}_PROXY")
        name = next((name for name in names if name in os.environ), names[1])
        given = _with_scheme(url)  # as ``_proxy`` reads it
        try:
            proxy = httpx2.URL(given)
        except httpx2.InvalidURL as exc:
            msg = f"{name}: not a valid proxy URL ({exc})"
            raise InputError(msg) from exc
        if proxy.scheme not in SCHEMES:
            msg = f"{name}: only http and https proxies work, not {proxy.scheme}"
            raise InputError(msg)
        if not proxy.host or not url.strip():
            msg = f"{name}: the proxy URL names no host"
            raise InputError(msg)
        if proxy.port is not None and not 0 < proxy.port <= MAX_PORT:
            msg = f"{name}: the proxy URL's port {proxy.port} is outside 1-{MAX_PORT}"
            raise InputError(msg)


def refuse_unsafe_url(request: httpx2.Request) -> None:
    """Refuse a request the user could not have typed, on every redirect hop too.

    httpx2 accepts ports above 65535 and connects to the port modulo 65536,
    so ``Location: http://host:65616/`` would reach port 80; a redirect may
    also carry credentials, which would then appear in logs. The command
    line is held to the same rules (``download.DownloadRequest``).
    """
    url = request.url
    shown = url.copy_with(userinfo=b"")  # a message never repeats a password
    if url.userinfo:
        msg = f"{shown}: credentials do not belong in a URL, where logs show them"
        raise UnsafeUrlError(msg)
    if url.scheme not in SCHEMES or not url.host:
        msg = f"{shown}: only http and https URLs with a host are fetched"
        raise UnsafeUrlError(msg)
    if url.port is not None and not 0 < url.port <= MAX_PORT:
        msg = f"{shown}: port {url.port} is outside 1-{MAX_PORT}"
        raise UnsafeUrlError(msg)
    if problem := host_name_problem(url.raw_host.decode("ascii")):
        msg = f"{shown}: {problem}"
        raise UnsafeUrlError(msg)


def host_name_problem(host: str) -> str | None:
    """Say why no resolver can look ``host`` up (as sent: in IDNA), or ``None``.

    The system's resolver gets the name through Python's IDNA codec, which
    raises ``UnicodeError`` for a part between dots that is empty (``a..b``)
    or longer than DNS allows: such a name is refused, typed or redirected to.
    """
    parts = host.removesuffix(".").split(".")  # a final dot names the root
    if all(0 < len(part) <= MAX_LABEL for part in parts):
        return None
    return (
        "the host name has a part between dots that is empty"
        f" or over {MAX_LABEL} characters"
    )


@dataclass(frozen=True)
class ScopedBearerToken:
    """Send the token to one origin only, on every request, redirects included.

    A request hook runs on each hop of a redirect chain, so the header is set
    when the request goes to the token's origin (scheme, host and port) and
    removed for any other, including the http-to-https hop that httpx2 itself
    would let keep it. Its repr shows the origin, the token masked.
    """

    token: SecretStr
    origin: httpx2.Origin

    def __call__(self, request: httpx2.Request) -> None:
        """Add or strip the Authorization header of ``request``."""
        if request.url.origin == self.origin:
            request.headers["Authorization"] = f"Bearer {self.token.get_secret_value()}"
        else:
            request.headers.pop("Authorization", None)


@contextmanager
def open_client(
    *,
    timeout: float,
    token: SecretStr | None = None,
    token_url: str | None = None,
    transport: httpx2.BaseTransport | None = None,
) -> Iterator[httpx2.Client]:
    """Open the pooled client; ``transport`` lets tests inject faults.

    ``timeout`` bounds each phase (connect, each read, each write, waiting for
    a pooled connection), not the whole download, which may take long
    (``download`` bounds its rate instead). Bodies are requested unencoded,
    and ``download`` never decodes one: the bytes saved are the bytes served.
    """
    refuse_unusable_proxies()
    hooks: list[Callable[[httpx2.Request], None]] = [refuse_unsafe_url]
    if token is not None and token_url is not None:
        hooks.append(ScopedBearerToken(token, httpx2.Origin(token_url)))
    try:
        client = httpx2.Client(
            timeout=httpx2.Timeout(
                connect=timeout, read=timeout, write=timeout, pool=timeout
            ),
            follow_redirects=False,  # download.py follows them, bounded
            headers={
                "User-Agent": f"{DISTRIBUTION}/{version(DISTRIBUTION)}",
                "Accept-Encoding": "identity",
            },
            event_hooks={"request": hooks},
            transport=transport or DeadlineTransport(httpx2.create_ssl_context()),
        )
    except OSError as exc:  # ssl.SSLError included: a CA file that holds none
        raise _tls_settings_error(exc) from exc
    with client:
        yield client


def _tls_settings_error(exc: OSError) -> InputError:
    """Name the variable the TLS context failed on: SSLKEYLOGFILE, or the trust ones.

    Where SSL_CERT_FILE or SSL_CERT_DIR is set, ``ssl.create_default_context``
    builds the context, and it also opens the file SSLKEYLOGFILE names, to
    append the session keys to. Its error names that file; a CA file's does not.
    """
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and exc.filename == keylog:
        msg = f"SSLKEYLOGFILE: cannot write TLS keys to {keylog}: {exc.strerror}"
        return InputError(msg)
    msg = f"cannot load the trusted certificates ({TRUST_VARIABLES}): {exc}"
    return InputError(msg)
