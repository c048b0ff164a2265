"""The README's commands work as written on a machine with only Python and pip.

On a machine without uv whose Python is externally managed, the README's
install steps give uv an environment of its own, not activated; pip installs
uv there, and uvx fetches the engine from the package index as it does for a
user; git's ``insteadOf`` serves the template's GitHub URL from a local
snapshot (nothing here may clone from GitHub). The generated README's steps
then run to the first green check and the first run, with no warning from uv.
The test command is the one .ci/run runs.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from tools.commands import github_served_from, isolated_cookiecutter, run
from tools.interpreters import find_python
from tools.render import ROOT
from tools.steps import blocks, commands, section

README = (ROOT / "README.md").read_text(encoding="utf-8")
GITHUB_URL = "https://github.com/OWNER/sturdy.git"
#: A shell variable in a command: ``$NAME``.
VARIABLE = re.compile(r"\$(\w+)")
GIT_USER = {
    "GIT_AUTHOR_NAME": "A User",
    "GIT_AUTHOR_EMAIL": "user@example.com",
    "GIT_COMMITTER_NAME": "A User",
    "GIT_COMMITTER_EMAIL": "user@example.com",
}


def console_blocks(section: str) -> list[str]:
    """Return the ``console`` code blocks of one README section, in order."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```console\n(.*?)\n```", body, flags=re.DOTALL)


def bare_machine(tmp_path: Path) -> dict[str, str]:
    """Return the environment of a machine with Python and git but no uv, whose home is in ``tmp_path``.

    uv's and pip's download caches stay the caller's: the packages are the same, only fetched once.
    """
    system = tmp_path / "system-bin"
    system.mkdir()
    (system / "python3").symlink_to(Path(sys.executable).resolve())
    folders = [folder for folder in os.environ.get("PATH", "").split(os.pathsep) if not (Path(folder) / "uv").exists()]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("UV_", "VIRTUAL_ENV"))}
    env.update({"HOME": str(tmp_path / "home"), "PATH": os.pathsep.join([str(system), *folders])})
    env["UV_CACHE_DIR"] = run(["uv", "cache", "dir"], tmp_path).stdout.strip()
    env["PIP_CACHE_DIR"] = run([sys.executable, "-m", "pip", "cache", "dir"], tmp_path, check=False).stdout.strip()
    env["UV_PYTHON_DOWNLOADS"] = "never"  # uv runs on a Python of this machine
    (tmp_path / "home").mkdir()
    return env


def follow(block: str, cwd: Path, env: dict[str, str]) -> list[str]:
    """Run a console block as a POSIX shell would (``~``, ``$NAME``, ``export``); return what each command printed.

    ``env`` is the shell's environment: an ``export`` changes it for the commands after.
    """
    printed = []
    for words in commands(block):
        args = [
            VARIABLE.sub(lambda match: env[match.group(1)], re.sub(r"^~(?=/)", env["HOME"], word)) for word in words
        ]
        if args[0] == "export":
            name, _, value = args[1].partition("=")
            env[name] = value
            continue
        done = run(args, cwd, env)
        printed.append(done.stdout + done.stderr)
    return printed


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_the_generate_command_works_in_a_fresh_environment(template: Path, tmp_path: Path, engine: str) -> None:
    _, install, *generate = console_blocks("Generate a project")
    (command,) = [block for block in generate if block.startswith(f"uvx {engine} ")]
    # A Python that pip may not install into, as most systems' are: the README's own environment for uv.
    env = bare_machine(tmp_path)
    # git serves the template's GitHub URL from the local snapshot: no network.
    env.update(github_served_from(template, GITHUB_URL, tmp_path))
    env.update(isolated_cookiecutter(tmp_path / "cookiecutter-home"))
    follow(install, tmp_path, env)
    # The generation step takes every default but the example (the bare skeleton checks fastest).
    answers = ["--no-input", "example=none"] if engine == "cookiecutter" else ["--defaults", "--data", "example=none"]
    follow(f"{command} {' '.join(answers)}", tmp_path, env)
    project = tmp_path / "my-project"
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded["_src_path"] == GITHUB_URL
    assert (project / "uv.lock").is_file()
    if engine == "copier":  # both render the same project: one follows its README on
        return
    # The generated README, from the first check to the first run, with no warning from uv.
    env["UV_PYTHON"] = str(find_python(str(recorded["python_min"])))  # a machine with that Python
    env.update({"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), **GIT_USER})
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "Generate"]):
        run(args, project, env)
    readme = (project / "README.md").read_text(encoding="utf-8")
    printed = [
        *follow(blocks(section(readme, "## Set up and check"), "console")[0], project, env),
        *follow(blocks(section(readme, "## Run it"), "console")[0], project, env),
    ]
    assert "Usage: my-project" in printed[-2]
    assert not [output for output in printed if "VIRTUAL_ENV" in output]


def test_ci_runs_the_readme_test_command() -> None:
    blocks = console_blocks("Working on the template")
    (command,) = [block for block in blocks if "pytest" in block]
    test_command = command.split(" && ")[-1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
