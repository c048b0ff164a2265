"""With Windows' line-ending settings, a project starts with LF and is green on its first pre-commit run."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import commit_all, git, with_cookiecutter, with_copier

if TYPE_CHECKING:
    from pathlib import Path


def test_a_clone_with_core_autocrlf_passes_pre_commit_the_first_time(template: Path, tmp_path: Path) -> None:
    project = with_copier(template, tmp_path / "project", {"example": "none", "python_min": "3.12"})
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generate from the sturdy template")
    git("-c", "core.autocrlf=true", "clone", "-q", str(project), str(tmp_path / "clone"), cwd=tmp_path)
    clone = tmp_path / "clone"
    git("config", "core.autocrlf", "true", cwd=clone)  # Git for Windows' default
    assert b"\r\n" not in (clone / "pyproject.toml").read_bytes()
    env = project_env(find_python("3.12"), {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "UV_OFFLINE": "1"})
    run(["uv", "sync", "--locked"], clone, env)
    result = run(["uv", "run", "--frozen", "pre-commit", "run", "--all-files"], clone, env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not git("status", "--porcelain", cwd=clone).strip()


def test_a_template_cloned_with_core_autocrlf_renders_lf_files(template: Path, tmp_path: Path) -> None:
    # Git for Windows' default, for every clone: cookiecutter's of gh:OWNER/REPO and copier's own.
    config = tmp_path / "gitconfig"
    config.write_text("[core]\n\tautocrlf = true\n", encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    clone = tmp_path / "template"
    run(["git", "clone", "-q", template, clone], tmp_path, env)
    assert b"\r\n" not in (clone / "copier.yml").read_bytes()
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        projects = [
            with_cookiecutter(clone, tmp_path / "cookiecutter", {}),
            with_copier(clone, tmp_path / "copier", {}),
        ]
    for project in projects:
        crlf = [path.name for path in project.rglob("*") if path.is_file() and b"\r\n" in path.read_bytes()]
        assert crlf == [], project
