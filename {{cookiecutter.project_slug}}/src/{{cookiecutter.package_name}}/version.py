"""The ``--version`` text: the installed version, and the git revision in a checkout.

In an editable install (a developer's working tree) the version in the
metadata says little; ``git describe`` names the exact commit. It is the
project's one small use of an external program (see ``commands``).
"""

from importlib.metadata import distribution
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from pydantic import BaseModel, Field, ValidationError

from . import __version__
from .commands import run
from .errors import CommandError

GIT_TIMEOUT = 5.0


class _DirInfo(BaseModel):
    editable: bool = False


class _DirectUrl(BaseModel):
    """The part of PEP 610's direct_url.json that tells an editable install."""

    url: str
    dir_info: _DirInfo = Field(default_factory=_DirInfo)


def editable_source(direct_url_json: str | None) -> Path | None:
    """Return the source folder of an editable install, else ``None``."""
    if direct_url_json is None:
        return None
    try:
        direct_url = _DirectUrl.model_validate_json(direct_url_json)
    except ValidationError:
        return None
    if not direct_url.dir_info.editable:
        return None
    return Path(url2pathname(urlsplit(direct_url.url).path))


def version_text() -> str:
    """Return ``0.1.0``, or ``0.1.0 (git v0.1.0-3-gabc1234)`` in a git checkout."""
    metadata = distribution("{{ cookiecutter.project_slug }}")
    source = editable_source(metadata.read_text("direct_url.json"))
    if source is None:
        return __version__
    try:
        described = run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            timeout=GIT_TIMEOUT,
            cwd=source,
        )
    except CommandError:
        return __version__  # not a git checkout, no commit yet, or no git at all
    return f"{__version__} (git {described})"
