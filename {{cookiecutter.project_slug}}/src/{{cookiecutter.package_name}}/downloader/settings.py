"""The downloader's settings: where files go, how long and how often to try.

The project's ``settings.Settings`` mixes these fields in, so they have its sources and
precedence, its checks and one-line errors, and ``config show`` lists them.
"""

from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ByteSize,
    DirectoryPath,
    Field,
    HttpUrl,
    field_validator,
)


def _not_empty(value: object) -> object:
    """Refuse ``""``: an unset ``$VAR`` would otherwise mean the working folder."""
    if value == "":
        msg = "is empty: name a folder, or leave it unset"
        raise ValueError(msg)
    return value


def _not_a_boolean(value: object) -> object:
    """Refuse ``true`` and ``false`` (TOML booleans): pydantic reads them as 1 and 0."""
    if isinstance(value, bool):
        msg = "a number is expected, not true or false"
        raise ValueError(msg)  # noqa: TRY004 -- pydantic reports ValueError only
    return value


Number = BeforeValidator(_not_a_boolean)


class DownloadFields(BaseModel):
    """The settings only the download command reads."""

    dest: Annotated[DirectoryPath, BeforeValidator(_not_empty)] = Path()
    timeout: Annotated[float, Number] = Field(default=30.0, gt=0, le=3600)
    attempts: Annotated[int, Number] = Field(default=3, ge=1, le=10)
    max_bytes: Annotated[ByteSize, Number] = Field(default=ByteSize(2**30), gt=0)
    base_url: HttpUrl | None = None  # the origin the API token is sent to

    @field_validator("base_url")
    @classmethod
    def _no_credentials(cls, url: HttpUrl | None) -> HttpUrl | None:
        """Refuse ``user:password@``, as in a typed URL: ``config show`` prints it."""
        if url is not None and (url.username or url.password):
            msg = "credentials do not belong in a URL, where logs would show them"
            raise ValueError(msg)
        return url
