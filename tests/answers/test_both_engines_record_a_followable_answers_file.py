"""Both engines record the same answers file, with a template source any updater can follow."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from tools.commands import github_served_from, isolated_cookiecutter, run, tool
from tools.engines import cookiecutter_cli, copier_cli
from tools.render import commit_all, git, snapshot
from tools.trees import files

ANSWERS_FILE = ".copier-answers.yml"


def recorded(project: Path) -> dict[str, str]:
    answers: dict[str, str] = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return answers


def test_both_command_lines_make_the_same_project(template: Path, tmp_path: Path) -> None:
    """A user's run: a relative template path with `..`, answers on the command line."""
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    relative = Path(os.path.relpath(template, work))
    assert ".." in relative.parts
    answers = {"project_name": "Zoë's CLI 🐍", "license": "Apache-2.0", "python_min": "3.13"}
    made = cookiecutter_cli(relative, work / "out", answers, work)
    assert made.returncode == 0, made.stderr
    copied = copier_cli(relative, Path("copied"), answers, work)
    assert copied.returncode == 0, copied.stderr
    by_cookiecutter, by_copier = files(work / "out" / "zoes-cli"), files(work / "copied")
    assert by_cookiecutter == by_copier
    # Both record the template's absolute path without `..`, which
    # `copier update` finds from anywhere, once `work` is gone too.
    from_copier = recorded(work / "copied")
    assert from_copier["_src_path"] == str(template)
    assert from_copier["_commit"] == "v0.0.1"
    assert from_copier["project_name"] == "Zoë's CLI 🐍"


def test_cookiecutter_prints_the_next_steps_copier_prints(template: Path, tmp_path: Path) -> None:
    made = cookiecutter_cli(template, tmp_path / "out", {}, tmp_path)
    copied = copier_cli(template, tmp_path / "copied", {}, tmp_path)
    assert made.returncode == copied.returncode == 0, made.stderr + copied.stderr
    steps = made.stderr.strip().splitlines()
    assert steps[0] == f"Generated My Project from the sturdy template. Next, in {tmp_path / 'out' / 'my-project'}:"
    assert f"Generated My Project from the sturdy template. Next, in {tmp_path / 'copied'}:" in copied.stderr
    assert "\n".join(steps[1:]) in copied.stderr
    assert "uv sync --locked" in made.stderr


def github_mirror(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Return a template at a local path that git serves for github.com/OWNER/sturdy."""
    mirror = snapshot(tmp_path / "mirror" / "OWNER" / "sturdy")
    return mirror, github_served_from(mirror, "https://github.com/OWNER/sturdy.git", tmp_path)


def test_a_gh_shortcut_is_recorded_as_its_https_url_by_cookiecutter(tmp_path: Path) -> None:
    """Here, cookiecutter's own abbreviations setting maps gh: to a local repository."""
    mirror, _ = github_mirror(tmp_path)
    env = isolated_cookiecutter(tmp_path / "home")
    config = Path(env["COOKIECUTTER_CONFIG"])
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["abbreviations"] = {"gh": f"git+{mirror.parent.parent.as_uri()}/{{0}}"}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    args = [tool("cookiecutter"), "--no-input", "gh:OWNER/sturdy", "-o", str(tmp_path / "out")]
    made = run(args, cwd=tmp_path, env={**os.environ, **env, "PWD": str(tmp_path)}, check=False)
    assert made.returncode == 0, made.stderr
    assert recorded(tmp_path / "out" / "my-project")["_src_path"] == "https://github.com/OWNER/sturdy.git"


def test_a_gh_shortcut_is_recorded_as_its_https_url_by_copier_and_updates_from_it(tmp_path: Path) -> None:
    """Here, git's insteadOf serves github.com from a local repository: no network."""
    mirror, git_env = github_mirror(tmp_path)
    env = {**os.environ, **git_env}
    dest = tmp_path / "project"
    made = run([tool("copier"), "copy", "--defaults", "gh:OWNER/sturdy", str(dest)], cwd=tmp_path, env=env, check=False)
    assert made.returncode == 0, made.stderr
    assert recorded(dest)["_src_path"] == "https://github.com/OWNER/sturdy.git"
    git("init", "-q", "-b", "main", cwd=dest)
    commit_all(dest, "generated")
    (mirror / "CHANGELOG.md").write_text("a newer release\n", encoding="utf-8")
    commit_all(mirror, "v0.0.2")
    git("tag", "v0.0.2", cwd=mirror)
    updated = run([tool("copier"), "update", "--defaults"], cwd=dest, env=env, check=False)
    assert updated.returncode == 0, updated.stderr
    assert recorded(dest)["_commit"] == "v0.0.2"


def test_a_moved_relative_template_folder_does_not_break_update(template: Path, tmp_path: Path) -> None:
    """The folder copier ran in is gone; the recorded path still resolves."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    copied = copier_cli(Path(os.path.relpath(template, work)), tmp_path / "project", {}, work)
    assert copied.returncode == 0, copied.stderr
    shutil.rmtree(tmp_path / "a")
    project = tmp_path / "project"
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "generated")
    updated = run([tool("copier"), "update", "--defaults", "--vcs-ref=:current:"], cwd=project, check=False)
    assert updated.returncode == 0, updated.stderr
