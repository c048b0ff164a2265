"""A fresh project passes all of its own checks before its author writes a line.

One project per python_min, on a matching interpreter found on this machine
(a missing interpreter fails the test and says so). Each check is the command
the generated README and CI run. The checks of one project run in order in
one test, as subtests: they share one synced environment and mypy's cache,
and each failure is still reported on its own.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import yaml

from scripts.refresh_names import held_names
from tools.commands import project_env, run, tool
from tools.interpreters import find_python
from tools.render import ROOT, commit_all, default_answers, git, questions, with_copier
from tools.steps import blocks, commands, section
from tools.validators import copier_refusal

sys.path.insert(0, str(ROOT / "hooks"))
import rules

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

#: Every python_min, each with another license; one with free text that
#: needs escaping wherever it lands (quotes, backslashes, Markdown, emoji,
#: surrounding spaces), a blank author, and the longest names the rules
#: allow, with an import name that is not the slug's; one without the example.
VARIANTS = [
    {"python_min": "3.11", "license": "Apache-2.0", "author_name": "Åsa O'Brien"},
    {"python_min": "3.12", "license": "MIT"},
    {
        "python_min": "3.13",
        "license": "GPL-3.0-or-later",
        "project_name": ' Zoë\'s "Tool" \\ *back* 🐍 ',
        "project_slug": "zoe-tool-with-a-rather-long-name",
        "package_name": "zoetools_with_a_rather_long_name",
        "description": '1. Fetches "things" \\ safely; it\'s fine: `ok` 🚀 ',
        "author_name": " ",
    },
    {"python_min": "3.12", "license": "BSD-3-Clause", "example": "none", "package_name": "bare"},
]
IDS = [f"py{v['python_min']}" + ("-none" if v.get("example") == "none" else "") for v in VARIANTS]
#: What a developer's machine or a CI runner may set; no test may depend on any of it.
HOSTILE_ENVIRONMENT = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "socks5://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "NO_COLOR": "1",
    "FORCE_COLOR": "1",
    "CI": "true",
    "LC_ALL": "C",
    "COLUMNS": "20",
    "TERM": "dumb",
    "SSLKEYLOGFILE": "/nonexistent-folder/tls-keys.log",
}
#: Distributions that speak or serve HTTP, or exist to help those that do.
HTTP_LIBRARIES = frozenset(
    {
        "aiohttp",
        "anyio",
        "certifi",
        "h11",
        "h2",
        "httpcore",
        "httpcore2",
        "httpx",
        "httpx2",
        "httpx2-jsfetch",
        "idna",
        "pytest-httpserver",
        "requests",
        "sniffio",
        "stamina",
        "tenacity",
        "truststore",
        "urllib3",
        "werkzeug",
    }
)

#: Run in a generated project's environment: ``PLATFORM FILE...`` prints, for
#: each file, its statement lines and those coverage leaves out, with the
#: project's coverage configuration evaluated as on ``PLATFORM``. The plugin
#: is imported first, on the real platform: its imports depend on it.
EXCLUDED_ON = """
import json, sys
import coverage_conditional_plugin
from coverage import Coverage
real, sys.platform = sys.platform, sys.argv[1]
try:
    cov = Coverage()
    cov.load()
finally:
    sys.platform = real
