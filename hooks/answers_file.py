"""Write ``.copier-answers.yml`` from a cookiecutter run, as copier would.

With this file, ``copier update`` works on a project that cookiecutter made:
copier needs the answers, where the template lives (``_src_path``) and which
template version the project was made from (``_commit``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import yaml  # cookiecutter depends on PyYAML, so every hook can import it

FILE_NAME = ".copier-answers.yml"
HEADER = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
#: Sources copier resolves by itself; anything else is a local path.
REMOTE_PREFIXES = ("gh:", "gl:", "git@", "git+", "https://", "http://", "ssh://", "file://")
#: cookiecutter abbreviations copier does not know, expanded as cookiecutter does.
EXPANDED_PREFIXES = {"bb:": "https://bitbucket.org/"}
GIT_TIMEOUT_SECONDS = 30


def source(template: str, repo_dir: Path) -> str:
    """Return ``_src_path``: the URL the user gave, or the template's absolute path.

    A relative path would resolve against wherever ``copier update`` runs later.
    """
    if template.startswith(REMOTE_PREFIXES):
        return template
    for prefix, url in EXPANDED_PREFIXES.items():
        if template.startswith(prefix):
            return url + template.removeprefix(prefix)
    return str(repo_dir.resolve())


def commit(repo_dir: Path) -> str | None:
    """Return the template version as copier names it, or None outside git."""
    try:
        result = subprocess.run(
            ["git", "describe", "--tags", "--always"],  # noqa: S607 - git from PATH, as copier runs it
            cwd=repo_dir,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def render(context: Mapping[str, object], src_path: str, version: str | None) -> str:
    """Return the answers file: every question's answer plus where it came from."""
    answers: dict[str, object] = {
        key: value for key, value in context.items() if not key.startswith("_")
    }
    answers["_src_path"] = src_path
    if version is not None:
        answers["_commit"] = version
    body = yaml.dump(answers, indent=4, allow_unicode=True, default_flow_style=False)
    return HEADER + body
