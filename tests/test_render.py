"""Both engines render the one skeleton to the same, valid project."""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tools.render import questions, with_cookiecutter, with_copier
from tools.trees import files

pytestmark = pytest.mark.fast

PYTHON_MINS = questions()["python_min"]
LICENSES = questions()["license"]
#: Free text as people type it: quotes, apostrophes, backslashes, non-ASCII,
#: YAML and TOML look-alikes.
TRICKY_ANSWERS = [
    {
        "project_name": "Zoë's \"Tool\" \\ back",
        "description": "It's \"quoted\" — ünïcödé, <html> & [brackets] and a \\ backslash",
        "author_name": "Åsa O'Brien-Łukasz",
    },
    {
        "project_name": "日本語 ツール",
        "project_slug": "nihongo-tool",
        "description": "null",
        "author_name": "yes",
        "author_email": "first.last+tag@example.co.uk",
        "github_owner": "Some-Org42",
    },
    {
        "project_name": "# not: a comment",
        "description": "key: value, 'single' \"double\" `back` \\n is not a newline",
        "author_name": "- item",
        "package_name": "odd_but_valid",
    },
]
LEFTOVER = re.compile(r"cookiecutter\.|\{%|%\}|\{#|(?<!\$)\{\{")


def render_both(template: Path, tmp_path: Path, answers: dict[str, str]) -> tuple[Path, Path]:
    by_cookiecutter = with_cookiecutter(template, tmp_path / "cookiecutter", answers)
    by_copier = with_copier(template, tmp_path / "copier", answers)
    return by_cookiecutter, by_copier


def assert_same_valid_project(a: Path, b: Path) -> dict[str, bytes]:
    tree_a, tree_b = files(a), files(b)
    assert sorted(tree_a) == sorted(tree_b)
    different = [name for name in tree_a if tree_a[name] != tree_b[name]]
    assert not different, f"engines disagree on {different}"
    for name, data in tree_a.items():
        text = data.decode("utf-8")
        leftover = LEFTOVER.search(text)
        assert not leftover, f"template syntax {leftover.group()!r} left in {name}"
        if name.endswith((".toml", ".lock")):
            tomllib.loads(text)
        elif name.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
        elif name.endswith(".json"):
            json.loads(text)
    return tree_a


@pytest.mark.parametrize(("python_min", "license_id"), list(itertools.product(PYTHON_MINS, LICENSES)))
def test_every_variant_renders_identically(
    template: Path, tmp_path: Path, python_min: str, license_id: str
) -> None:
    a, b = render_both(template, tmp_path, {"python_min": python_min, "license": license_id})
    tree = assert_same_valid_project(a, b)
    pyproject = tomllib.loads(tree["pyproject.toml"].decode())
    assert pyproject["project"]["requires-python"] == f">={python_min}"
    expected_license = "LicenseRef-Proprietary" if license_id == "Proprietary" else license_id
    assert pyproject["project"]["license"] == expected_license
    classifiers = pyproject["project"]["classifiers"]
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert ("Private :: Do Not Upload" in classifiers) == (license_id == "Proprietary")
    # A proprietary project gets no workflow that publishes to PyPI.
    assert (".github/workflows/release.yml" in tree) == (license_id != "Proprietary")
    assert tree[".python-version"].decode() == f"{python_min}\n"
    lock = tomllib.loads(tree["uv.lock"].decode())
    assert lock["requires-python"] == f">={python_min}"
    license_text = tree["LICENSE"].decode()
    assert "Copyright (c) Your Name" in license_text
    assert license_text.endswith("\n") and not license_text.endswith("\n\n")


@pytest.mark.parametrize("answers", TRICKY_ANSWERS, ids=["quotes", "non-ascii", "yaml-lookalikes"])
def test_free_text_comes_out_exactly_as_typed(
    template: Path, tmp_path: Path, answers: dict[str, str]
) -> None:
    a, b = render_both(template, tmp_path, answers)
    tree = assert_same_valid_project(a, b)
    project = tomllib.loads(tree["pyproject.toml"].decode())["project"]
    recorded = yaml.safe_load(tree[".copier-answers.yml"].decode())
    for field, value in answers.items():
        assert recorded[field] == value
    if "description" in answers:
        assert project["description"] == answers["description"]
        assert answers["description"] in tree["README.md"].decode()
    if "author_name" in answers:
        assert project["authors"][0]["name"] == answers["author_name"]
        assert answers["author_name"] in tree["LICENSE"].decode()
    if "project_name" in answers:
        assert tree["README.md"].decode().startswith(f"# {answers['project_name']}\n")


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [("My Project", "my-project"), ("Zoë's  Tool_Kit", "zos-tool-kit"), ("a--b", "a-b")],
)
def test_derived_names_agree(template: Path, tmp_path: Path, project_name: str, slug: str) -> None:
    a, b = render_both(template, tmp_path, {"project_name": project_name})
    assert a.name == slug
    recorded = yaml.safe_load((b / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (recorded["project_slug"], recorded["package_name"]) == (slug, slug.replace("-", "_"))
    assert_same_valid_project(a, b)
