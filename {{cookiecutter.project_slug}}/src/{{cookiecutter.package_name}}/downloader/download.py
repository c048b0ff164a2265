"""Downloads: validated first, streamed to disk, verified, then renamed into place.

Guide, Streaming: the body goes from the socket to the disk read by read, so
memory stays flat whatever the size, and every limit is checked on each read.
Guide, Cleanup: a download that fails for any reason, a stop signal included,
leaves neither the target nor a temp file.
"""

import contextlib
import errno
import logging
import os
import re
import secrets
import ssl
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, BinaryIO, Self

import httpx2
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    model_validator,
)

from {{ cookiecutter.package_name }}.core.errors import InputError, one_line
from {{ cookiecutter.package_name }}.core.redact import Redactor

from .background import Flusher, Sha256
from .breaker import Breakers
from .client import (
    MAX_HEAD,
    MAX_REDIRECTS,
    RateWatch,
    deadline,
    host_name_problem,
    minimum_rate,
    proxy_for,
    refuse_unsafe_url,
)
from .errors import (
    BadStatusError,
    ChecksumError,
    CircuitOpenError,
    DownloadError,
    SizeLimitError,
    TransferError,
    UnsafeTargetError,
)
from .filenames import name_for, safe_target
from .progress import Advance, Progress
from .retries import parse_retry_after, retrying

logger = logging.getLogger(__name__)

# Failures of the network rather than of the request: the ones worth a retry.
NETWORK_ERRORS = (
    httpx2.TimeoutException,
    httpx2.NetworkError,
    httpx2.RemoteProtocolError,
)
#: A redirect's body is read only up to this size (it is not saved; reading
#: a short one whole lets its connection serve the next request).
REDIRECT_BODY_LIMIT = 2**16
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation
#: ``os.link`` fails so on file systems without hard links (FAT, some shares).
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})
#: Handshake failures a retry cannot fix (an untrusted certificate, a wrong
#: protocol); the ones that only mean "connection lost" stay transient.
_LOST_CONNECTION = (ssl.SSLEOFError, ssl.SSLSyscallError, ssl.SSLZeroReturnError)
#: A TLS connection that ended without TLS's closing alert (close_notify).
_CUT_TLS = "the TLS connection was cut without its closing alert"
#: OpenSSL's codes around its words: "[SSL: WRONG_VERSION_NUMBER] wrong
#: version number (_ssl.c:1000)".
_OPENSSL_CODES = re.compile(r"^\[[^]]*\] | \(_ssl\.c:\d+\)$")
#: A connection's failures in the same words on every system.
_CONNECTION_WORDS: dict[type[OSError], str] = {
    ConnectionRefusedError: "connection refused",
    ConnectionResetError: "connection reset",
}
#: What httpcore2 and h11 say when a server breaks off (one exception class
#: for many faults, told apart by these words alone), and what the user reads.
_BROKEN_OFF = (
    (
        "Server disconnected without sending a response",
        "the connection closed before a complete response",
    ),
    ("peer closed connection without sending complete", "connection closed"),
    ("peer unexpectedly closed connection", "connection closed"),
)


def _as_typed(value: str) -> str:
    """Read a typed URL as the UTF-8 it was typed in, whatever the locale.

    Under a locale without UTF-8 (``LC_ALL=C`` with UTF-8 mode off), Python
    reads each byte of a non-ASCII argument as a lone surrogate (PEP 383),
    which no URL parser takes. The bytes are put back and read as UTF-8, as
    a UTF-8 locale reads them: ``http://bücher.example/naïve.txt`` then means
    the same under every locale (its host in IDNA, its path percent-encoded).
    """
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError as exc:
        msg = "not UTF-8 text: type it in UTF-8, or percent-encode its bytes"
        raise ValueError(msg) from exc


def _no_credentials(url: HttpUrl) -> HttpUrl:
    if url.username or url.password:
        msg = "credentials do not belong in a URL, where logs would show them"
        raise ValueError(msg)
    return url


def _a_host_name(url: HttpUrl) -> HttpUrl:
    if problem := host_name_problem(url.host or ""):
        raise ValueError(problem)
    return url


