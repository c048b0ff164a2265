"""The README's commands work as written on a machine with only Python and pip.

The generation commands run in a fresh virtual environment, as written: pip
installs uv there, and uvx fetches the engine from the package index as it
does for a user; git's ``insteadOf`` serves the template's GitHub URL from a
local snapshot (nothing here may clone from GitHub).
The test command is the one .ci/run runs.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from typing import TYPE_CHECKING

import pytest
import yaml

from tools.commands import github_served_from, isolated_cookiecutter, run
from tools.render import ROOT

if TYPE_CHECKING:
    from pathlib import Path

README = (ROOT / "README.md").read_text(encoding="utf-8")
GITHUB_URL = "https://github.com/OWNER/sturdy.git"


def console_blocks(section: str) -> list[str]:
    """Return the ``console`` code blocks of one README section, in order."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```console\n(.*?)\n```", body, flags=re.DOTALL)


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_the_generate_command_works_in_a_fresh_environment(template: Path, tmp_path: Path, engine: str) -> None:
    install, *generate = console_blocks("Generate a project")
    (command,) = [block for block in generate if block.startswith(f"uvx {engine} ")]
    run([sys.executable, "-m", "venv", tmp_path / "venv"], cwd=tmp_path)
    venv = tmp_path / "venv" / "bin"
    # The virtual environment is the user's, as if activated: pip installs uv's uvx there.
    env = {key: value for key, value in os.environ.items() if key != "UV_PYTHON"}
    env.update({"VIRTUAL_ENV": str(venv.parent), "PATH": os.pathsep.join([str(venv), env.get("PATH", "")])})
    env["UV_PYTHON_DOWNLOADS"] = "never"  # uvx runs the engine on a Python of this machine
    # git serves the template's GitHub URL from the local snapshot: no network.
    env.update(github_served_from(template, GITHUB_URL, tmp_path))
    env.update(isolated_cookiecutter(tmp_path / "cookiecutter-home"))
    for step in [*install.split(" && "), command]:
        args = [str(venv / "python") if word == "python3" else word for word in shlex.split(step)]
        if args[0] == "uvx":  # the generation step: take every default
            args.append("--no-input" if engine == "cookiecutter" else "--defaults")
        run(args, cwd=tmp_path, env=env)
    project = tmp_path / "my-project"
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded["_src_path"] == GITHUB_URL
    assert (project / "uv.lock").is_file()


def test_ci_runs_the_readme_test_command() -> None:
    blocks = console_blocks("Working on the template")
    (command,) = [block for block in blocks if "pytest" in block]
    test_command = command.split(" && ")[-1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
