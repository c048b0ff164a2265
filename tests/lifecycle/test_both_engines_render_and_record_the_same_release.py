"""Both engines render the same release of the template and record it, or say in one line why they cannot.

copier renders the newest release tag of a git template (or the ref
``--vcs-ref`` names), never uncommitted edits, and records ``git describe``;
a folder that is not a repository's root it renders as it is and records no
release. cookiecutter renders what it has: a clone's default branch, or a
folder with its edits. Each case below is a throwaway template repository
with a tag at a real commit.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import yaml

from tools.commands import isolated_cookiecutter, run, tool
from tools.render import commit_all, git, snapshot
from tools.template_versions import copier_cli
from tools.trees import files

if TYPE_CHECKING:
    from pathlib import Path

ANSWERS_FILE = ".copier-answers.yml"


def cookiecutter(template: str, out: Path, *flags: str) -> tuple[int, str]:
    """Run the cookiecutter command line with every default; return its exit code and what it printed."""
    cwd = out.parent
    args = [tool("cookiecutter"), "--no-input", *flags, template, "-o", str(out)]
    done = run(args, cwd=cwd, env={**os.environ, **isolated_cookiecutter(cwd / "cookiecutter-home")}, check=False)
    return done.returncode, done.stdout + done.stderr


def copier(template: str, dest: Path, *flags: str) -> tuple[int, str]:
    """Run ``copier copy --defaults``; return its exit code and what it printed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    return copier_cli(["copy", "--defaults", *flags, template, str(dest)], dest.parent)


def recorded(project: Path) -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return data


def refusal(code: int, output: str, out: Path) -> str:
    """Return cookiecutter's one ``sturdy:`` line, after checking it refused and wrote nothing."""
    assert code != 0
    (line,) = [line for line in output.splitlines() if line.startswith("sturdy:")]
    assert output.rstrip().endswith(line)  # after cookiecutter's own report of a failed hook
    assert not (out / "my-project").exists()
    return line


def released_then_ahead(root: Path) -> Path:
    """Return a template repository tagged v1.0.0, with main one commit past it (a file the release lacks)."""
    template = snapshot(root / "sturdy", tag="v1.0.0")
    skeleton = template / "{{cookiecutter.project_slug}}"
    (skeleton / "unreleased.txt").write_text("Not released yet.\n", encoding="utf-8")
    commit_all(template, "work after the release")
    return template


def test_main_ahead_of_the_newest_tag_is_refused_by_cookiecutter_and_the_tag_renders_the_same_with_both(
    tmp_path: Path,
) -> None:
    template = released_then_ahead(tmp_path)
    url = f"git+{template.as_uri()}"

    line = refusal(*cookiecutter(url, tmp_path / "refused"), tmp_path / "refused")
    assert "not at its newest release v1.0.0" in line
    assert "--checkout v1.0.0" in line

    code, output = cookiecutter(url, tmp_path / "cookiecutter", "--checkout", "v1.0.0")
    assert code == 0, output
    code, output = copier(str(template), tmp_path / "copier" / "my-project")
    assert code == 0, output
    by_cookiecutter = tmp_path / "cookiecutter" / "my-project"
    by_copier = tmp_path / "copier" / "my-project"
    assert recorded(by_cookiecutter)["_commit"] == recorded(by_copier)["_commit"] == "v1.0.0"
    assert "unreleased.txt" not in files(by_cookiecutter)
    made = files(by_cookiecutter)
    assert {name: data for name, data in files(by_copier).items() if name != ANSWERS_FILE} == {
        name: data for name, data in made.items() if name != ANSWERS_FILE
    }
    # The cookiecutter project updates like the copier one: no "You are downgrading".
    git("init", "-q", "-b", "main", cwd=by_cookiecutter)
    commit_all(by_cookiecutter, "generated")
    code, output = copier_cli(["update", "--defaults"], by_cookiecutter)
    assert code == 0, output


def test_the_unreleased_tip_renders_and_is_recorded_alike_when_asked_for(tmp_path: Path) -> None:
    template = released_then_ahead(tmp_path)
    code, output = cookiecutter(f"git+{template.as_uri()}", tmp_path / "cookiecutter", "--checkout", "main")
    assert code == 0, output
    code, output = copier(str(template), tmp_path / "copier" / "my-project", "--vcs-ref", "main")
    assert code == 0, output
    by_cookiecutter = tmp_path / "cookiecutter" / "my-project"
    by_copier = tmp_path / "copier" / "my-project"
    assert recorded(by_cookiecutter)["_commit"] == recorded(by_copier)["_commit"]
    assert recorded(by_copier)["_commit"].startswith("v1.0.0-1-g")
    assert "unreleased.txt" in files(by_cookiecutter)


def test_a_dirty_local_template_is_refused_by_cookiecutter_as_copier_leaves_its_edits_out(tmp_path: Path) -> None:
    template = snapshot(tmp_path / "sturdy", tag="v1.0.0")
    (template / "{{cookiecutter.project_slug}}" / "uncommitted.txt").write_text("An edit.\n", encoding="utf-8")

    line = refusal(*cookiecutter(str(template), tmp_path / "refused"), tmp_path / "refused")
    assert "with uncommitted changes" in line
    assert "not at its newest release v1.0.0" in line

    code, output = copier(str(template), tmp_path / "copier" / "my-project")
    assert code == 0, output
    assert "uncommitted.txt" not in files(tmp_path / "copier" / "my-project")
    assert recorded(tmp_path / "copier" / "my-project")["_commit"] == "v1.0.0"


def test_uncommitted_edits_rendered_on_purpose_are_said_not_to_be_in_the_recorded_commit(tmp_path: Path) -> None:
    template = snapshot(tmp_path / "sturdy", tag=None)
    (template / "{{cookiecutter.project_slug}}" / "uncommitted.txt").write_text("An edit.\n", encoding="utf-8")
    head = git("rev-parse", "--short", "HEAD", cwd=template).strip()

    code, output = cookiecutter(str(template), tmp_path / "cookiecutter")
    assert code == 0, output
    project = tmp_path / "cookiecutter" / "my-project"
    assert "uncommitted.txt" in files(project)
    assert recorded(project)["_commit"].startswith(head)
    (line,) = [line for line in output.splitlines() if line.startswith("sturdy:")]
    assert "uncommitted changes" in line
    assert recorded(project)["_commit"] in line


def test_a_template_in_another_repository_s_subfolder_records_no_release_with_either_engine(tmp_path: Path) -> None:
    outer = tmp_path / "monorepo"
    snapshot(outer / "templates" / "sturdy", tag=None)
    shutil.rmtree(outer / "templates" / "sturdy" / ".git")
    git("init", "-q", "-b", "main", cwd=outer)
    commit_all(outer, "a repository holding the template in a subfolder")
    git("tag", "v9.9.9", cwd=outer)
    template = outer / "templates" / "sturdy"

    code, by_cookiecutter = cookiecutter(str(template), tmp_path / "cookiecutter")
    assert code == 0, by_cookiecutter
    code, by_copier = copier(str(template), tmp_path / "copier" / "my-project")
    assert code == 0, by_copier
    for project, output in (
        (tmp_path / "cookiecutter" / "my-project", by_cookiecutter),
        (tmp_path / "copier" / "my-project", by_copier),
    ):
        assert "_commit" not in recorded(project)
        (line,) = [line for line in output.splitlines() if "not a git repository's root" in line]
        assert "copier update cannot follow" in line