def _sha256(value: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        msg = "not a SHA-256 digest: 64 hexadecimal digits expected"
        raise ValueError(msg)
    return value.lower()


#: A typed URL: http or https, no credentials, a host name a resolver takes.
Url = Annotated[
    HttpUrl,
    BeforeValidator(_as_typed),
    AfterValidator(_no_credentials),
    AfterValidator(_a_host_name),
]
Sha256Hex = Annotated[str, AfterValidator(_sha256)]


class DownloadRequest(BaseModel):
    """What the user asked for, checked before any work (guide: Input validation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    urls: list[Url] = Field(min_length=1)
    sha256: Sha256Hex | None = None

    @model_validator(mode="after")
    def _one_digest_one_url(self) -> Self:
        if self.sha256 is not None and len(self.urls) > 1:
            msg = "--sha256 needs exactly one URL"
            raise ValueError(msg)
        return self

    @classmethod
    def parse(cls, urls: Sequence[str], sha256: str | None) -> Self:
        """Validate the command-line arguments or raise one ``InputError`` line."""
        try:
            return cls.model_validate({"urls": urls, "sha256": sha256})
        except ValidationError as exc:
            raise InputError(one_line(exc, _argument_name(urls))) from exc


def _argument_name(urls: Sequence[str]) -> Callable[[tuple[int | str, ...]], str]:
    """Name a failing field as the user typed it: ``URL http://h/a`` or ``--sha256``.

    A URL is named by itself, its credentials masked, rather than by its place;
    a character that is not printable (a newline, an escape) as its escape.
    """

    def name(loc: tuple[int | str, ...]) -> str:
        if loc[0] == "sha256":
            return "--sha256"
        if len(loc) == 1:
            return "URL"
        typed = Redactor()(urls[int(loc[1])])
        return "URL " + "".join(c if c.isprintable() else ascii(c)[1:-1] for c in typed)

    return name


@dataclass(frozen=True, kw_only=True)
class Downloader:
    """Fetch URLs into ``dest`` through one client, per-host breakers and retries."""

    client: httpx2.Client
    breakers: Breakers
    dest: Path
    max_bytes: int
    attempts: int
    progress: Progress
    overwrite: bool = False
    sleep: Callable[[float], None]  # each wait between tries (``retries.wait``)
    timeout: float = 30.0  # seconds: each phase's deadline (see ``_hop``)
    clock: Callable[[], float] = time.monotonic
    saved: set[Path] = field(default_factory=set)  # this batch's targets so far

    def fetch(self, url: str, sha256: str | None = None) -> Path:
        """Download ``url``; return the saved path or raise a ``ProjectError``.

        tenacity retries whole tries (a GET is idempotent, and each try starts
        a fresh temp file); each hop of a try passes its own host's breaker
        first, so a host that keeps failing is not hammered, and a healthy
        host that redirects to it is not blamed.
        """
        try:
            return retrying(self.attempts, self.sleep)(self._fetch_once, url, sha256)
        except CircuitOpenError as exc:
            msg = f"{url}: skipped: {exc}"
            raise CircuitOpenError(msg) from exc

    def _fetch_once(self, url: str, sha256: str | None) -> Path:
        """One try: the redirects followed hop by hop, the last response saved."""
        request = self.client.build_request("GET", url)
        for _ in range(MAX_REDIRECTS + 1):
            # Read once a hop: on macOS and Windows, from the system's settings.
            proxy = proxy_for(request.url)
            hop = self.breakers[breaker_key(request.url, proxy)](self._hop)
            outcome = hop(url, request, sha256, proxy)
            if isinstance(outcome, Path):
                return outcome
            request = outcome
        msg = f"{url}: more than {MAX_REDIRECTS} redirects"
        raise DownloadError(msg)

    def _hop(
        self,
        url: str,
        request: httpx2.Request,
        sha256: str | None,
        proxy: httpx2.URL | None,
    ) -> Path | httpx2.Request:
        """Send ``request`` (through ``proxy``); return the next hop's, or the file.

        Every phase ends in time. Connect, TLS, the request, then the status
        line and headers (any ``1xx`` before them included) have ``timeout``
        seconds together, and so has dropping a redirect's body; the body of
        the file has the minimum rate (``RateWatch``), each read ``timeout``.
        The library's exceptions are translated into the project's.
        """
        try:
            try:
                with deadline(self.timeout):
                    response = self.client.send(request, stream=True)
            except httpx2.TimeoutException as exc:
                msg = f"{url}: timed out: no response within {self.timeout:g} s"
                raise TransferError(msg) from exc
            except httpx2.RemoteProtocolError as exc:
                refused = _h11_error(exc)  # None: the connection was lost
                if refused is None:
                    raise
                msg = f"{url}: {_bad_head(refused)}"
                raise DownloadError(msg) from exc  # a retry would get the same
            with contextlib.closing(response):
                if response.has_redirect_location:
                    with deadline(self.timeout):
                        return _follow(url, response)
                return self._save(url, response, sha256)
        except httpx2.ConnectError as exc:
            raise _connect_error(url, proxy, exc) from exc
        except NETWORK_ERRORS as exc:
            msg = f"{url}: {_reason(exc)}"
            raise TransferError(msg) from exc
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
            msg = f"{url}: {_reason(exc)}"
            raise DownloadError(msg) from exc
        except OSError as exc:
            msg = f"{url}: cannot save: {_reason(exc)}"
            raise DownloadError(msg) from exc

    def _save(self, url: str, response: httpx2.Response, sha256: str | None) -> Path:
        if not response.is_success:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise BadStatusError(url, response.status_code, retry_after)
        declared = framing(url, response.status_code, response.headers)
        if declared is not None and declared > self.max_bytes:
            msg = f"{url}: {declared} bytes announced, the limit is {self.max_bytes}"
            raise SizeLimitError(msg)
        name = name_for(url, response.headers.get("Content-Disposition"))
        target = safe_target(self.dest, name, overwrite=self.overwrite)
        if target in self.saved:
            msg = f"{url}: {target.name} was saved from another URL of this batch"
            raise UnsafeTargetError(msg)
        with (
            atomic_file(target, overwrite=self.overwrite) as out,
            self.progress(target.name, declared) as advance,
        ):
            try:
                digest, written = self._copy(url, response, out, advance)
            except NETWORK_ERRORS as exc:  # the body broke off: say where
                got = response.num_bytes_downloaded
                of = "" if declared is None else f" of {declared}"
                cut = any(isinstance(c, ssl.SSLEOFError) for c in _causes(exc))
                reason = _CUT_TLS if cut else _reason(exc)
                msg = f"{url}: {reason} after {got}{of} bytes"
                raise TransferError(msg) from exc
            _verify(url, response, declared, digest, sha256)
        self.saved.add(target)
        logger.info("saved %s (%d bytes, sha256 %s)", target, written, digest)
        return target

    def _copy(
        self, url: str, response: httpx2.Response, out: BinaryIO, advance: Advance
    ) -> tuple[str, int]:
        """Stream the body into ``out``; return its SHA-256 and its size.

        ``iter_raw`` hands over each read as it arrives and never decodes a
        ``Content-Encoding``: the file holds the bytes served (a ``.tar.gz``
        stays gzipped and matches its published digest), and a compression
        bomb is only ever its compressed size. The size is checked on every
        chunk, before it is written; the rate on every read of the socket,
        framing bytes included (``client.minimum_rate``). The hash and the
        flushes to disk run in threads beside the transfer (``background.py``).
        """
        written = 0
        with (
            Sha256() as digest,
            Flusher(out) as flusher,
            minimum_rate(RateWatch(self.clock)),
        ):
            for chunk in response.iter_raw():
                written += len(chunk)
                if written > self.max_bytes:
                    msg = f"{url}: more than {self.max_bytes} bytes, the limit"
                    raise SizeLimitError(msg)
                digest.update(chunk)
                out.write(chunk)
                flusher.wrote(len(chunk))
                advance(len(chunk))
            return digest.hexdigest(), written


def _follow(url: str, response: httpx2.Response) -> httpx2.Request:
    """Return the request a redirect asks for, its URL checked; drop its body.

    Followed here rather than by httpx2, which reads every 3xx body whole,
    decoded, with no bound (a 400 MiB body, or a gzip bomb, held in memory).
    At most ``REDIRECT_BODY_LIMIT`` bytes are read, raw, until the deadline,
    so that a short body leaves its connection fit for the next request; the
    rest goes with the connection.
    """
    following = response.next_request  # None: httpx2 found no URL in Location
    if following is None:
        msg = f"{url}: HTTP {response.status_code} with a Location that is not a URL"
        raise DownloadError(msg)
    refuse_unsafe_url(following)
    received = 0
    with contextlib.suppress(*NETWORK_ERRORS, httpx2.StreamError):  # read already
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > REDIRECT_BODY_LIMIT:
                break
    return following


def _verify(
    url: str,
    response: httpx2.Response,
    declared: int | None,
    digest: str,
    sha256: str | None,
) -> None:
    """Check the size against Content-Length and the digest against ``sha256``."""
    received = response.num_bytes_downloaded
    if declared is not None and received != declared:
        msg = f"{url}: connection closed after {received} of {declared} bytes"
        raise TransferError(msg)
    if sha256 is not None and digest != sha256:
        msg = f"{url}: SHA-256 is {digest}, expected {sha256}"
        raise ChecksumError(msg)


@contextmanager
def atomic_file(target: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    """Write to a hidden temp file beside ``target``, moved into place on success.

    Same folder, so the move is atomic: readers see the old file or the whole
    new one. On any exception the temp file is removed. Created with
    ``O_EXCL`` (never through an existing name or symlink) and mode 0o666, so
    the user's umask decides the permissions of a new file; a replaced file
    keeps its own mode, owner and group, as with ``curl -o``, from before
    the first byte on: a private file is never readable by others during the
    transfer, nor by another group (a setgid folder's) after it.
    """
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    old = target.stat() if overwrite and target.is_file() else None
    try:
        # Opened inside the ``try``: a signal handled as the call returns
        # (the interpreter's first chance) still removes the new file.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY
        mode = 0o666 if old is None else stat.S_IMODE(old.st_mode) & 0o700
        fd = os.open(part, flags, mode)  # the umask takes more, never less
        with os.fdopen(fd, "wb") as out:
            if old is not None:  # its owner, group and mode, before the first byte
                part.chmod(_keep_owner(fd, old))
            yield out
            out.flush()
            os.fsync(out.fileno())
        _move(part, target, overwrite=overwrite)
    except BaseException as exc:
        if not _not_ours(exc, part):
            part.unlink(missing_ok=True)
        raise


if sys.platform == "win32":  # pragma: windows-only

    def _keep_owner(_: int, old: os.stat_result) -> int:
        """Return the replaced file's mode (Windows files have no POSIX owner)."""
        return stat.S_IMODE(old.st_mode)

else:  # pragma: posix-only

    def _keep_owner(fd: int, old: os.stat_result) -> int:
        """Give the new file the replaced one's owner and group; return its mode.

        Only root may give a file away, and others only to a group they are
        in: where the group cannot be kept (a setgid folder's, or the user's
        own), the new group gets none of the old group's rights.
        """
        with contextlib.suppress(PermissionError):
            os.fchown(fd, old.st_uid, old.st_gid)
        same_group = os.fstat(fd).st_gid == old.st_gid
        return stat.S_IMODE(old.st_mode) & (0o7777 if same_group else ~0o070)


def _not_ours(exc: BaseException, part: Path) -> bool:
    """Say whether ``part`` was another process's (the same random name, taken)."""
    return isinstance(exc, FileExistsError) and str(exc.filename) == str(part)


def _move(part: Path, target: Path, *, overwrite: bool) -> None:
    """Move the finished file into place; without ``overwrite``, never over a name.

    ``os.link`` refuses an existing name atomically, so of two processes
    saving the same name at once only one wins and the other says so. Where
    the file system has no hard links, the name is checked just before the
    replace: a race remains possible there, and only there.
    """
    if overwrite:
        part.replace(target)
        return
    try:
        os.link(part, target)
    except FileExistsError as exc:
        raise _appeared(target) from exc
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if target.is_symlink() or target.exists():
            raise _appeared(target) from exc
        part.replace(target)
    else:
        part.unlink()


def _appeared(target: Path) -> UnsafeTargetError:
    return UnsafeTargetError(f"{target}: appeared during the download, not replaced")


def breaker_key(url: httpx2.URL, proxy: httpx2.URL | None) -> str:
    """Key the host that a request's failures count against: its proxy, if any."""
    return origin_key(url if proxy is None else proxy)


def origin_key(url: str | httpx2.URL) -> str:
    """Key a URL by its origin: the breaker is per scheme, host and port."""
    origin = httpx2.URL(url).origin
    return f"{origin.scheme}://{origin.host}:{origin.port}"


def framing(url: str, status: int, headers: httpx2.Headers) -> int | None:
    """Return the body's announced length (``None``: unknown), or refuse its framing.

    No Range is ever sent, so a 206 holds a part of the file, never all of it.
    Content-Length beside Transfer-Encoding makes the length ambiguous (RFC
    9112, section 6.1: a sender must not send both; the client follows the
    chunks): a retry would get the same, so both are refused at once.
    """
    if status == httpx2.codes.PARTIAL_CONTENT:
        msg = f"{url}: HTTP 206, a part of the file, to a request for all of it"
        raise DownloadError(msg)
    if "Transfer-Encoding" in headers and "Content-Length" in headers:
        msg = f"{url}: both Content-Length and Transfer-Encoding: an ambiguous length"
        raise DownloadError(msg)
    return parse_content_length(headers.get("Content-Length"))


def parse_content_length(value: str | None) -> int | None:
    """Read Content-Length: ASCII digits only, else ``None`` (the size is unknown).

    ``str.isdigit`` would accept "²" or Arabic-Indic digits that ``int``
    rejects or reads differently; more than 18 digits is no real size.
    """
    value = "" if value is None else value.strip()
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None


def _h11_error(exc: BaseException) -> BaseException | None:
    """Return h11's error among the causes of ``exc``, or ``None``.

    httpcore2 reports a connection closed before any response itself; the
    errors h11 raises while reading the head mean bytes it cannot parse.
    """
    return next((cause for cause in _causes(exc) if _from_h11(cause)), None)


def _from_h11(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("h11")


def _bad_head(error: BaseException) -> str:
    """Say what is wrong with the response's head that h11 refused (its ``error``).

    Two of h11's errors mean something else than bytes that are not HTTP: a
    head longer than it reads (it hints the status 431, "Request Header
    Fields Too Large"), and a ``101 Switching Protocols``, which a request
    that proposed no other protocol (none here does) cannot be answered with.
    """
    too_long = httpx2.codes.REQUEST_HEADER_FIELDS_TOO_LARGE
    if getattr(error, "error_status_hint", None) == too_long:
        kib = MAX_HEAD // 1024
        return f"the response's status line and headers are longer than {kib} KiB"
    if "_SWITCH_UPGRADE" in str(error):  # h11's name for a 101
        return (
            "the server switched to another protocol (HTTP 101),"
            " though none was asked for"
        )
    return _reason(error)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """Yield ``exc`` and its causes, each once (a chain may loop)."""
    cause: BaseException | None = exc
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


def _connect_error(
    url: str, proxy: httpx2.URL | None, exc: httpx2.ConnectError
) -> DownloadError:
    """Classify a failed connect: a lost one is transient, a TLS failure is not.

    A TLS failure is the server's, through a proxy's tunnel too; an untrusted
    certificate's message says how to trust one. Any other failure through a
    proxy was the proxy's connection: it is named (its origin alone, never
    its credentials).
    """
    tls = next((c for c in _causes(exc) if isinstance(c, ssl.SSLError)), None)
    if tls is not None and not isinstance(tls, _LOST_CONNECTION):
        msg = f"{url}: TLS handshake failed: {_reason(tls)}"
        if isinstance(tls, ssl.SSLCertVerificationError):
            msg += (
                "; to trust a private certificate authority,"
                " set SSL_CERT_FILE to its PEM file"
            )
        return DownloadError(msg)
    if proxy is not None:
        msg = f"{url}: cannot reach the proxy {origin_key(proxy)}: {_reason(exc)}"
        return TransferError(msg)
    return TransferError(f"{url}: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    """Say what went wrong in the user's words, not a library's nor the system's.

    The first cause that tells wins: a proxy's refusal; a TLS failure
    (``_tls_reason``); the system's, without its number ("[Errno 104]"); a
    server that broke off, or h11's refusal of what it sent, instead of
    h11's own words ("illegal chunk header: bytearray(b'zz')"). Else the
    message of ``exc`` (or its type: some httpx2 errors have none), such as
    the client's own "stalled below 1024 bytes/s for 30 s".
    """
    for cause in _causes(exc):
        if isinstance(cause, httpx2.ProxyError):  # its status: "403 Forbidden"
            return f"the proxy refused to open a tunnel: HTTP {cause}"
        if isinstance(cause, ssl.SSLError):
            return _tls_reason(cause)
        if isinstance(cause, OSError) and cause.strerror:
            return _CONNECTION_WORDS.get(type(cause), cause.strerror)
        said = str(cause)
        for theirs, ours in _BROKEN_OFF:
            if said.startswith(theirs):
                return ours
        if _from_h11(cause):
            return "the response is not valid HTTP/1.1"
    return str(exc) or type(exc).__name__


def _tls_reason(exc: ssl.SSLError) -> str:
    """Say why TLS failed: OpenSSL's words, without its codes and source line."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the certificate is not trusted ({exc.verify_message.rstrip('.')})"
    if isinstance(exc, _LOST_CONNECTION):
        return "the connection closed during the TLS handshake"
    return _OPENSSL_CODES.sub("", exc.strerror or str(exc))