print(json.dumps({path: cov.analysis2(path)[1:3] for path in sys.argv[2:]}))
"""
#: The coverage rules of a generated project: the marker, and where it runs.
PLATFORM_MARKERS = {"# pragma: windows-only": {"win32"}, "# pragma: posix-only": {"linux", "darwin"}}


def marked_blocks(text: str) -> dict[str, set[int]]:
    """Map each platform marker to the lines of the blocks it marks (the marked line, then deeper ones)."""
    lines = text.splitlines()
    found: dict[str, set[int]] = {marker: set() for marker in PLATFORM_MARKERS}
    for number, line in enumerate(lines, start=1):
        for marker in PLATFORM_MARKERS:
            if line.rstrip().endswith(marker):
                indent = len(line) - len(line.lstrip())
                found[marker].add(number)
                for after, below in enumerate(lines[number:], start=number + 1):
                    if below.strip() and len(below) - len(below.lstrip()) <= indent:
                        break
                    found[marker].add(after)
    return found


@dataclass(frozen=True)
class Project:
    """A generated project: its folder, the environment for its commands, and the answers it was made with."""

    root: Path
    env: dict[str, str]
    answers: dict[str, str]

    @property
    def slug(self) -> str:
        """The project's slug: the one answered, else the default."""
        return self.answers.get("project_slug", "my-project")

    @property
    def package(self) -> str:
        """The project's package name: the one answered, else the default."""
        return self.answers.get("package_name", "my_project")

    def uv(self, *args: str, offline: bool = False) -> subprocess.CompletedProcess[str]:
        """Run uv here; ``offline`` forbids it (and every hook it runs) the network."""
        env = {**self.env, "UV_OFFLINE": "1"} if offline else self.env
        return run(["uv", *args], cwd=self.root, env=env)


