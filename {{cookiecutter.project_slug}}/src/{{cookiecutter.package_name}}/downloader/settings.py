"""The downloader's settings: where files go, how long and how often to try.

The project's ``settings.Settings`` mixes these fields in, so they have its sources and
precedence, its checks and one-line errors, and ``config show`` lists them.
"""

import re
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

#: A size as people type it: digits, maybe a fraction, maybe a unit (KiB, MB).
#: pydantic's ``ByteSize`` alone reads more, and wrongly: "1e-3" as an
#: exabyte, "10MiB junk" as 10 MiB, Arabic-Indic digits as ASCII ones.
SIZE = re.compile(r"\s*[0-9]+(\.[0-9]+)?\s*([kmgtpe]i?b?|b)?\s*", re.IGNORECASE)


def _a_folder_name(value: object) -> object:
    """Refuse ``""``, and a name the system cannot look up, in the setting's words.

    An unset ``$VAR`` would otherwise mean the working folder; a name too long
    would fail as an error of the program.
    """
    if value == "":
        msg = "is empty: name a folder, or leave it unset"
        raise ValueError(msg)
    if isinstance(value, str | Path):
        try:
            Path(value).is_dir()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            msg = f"cannot be looked up: {getattr(exc, 'strerror', None) or exc}"
            raise ValueError(msg) from exc
    return value


def _a_size(value: object) -> object:
    """Refuse a size text that ``SIZE`` does not match whole."""
    if isinstance(value, str) and not SIZE.fullmatch(value):
        msg = "not a size: a number, then maybe a unit such as KiB, MB or GiB"
        raise ValueError(msg)
    return value


def _not_a_boolean(value: object) -> object:
    """Refuse ``true`` and ``false`` (TOML booleans): pydantic reads them as 1 and 0."""
    if isinstance(value, bool):
        msg = "a number is expected, not true or false"
        raise ValueError(msg)  # noqa: TRY004 -- pydantic reports ValueError only
    return value


Number = BeforeValidator(_not_a_boolean)
#: A number of bytes, as typed (``10MiB``) or as a number.
Size = Annotated[ByteSize, BeforeValidator(_a_size), Number]


class DownloadFields(BaseModel):
    """The settings only the download command reads."""

    dest: Annotated[DirectoryPath, BeforeValidator(_a_folder_name)] = Path()
    timeout: Annotated[float, Number] = Field(default=30.0, gt=0, le=3600)
    attempts: Annotated[int, Number] = Field(default=3, ge=1, le=10)
    max_bytes: Size = Field(default=ByteSize(2**30), gt=0)
    base_url: HttpUrl | None = None  # the origin the API token is sent to

    @field_validator("base_url")
    @classmethod
    def _no_credentials(cls, url: HttpUrl | None) -> HttpUrl | None:
        """Refuse ``user:password@``, as in a typed URL: ``config show`` prints it."""
        if url is not None and (url.username or url.password):
            msg = "credentials do not belong in a URL, where logs would show them"
            raise ValueError(msg)
        return url
