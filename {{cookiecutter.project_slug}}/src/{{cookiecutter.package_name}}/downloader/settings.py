"""The downloader's settings: where files go, how long and how often to try.

The project's ``settings.Settings`` mixes these fields in, so they have its sources and
precedence, its checks and one-line errors, and ``config show`` lists them.
"""

from pathlib import Path

from pydantic import (
    BaseModel,
    ByteSize,
    DirectoryPath,
    Field,
    HttpUrl,
    field_validator,
)


class DownloadFields(BaseModel):
    """The settings only the download command reads."""

    dest: DirectoryPath = Path()
    timeout: float = Field(default=30.0, gt=0, le=3600)
    attempts: int = Field(default=3, ge=1, le=10)
    max_bytes: ByteSize = Field(default=ByteSize(2**30), gt=0)
    base_url: HttpUrl | None = None  # the origin the API token is sent to

    @field_validator("base_url")
    @classmethod
    def _no_credentials(cls, url: HttpUrl | None) -> HttpUrl | None:
        """Refuse ``user:password@``, as in a typed URL: ``config show`` prints it."""
        if url is not None and (url.username or url.password):
            msg = "credentials do not belong in a URL, where logs would show them"
            raise ValueError(msg)
        return url
