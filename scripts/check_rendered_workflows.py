"""Check the skeleton's .github/ as generated projects get it.

    uv run --frozen python scripts/check_rendered_workflows.py

The skeleton's workflow files hold Jinja, so no checker can read them as they
are. For each python_min choice (the answer that changes .github/), render
the template with tools.render, then run on the rendered .github/:

- zizmor, pedantic persona, offline, ignoring any zizmor config file;
- check-jsonschema with the vendored workflow, timeout and Dependabot schemas;
- the pin check: every action pinned to a commit from tools.workflows.PINS.

The template repository's own workflows get the pin check too. Prints each
failure with the answers that produced it; exits 1 on any failure. Offline:
uses only the template's locked dev group. The pre-commit hook
check-rendered-workflows runs this.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.render import ROOT, questions, snapshot, with_cookiecutter
from tools.workflows import pin_problems, schema_commands, zizmor_command

if TYPE_CHECKING:
    from collections.abc import Mapping

CHECK_TIMEOUT_SECONDS = 300


def variants() -> list[dict[str, str]]:
    """Return the answer combinations that change .github/: every python_min choice."""
    choices = questions()["python_min"]
    assert isinstance(choices, list)
    return [{"python_min": str(choice)} for choice in choices]


def check_github(github: Path) -> list[str]:
    """Run every check on one rendered .github/; return the failures."""
    failures: list[str] = []
    for command in [zizmor_command(github), *schema_commands(github)]:
        result = subprocess.run(  # noqa: S603 -- our own tools, no shell
            command, capture_output=True, text=True, timeout=CHECK_TIMEOUT_SECONDS, check=False
        )
        if result.returncode != 0:
            shown = " ".join(Path(part).name if Path(part).is_absolute() else part for part in command)
            failures.append(f"{shown} exited {result.returncode}\n{result.stdout}{result.stderr}".rstrip())
    failures.extend(pin_problems(github))
    return failures


def check_variant(template: Path, answers: Mapping[str, str], work: Path) -> list[str]:
    """Render ``template`` with ``answers`` into ``work``; return the failures."""
    project = with_cookiecutter(template, work, answers)
    return [f"[answers {dict(answers)}] {failure}" for failure in check_github(project / ".github")]


def main() -> int:
    """Check every variant and the template's own pins; 0 when all pass."""
    failures = [f"[template's own .github] {problem}" for problem in pin_problems(ROOT / ".github")]
    with tempfile.TemporaryDirectory() as tmp:
        template = snapshot(Path(tmp, "template"))
        for number, answers in enumerate(variants()):
            failures.extend(check_variant(template, answers, Path(tmp, f"out-{number}")))
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print(f"check_rendered_workflows: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"check_rendered_workflows: {len(variants())} rendered .github/ folders passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
