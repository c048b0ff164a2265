"""The generated template-update workflow tells a project's owner when the template moved on.

GitHub cannot be reached from here, so the workflow's own ``run:`` scripts,
read from the rendered YAML, run in order the way a runner runs them (bash
-eo pipefail, the job's and the step's env), against a throwaway template
repository that gets newer release tags. The checkout and setup-uv steps are
what the test already did (a committed project, uv on PATH). copier comes
from the workflow's own hash-pinned requirements file (PyPI or uv's cache).
``gh`` is tests/lifecycle/gh_standin.py, which records its calls and keeps the issues.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import SKELETON, commit_all, git, snapshot
from tools.template_versions import ENGINES, generate, recorded

if TYPE_CHECKING:
    from collections.abc import Iterator

WORKFLOW = Path(".github/workflows/template-update.yml")
STANDIN = Path(__file__).with_name("gh_standin.py")
#: The values a runner gives the expressions the workflow uses.
EXPRESSIONS = {"github.token": "standin-token", "github.repository": "owner/my-project"}
LABEL = "template-update"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def job(project: Path) -> dict[str, Any]:
    (only,) = load(project / WORKFLOW)["jobs"].values()
    assert isinstance(only, dict)
    return only


def expand(value: object) -> str:
    """Return an env value with its ``${{ }}`` expressions as a runner would fill them in."""

    def one(match: re.Match[str]) -> str:
        assert match[1] in EXPRESSIONS, f"the test does not know the expression {match[1]!r}"
        return EXPRESSIONS[match[1]]

    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, str(value))


def update_commands(project: Path) -> str:
    """Return the first console block of the generated README's "Keeping up with the template"."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Keeping up with the template\n", 1)[1].split("\n## ", 1)[0]
    blocks: list[str] = re.findall(r"```console\n.*?\n```", section, flags=re.DOTALL)
    return blocks[0]


@dataclass
class Runner:
    """Runs the workflow's scripts in one project, with the gh stand-in on PATH."""

    project: Path
    work: Path
    runs: int = 0

    def __post_init__(self) -> None:
        """Put the gh stand-in on a PATH of the runner's own; check for the tools the scripts use."""
        self.bin = self.work / "bin"
        self.bin.mkdir(parents=True)
        gh = self.bin / "gh"
        gh.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{STANDIN}" "$@"\n', encoding="utf-8")
        gh.chmod(0o755)
        self.log = self.work / "gh-calls.jsonl"
        self.state = self.work / "gh-state.json"
        for needed in ("bash", "jq", "git", "uv"):
            assert shutil.which(needed), f"{needed} is needed to run the workflow's scripts"

    def steps(self) -> Iterator[tuple[str, str, dict[str, str]]]:
        """Yield each script step of the job: its name, its script and its env, expressions filled in."""
        defined = job(self.project)
        for step in defined["steps"]:
            if "run" in step:
                env = {**defined.get("env", {}), **step.get("env", {})}
                yield step["name"], step["run"], {key: expand(value) for key, value in env.items()}

    def __call__(self) -> str:
        """Run every script once, as one workflow run; return what they printed."""
        self.runs += 1
        temp = self.work / f"run-{self.runs}"
        temp.mkdir()
        base = project_env(find_python(str(recorded(self.project)["python_min"])))
        printed = []
        for name, script, step_env in self.steps():
            path = temp / "step.sh"
            path.write_text(script, encoding="utf-8")
            env = {**base, **step_env, "RUNNER_TEMP": str(temp)}
            env["PATH"] = f"{self.bin}:{env['PATH']}"
            env |= {"GH_STANDIN_LOG": str(self.log), "GH_STANDIN_STATE": str(self.state)}
            result = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", path], self.project, env, check=False)
            assert result.returncode == 0, f"step {name!r} failed:\n{result.stdout}{result.stderr}"
            printed.append(result.stdout)
        return "".join(printed)

    def calls(self) -> list[list[str]]:
        """Return every call the gh stand-in logged, as argument lists."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def issues(self) -> list[dict[str, Any]]:
        """Return the issues the gh stand-in holds, as gh's JSON gives them."""
        if not self.state.exists():
            return []
        data = json.loads(self.state.read_text(encoding="utf-8"))
        issues: list[dict[str, Any]] = data["issues"]
        return issues


def release(template: Path, tag: str) -> None:
    """Make a newer template release: a change to a template-owned file, tagged."""
    editorconfig = template / SKELETON / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text(encoding="utf-8") + f"# {tag}\n", encoding="utf-8")
    commit_all(template, f"release {tag}")
    git("tag", tag, cwd=template)


