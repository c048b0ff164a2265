"""Run commands inside a generated project, the way its README tells a user to."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TIMEOUT_SECONDS = 600


def project_env(python: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for commands in a generated project.

    uv may not download interpreters here, and the outer test run's virtual
    environment must not leak into the project's own.
    """
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("UV_PYTHON", None)
    if python is not None:
        env["UV_PYTHON"] = str(python)
    uv = shutil.which("uv")
    if uv:  # the real uv first, not a shim that reads the project's .python-version
        env["PATH"] = os.pathsep.join([str(Path(uv).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def run(
    args: Sequence[str | Path],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    *,
    check: bool = True,
    timeout: float = TIMEOUT_SECONDS,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` (never through a shell); on failure show its output."""
    result = subprocess.run(  # noqa: S603 -- the tests' and scripts' own argument lists, never a shell
        [str(arg) for arg in args],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        msg = (
            f"{' '.join(map(str, args))} exited {result.returncode} in {cwd}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
        raise AssertionError(msg)
    return result


def isolated_cookiecutter(home: Path) -> dict[str, str]:
    """Environment for a cookiecutter whose configuration, clones and replays live in ``home``.

    Nobody's ~/.cookiecutterrc or replay folder takes part in a test.
    """
    config = home / "cookiecutterrc"
    if not config.exists():
        home.mkdir(parents=True, exist_ok=True)
        folders = {"cookiecutters_dir": str(home / "cookiecutters"), "replay_dir": str(home / "replay")}
        config.write_text("".join(f"{key}: {value}\n" for key, value in folders.items()), encoding="utf-8")
    return {"COOKIECUTTER_CONFIG": str(config)}


def github_served_from(local: Path, url: str, folder: Path) -> dict[str, str]:
    """Environment in which git fetches ``url`` from the repository at ``local``: no network."""
    gitconfig = folder / "gitconfig"
    gitconfig.write_text(f'[url "{local.as_uri()}"]\n\tinsteadOf = {url}\n', encoding="utf-8")
    return {"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"}


def tool(name: str) -> str:
    """Return the path of a command-line tool from the template's environment."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        msg = f"{name} not found: run this from the template's environment (uv sync --locked)"
        raise FileNotFoundError(msg)
    return found
