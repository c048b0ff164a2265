"""Downloads: validated first, streamed to disk, verified, then renamed into place.

Guide, Streaming: the body goes from the socket to the disk in chunks, so
memory stays flat whatever the size. Guide, Cleanup: a download that fails
for any reason, Ctrl-C included, leaves neither the target nor a temp file.
"""

import hashlib
import logging
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, BinaryIO, Self

import httpx2
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .breaker import Breakers
from .errors import (
    BadStatusError,
    ChecksumError,
    DownloadError,
    InputError,
    SizeLimitError,
    TransferError,
    UnsafeTargetError,
    one_line,
)
from .filenames import name_for, safe_target
from .progress import Advance, Progress
from .retries import parse_retry_after, retrying

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
# Failures of the network rather than of the request: the ones worth a retry.
NETWORK_ERRORS = (
    httpx2.TimeoutException,
    httpx2.NetworkError,
    httpx2.RemoteProtocolError,
)
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation

Sha256Hex = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$", to_lower=True)
]


class DownloadRequest(BaseModel):
    """What the user asked for, checked before any work (guide: Input validation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    urls: list[HttpUrl] = Field(min_length=1)  # HttpUrl: http and https only
    sha256: Sha256Hex | None = None

    @field_validator("urls")
    @classmethod
    def _no_credentials(cls, urls: list[HttpUrl]) -> list[HttpUrl]:
        if any(url.username or url.password for url in urls):
            msg = "credentials do not belong in a URL, where logs would show them"
            raise ValueError(msg)
        return urls

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
            raise InputError(one_line(exc, _argument_name)) from exc


def _argument_name(loc: tuple[int | str, ...]) -> str:
    """Name a failing field as the user typed it: ``URL 2`` or ``--sha256``."""
    if loc[0] == "sha256":
        return "--sha256"
    return "URL" if len(loc) == 1 else f"URL {int(loc[1]) + 1}"


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

    def fetch(self, url: str, sha256: str | None = None) -> Path:
        """Download ``url``; return the saved path or raise a ``ProjectError``.

        stamina retries whole tries (a GET is idempotent, and each try starts
        a fresh temp file); each try passes the host's breaker first, so a
        host that keeps failing is not hammered.
        """
        guarded = self.breakers[origin_key(url)](self._fetch_once)
        return retrying(self.attempts)(guarded, url, sha256)

    def _fetch_once(self, url: str, sha256: str | None) -> Path:
        """One try, with the library's exceptions translated into the project's."""
        try:
            with self.client.stream("GET", url) as response:
                return self._save(url, response, sha256)
        except NETWORK_ERRORS as exc:
            msg = f"{url}: {_reason(exc)}"
            raise TransferError(msg) from exc
        except httpx2.HTTPError as exc:
            msg = f"{url}: {_reason(exc)}"
            raise DownloadError(msg) from exc
        except OSError as exc:
            msg = f"{url}: cannot save: {exc}"
            raise DownloadError(msg) from exc

    def _save(self, url: str, response: httpx2.Response, sha256: str | None) -> Path:
        if not response.is_success:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise BadStatusError(url, response.status_code, retry_after)
        declared = _declared_size(response)
        if declared is not None and declared > self.max_bytes:
            msg = f"{url}: {declared} bytes announced, the limit is {self.max_bytes}"
            raise SizeLimitError(msg)
        name = name_for(url, response.headers.get("Content-Disposition"))
        target = safe_target(self.dest, name, overwrite=self.overwrite)
        with (
            atomic_file(target, overwrite=self.overwrite) as out,
            self.progress(target.name, declared) as advance,
        ):
            digest, written = self._copy(url, response, out, advance)
            _verify(url, response, declared, digest, sha256)
        logger.info("saved %s (%d bytes, sha256 %s)", target, written, digest)
        return target

    def _copy(
        self, url: str, response: httpx2.Response, out: BinaryIO, advance: Advance
    ) -> tuple[str, int]:
        """Stream the body into ``out``; return its SHA-256 and its size.

        Bytes are counted against the limit as they arrive: Content-Length
        may be absent, and a chunked body has none.
        """
        digest, written = hashlib.sha256(), 0
        for chunk in response.iter_bytes(CHUNK_SIZE):
            written += len(chunk)
            if written > self.max_bytes:
                msg = f"{url}: more than {self.max_bytes} bytes, the limit"
                raise SizeLimitError(msg)
            digest.update(chunk)
            out.write(chunk)
            advance(len(chunk))
        return digest.hexdigest(), written


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
    """Write to a hidden temp file beside ``target``, renamed into place on success.

    Same folder, so ``os.replace`` is atomic: readers see the old file or the
    whole new one. On any exception the temp file is removed. Created with
    ``O_EXCL`` (never through an existing name or symlink) and mode 0o666, so
    the user's umask decides the permissions, as for any new file.
    """
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        _rename(part, target, overwrite=overwrite)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _rename(part: Path, target: Path, *, overwrite: bool) -> None:
    """Move the finished file into place (``os.replace``), checking the name again."""
    if not overwrite and (target.is_symlink() or target.exists()):
        msg = f"{target}: appeared during the download, not replaced"
        raise UnsafeTargetError(msg)
    part.replace(target)


def origin_key(url: str) -> str:
    """Key a URL by its origin: the breaker is per scheme, host and port."""
    origin = httpx2.URL(url).origin
    return f"{origin.scheme}://{origin.host}:{origin.port}"


def _declared_size(response: httpx2.Response) -> int | None:
    """Return Content-Length if the server sent a plain number."""
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def _reason(exc: Exception) -> str:
    """Describe ``exc``; some httpx2 errors have an empty message, not a type."""
    return str(exc) or type(exc).__name__