def creates(calls: list[list[str]]) -> list[list[str]]:
    return [call for call in calls if call[:2] == ["issue", "create"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_owner_gets_one_issue_per_newer_release_and_never_a_second(engine: str, tmp_path: Path) -> None:
    template = snapshot(tmp_path / "template", tag="v0.0.1")
    project = generate(engine, template, tmp_path / "made")
    runner = Runner(project, tmp_path / "runner")
    commands = update_commands(project)

    # At the newest release: no gh call at all.
    printed = runner()
    assert json.loads((tmp_path / "runner" / "run-1" / "check-update.json").read_text(encoding="utf-8")) == {
        "update_available": False,
        "current_version": "0.0.1",
        "latest_version": "0.0.1",
    }
    assert "nothing to do" in printed
    assert runner.calls() == []

    # A newer release: exactly one issue, labelled, with the README's commands.
    release(template, "v0.0.2")
    runner()
    assert len(creates(runner.calls())) == 1
    (issue,) = runner.issues()
    assert issue["title"] == "Update to sturdy template release 0.0.2"
    assert issue["labels"] == [LABEL]
    assert commands in issue["body"]
    assert "0.0.2" in issue["body"]
    assert "this project is at 0.0.1" in issue["body"]

    # Run again: the same issue is edited, no second one, no noise.
    before = len(runner.calls())
    runner()
    again = runner.calls()[before:]
    assert [call[:3] for call in again] == [["issue", "list", "--label"], ["issue", "edit", "1"]]
    assert len(runner.issues()) == 1

    # A later release: the same issue follows it, with one comment.
    release(template, "v0.0.3")
    runner()
    (issue,) = runner.issues()
    assert issue["title"] == "Update to sturdy template release 0.0.3"
    assert issue["comments"] == ["Release 0.0.3 is out: the description now gives the update to it."]
    assert commands in issue["body"]
    assert len(creates(runner.calls())) == 1


@pytest.mark.parametrize("tag", [None, "v0.0.2rc1"], ids=["untagged", "prerelease"])
def test_commits_that_are_no_release_open_no_issue(tmp_path: Path, tag: str | None) -> None:
    template = snapshot(tmp_path / "template", tag=None if tag is None else "v0.0.1")
    project = generate("copier", template, tmp_path / "made")
    runner = Runner(project, tmp_path / "runner")
    for number in range(2):  # commits on main, and maybe a prerelease tag
        editorconfig = template / SKELETON / ".editorconfig"
        editorconfig.write_text(editorconfig.read_text(encoding="utf-8") + f"# {number}\n", encoding="utf-8")
        commit_all(template, f"work {number}")
    if tag is not None:
        git("tag", tag, cwd=template)

    printed = runner()

    assert "nothing to do" in printed
    assert runner.calls() == []


def test_a_closed_issue_skips_its_release_until_a_newer_one(tmp_path: Path) -> None:
    template = snapshot(tmp_path / "template", tag="v0.0.1")
    project = generate("copier", template, tmp_path / "made")
    runner = Runner(project, tmp_path / "runner")
    release(template, "v0.0.2")
    runner()
    state = json.loads(runner.state.read_text(encoding="utf-8"))
    state["issues"][0]["state"] = "CLOSED"  # the owner closed it
    runner.state.write_text(json.dumps(state), encoding="utf-8")

    printed = runner()
    assert "was closed: not opening another one" in printed
    assert len(creates(runner.calls())) == 1

    release(template, "v0.0.3")
    runner()
    assert [(issue["title"], issue["state"]) for issue in runner.issues()] == [
        ("Update to sturdy template release 0.0.2", "CLOSED"),
        ("Update to sturdy template release 0.0.3", "OPEN"),
    ]


def test_the_workflow_asks_only_for_what_it_needs(template: Path, tmp_path: Path) -> None:
    project = generate("cookiecutter", template, tmp_path)
    workflow = load(project / WORKFLOW)
    triggers = workflow.get("on", workflow.get(True))
    assert triggers is not None, "the workflow has no triggers"
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {}
    assert job(project)["permissions"] == {"contents": "read", "issues": "write"}
    # Expressions reach the scripts through env only, never spliced into them.
    for step in job(project)["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    # copier comes from a hash-pinned file that Dependabot keeps current.
    installs = [step["run"] for step in job(project)["steps"] if "--require-hashes" in step.get("run", "")]
    (requirements,) = re.findall(r"--requirements (\S+)", installs[0])
    pinned = (project / requirements).read_text(encoding="utf-8")
    assert re.search(r"^copier==9\.(19|[2-9]\d)\.\d+ \\$", pinned, flags=re.MULTILINE), "copier >= 9.19 pinned"
    dependabot = load(project / ".github" / "dependabot.yml")
    ecosystems = {(entry["package-ecosystem"], entry["directory"]) for entry in dependabot["updates"]}
    assert ("pip", "/" + str(Path(requirements).parent)) in ecosystems
