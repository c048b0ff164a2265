"""The downloader's exceptions: its own branches under ``core.errors.ProjectError``.

Exit code 1 for each (the download failed, not the user's input); the CLI
boundary reports them as it reports every project error.
"""

from {{ cookiecutter.package_name }}.core.errors import ProjectError


class DownloadError(ProjectError):
    """A download failed; nothing was left behind at the target."""


class TransferError(DownloadError):
    """The network failed (connect, timeout, connection dropped): worth a retry."""


class BadStatusError(DownloadError):
    """The server answered with an HTTP error status."""

    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        """Keep the status and the Retry-After (in seconds) for the retry policy."""
        super().__init__(f"{url}: HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class SizeLimitError(DownloadError):
    """The body is larger than the allowed maximum."""


class ChecksumError(DownloadError):
    """The body's SHA-256 digest is not the expected one."""


class UnsafeTargetError(DownloadError):
    """No safe file name, or the target is outside the folder, a symlink or taken."""


class UnsafeUrlError(DownloadError):
    """A URL (typed, or from a redirect) is not one this program will fetch."""


class CircuitOpenError(ProjectError):
    """A dependency failed repeatedly; calls fail fast until it cools down."""
