"""An unknown choice on the command line: each engine's own refusal, exactly as the README describes it.

Neither engine lets a template catch it (the value is checked before any hook,
extension or validator runs), so the README states what the user sees; this
proves the statement, for every choice question, with and without prompts
turned off.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import yaml

from tools.engines import cookiecutter_cli, copier_cli
from tools.render import ROOT, questions
from tools.steps import code_spans

if TYPE_CHECKING:
    from pathlib import Path

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The README's example: the last line each engine prints, as code spans, cookiecutter's first.
LAST_LINES = dict(
    zip(("cookiecutter", "copier"), [s for s in code_spans(README) if s.startswith("ValueError: ")], strict=False)
)
#: Each choice question's list as each engine holds it: cookiecutter.json puts the default first.
CHOICES = {
    "cookiecutter": {name: value for name, value in questions().items() if isinstance(value, list)},
    "copier": {
        name: [str(choice) for choice in spec["choices"]]
        for name, spec in yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8")).items()
        if isinstance(spec, dict) and "choices" in spec
    },
}


def as_the_readme_says(engine: str, name: str, value: str) -> str:
    """Return the README's last line for ``engine``, for question ``name`` and the unknown ``value``."""
    choices = "[" + ", ".join(f"'{choice}'" for choice in CHOICES[engine][name]) + "]"
    return re.sub(r"\[.*\]", choices, LAST_LINES[engine]).replace("python_min", name).replace("3.9", value)


@pytest.mark.fast
def test_the_readme_quotes_one_last_line_per_engine() -> None:
    assert set(LAST_LINES) == {"cookiecutter", "copier"}
    assert CHOICES["cookiecutter"].keys() == CHOICES["copier"].keys()


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
@pytest.mark.parametrize("name", sorted(CHOICES["copier"]))
def test_an_unknown_choice_ends_in_the_line_the_readme_quotes_and_writes_nothing(
    template: Path, tmp_path: Path, engine: str, name: str
) -> None:
    value = "3.9" if name == "python_min" else "bogus"
    if engine == "cookiecutter":
        done = cookiecutter_cli(template, tmp_path / "out", {name: value}, tmp_path)
    else:
        done = copier_cli(template, tmp_path / "out" / "my-project", {name: value}, tmp_path)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1] == as_the_readme_says(engine, name, value)
    assert not (tmp_path / "out").exists()
