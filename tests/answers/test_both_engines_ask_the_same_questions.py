"""cookiecutter.json and copier.yml ask the same questions, the same way."""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment

from scripts import refresh_names, refresh_questions
from tools.render import ROOT, SKELETON, default_answers, git, questions, with_cookiecutter

pytestmark = pytest.mark.fast

sys.path.insert(0, str(ROOT / "hooks"))
import rules  # noqa: E402 -- importable once hooks/ is on sys.path

if TYPE_CHECKING:
    from pathlib import Path

DEFAULTS = default_answers()


def copier_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    return config


def copier_questions() -> dict[str, dict[str, Any]]:
    return {
        name: spec
        for name, spec in copier_config().items()
        if not name.startswith("_") and spec.get("when") is not False
    }


def test_cookiecutter_json_the_validators_and_the_update_exclusions_are_derived() -> None:
    """copier.yml and hooks/rules.py are the sources; scripts/refresh_questions.py writes the rest."""
    stale = [
        path.name for path, text in refresh_questions.derived().items() if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: uv run --locked python scripts/refresh_questions.py"


def test_both_files_ask_the_same_questions_with_the_same_defaults() -> None:
    """What the derivation must keep: order, defaults, choices (cookiecutter's default first), prompts."""
    asked = copier_questions()
    assert list(asked) == list(questions())
    for name, default in questions().items():
        spec = asked[name]
        if isinstance(default, list):
            assert default[0] == spec["default"], name
            assert sorted(default) == sorted(spec["choices"]), name
        else:
            assert str(default).replace("cookiecutter.", "") == str(spec["default"]), name
    prompts = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))["__prompts__"]
    assert {name: spec["help"] for name, spec in asked.items()} == prompts


def test_the_skeleton_gets_every_answer_under_cookiecutter() -> None:
    computed = copier_config()["cookiecutter"]
    assert computed["when"] is False
    assert computed["type"] == "json"  # YAML would split a surrogate pair from tojson
    assert re.findall(r"'(\w+)': (\w+)", computed["default"]) == [(name, name) for name in questions()]


def test_copier_needs_no_trust() -> None:
    config = copier_config()
    assert not {"_tasks", "_jinja_extensions", "_migrations"} & config.keys()
    assert config["_templates_suffix"] == ""
    assert config["_envops"]["undefined"] == "jinja2.StrictUndefined"


def test_every_question_that_takes_text_has_rules_and_a_validator() -> None:
    text_questions = [name for name, default in questions().items() if not isinstance(default, list)]
    assert list(rules.RULES) == text_questions
    assert all("validator" in copier_questions()[name] for name in text_questions)


@given(text=st.text())
def test_any_pattern_reaches_copier_as_written(text: str) -> None:
    """The validators quote each pattern as a Jinja string; Jinja must read back exactly that text."""
    assert SandboxedEnvironment().from_string(f"{{{{ {refresh_questions.jinja_string(text)} }}}}").render() == text


def test_reserved_names_cover_keywords_locked_distributions_and_extra_names() -> None:
    """The environments' own names are checked in tests/generated/, after a real sync."""
    reserved = rules.reserved_names()
    assert set(keyword.kwlist) <= reserved["package_name"]
    assert set(sys.stdlib_module_names) <= reserved["package_name"]
    assert set(refresh_names.EXTRA_IMPORTS) <= reserved["package_name"]
    assert refresh_names.locked_distributions() <= reserved["project_slug"]
    assert set(refresh_names.EXTRA_COMMANDS) <= reserved["project_slug"]
    assert "my_project" not in reserved["package_name"]
    assert "my-project" not in reserved["project_slug"]


@pytest.mark.parametrize("example", ["downloader", "none"])
def test_no_slug_may_shadow_a_command_that_a_generated_readme_or_hook_runs(tmp_path: Path, example: str) -> None:
    """Inside ``uv run`` the project's own command comes first on PATH: it must never be one the docs run."""
    project = with_cookiecutter(ROOT, tmp_path, {"example": example})
    commands = refresh_names.tooling_commands(project)
    assert "uv" in commands
    assert ("rm" in commands) is (example == "downloader")  # the example's README says how to remove it
    assert commands <= rules.reserved_names()["project_slug"]


def test_the_derived_slug_default_is_the_one_the_script_derives() -> None:
    """scripts/refresh_names.py writes it into both files from unicodedata."""
    assert questions()["project_slug"] == refresh_names.slug_default("cookiecutter.")
    assert copier_questions()["project_slug"]["default"].strip() == refresh_names.slug_default("")
    accented, plain = refresh_names.transliteration()
    assert ("é", "e") in zip(accented, plain, strict=True)
    assert ("ø", "o") in zip(accented, plain, strict=True)


GITIGNORE = (ROOT / SKELETON / ".gitignore").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ignoring_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a git repository with the generated project's .gitignore."""
    repo = tmp_path_factory.mktemp("ignoring")
    git("init", "-q", cwd=repo)
    (repo / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return repo


def test_every_name_the_gitignore_ignores_is_refused() -> None:
    ignored = refresh_names.ignored_names(GITIGNORE)
    assert {"build", "dist", "__pycache__", "htmlcov"} <= ignored
    for name in ignored:
        assert rules.problem({**DEFAULTS, "package_name": name}, rules.reserved_names()), name


@settings(max_examples=300, deadline=None)
@given(name=st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=32))
def test_an_accepted_package_is_never_ignored_by_git(ignoring_repository: Path, name: str) -> None:
    """A package .gitignore hid would never be committed, and a fresh clone could not sync."""
    assume(rules.problem({**DEFAULTS, "package_name": name}, rules.reserved_names()) is None)
    check = subprocess.run(  # noqa: S603 -- fixed arguments and a drawn name, no shell
        ["git", "check-ignore", "-q", f"src/{name}/__init__.py"],  # noqa: S607 -- git from PATH
        cwd=ignoring_repository,
        timeout=30,
        check=False,
    )
    assert check.returncode == 1, f"src/{name}/ is ignored"
