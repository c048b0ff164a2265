"""Bad answers are refused by both command lines before anything is written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from cookiecutter.exceptions import FailedHookException
from jinja2.exceptions import UndefinedError

from tools.commands import run, tool
from tools.render import with_cookiecutter, with_copier
from tools.trees import files

pytestmark = pytest.mark.fast

# (answers, what the refusal must say). Each line names the field and the rule.
BAD_ANSWERS = [
    ({"project_name": ""}, "project_name must not be empty"),
    ({"project_name": "   "}, "project_name must not be empty"),
    ({"project_name": "two\nlines"}, "project_name must be a single line of text"),
    ({"project_slug": "My-Project"}, "project_slug 'My-Project' is invalid: use at most 32 lowercase letters"),
    ({"project_slug": "a" * 33}, f"project_slug '{'a' * 33}' is invalid"),
    ({"project_slug": "my--project"}, "project_slug 'my--project' is invalid"),
    ({"project_slug": "1st-project"}, "project_slug '1st-project' is invalid"),
    ({"project_slug": "trailing-"}, "project_slug 'trailing-' is invalid"),
    ({"project_slug": "my_project"}, "project_slug 'my_project' is invalid"),
    ({"project_slug": "email"}, "project_slug 'email' is taken"),
    ({"project_slug": "pydantic-settings"}, "project_slug 'pydantic-settings' is taken"),
    ({"package_name": "My_Package"}, "package_name 'My_Package' is invalid: use a lowercase Python identifier"),
    ({"package_name": "a" * 33}, f"package_name '{'a' * 33}' is invalid"),
    ({"package_name": "2fast"}, "package_name '2fast' is invalid"),
    ({"package_name": "my-package"}, "package_name 'my-package' is invalid"),
    ({"package_name": "class"}, "package_name 'class' is taken: it is a Python keyword"),
    ({"package_name": "json"}, "package_name 'json' is taken"),
    ({"package_name": "click"}, "package_name 'click' is taken"),
    ({"package_name": "benchmarks"}, "package_name 'benchmarks' is taken"),
    ({"package_name": "ipdb"}, "package_name 'ipdb' is taken"),
    ({"description": "tab\there"}, "description must be a single line of text"),
    ({"author_name": "line\rbreak"}, "author_name must be a single line of text"),
    ({"author_email": "not-an-email"}, "author_email 'not-an-email' is invalid: expected an address like"),
    ({"author_email": "a@localhost"}, "author_email 'a@localhost' is invalid"),
    ({"author_email": "a b@example.com"}, "author_email 'a b@example.com' is invalid"),
    ({"github_owner": "-leading"}, "github_owner '-leading' is invalid: use at most 39 letters"),
    ({"github_owner": "double--hyphen"}, "github_owner 'double--hyphen' is invalid"),
    ({"github_owner": "x" * 40}, f"github_owner '{'x' * 40}' is invalid"),
]
# A slug that is a path is refused before cookiecutter makes a folder from it;
# copier never makes a folder from the slug and refuses it with the usual rule.
PATH_SLUGS = ["../escape", "a/b/c", "..", "/tmp/absolute"]


def cookiecutter_cli(template: Path, out: Path, answers: dict[str, str], cwd: Path):  # noqa: ANN201
    out.mkdir(parents=True, exist_ok=True)
    args = [tool("cookiecutter"), "--no-input", str(template), "-o", str(out)]
    args += [f"{key}={value}" for key, value in answers.items()]
    return run(args, cwd=cwd, env={**os.environ, "PWD": str(cwd)}, check=False)


def copier_cli(template: Path, dest: Path, answers: dict[str, str], cwd: Path):  # noqa: ANN201
    args = [tool("copier"), "copy", "--defaults", str(template), str(dest)]
    for key, value in answers.items():
        args += ["--data", f"{key}={value}"]
    return run(args, cwd=cwd, check=False)


def assert_refused(result, message: str, left: Path) -> None:  # noqa: ANN001
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output, output
    assert not left.exists() or not any(left.iterdir()), f"files left in {left}"


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS, ids=[m for _, m in BAD_ANSWERS])
def test_both_engines_refuse_with_the_same_line(
    template: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str], answers: dict[str, str], message: str
) -> None:
    """Through the engines' APIs (fast); the command lines are tested below."""
    with pytest.raises((FailedHookException, UndefinedError)) as refused:
        with_cookiecutter(template, tmp_path / "out", answers)
    said = capfd.readouterr().err + str(refused.value)
    assert message in said
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    with pytest.raises(ValueError, match=re.escape(message)):
        with_copier(template, tmp_path / "dest", answers)
    assert not (tmp_path / "dest").exists()


