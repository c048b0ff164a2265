"""The version: from the installed metadata, plus the git revision in a checkout.

The metadata is read straight from the ``.dist-info`` folder on ``sys.path``:
``importlib.metadata`` costs about 50 ms of imports, half the start-up budget
of ``--version``. In an editable install (a developer's working tree) the
version in the metadata says little; ``git describe`` names the exact commit.
It is the project's one small use of an external program (see ``commands``),
and an installed wheel never runs it.
"""

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

DISTRIBUTION = "{{ cookiecutter.project_slug }}"
UNKNOWN = "0+unknown"  # run from a source tree that was never installed
GIT_TIMEOUT = 5.0


def dist_info() -> Path | None:
    """Return this distribution's ``.dist-info`` folder, searched as Python does."""
    stem = re.sub(r"[-_.]+", "_", DISTRIBUTION).lower()
    for entry in sys.path:
        for found in Path(entry or ".").glob(f"{stem}-*.dist-info"):
            return found
    return None


def installed_version() -> str:
    """Return the ``Version`` field of the installed metadata.

    A broken install (no METADATA, or not UTF-8) reads as unknown: the
    package is imported for every command, so this must never raise.
    """
    info = dist_info()
    if info is None:
        return UNKNOWN
    try:
        with (info / "METADATA").open(encoding="utf-8") as metadata:
            for line in metadata:
                if line.startswith("Version:"):
                    return line.removeprefix("Version:").strip()
                if not line.strip():
                    break  # the headers end at the first blank line
    except (OSError, UnicodeDecodeError):
        return UNKNOWN
    return UNKNOWN


def editable_source(direct_url_json: str | None) -> Path | None:
    """Return the source folder of an editable install (PEP 610), else ``None``.

    Whatever the file holds (JSON nested too deep, a URL that does not
    split), the answer is ``None``: ``--version`` then shows the plain version.
    """
    if direct_url_json is None:
        return None
    try:
        direct_url = json.loads(direct_url_json)
    except (ValueError, RecursionError):
        return None
    match direct_url:
        case {"url": str(url), "dir_info": {"editable": True}}:
            # urllib.request costs 100 ms of imports: only an editable install pays.
            from urllib.request import url2pathname  # noqa: PLC0415

            try:
                return Path(url2pathname(urlsplit(url).path))
            except ValueError:  # e.g. an unclosed "[" of an IPv6 host
                return None
        case _:
            return None


def version_text() -> str:
    """Return ``0.1.0``, or ``0.1.0 (git v0.1.0-3-gabc1234)`` in a git checkout."""
    version = installed_version()
    source = editable_source(_direct_url_json())
    if source is None:
        return version
    from .commands import run  # noqa: PLC0415 -- subprocess only for a checkout
    from .errors import CommandError  # noqa: PLC0415 -- idem

    try:
        described = run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            timeout=GIT_TIMEOUT,
            cwd=source,
        )
    except CommandError:
        return version  # not a git checkout, no commit yet, or no git at all
    return f"{version} (git {described})"


def _direct_url_json() -> str | None:
    info = dist_info()
    path = None if info is None else info / "direct_url.json"
    if path is None or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
