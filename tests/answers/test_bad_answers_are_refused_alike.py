"""Bad answers are refused by both engines with the same line, before anything is written.

cookiecutter renders go through pytest-cookies (``cookies.bake``); copier
renders through its own API. The command-line tests run both programs as a
user would, with a cookiecutter configuration of their own so that nobody's
~/.cookiecutterrc or replay folder takes part.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tools.engines import cookiecutter_cli, copier_cli
from tools.render import ROOT, default_answers, with_copier
from tools.validators import copier_refusal

sys.path.insert(0, str(ROOT / "hooks"))
import rules

if TYPE_CHECKING:
    from pytest_cookies.plugin import Cookies

# (answers, what the refusal must say). Each line names the field and the rule;
# each group is one class of answer that once gave a broken project.
BAD_ANSWERS = [
    # free text: empty, or holding what no file format can carry on one line
    ({"project_name": ""}, "project_name must not be empty"),
    ({"project_name": " \u3000 "}, "project_name must not be empty"),
    ({"project_name": "two\nlines"}, "project_name must be a single line of text without control characters"),
    ({"project_name": "next\x85line"}, "project_name must be a single line of text"),
    ({"description": "line\u2028separator"}, "description must be a single line of text"),
    ({"description": "tab\there"}, "description must be a single line of text"),
    ({"author_name": "line\rbreak"}, "author_name must be a single line of text"),
    ({"author_name": "bell\x07"}, "author_name must be a single line of text"),
    # slugs: not a name, a path, too long, or a command the tooling runs
    ({"project_slug": "My-Project"}, "project_slug 'My-Project' is invalid: use at most 32 lowercase letters"),
    ({"project_slug": "a" * 33}, f"project_slug '{'a' * 33}' is invalid"),
    ({"project_slug": "my--project"}, "project_slug 'my--project' is invalid"),
    ({"project_slug": "1st-project"}, "project_slug '1st-project' is invalid"),
    ({"project_slug": "trailing-"}, "project_slug 'trailing-' is invalid"),
    ({"project_slug": "my_project"}, "project_slug 'my_project' is invalid"),
    ({"project_slug": "../escape"}, "project_slug '../escape' is invalid"),
    ({"project_slug": "a/b/c"}, "project_slug 'a/b/c' is invalid"),
    ({"project_slug": "/tmp/absolute"}, "project_slug '/tmp/absolute' is invalid"),  # noqa: S108 -- a slug, refused
    ({"project_name": "日本語"}, "project_slug '' is invalid"),
    ({"project_slug": "uv"}, "project_slug 'uv' is taken: it is a package the generated project locks or a command"),
    ({"project_slug": "git"}, "project_slug 'git' is taken"),
    ({"project_slug": "python3"}, "project_slug 'python3' is taken"),
    ({"project_slug": "check-yaml"}, "project_slug 'check-yaml' is taken"),
    ({"project_slug": "activate"}, "project_slug 'activate' is taken"),
    ({"project_slug": "pydantic-settings"}, "project_slug 'pydantic-settings' is taken"),
    # package names: not an identifier, or one the environment already imports
    ({"package_name": "My_Package"}, "package_name 'My_Package' is invalid: use a lowercase Python identifier"),
    ({"package_name": "a" * 33}, f"package_name '{'a' * 33}' is invalid"),
    ({"package_name": "2fast"}, "package_name '2fast' is invalid"),
    ({"package_name": "my-package"}, "package_name 'my-package' is invalid"),
    ({"package_name": "__main__"}, "package_name '__main__' is invalid"),
    ({"package_name": "__pycache__"}, "package_name '__pycache__' is invalid"),
    ({"package_name": "class"}, "package_name 'class' is taken: it is a Python keyword"),
    ({"package_name": "json"}, "package_name 'json' is taken"),
    ({"package_name": "test"}, "package_name 'test' is taken"),
    ({"package_name": "sitecustomize"}, "package_name 'sitecustomize' is taken"),
    ({"package_name": "yaml"}, "package_name 'yaml' is taken"),
    ({"package_name": "attr"}, "package_name 'attr' is taken"),
    ({"package_name": "dotenv"}, "package_name 'dotenv' is taken"),
    ({"package_name": "_pytest"}, "package_name '_pytest' is taken"),
    ({"package_name": "py"}, "package_name 'py' is taken"),
    ({"package_name": "build"}, "package_name 'build' is taken"),
    ({"package_name": "dist"}, "package_name 'dist' is taken"),
    ({"package_name": "benchmarks"}, "package_name 'benchmarks' is taken"),
    ({"package_name": "ipdb"}, "package_name 'ipdb' is taken"),
    # addresses core metadata cannot carry
    ({"author_email": ""}, "author_email '' is invalid: expected an address like"),
    ({"author_email": "not-an-email"}, "author_email 'not-an-email' is invalid: expected an address like"),
    ({"author_email": "a@localhost"}, "author_email 'a@localhost' is invalid"),
    ({"author_email": "a b@example.com"}, "author_email 'a b@example.com' is invalid: an address has no spaces"),
    (
        {"author_email": "a@example.com\u00a0"},
        "author_email 'a@example.com\u00a0' is invalid: an address has no spaces",
    ),
    (
        {"author_email": 'a"b@example.com'},
        "author_email 'a\"b@example.com' is invalid: an address has no spaces and none of",
    ),
    ({"author_email": "a\\b@example.com"}, "author_email 'a\\b@example.com' is invalid"),
    ({"github_owner": "-leading"}, "github_owner '-leading' is invalid: use at most 39 letters"),
    ({"github_owner": "double--hyphen"}, "github_owner 'double--hyphen' is invalid"),
    ({"github_owner": "x" * 40}, f"github_owner '{'x' * 40}' is invalid"),
]


@pytest.mark.fast
@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS, ids=[m for _, m in BAD_ANSWERS])
def test_both_rule_sets_refuse_with_the_same_line(answers: dict[str, str], message: str) -> None:
    """The hook's rules and copier's validators, without a render (fast); real renders below."""
    full = {**default_answers(), **answers}
    if "project_name" in answers and "project_slug" not in answers:
        full["project_slug"] = ""  # what the slug default derives from a name without ASCII letters
    said = rules.problem(full, rules.reserved_names())
    assert said is not None
    assert said.startswith(message)
    assert copier_refusal(full) == said


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS, ids=[m for _, m in BAD_ANSWERS])
def test_both_engines_refuse_with_the_same_line(
    cookies: Cookies, template: Path, tmp_path: Path, answers: dict[str, str], message: str
) -> None:
    """Through the engines' APIs (fast); the command lines are tested below."""
    result = cookies.bake(extra_context=answers, template=str(template))
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert str(result.exception).startswith(f"sturdy: {message}")
    assert result.project_path is None
    with pytest.raises(ValueError, match=re.escape(message)):
        with_copier(template, tmp_path / "dest", answers)
    assert not (tmp_path / "dest").exists()


