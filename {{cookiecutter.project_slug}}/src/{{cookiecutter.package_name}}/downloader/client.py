"""The one HTTP client of the process: pooled, with explicit timeouts and limits.

Guide, Connection reuse: one client per process, so requests to a host reuse
its open connections instead of paying a new handshake each time. Guide,
Cleanup: the client is only handed out by a context manager, which closes
every connection on exit, errors and Ctrl-C included.

A timeout bounds one connect, read or write; a server that answers a byte
at a time, or sends ``102 Processing`` for ever, never lets one expire. So
every socket operation of the client is also bounded by the deadline of
the phase it belongs to (``deadline``): the whole phase ends in time.
"""

import math
import os
import ssl
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
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
DISTRIBUTION = "{{ cookiecutter.project_slug }}"
SCHEMES = frozenset({"http", "https"})
MAX_PORT = 65535
TRUST_VARIABLES = "SSL_CERT_FILE, SSL_CERT_DIR"
PROXY_VARIABLES = frozenset({"http", "https", "all"})  # the ones httpx2 reads


_DEADLINE: ContextVar[float] = ContextVar("deadline", default=math.inf)


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


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """Return ``timeout`` cut to what the deadline leaves, or raise ``expired``."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        msg = "the deadline passed"
        raise expired(msg)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose every operation ends by the deadline of its phase."""

    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self._stream = stream

    @typing_extensions.override
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore2.ReadTimeout))

    @typing_extensions.override
    def write(self, buffer: bytes, timeout: float | None = None) -> None:
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
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, within)
        )

    @typing_extensions.override
    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


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


def _under_deadlines(client: httpx2.Client) -> None:
    """Give every connection pool of ``client`` (proxies' too) the deadline backend.

    httpx2 has no public way to hand its pools a network backend; these
    private names are checked by the tests of the deadlines, through a proxy
    too. Another transport (a test's) is left as it is.
    """
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001
    for transport in transports:
        if isinstance(transport, httpx2.HTTPTransport):
            pool = transport._pool  # noqa: SLF001
            pool._network_backend = _DeadlineBackend(pool._network_backend)  # noqa: SLF001


def refuse_unusable_proxies() -> None:
    """Refuse a proxy variable httpx2 would fail on, naming it, never its value.

    httpx2 reads ``HTTP_PROXY``, ``HTTPS_PROXY`` and ``ALL_PROXY`` (lower case
    first, as ``urllib`` does) when the client is built, and fails then with
    an ``ImportError`` for a SOCKS proxy (no ``socksio``), a ``ValueError``
    for another scheme, or ``InvalidURL``. The value may hold the proxy's
    password, so the message shows neither.
    """
    for scheme, url in urllib.request.getproxies().items():
        if scheme not in PROXY_VARIABLES:
            continue
        names = (f"{scheme}_proxy", f"{scheme.upper()}_PROXY")
        name = next((name for name in names if name in os.environ), names[1])
        given = url if "://" in url else f"http://{url}"  # as httpx2 reads it
        try:
            proxy = httpx2.URL(given)
        except httpx2.InvalidURL as exc:
            msg = f"{name}: not a valid proxy URL ({exc})"
            raise InputError(msg) from exc
        if proxy.scheme not in SCHEMES:
            msg = f"{name}: only http and https proxies work, not {proxy.scheme}"
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
            limits=LIMITS,
            follow_redirects=False,  # download.py follows them, bounded
            headers={
                "User-Agent": f"{DISTRIBUTION}/{version(DISTRIBUTION)}",
                "Accept-Encoding": "identity",
            },
            event_hooks={"request": hooks},
            transport=transport,
        )
    except (OSError, ssl.SSLError) as exc:  # SSL_CERT_FILE or _DIR names no CA file
        msg = f"cannot load the trusted certificates ({TRUST_VARIABLES}): {exc}"
        raise InputError(msg) from exc
    _under_deadlines(client)
    with client:
        yield client
