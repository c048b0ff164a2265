"""Refresh every shipped lock file and the reserved-names list in one command.

    uv run python scripts/refresh_locks.py

For each python_min choice, render the project with the default answers,
resolve it with ``uv lock`` and store the lock in templates/locks/, with the
project's own name turned back into a template expression. Then rewrite
hooks/reserved-names.txt, so that no project can take the name of a package
its own lock holds. The template's tests prove every shipped lock still
matches its pyproject.toml (``uv lock --check``).
"""

from __future__ import annotations

import json
import keyword
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.interpreters import find_python  # noqa: E402
from tools.render import ROOT, questions, with_cookiecutter  # noqa: E402

LOCKS = ROOT / "templates" / "locks"
RESERVED = ROOT / "hooks" / "reserved-names.txt"
PROJECT_NAME = "{{ cookiecutter.project_slug }}"
UV_TIMEOUT_SECONDS = 600
#: Names a package may not take although no lock lists them: the project's
#: own folders and benchmark script (a package of that name would be shadowed
#: by them), and the debuggers pre-commit's debug-statements hook refuses.
EXTRA_RESERVED = (
    "benchmarks", "conftest", "run", "tests",
    "bpdb", "ipdb", "pdbr", "pudb", "pydevd_pycharm", "q", "rdb", "rpdb", "wdb",
)


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


def locked_names() -> set[str]:
    """Every package name in the shipped locks, in import form."""
    names: set[str] = set()
    for lock in LOCKS.glob("*.lock"):
        for package in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]:
            if package["name"] != PROJECT_NAME:
                names.add(package["name"].replace("-", "_").lower())
    return names


def reserved_names() -> list[str]:
    """Keywords, standard-library modules and locked packages, sorted."""
    names = set(keyword.kwlist) | set(sys.stdlib_module_names) | locked_names()
    return sorted(names | set(EXTRA_RESERVED))


def main() -> None:
    """Refresh the locks, then the reserved names that depend on them."""
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
    RESERVED.write_text("\n".join(reserved_names()) + "\n", encoding="utf-8")
    print(json.dumps({"reserved_names": len(reserved_names())}))


if __name__ == "__main__":
    main()
