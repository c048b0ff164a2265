"""Run each engine's command line the way a user would, answers given on the command line."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tools.commands import isolated_cookiecutter, run, tool

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Sequence
    from pathlib import Path


def cookiecutter_cli(
    template: Path, out: Path, answers: dict[str, str], cwd: Path, flags: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run the ``cookiecutter`` command line as a user would, with a configuration of its own; never raise."""
    args = [tool("cookiecutter"), "--no-input", *flags, str(template), "-o", str(out)]
    args += [f"{key}={value}" for key, value in answers.items()]
    env = {**os.environ, "PWD": str(cwd), **isolated_cookiecutter(cwd.parent / "cookiecutter-home")}
    return run(args, cwd=cwd, env=env, check=False)


def copier_cli(template: Path, dest: Path, answers: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``copier copy --defaults`` as a user would; never raise."""
    args = [tool("copier"), "copy", "--defaults", str(template), str(dest)]
    for key, value in answers.items():
        args += ["--data", f"{key}={value}"]
    return run(args, cwd=cwd, check=False)
