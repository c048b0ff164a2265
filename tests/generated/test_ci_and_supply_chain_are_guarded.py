"""The generated project's CI and supply-chain guards, and the template's own.

For every python_min choice the template is rendered (cookiecutter; the
engines' parity is proved in tests/rendering/) and its .github/ is audited
offline: zizmor at the pedantic persona with no config, the vendored JSON
schemas, action pins from tools.workflows.PINS, least-privilege permissions
and timeouts. The template repository's own .github/ gets the same checks.
Then the secret guards: .env is ignored, the secret scanner passes on the
generated tree, and the installed pre-commit hook blocks a commit holding a
fake secret.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from typing import TYPE_CHECKING, Any, NamedTuple

import check_jsonschema
import pytest
import yaml

from scripts.check_fresh_project import ENGINES, readme_check
from scripts.check_fresh_project import main as check_fresh_project
from scripts.check_rendered_workflows import check_variant
from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import GIT_IDENTITY, SKELETON, commit_all, git, questions, with_cookiecutter
from tools.trees import files
from tools.workflows import PINS, pin_problems, schema_commands, uses, workflow_files, zizmor_command

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

_CHOICES = questions()["python_min"]
assert isinstance(_CHOICES, list)
PYTHON_MINS = [str(choice) for choice in _CHOICES]
TARGETS = [*PYTHON_MINS, "template"]
#: Workflow files each .github/ must hold (a checker given no files proves nothing).
WORKFLOWS = {
    "generated": {"ci.yml", "release.yml", "template-update.yml"},
    "template": {"ci.yml", "refresh-locks.yml"},
}
#: The commands the generated CI runs, exactly as the generated README gives them.
CHECK_COMMANDS = ["uv sync --locked", "uv run --frozen pre-commit run --all-files", "uv run --frozen pytest --cov"]
#: ... and one more, on Linux only: mypy as on each system.
CI_COMMANDS = [*CHECK_COMMANDS, "uv run --frozen pre-commit run --all-files --hook-stage manual"]
NEWEST_MINOR = 15
#: The one free-threaded build the generated CI tests on.
FREE_THREADED = "3.14t"
#: Fake secrets, split so that no scanner flags this file itself.
FAKE_AWS_KEY_ID = "AKIA" + "IOSFODNN7" + "EXAMPLE"  # AWS's documented example key id
FAKE_PRIVATE_KEY = (
    "-----BEGIN " + "RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAwJ9nq3a5m0XzB8z1m2fQvGx7c9KX0vF2bI3QnU5J8yN4dH6k\n"
    "-----END " + "RSA PRIVATE KEY-----\n"
)


class Generated(NamedTuple):
    """A rendered project and the files the template put in it."""

    path: Path
    files: tuple[str, ...]


# --- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Generated]:
    """Render a python_min variant with the default answers, once per module."""
    cache: dict[str, Generated] = {}

    def render(python_min: str) -> Generated:
        if python_min not in cache:
            out = tmp_path_factory.mktemp(f"security-py{python_min}")
            project = with_cookiecutter(template, out, {"python_min": python_min})
            cache[python_min] = Generated(project, tuple(files(project)))
        return cache[python_min]

    return render


@pytest.fixture(scope="module")
def synced(
    generated: Callable[[str], Generated], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], tuple[Generated, dict[str, str]]]:
    """Return a rendered variant with its locked environment installed, and the env to use in it."""
    pre_commit_home = tmp_path_factory.mktemp("pre-commit-home")
    cache: dict[str, tuple[Generated, dict[str, str]]] = {}

    def sync(python_min: str) -> tuple[Generated, dict[str, str]]:
        if python_min not in cache:
            project = generated(python_min)
            env = project_env(
                find_python(python_min),
                {
                    "PRE_COMMIT_HOME": str(pre_commit_home),
                    # A user's git config (hooksPath, signing) must not change the outcome.
                    "GIT_CONFIG_GLOBAL": os.devnull,
                    "GIT_CONFIG_NOSYSTEM": "1",
                },
            )
            run(["uv", "sync", "--locked"], project.path, env)
            cache[python_min] = (project, env)
        return cache[python_min]

    return sync


@pytest.fixture(params=TARGETS)
def github(request: pytest.FixtureRequest, generated: Callable[[str], Generated], template: Path) -> Path:
    """Return a .github/ folder: a rendered variant's, or the template repository's own."""
    if request.param == "template":
        return template / ".github"
    return generated(request.param).path / ".github"


def kind(github: Path) -> str:
    return "template" if (github.parent / "cookiecutter.json").is_file() else "generated"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def jobs(github: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(workflow file, job id, job) for every job under ``github``."""
    for path in workflow_files(github):
        for job_id, job in load(path)["jobs"].items():
            yield path.name, job_id, job


