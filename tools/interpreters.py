"""Find a Python interpreter for each supported minor version.

uv can only use interpreters it can discover; pyenv's are invisible to it
unless PYENV_VERSION names them, so look in pyenv's folder too. A version that
cannot be found is an error that says so: it never skips a check silently.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 30


class InterpreterNotFoundError(LookupError):
    """No interpreter of the wanted version exists on this machine."""


@functools.cache
def find_python(version: str) -> Path:
    """Return the path of a working ``python<version>`` or raise."""
    for candidate in _candidates(version):
        if _reports(candidate, version):
            return candidate
    msg = (
        f"no Python {version} interpreter found (tried `uv python find`, "
        f"pyenv's versions folder and python{version} on PATH): install one"
    )
    raise InterpreterNotFoundError(msg)


def _candidates(version: str) -> list[Path]:
    found: list[Path] = []
    uv = shutil.which("uv")
    if uv:
        result = subprocess.run(  # noqa: S603 -- uv from PATH, fixed arguments, no shell
            [uv, "python", "find", "--no-python-downloads", version],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            found.append(Path(result.stdout.strip()))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found.extend(
        prefix / "bin" / f"python{version}"
        for prefix in sorted((pyenv_root / "versions").glob(f"{version}.*"), reverse=True)
    )
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append(Path(on_path))
    return found


def _reports(python: Path, version: str) -> bool:
    """Return True if ``python`` runs and is the wanted minor version."""
    try:
        result = subprocess.run(  # noqa: S603 -- a candidate interpreter, fixed arguments, no shell
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.strip() == version
