"""Whatever a template is generated from, the answers file records a source a later update can follow.

Never a credential, never a folder that is gone; cookiecutter's hooks find the
template without ``$PWD``, which cmd.exe and PowerShell never set. What no
update could follow (a zip) is refused in one line before a project exists.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from tools.commands import github_served_from, isolated_cookiecutter, run, tool
from tools.render import git

TOKEN = "ghp-sturdy-test-token-0123456789"  # noqa: S105 -- a test value  # pragma: allowlist secret
ANSWERS_FILE = ".copier-answers.yml"


def recorded(project: Path) -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return data


def cookiecutter(template: str, out: Path, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    args = [tool("cookiecutter"), "--no-input", template, "-o", str(out)]
    done = run(args, cwd=cwd, env={**env, **isolated_cookiecutter(cwd / "cookiecutter-home")}, check=False)
    return done.returncode, done.stderr


@pytest.mark.parametrize("pwd", [None, "/nonexistent/stale"], ids=["PWD unset", "PWD stale"])
def test_a_relative_template_path_works_without_pwd(template: Path, tmp_path: Path, pwd: str | None) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PWD"}
    if pwd is not None:
        env["PWD"] = pwd
    code, stderr = cookiecutter(os.path.relpath(template, work), work / "out", work, env)
    assert code == 0, stderr
    assert recorded(work / "out" / "my-project")["_src_path"] == str(template)


def test_a_working_folder_reached_through_a_symlink_records_a_folder_that_exists(
    template: Path, tmp_path: Path
) -> None:
    shutil.copytree(template, tmp_path / "real" / "sturdy", symlinks=True)
    (tmp_path / "real" / "work").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "link").symlink_to(tmp_path / "real" / "work")
    cwd = tmp_path / "elsewhere" / "link"  # `..` from here is real/, not elsewhere/
    code, stderr = cookiecutter("../sturdy", cwd / "out", cwd, {**os.environ, "PWD": str(cwd)})
    assert code == 0, stderr
    source = recorded(cwd / "out" / "my-project")["_src_path"]
    assert Path(source).samefile(tmp_path / "real" / "sturdy")


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_a_credential_in_the_template_url_never_reaches_the_answers_file(
    template: Path, tmp_path: Path, engine: str
) -> None:
    mirror = tmp_path / "mirror"
    git("clone", "-q", str(template), str(mirror), cwd=tmp_path)
    url = f"https://user:{TOKEN}@github.com/OWNER/sturdy.git"
    env = {**os.environ, **github_served_from(mirror, url, tmp_path)}
    with (tmp_path / "gitconfig").open("a", encoding="utf-8") as gitconfig:  # the URL without it, too
        gitconfig.write(f'[url "{mirror.as_uri()}"]\n\tinsteadOf = https://github.com/OWNER/sturdy.git\n')
    if engine == "cookiecutter":
        code, stderr = cookiecutter(url, tmp_path / "out", tmp_path, env)
        project = tmp_path / "out" / "my-project"
    else:
        project = tmp_path / "copied"
        done = run([tool("copier"), "copy", "--defaults", url, str(project)], cwd=tmp_path, env=env, check=False)
        code, stderr = done.returncode, done.stderr
    assert code == 0, stderr
    text = (project / ANSWERS_FILE).read_text(encoding="utf-8")
    assert TOKEN not in text
    assert recorded(project)["_src_path"] == "https://github.com/OWNER/sturdy.git"


def test_a_zip_of_the_template_is_refused_in_one_line_before_a_project_exists(template: Path, tmp_path: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "sturdy"), "zip", root_dir=template.parent, base_dir=template.name)
    code, stderr = cookiecutter(archive, tmp_path / "out", tmp_path, dict(os.environ))
    assert code != 0
    assert "sturdy: template" in stderr
    assert "is a zip, which copier update cannot follow" in stderr
    assert not (tmp_path / "out" / "my-project").exists()
