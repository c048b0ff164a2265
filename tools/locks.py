"""The shipped locks: one per python_min and example choice, each changes the locked set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.render import ROOT, questions

if TYPE_CHECKING:
    from pathlib import Path

LOCKS = ROOT / "templates" / "locks"
#: The project's own entry in a shipped lock, which the skeleton renders.
OWN_NAME = "{{ cookiecutter.project_slug }}"


def lock_path(python_min: str, example: str) -> Path:
    """Where the shipped lock for these choices lives; the skeleton's uv.lock includes it."""
    return LOCKS / f"py{python_min}-{example}.lock"


def lock_choices() -> list[tuple[str, str]]:
    """Every (python_min, example) pair the questions allow."""
    asked = questions()
    pythons, examples = asked["python_min"], asked["example"]
    assert isinstance(pythons, list)
    assert isinstance(examples, list)
    return [(python_min, example) for python_min in pythons for example in examples]
