"""A fresh project passes all of its own checks before its author writes a line.

One project per python_min, on a matching interpreter found on this machine
(a missing interpreter fails the test and says so). Each check is the command
the generated README and CI run.
"""

from __future__ import annotations

import json
import shutil
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import commit_all, git, with_copier

#: Every python_min, each with another license; one with free text that
#: needs escaping wherever it lands, and the longest names the rules allow,
#: with an import name that is not the slug's.
VARIANTS = [
    {"python_min": "3.11", "license": "Apache-2.0"},
    {"python_min": "3.12", "license": "MIT"},
    {
        "python_min": "3.13",
        "license": "GPL-3.0-or-later",
        "project_name": 'Zoë\'s "Tool" \\ back',
        "project_slug": "zoe-tool-with-a-rather-long-name",
        "package_name": "zoetools_with_a_rather_long_name",
        "description": 'Fetches "things" \\ safely; it\'s fine',
        "author_name": "Åsa O'Brien",
    },
]


@dataclass(frozen=True)
class Project:
    root: Path
    env: dict[str, str]
    answers: dict[str, str]

    @property
    def python_min(self) -> str:
        return self.answers["python_min"]

    @property
    def slug(self) -> str:
        return self.answers.get("project_slug", "my-project")

    @property
    def package(self) -> str:
        return self.answers.get("package_name", "my_project")

    def uv(self, *args: str, offline: bool = False):  # noqa: ANN201
        """Run uv here; ``offline`` forbids it (and every hook it runs) the network."""
        env = {**self.env, "UV_OFFLINE": "1"} if offline else self.env
        return run(["uv", *args], cwd=self.root, env=env)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(v, id=f"py{v['python_min']}", marks=pytest.mark.xdist_group(f"py{v['python_min']}"))
        for v in VARIANTS
    ],
)
def project(request: pytest.FixtureRequest, template: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A generated project in a fresh git repository, its locked environment synced."""
    answers: dict[str, str] = request.param
    root = with_copier(template, tmp_path_factory.mktemp("project") / "generated", answers)
    git("init", "-q", "-b", "main", cwd=root)
    commit_all(root, "Generated from sturdy")
    env = project_env(
        find_python(answers["python_min"]),
        {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))},
    )
    generated = Project(root, env, answers)
    generated.uv("sync", "--locked")
    return generated


def test_the_shipped_lock_matches_pyproject(project: Project) -> None:
    project.uv("lock", "--check", offline=True)


def test_the_environment_runs_the_wanted_python(project: Project) -> None:
    result = project.uv("run", "--frozen", "python", "-c", "import sys; print(sys.version_info[:2])")
    major, minor = project.python_min.split(".")
    assert result.stdout.strip() == f"({major}, {minor})"


def test_ruff_lints_and_formats_clean(project: Project) -> None:
    project.uv("run", "--frozen", "ruff", "check", ".")
    project.uv("run", "--frozen", "ruff", "format", "--check", ".")


def test_mypy_strict_passes(project: Project) -> None:
    result = project.uv("run", "--frozen", "mypy", "src", "tests")
    assert "Success" in result.stdout
    config = tomllib.loads((project.root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True


def test_tests_pass_with_full_branch_coverage(project: Project) -> None:
    result = project.uv("run", "--frozen", "pytest", "--cov", "-p", "no:cacheprovider")
    assert "Required test coverage of 100" in result.stdout


def test_pre_commit_passes_offline_on_a_fresh_repository(project: Project) -> None:
    result = project.uv("run", "--frozen", "pre-commit", "run", "--all-files", offline=True)
    assert "Failed" not in result.stdout
    assert not git("status", "--porcelain", cwd=project.root).strip(), "a hook changed files"


def test_the_command_line_entry_point_is_installed(project: Project) -> None:
    result = project.uv("run", "--frozen", project.slug, "--help")
    assert "Usage" in result.stdout


def test_build_gives_a_checked_wheel_and_sdist(project: Project, tmp_path: Path) -> None:
    project.uv("build", "--out-dir", str(tmp_path))
    wheels, sdists = list(tmp_path.glob("*.whl")), list(tmp_path.glob("*.tar.gz"))
    assert len(wheels) == 1
    assert len(sdists) == 1
    twine = shutil.which("twine")
    assert twine, "twine is not installed in the test environment"
    run([twine, "check", "--strict", wheels[0], sdists[0]], cwd=tmp_path)
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
    assert f"{project.package}/py.typed" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_validate_pyproject_accepts_it(project: Project) -> None:
    validate = shutil.which("validate-pyproject")
    assert validate, "validate-pyproject is not installed in the test environment"
    run([validate, project.root / "pyproject.toml"], cwd=project.root)


def test_repo_review_reports_no_failures(project: Project) -> None:
    repo_review = shutil.which("repo-review")
    assert repo_review, "repo-review (sp-repo-review) is not installed in the test environment"
    result = run([repo_review, "--format", "json", "."], cwd=project.root, check=False)
    report = json.loads(result.stdout)
    failed = {name: check["description"] for name, check in report["checks"].items() if check["result"] is False}
    assert not failed
    assert result.returncode == 0


@pytest.mark.parametrize("license_id", ["BSD-3-Clause", "Proprietary"])
def test_the_other_licenses_build_and_validate(template: Path, tmp_path: Path, license_id: str) -> None:
    root = with_copier(template, tmp_path / "generated", {"license": license_id})
    run(["uv", "build", "--out-dir", tmp_path / "dist"], cwd=root, env=project_env(find_python("3.12")))
    twine, validate = shutil.which("twine"), shutil.which("validate-pyproject")
    assert twine, "twine is not installed in the test environment"
    assert validate, "validate-pyproject is not installed in the test environment"
    run([twine, "check", "--strict", *sorted((tmp_path / "dist").iterdir())], cwd=tmp_path)
    run([validate, root / "pyproject.toml"], cwd=root)
    metadata = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert ("Private :: Do Not Upload" in metadata) == (license_id == "Proprietary")