def test_the_command_lines_refuse(template: Path, tmp_path: Path) -> None:
    """As a user sees it: one line that names the field and the rule, exit 1."""
    answers, message = {"package_name": "class"}, "package_name 'class' is taken: it is a Python keyword"
    result = cookiecutter_cli(template, tmp_path / "out", answers, tmp_path)
    assert_refused(result, f"sturdy: {message}", tmp_path / "out")
    result = copier_cli(template, tmp_path / "dest", answers, tmp_path)
    assert_refused(result, message, tmp_path / "dest")


def test_a_path_slug_on_the_command_line_makes_no_folder(template: Path, tmp_path: Path) -> None:
    work = tmp_path / "work" / "deep"
    result = cookiecutter_cli(template, work / "out", {"project_slug": "../escape"}, work)
    assert_refused(result, "project_slug must be a plain name, not a path", work / "out")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["deep", "out", "work"]


@pytest.mark.parametrize(
    ("answers", "cookiecutter_says", "copier_says"),
    [
        *[({"project_slug": slug}, "project_slug must be a plain name, not a path", "project_slug")
          for slug in PATH_SLUGS],
        ({"project_name": "日本語"}, "project_slug must not be empty: give one when project_name has no ASCII",
         "project_slug '' is invalid"),
        ({"python_min": "3.10"}, "3.10", "3.10"),
        ({"license": "WTFPL"}, "WTFPL", "WTFPL"),
    ],
)
def test_refused_before_cookiecutter_makes_a_folder(
    template: Path, tmp_path: Path, answers: dict[str, str], cookiecutter_says: str, copier_says: str
) -> None:
    """Path slugs, unknown choices and empty slugs never reach the hooks."""
    with pytest.raises((UndefinedError, ValueError), match=re.escape(cookiecutter_says)):
        with_cookiecutter(template, tmp_path / "out", answers)
    assert not (tmp_path / "out").exists()
    assert not Path("/tmp/absolute").exists()
    with pytest.raises(ValueError, match=re.escape(copier_says)):
        with_copier(template, tmp_path / "dest", answers)
    assert not (tmp_path / "dest").exists()


def test_both_command_lines_make_the_same_project(template: Path, tmp_path: Path) -> None:
    """A user's run: a relative template path, answers on the command line."""
    (tmp_path / "work").mkdir()
    relative = Path(os.path.relpath(template, tmp_path / "work"))
    answers = {"project_name": "Zoë's CLI", "license": "Apache-2.0", "python_min": "3.13"}
    made = cookiecutter_cli(relative, tmp_path / "work" / "out", answers, tmp_path / "work")
    assert made.returncode == 0, made.stderr
    copied = copier_cli(relative, Path("copied"), answers, tmp_path / "work")
    assert copied.returncode == 0, copied.stderr
    by_cookiecutter = files(tmp_path / "work" / "out" / "zos-cli")
    by_copier = files(tmp_path / "work" / "copied")
    answers_file = ".copier-answers.yml"
    assert {k: v for k, v in by_cookiecutter.items() if k != answers_file} == {
        k: v for k, v in by_copier.items() if k != answers_file
    }
    from_cookiecutter = yaml.safe_load(by_cookiecutter[answers_file])
    from_copier = yaml.safe_load(by_copier[answers_file])
    # Both record an absolute path, which `copier update` finds from anywhere.
    assert from_cookiecutter.pop("_src_path") == str(template)
    copier_src = Path(from_copier.pop("_src_path"))
    assert copier_src.is_absolute()
    assert copier_src.resolve() == template
    assert from_cookiecutter == from_copier
    assert from_copier["_commit"] == "v0.0.1"
    assert from_copier["project_name"] == "Zoë's CLI"