def test_a_refused_answer_leaves_nothing_behind(template: Path, tmp_path: Path) -> None:
    """As a user sees it: one line, exit 1, no traceback, no folder, no replay to repeat."""
    work = tmp_path / "work"
    work.mkdir()
    answers, message = {"package_name": "class"}, "package_name 'class' is taken: it is a Python keyword"
    result = cookiecutter_cli(template, work / "out", answers, work)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"sturdy: {rules_line(message, result.stderr)}"
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(p.name for p in work.iterdir()) == []
    replay = tmp_path / "cookiecutter-home" / "replay"
    assert not replay.exists() or not any(replay.iterdir())
    result = copier_cli(template, work / "dest", answers, work)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (work / "dest").exists()


def test_every_bad_answer_is_reported_at_once_one_line_each(template: Path, tmp_path: Path) -> None:
    """A person who typed every answer fixes them all in one go, not one per run."""
    work = tmp_path / "work"
    work.mkdir()
    answers = {"package_name": "class", "author_email": "nobody", "github_owner": "-x-"}
    result = cookiecutter_cli(template, work / "out", answers, work)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        (
            "sturdy: package_name 'class' is taken: it is a Python keyword, a standard-library module,"
            " a module the generated project installs, or a folder name the project uses or ignores"
        ),
        "sturdy: author_email 'nobody' is invalid: expected an address like name@example.com",
        (
            "sturdy: github_owner '-x-' is invalid: use at most 39 letters, digits and single hyphens,"
            " not starting or ending with a hyphen"
        ),
    ]
    assert sorted(p.name for p in work.iterdir()) == []


def rules_line(start: str, said: str) -> str:
    """Return the one line that starts with ``start`` in ``said``."""
    lines = [line.removeprefix("sturdy: ") for line in said.splitlines() if start in line]
    assert len(lines) == 1, said
    return lines[0]


@pytest.mark.parametrize(("answers", "says"), [({"python_min": "3.10"}, "3.10"), ({"license": "WTFPL"}, "WTFPL")])
def test_an_unknown_choice_is_refused_before_anything_is_written(
    cookies: Cookies, template: Path, tmp_path: Path, answers: dict[str, str], says: str
) -> None:
    result = cookies.bake(extra_context=answers, template=str(template))
    assert result.exit_code != 0
    assert says in str(result.exception)
    assert not Path("/tmp/absolute").exists()  # noqa: S108 -- only checks that no render went there
    with pytest.raises(ValueError, match=re.escape(says)):
        with_copier(template, tmp_path / "dest", answers)
    assert not (tmp_path / "dest").exists()
