"""cookiecutter.json and copier.yml ask the same questions, the same way."""

from __future__ import annotations

import json
import keyword
import sys
import tomllib
from typing import Any

import pytest
import yaml

from scripts.refresh_locks import EXTRA_RESERVED
from tools.render import ROOT, questions

pytestmark = pytest.mark.fast

sys.path.insert(0, str(ROOT / "hooks"))
import rules  # noqa: E402


def copier_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))


def copier_questions() -> dict[str, dict[str, Any]]:
    return {
        name: spec
        for name, spec in copier_config().items()
        if not name.startswith("_") and spec.get("when") is not False
    }


def test_same_questions_in_the_same_order() -> None:
    assert list(copier_questions()) == list(questions())


def test_same_literal_defaults_and_choices() -> None:
    copier = copier_questions()
    for name, default in questions().items():
        spec = copier[name]
        if isinstance(default, list):
            assert spec["choices"] == default, name
            assert spec["default"] == default[0], name  # cookiecutter's default is the first choice
        elif "{{" not in str(default):
            assert spec["default"] == default, name


def test_same_derived_defaults() -> None:
    copier = copier_questions()
    for name, default in questions().items():
        if "{{" in str(default):
            assert copier[name]["default"].strip() == str(default).replace("cookiecutter.", ""), name


def test_same_prompts() -> None:
    prompts = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))["__prompts__"]
    assert {name: spec["help"] for name, spec in copier_questions().items()} == prompts


def test_the_skeleton_gets_every_answer_under_cookiecutter() -> None:
    computed = copier_config()["cookiecutter"]
    assert computed["when"] is False
    assert computed["type"] == "yaml"
    assert [line.split(":")[0] for line in computed["default"].splitlines()] == list(questions())


def test_copier_needs_no_trust() -> None:
    config = copier_config()
    assert not {"_tasks", "_jinja_extensions", "_migrations"} & config.keys()
    assert config["_templates_suffix"] == ""
    assert config["_envops"]["undefined"] == "jinja2.StrictUndefined"


def test_copier_validators_state_the_hook_rules() -> None:
    text = (ROOT / "copier.yml").read_text(encoding="utf-8")
    for pattern in (rules.CONTROL, rules.SLUG, rules.PACKAGE, rules.EMAIL, rules.GITHUB_OWNER):
        assert f"regex_search('{pattern}')" in text, pattern
    for name in questions():
        if not isinstance(questions()[name], list):
            assert "validator" in copier_questions()[name], name


def test_reserved_names_cover_keywords_stdlib_and_locked_packages() -> None:
    reserved = rules.reserved_names()
    assert set(keyword.kwlist) <= reserved
    assert set(sys.stdlib_module_names) <= reserved
    for lock in (ROOT / "templates" / "locks").glob("*.lock"):
        for package in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]:
            if "{{" not in package["name"]:
                assert package["name"].replace("-", "_") in reserved
    assert set(EXTRA_RESERVED) <= reserved
    assert "my_project" not in reserved