def git_init(project: Path, env: dict[str, str] | None = None) -> None:
    run(["git", "init", "-q", "-b", "main"], project, env)


# --- the workflows, for every variant and the template's own ------------------


def test_zizmor_pedantic_offline_finds_nothing(github: Path) -> None:
    result = run(zizmor_command(github), github.parent, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output, output
    for path in [*workflow_files(github), github / "dependabot.yml"]:  # each named as audited
        assert f"completed {path}" in output, f"zizmor did not audit {path}: {output}"


def test_schemas_accept_every_workflow_and_dependabot(github: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert {p.name for p in workflow_files(github)} == WORKFLOWS[kind(github)]
    assert (github / "dependabot.yml").is_file()
    schemas = []
    # The pre-commit hooks' check-jsonschema arguments, run in-process: the
    # import is most of the tool's run time.
    for command in schema_commands(github):
        schemas.append(command[2])
        with pytest.raises(SystemExit) as exited:
            check_jsonschema.main(command[1:])
        output = capsys.readouterr()
        assert exited.value.code == 0, output.out + output.err
        assert "ok -- validation done" in output.out, output.out + output.err
    assert {"vendor.github-workflows", "vendor.dependabot"} <= set(schemas)


def test_every_action_is_pinned_to_a_known_commit(github: Path) -> None:
    found = uses(github)
    # The line scan sees exactly the `uses:` values YAML sees: none slips past it.
    in_yaml = sorted(
        step["uses"] for _, _, job in jobs(github) for step in job.get("steps", []) if "uses" in step
    ) + sorted(job["uses"] for _, _, job in jobs(github) if "uses" in job)
    assert sorted(use.ref for use in found) == sorted(in_yaml)
    assert found, "no actions found"
    assert pin_problems(github) == []
    for use in found:
        action, sha = use.ref.split("@")
        assert (use.comment, sha) == PINS[action], use


def test_skeleton_and_template_pin_the_same_commits(generated: Callable[[str], Generated], template: Path) -> None:
    def pins(github: Path) -> dict[str, str]:
        refs = {use.ref for use in uses(github)}
        by_action = {ref.split("@")[0]: ref for ref in refs}
        assert len(by_action) == len(refs), f"one action pinned at two commits in {github}: {sorted(refs)}"
        return by_action

    own = pins(template / ".github")
    for python_min in PYTHON_MINS:
        skeleton = pins(generated(python_min).path / ".github")
        shared = own.keys() & skeleton.keys()
        assert {"actions/checkout", "astral-sh/setup-uv"} <= shared
        assert {a: own[a] for a in shared} == {a: skeleton[a] for a in shared}


def test_least_privilege_timeouts_and_no_persisted_credentials(github: Path) -> None:
    checkouts = 0
    for path in workflow_files(github):
        # No default token permissions at the top; each job asks for what it needs.
        assert load(path).get("permissions", "missing") == {}, f"{path.name}: top-level permissions"
    for name, job_id, job in jobs(github):
        where = f"{name}: job {job_id}"
        assert "permissions" in job, where
        assert isinstance(job.get("timeout-minutes"), int), where
        assert 0 < job["timeout-minutes"] <= 60, where
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                checkouts += 1
                assert step.get("with", {}).get("persist-credentials") is False, where
    assert checkouts


def test_no_secrets_and_id_token_only_where_publishing(github: Path) -> None:
    for path in workflow_files(github):
        assert "secrets." not in path.read_text(encoding="utf-8"), path.name
        assert "id-token" not in (load(path).get("permissions") or {}), path.name
    granted = {
        (name, job_id): (job.get("permissions") or {}).get("id-token")
        for name, job_id, job in jobs(github)
        if "id-token" in (job.get("permissions") or {})
    }
    expected = {("release.yml", "publish"): "write"} if kind(github) == "generated" else {}
    assert granted == expected


def test_template_workflows_install_every_python_min_choice(template: Path) -> None:
    installs = {
        (name, job_id): sorted(step["run"].split()[3:])
        for name, job_id, job in jobs(template / ".github")
        for step in job.get("steps", [])
        if step.get("run", "").startswith("uv python install ")
    }
    # The test suite and the lock refresh find each interpreter with `uv python find`.
    everything = sorted(PYTHON_MINS)
    assert installs == {("ci.yml", "tests"): everything, ("refresh-locks.yml", "refresh"): everything}


def test_template_ci_checks_fresh_projects_on_macos_and_windows(
    template: Path, generated: Callable[[str], Generated]
) -> None:
    ci = load(template / ".github" / "workflows" / "ci.yml")
    job = ci["jobs"]["fresh-project"]
    assert job["strategy"]["matrix"] == {
        "os": ["macos-latest", "windows-latest"],
        "engine": list(ENGINES),
        "example": questions()["example"],
    }
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["defaults"] == {"run": {"shell": "bash"}}
    (step,) = [step for step in job["steps"] if "run" in step]
    assert step["run"].startswith("uv run --locked python scripts/check_fresh_project.py ")
    assert "fresh-project" in ci["jobs"]["required"]["needs"]
    # The script runs exactly the commands the generated README gives, which CI runs too.
    assert readme_check(generated(PYTHON_MINS[0]).path) == [command.split() for command in CHECK_COMMANDS]


@pytest.mark.parametrize("argv", [[], ["cruft"], ["copier", "example"]])
def test_the_fresh_project_check_refuses_bad_usage_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_fresh_project(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


# --- what only the generated project has --------------------------------------


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_generated_ci_runs_the_readme_commands_on_every_python(
    generated: Callable[[str], Generated], python_min: str
) -> None:
    project = generated(python_min).path
    ci = load(project / ".github" / "workflows" / "ci.yml")
    runs = [step["run"] for job in ci["jobs"].values() for step in job.get("steps", []) if "run" in step]
    for command in CI_COMMANDS:
        assert command in runs
    first = int(python_min.split(".")[1])
    expected = [f"3.{minor}" for minor in range(first, NEWEST_MINOR + 1)]
    matrix = ci["jobs"]["tests"]["strategy"]["matrix"]
    assert (matrix["os"], matrix["python"]) == (["ubuntu-latest"], [*expected, FREE_THREADED])
    # macOS and Windows: the oldest and the newest Python, with the same steps.
    assert matrix["include"] == [
        {"os": system, "python": python}
        for system in ("macos-latest", "windows-latest")
        for python in (python_min, expected[-1])
    ]
    assert ci["jobs"]["pre-commit"]["strategy"]["matrix"]["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    (other_systems,) = [s for s in ci["jobs"]["pre-commit"]["steps"] if "--hook-stage manual" in s.get("run", "")]
    assert other_systems["if"] == "runner.os == 'Linux'"
    for job in ("tests", "pre-commit"):
        assert ci["jobs"][job]["runs-on"] == "${{ matrix.os }}"
    # Every step runs in bash, Windows included (its default shell is pwsh).
    assert ci["defaults"] == {"run": {"shell": "bash"}}
    assert not [s for job in ci["jobs"].values() for s in job.get("steps", []) if "shell" in s]
    # The free-threaded run keeps the GIL off; "0" would be fatal on the others.
    (pytest_step,) = [s for s in ci["jobs"]["tests"]["steps"] if s.get("run") == "uv run --frozen pytest --cov"]
    assert pytest_step["env"] == {"PYTHON_GIL": "${{ endsWith(matrix.python, 't') && '0' || '' }}"}
    classifiers = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]["classifiers"]
    versions = [
        c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == expected
    assert "Programming Language :: Python :: Free Threading :: 3 - Stable" in classifiers
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert [c for c in CI_COMMANDS if c not in readme] == []


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_release_publishes_this_project_on_release_only(generated: Callable[[str], Generated], python_min: str) -> None:
    project = generated(python_min).path
    release = load(project / ".github" / "workflows" / "release.yml")
    assert release.get("on", release.get(True)) == {"release": {"types": ["published"]}}
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"] == {"name": "pypi", "url": f"https://pypi.org/project/{project.name}/"}
    steps = [step.get("uses", "") for step in publish["steps"]]
    assert any(s.startswith("pypa/gh-action-pypi-publish@") for s in steps)
    assert not any(s.startswith("actions/checkout@") for s in steps), "publish runs no repository code"


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_security_policy_points_at_private_reporting(generated: Callable[[str], Generated], python_min: str) -> None:
    project = generated(python_min).path
    owner = questions()["github_owner"]
    policy = (project / "SECURITY.md").read_text(encoding="utf-8")
    assert f"https://github.com/{owner}/{project.name}/security/advisories/new" in policy


# --- secrets -------------------------------------------------------------------


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_dotenv_is_ignored(generated: Callable[[str], Generated], python_min: str) -> None:
    project = generated(python_min).path
    git_init(project)
    for name in (".env", ".env.local"):
        # -v names the rule: it must be the project's own .gitignore, not a global one.
        result = run(["git", "check-ignore", "-v", name], project, check=False)
        assert result.returncode == 0, name
        assert result.stdout.startswith(".gitignore:"), result.stdout
    assert run(["git", "check-ignore", "-q", ".secrets.baseline"], project, check=False).returncode == 1


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_secret_scanner_passes_on_the_generated_tree(
    synced: Callable[[str], tuple[Generated, dict[str, str]]], python_min: str
) -> None:
    project, env = synced(python_min)
    scanned = [name for name in project.files if name != ".secrets.baseline"]
    assert "pyproject.toml" in scanned
    result = run(
        ["uv", "run", "--frozen", "detect-secrets-hook", "--baseline", ".secrets.baseline", *scanned],
        project.path,
        env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("python_min", PYTHON_MINS)
def test_pre_commit_blocks_a_commit_holding_a_secret(
    synced: Callable[[str], tuple[Generated, dict[str, str]]], python_min: str
) -> None:
    project, env = synced(python_min)
    path = project.path
    git_init(path, env)
    run(["uv", "run", "--frozen", "pre-commit", "install"], path, env)
    assert (path / ".git" / "hooks" / "pre-commit").is_file()

    # A clean file goes through the same hooks: a failure below is the secret's.
    (path / "notes.txt").write_text("Nothing secret here.\n", encoding="utf-8")
    run(["git", "add", "notes.txt"], path, env)
    run(["git", *GIT_IDENTITY, "commit", "-q", "-m", "clean"], path, env)

    (path / "deploy.ini").write_text(f"[aws]\naws_access_key_id = {FAKE_AWS_KEY_ID}\n", encoding="utf-8")
    (path / "id_rsa.txt").write_text(FAKE_PRIVATE_KEY, encoding="utf-8")
    run(["git", "add", "deploy.ini", "id_rsa.txt"], path, env)
    result = run(["git", *GIT_IDENTITY, "commit", "-q", "-m", "leak"], path, env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Secret Type: AWS Access Key" in output, output
    assert "Location:    deploy.ini:2" in output, output
    assert "Private key found: id_rsa.txt" in output, output
    log = run(["git", "log", "--format=%s"], path, env).stdout.split()
    assert log == ["clean"]


# --- the pre-commit hook that checks the skeleton's rendered workflows ----------


def test_rendered_workflow_check_catches_a_weakened_skeleton(template: Path, tmp_path: Path) -> None:
    weakened = tmp_path / "template"
    shutil.copytree(template, weakened, symlinks=True)
    ci = weakened / SKELETON / ".github" / "workflows" / "ci.yml"
    text = ci.read_text(encoding="utf-8")
    checkout = PINS["actions/checkout"]
    keep_no_credentials = "        with:\n          persist-credentials: false\n"
    assert keep_no_credentials in text
    assert checkout.sha in text
    text = text.replace(keep_no_credentials, "", 1)
    text = text.replace(checkout.sha, "0" * 40, 1)
    ci.write_text(text, encoding="utf-8")
    commit_all(weakened, "weaken the skeleton's CI")
    git("tag", "v0.0.2", cwd=weakened)  # a release: cookiecutter renders only the newest one

    failures = check_variant(weakened, {"python_min": PYTHON_MINS[0]}, tmp_path / "out")
    report = "\n".join(failures)
    # Exactly the two weakenings, each named with the answers that rendered it.
    assert len(failures) == 2, report
    assert all(f.startswith(f"[answers {{'python_min': '{PYTHON_MINS[0]}'}}] ") for f in failures), report
    assert "zizmor" in failures[0], report
    assert "artipacked" in failures[0], report
    assert f"actions/checkout@{'0' * 40}: expected the {checkout.version} commit {checkout.sha}" in failures[1]
