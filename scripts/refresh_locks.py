"""Refresh every shipped lock file and the reserved-names list in one command.

    uv run python scripts/refresh_locks.py

For each python_min choice, render the project with the default answers,
resolve it with ``uv lock`` and store the lock in templates/locks/, with the
project's own name turned back into a template expression. Then
scripts/refresh_names.py derives, from the new locks' environments, the
names no project may take. The template's tests prove every shipped lock
still matches its pyproject.toml (``uv lock --check``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import refresh_names  # noqa: E402
from tools.interpreters import find_python  # noqa: E402
from tools.render import ROOT, questions, with_cookiecutter  # noqa: E402

LOCKS = ROOT / "templates" / "locks"
PROJECT_NAME = "{{ cookiecutter.project_slug }}"
UV_TIMEOUT_SECONDS = 600


def lock_path(python_min: str) -> Path:
    """Where the shipped lock for one python_min choice lives."""
    return LOCKS / f"py{python_min}.lock"


def refresh_lock(python_min: str, work: Path) -> None:
    """Resolve the default project for ``python_min`` and ship its lock."""
    project = with_cookiecutter(ROOT, work, {"python_min": python_min}, hooks=False)
    (project / "uv.lock").unlink()
    subprocess.run(
        ["uv", "lock", "--upgrade", "--quiet", "--python", str(find_python(python_min))],  # noqa: S607
        cwd=project,
        check=True,
        timeout=UV_TIMEOUT_SECONDS,
    )
    text = (project / "uv.lock").read_text(encoding="utf-8")
    # cookiecutter names the project folder after the slug.
    own_entry = f'[[package]]\nname = "{project.name}"\n'
    if text.count(own_entry) != 1 or any(s in text for s in ("{{", "{%", "{#")):
        sys.exit(f"refresh_locks: unexpected lock layout for python {python_min}")
    text = text.replace(own_entry, f'[[package]]\nname = "{PROJECT_NAME}"\n')
    lock_path(python_min).write_text(text, encoding="utf-8")


def main() -> None:
    """Refresh the locks, then the names that depend on them."""
    LOCKS.mkdir(parents=True, exist_ok=True)
    choices = questions()["python_min"]
    assert isinstance(choices, list)
    for python_min in choices:
        if not lock_path(python_min).exists():
            lock_path(python_min).write_text("", encoding="utf-8")  # the skeleton includes it
    with tempfile.TemporaryDirectory() as tmp:
        for python_min in choices:
            refresh_lock(python_min, Path(tmp, python_min))
            print(f"refreshed {lock_path(python_min).relative_to(ROOT)}")
    refresh_names.main()


if __name__ == "__main__":
    main()
