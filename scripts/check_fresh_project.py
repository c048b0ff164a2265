"""Render the template with one engine and run the generated README's check, as a user does.

    uv run --locked python scripts/check_fresh_project.py ENGINE [NAME=VALUE ...]

ENGINE is cookiecutter or copier; each NAME=VALUE is an answer (the defaults
give the rest). The project is rendered from a snapshot of this checkout,
committed in a fresh git repository, and then the commands of its README's
"Set up and check" section run in it as written: the locked sync, every
pre-commit hook, the tests with the coverage gate. uv may download the
Python the project asks for, as it does for a user. Exits 1 with the failing
command's output at the first failure. The template's CI runs it on macOS and
Windows, where the template's own test suite does not run; it runs anywhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.commands import run
from tools.render import commit_all, git, snapshot, with_cookiecutter, with_copier
from tools.steps import blocks, commands, section

ENGINES = ("cookiecutter", "copier")
#: A check may take long on a slow runner; a command that hangs still ends.
STEP_TIMEOUT_SECONDS = 1200


def readme_check(project: Path) -> list[list[str]]:
    """Return the commands of the project README's "Set up and check" section, as written."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    (shown,) = blocks(section(readme, "## Set up and check"), "console")
    return commands(shown)


def render(engine: str, answers: dict[str, str], work: Path) -> Path:
    """Render a snapshot of this checkout with ``engine``; return the project, committed."""
    template = snapshot(work / "template")
    if engine == "cookiecutter":
        project = with_cookiecutter(template, work / "out", answers)
    else:
        project = with_copier(template, work / "out" / "project", answers)
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generate from the sturdy template")
    return project


def main(argv: list[str]) -> int:
    """Render, then run each README command; 0 when all pass."""
    if not argv or argv[0] not in ENGINES or not all("=" in answer for answer in argv[1:]):
        print(f"usage: check_fresh_project.py {{{','.join(ENGINES)}}} [NAME=VALUE ...]", file=sys.stderr)
        return 2
    answers = dict(answer.split("=", 1) for answer in argv[1:])
    # The project's own environment and Python, not the ones this script runs in.
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "UV_PYTHON"}}
    # A process a check started may still hold a file there on Windows: leaving
    # the folder behind must not fail the check.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        project = render(argv[0], answers, Path(tmp))
        for command in readme_check(project):
            print(f"$ {' '.join(command)}", flush=True)
            result = run(command, project, env, check=False, timeout=STEP_TIMEOUT_SECONDS)
            print(result.stdout + result.stderr, flush=True)
            if result.returncode != 0:
                print(f"check_fresh_project: {' '.join(command)} exited {result.returncode}", file=sys.stderr)
                return 1
    print(f"check_fresh_project: a project rendered by {argv[0]} with {answers} passed its README's check")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
