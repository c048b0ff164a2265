"""Refresh every shipped lock file and the reserved-names list in one command.

    uv run python scripts/refresh_locks.py [--keep-versions]

For each python_min and example choice, render the project with the default answers,
resolve it with ``uv lock --upgrade`` and store the lock in templates/locks/, with the
project's own name turned back into a template expression. Then
scripts/refresh_names.py derives, from the new locks' environments, the
names no project may take. With --keep-versions, ``uv lock`` starts from the
shipped lock and changes only what a changed pyproject.toml requires. The template's tests prove every shipped lock
still matches its pyproject.toml (``uv lock --check``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import refresh_names
from tools.interpreters import find_python
from tools.locks import LOCKS, OWN_NAME, lock_choices, lock_path
from tools.render import ROOT, with_cookiecutter

UV_TIMEOUT_SECONDS = 600


def refresh_lock(python_min: str, example: str, work: Path, *, keep_versions: bool) -> None:
    """Resolve the default project for these choices and ship its lock."""
    answers = {"python_min": python_min, "example": example}
    project = with_cookiecutter(ROOT, work, answers, hooks=False)
    upgrade = [] if keep_versions else ["--upgrade"]
    subprocess.run(  # noqa: S603 -- uv with fixed arguments and a found interpreter's path, no shell
        ["uv", "lock", *upgrade, "--quiet", "--python", str(find_python(python_min))],  # noqa: S607 -- uv from PATH
        cwd=project,
        check=True,
        timeout=UV_TIMEOUT_SECONDS,
    )
    text = (project / "uv.lock").read_text(encoding="utf-8")
    # cookiecutter names the project folder after the slug.
    own_entry = f'[[package]]\nname = "{project.name}"\n'
    if text.count(own_entry) != 1 or any(s in text for s in ("{{", "{%", "{#")):
        sys.exit(f"refresh_locks: unexpected lock layout for python {python_min}, example {example}")
    text = text.replace(own_entry, f'[[package]]\nname = "{OWN_NAME}"\n')
    lock_path(python_min, example).write_text(text, encoding="utf-8")


def main() -> None:
    """Refresh the locks, then the names that depend on them."""
    keep_versions = sys.argv[1:] == ["--keep-versions"]
    if sys.argv[1:] not in ([], ["--keep-versions"]):
        sys.exit("usage: refresh_locks.py [--keep-versions]")
    LOCKS.mkdir(parents=True, exist_ok=True)
    for choice in lock_choices():
        if not lock_path(*choice).exists():
            lock_path(*choice).write_text("", encoding="utf-8")  # the skeleton includes it
    with tempfile.TemporaryDirectory() as tmp:
        for python_min, example in lock_choices():
            refresh_lock(python_min, example, Path(tmp, f"{python_min}-{example}"), keep_versions=keep_versions)
            print(f"refreshed {lock_path(python_min, example).relative_to(ROOT)}")
    refresh_names.main()


if __name__ == "__main__":
    main()