def generate(template: Path, tmp_path: Path, answers: dict[str, str]) -> Project:
    """Render, commit in a fresh git repository, and sync the locked environment."""
    root = with_copier(template, tmp_path / "generated", answers)
    git("init", "-q", "-b", "main", cwd=root)
    commit_all(root, "Generated from sturdy")
    env = project_env(
        find_python(answers["python_min"]),
        {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")},
    )
    project = Project(root, env, answers)
    project.uv("sync", "--locked")
    return project


def check_platform_rules(project: Project) -> None:
    """Assert that coverage, evaluated as on each system, leaves out exactly the other systems' blocks."""
    package = project.root / "src" / project.package
    sources = sorted(
        str(path.relative_to(project.root))
        for path in package.rglob("*.py")
        if any(marker in path.read_text(encoding="utf-8") for marker in PLATFORM_MARKERS)
    )
    assert f"src/{project.package}/core/signals.py" in sources  # STOP_SIGNALS differ
    platforms = ("linux", "darwin", "win32")
    analyses = {
        platform: json.loads(project.uv("run", "--frozen", "python", "-c", EXCLUDED_ON, platform, *sources).stdout)
        for platform in platforms
    }
    for platform in platforms:
        left_out = 0
        for source, (statements, excluded) in analyses[platform].items():
            # What every system leaves out (`if TYPE_CHECKING:`) is no platform rule's doing.
            everywhere = set.intersection(*(set(analyses[p][source][1]) for p in platforms))
            by_rule = set(excluded) - everywhere
            marked = marked_blocks((project.root / source).read_text(encoding="utf-8"))
            foreign = {n for marker, block in marked.items() if platform not in PLATFORM_MARKERS[marker] for n in block}
            own = {n for marker, block in marked.items() if platform in PLATFORM_MARKERS[marker] for n in block}
            left_out += len(foreign & by_rule)
            assert by_rule == foreign & set(statements + excluded), (platform, source)
            assert not own & set(excluded), (platform, source)
        assert left_out, platform  # some code is another system's, and left out here


def start_this_systems_run_where_the_plain_run_left_off(project: Project) -> None:
    """Give the manual hook that runs mypy as on this very system the cache the plain mypy hook just left.

    That hook ("as on Linux", where this suite runs) is the plain run option
    for option (``--platform`` names the system mypy assumes anyway) over the
    same files: started cold, it would only repeat that check module for
    module. mypy still checks every cached module against its source. The
    other systems' hooks start cold, in their own folders, as a user's do.
    """
    config = yaml.safe_load((project.root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    seeded = []
    for hook in (hook for repo in config["repos"] for hook in repo["hooks"]):
        words = hook["entry"].split()
        if "--platform" in words and words[words.index("--platform") + 1] == sys.platform:
            cache = project.root / words[words.index("--cache-dir") + 1]
            shutil.copytree(project.env["MYPY_CACHE_DIR"], cache)
            seeded.append(hook["id"])
    assert len(seeded) == 1, seeded  # one hook for this system, with a cache folder of its own


def check_pre_commit(project: Project, subtests: pytest.Subtests, *, as_on_every_system: bool) -> None:
    """Run pre-commit as the README and CI run it: every hook, then (where asked) mypy as on each system."""
    # Every check once, as the README and CI run them: pre-commit runs the
    # lock check, ruff, mypy and the rest; then the tests with the gate.
    # Plain mypy: its files come from pyproject.toml, and it checks every Python file.
    python_files = git("ls-files", "*.py", cwd=project.root).split()
    with subtests.test("pre-commit runs every check offline and they pass on a fresh repository"):
        result = project.uv("run", "--frozen", "pre-commit", "run", "--all-files", "--verbose", offline=True)
        assert "Failed" not in result.stdout
        for hook in (
            "uv lock --check",
            "ruff check",
            "ruff format",
            "mypy (strict)",
        ):
            assert re.search(rf"^{re.escape(hook)}\.+Passed$", result.stdout, flags=re.MULTILINE), hook
        assert result.stdout.count(f"Success: no issues found in {len(python_files)} source files") == 1
        config = tomllib.loads((project.root / "pyproject.toml").read_text(encoding="utf-8"))
        assert config["tool"]["mypy"]["strict"] is True
        assert not git("status", "--porcelain", cwd=project.root).strip(), "a hook changed files"

    if not as_on_every_system:
        return
    with subtests.test("mypy passes as on Linux, macOS and Windows, as CI runs it on Linux"):
        start_this_systems_run_where_the_plain_run_left_off(project)
        result = project.uv(
            "run", "--frozen", "pre-commit", "run", "--all-files", "--hook-stage", "manual", "--verbose", offline=True
        )
        for system in ("Linux", "macOS", "Windows"):
            assert re.search(rf"^mypy \(strict, as on {system}\)\.+Passed$", result.stdout, flags=re.MULTILINE), system
        assert result.stdout.count(f"Success: no issues found in {len(python_files)} source files") == 3
        assert "ruff" not in result.stdout  # the manual stage runs these three hooks only


@pytest.mark.parametrize("answers", VARIANTS, ids=IDS)
def test_a_fresh_project_passes_its_own_checks(
    template: Path, tmp_path: Path, subtests: pytest.Subtests, answers: dict[str, str]
) -> None:
    project = generate(template, tmp_path, answers)

    with subtests.test("no name this environment imports or runs can be taken, in either engine"):
        held = held_names(project.root, project.slug)
        for field, names in (("package_name", held["site"] | held["stdlib"]), ("project_slug", held["bin"])):
            for name in sorted(names):
                taken = {**default_answers(), field: name}
                assert rules.problem(taken, rules.reserved_names()), f"{field} {name!r} accepted by the hook"
                assert copier_refusal(taken), f"{field} {name!r} accepted by copier"

    with subtests.test("the environment runs the wanted Python"):
        result = project.uv("run", "--frozen", "python", "-c", "import sys; print(sys.version_info[:2])")
        major, minor = answers["python_min"].split(".")
        assert result.stdout.strip() == f"({major}, {minor})"

    # Code for one system is the same whatever the answers, and the project
    # without the example is the one with it minus the example: mypy as on
    # each system once, for the downloader at the oldest Python.
    check_pre_commit(project, subtests, as_on_every_system=answers == VARIANTS[0])

    with subtests.test("the tests pass with full branch coverage, whatever the developer's environment"):
        result = run(
            ["uv", "run", "--frozen", "pytest", "--cov", "-p", "no:cacheprovider"],
            project.root,
            {**project.env, **HOSTILE_ENVIRONMENT},
        )
        assert "Required test coverage of 100" in result.stdout

    with subtests.test("coverage leaves out each system's own code on the other systems, by rule"):
        check_platform_rules(project)

    with subtests.test("the command line runs as the README shows"):
        readme = (project.root / "README.md").read_text(encoding="utf-8")
        (shown,) = blocks(section(readme, "## Run it"), "console")
        outputs = [run(words, project.root, project.env).stdout for words in commands(shown)]
        assert [("Usage" in out, "log_level = WARNING  (default)" in out) for out in outputs] == [
            (True, False),
            (False, True),
        ]

    with subtests.test("the build gives a wheel and an sdist that twine accepts"):
        dist = tmp_path / "dist"
        project.uv("build", "--out-dir", str(dist))
        wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
        assert (len(wheels), len(sdists)) == (1, 1)
        run([tool("twine"), "check", "--strict", wheels[0], sdists[0]], cwd=tmp_path)
        with zipfile.ZipFile(wheels[0]) as wheel:
            in_wheel = wheel.namelist()
        assert f"{project.package}/py.typed" in in_wheel
        assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel)

    with subtests.test("validate-pyproject accepts pyproject.toml"):
        run([tool("validate-pyproject"), project.root / "pyproject.toml"], cwd=project.root)

    with subtests.test("scientific-python's repo-review reports no failures"):
        result = run([tool("repo-review"), "--format", "json", "."], cwd=project.root, check=False)
        report = json.loads(result.stdout)
        failed = {name: c["description"] for name, c in report["checks"].items() if c["result"] is False}
        assert not failed
        assert result.returncode == 0


@pytest.mark.parametrize("license_id", ["BSD-3-Clause", "Proprietary"])
def test_the_other_licenses_build_and_validate(template: Path, tmp_path: Path, license_id: str) -> None:
    root = with_copier(template, tmp_path / "generated", {"license": license_id})
    dist = tmp_path / "dist"
    run(["uv", "build", "--out-dir", dist], cwd=root, env=project_env(find_python("3.12")))
    run([tool("twine"), "check", "--strict", *dist.glob("*.whl"), *dist.glob("*.tar.gz")], cwd=tmp_path)
    run([tool("validate-pyproject"), root / "pyproject.toml"], cwd=root)
    metadata = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert ("Private :: Do Not Upload" in metadata) == (license_id == "Proprietary")


@pytest.mark.parametrize("python_min", [str(v) for v in questions()["python_min"]])
def test_a_project_without_the_example_locks_and_runs_without_http(
    template: Path, tmp_path: Path, subtests: pytest.Subtests, python_min: str
) -> None:
    answers = {"python_min": python_min, "example": "none"}
    root = with_copier(template, tmp_path / "generated", answers)
    git("init", "-q", "-b", "main", cwd=root)
    commit_all(root, "Generated from sturdy")
    project = Project(root, project_env(find_python(python_min)), answers)

    with subtests.test("the shipped lock matches pyproject.toml, offline, and installs"):
        project.uv("lock", "--check", offline=True)
        project.uv("sync", "--locked", offline=True)
    with subtests.test("the runtime dependencies hold no HTTP library"):
        exported = project.uv("export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project").stdout
        runtime = {line.split("==")[0] for line in exported.splitlines() if line and not line.startswith((" ", "#"))}
        assert "pydantic-settings" in runtime  # the export listed something
        assert not runtime & HTTP_LIBRARIES
    with subtests.test("installed without the dev group, it holds no HTTP library and runs"):
        project.uv("sync", "--locked", "--no-dev", offline=True)
        listed = json.loads(project.uv("pip", "list", "--python", ".venv", "--format", "json").stdout)
        installed = {package["name"].lower() for package in listed}
        assert {"click", "pydantic"} <= installed
        assert not installed & HTTP_LIBRARIES
        shown = project.uv("run", "--frozen", "--no-sync", project.slug, "config", "show").stdout
        assert "log_level = WARNING  (default)" in shown.splitlines()
