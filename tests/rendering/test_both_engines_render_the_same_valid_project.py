"""Both engines render the one skeleton to the same, valid project."""

from __future__ import annotations

import itertools
import tomllib
from typing import TYPE_CHECKING

import pytest
import yaml

from tools.parity import assert_answers_come_out_as_typed, assert_same_valid_project
from tools.render import questions, with_copier

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_cookies.plugin import Cookies

PYTHON_MINS = questions()["python_min"]
LICENSES = questions()["license"]
assert isinstance(PYTHON_MINS, list)
assert isinstance(LICENSES, list)
#: Free text as people type it: quotes, apostrophes, backslashes, non-ASCII,
#: YAML and TOML look-alikes.
TRICKY_ANSWERS = [
    {
        "project_name": 'Zoë\'s "Tool" \\ back',
        "description": 'It\'s "quoted" — ünïcödé, <html> & [brackets] and a \\ backslash',
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
        "project_name": "  *Snake* 🐍 <b>&amp; `code` [link](x) ~~no~~ $x$ :rocket: #  ",
        "description": "1. Fast 🚀 downloads | with ünïcode, RTL עברית and e\u0301 combining ",
        "author_name": "\u200fRTL mark and ZWJ 👩\u200d💻",
    },
    {
        "project_name": "# not: a comment",
        "description": "key: value, 'single' \"double\" `back` \\n is not a newline",
        "author_name": "- item",
        "package_name": "odd_but_valid",
    },
    {"project_name": "- Listed", "description": "", "author_name": "   "},
]


def render_both(cookies: Cookies, template: Path, tmp_path: Path, answers: dict[str, str]) -> tuple[Path, Path]:
    """Render with cookiecutter (through pytest-cookies) and with copier."""
    baked = cookies.bake(extra_context=answers, template=str(template))
    assert baked.exit_code == 0, baked.exception
    by_copier = with_copier(template, tmp_path / "copier", answers)
    return baked.project_path, by_copier


#: The fast subset renders each python_min and each license once.
FAST_VARIANTS = set(zip(itertools.cycle(PYTHON_MINS), LICENSES, strict=False))


@pytest.mark.parametrize(
    ("python_min", "license_id"),
    [
        pytest.param(
            python_min, license_id, marks=[pytest.mark.fast] if (python_min, license_id) in FAST_VARIANTS else []
        )
        for python_min, license_id in itertools.product(PYTHON_MINS, LICENSES)
    ],
)
def test_every_variant_renders_identically(
    cookies: Cookies, template: Path, tmp_path: Path, python_min: str, license_id: str
) -> None:
    assert_variant_renders_identically(cookies, template, tmp_path, python_min, license_id, "downloader")


@pytest.mark.parametrize(
    "python_min", [pytest.param(v, marks=[pytest.mark.fast] if v == PYTHON_MINS[0] else []) for v in PYTHON_MINS]
)
def test_every_python_min_without_the_example_renders_identically(
    cookies: Cookies, template: Path, tmp_path: Path, python_min: str
) -> None:
    tree = assert_variant_renders_identically(cookies, template, tmp_path, python_min, "MIT", "none")
    assert not [name for name in tree if name.startswith("benchmarks/")]
    dependencies = tomllib.loads(tree["pyproject.toml"].decode())["project"]["dependencies"]
    assert not [d for d in dependencies if d.startswith(("httpx", "tenacity"))]


def assert_variant_renders_identically(
    cookies: Cookies, template: Path, tmp_path: Path, python_min: str, license_id: str, example: str
) -> dict[str, bytes]:
    answers = {"python_min": python_min, "license": license_id, "example": example}
    a, b = render_both(cookies, template, tmp_path, answers)
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
    assert license_text.endswith("\n")
    assert not license_text.endswith("\n\n")
    return tree


TRICKY_IDS = ["quotes", "non-ascii", "markup", "yaml-lookalikes", "blank"]
#: The fast subset renders the three that broke projects before.
FAST_TRICKY = {"quotes", "markup", "blank"}


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(answers, id=name, marks=[pytest.mark.fast] if name in FAST_TRICKY else [])
        for name, answers in zip(TRICKY_IDS, TRICKY_ANSWERS, strict=True)
    ],
)
def test_free_text_comes_out_exactly_as_typed(
    cookies: Cookies, template: Path, tmp_path: Path, answers: dict[str, str]
) -> None:
    a, b = render_both(cookies, template, tmp_path, answers)
    assert_answers_come_out_as_typed(assert_same_valid_project(a, b), answers)


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("My Project", "my-project"),
        ("Zoë's  Tool_Kit", "zoes-tool-kit"),
        ("a--b", "a-b"),
        ("Café Ünïcode", "cafe-unicode"),
        ("Straße Łódź Ærø", "strasse-lodz-aero"),
        ("Tiếng Việt", "tieng-viet"),
        ("2048 Game", "py-2048-game"),
        ("A name far longer than thirty-two characters", "a-name-far-longer-than-thirty"),
    ],
)
def test_derived_names_agree(cookies: Cookies, template: Path, tmp_path: Path, project_name: str, slug: str) -> None:
    a, b = render_both(cookies, template, tmp_path, {"project_name": project_name})
    assert a.name == slug
    recorded = yaml.safe_load((b / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (recorded["project_slug"], recorded["package_name"]) == (slug, slug.replace("-", "_"))
    assert_same_valid_project(a, b)
