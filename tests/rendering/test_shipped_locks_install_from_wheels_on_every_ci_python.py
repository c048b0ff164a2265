"""Every Python the generated CI tests can install every shipped lock from wheels.

The Pythons come from the rendered ci.yml (each job's setup-uv
``python-version``, a matrix expanded, or ``.python-version`` when none is
given), the platform from each job's ``runs-on`` (a matrix's ``os`` too):
Linux, macOS and Windows. For each shipped lock
(templates/locks/, one per python_min and example) and each of those Pythons, every
package the lock installs there (its markers evaluated by ``uv export``) must
have a wheel that Python accepts: a pure-Python one, or one built for that
CPython (``cp3XX``, ``abi3`` where it applies, ``cp3XXt`` for a free-threaded
build) on that platform. A package that would build from source on a runner
fails here, not in a user's first CI run.

Python 3.14 and 3.15 cannot be installed on this machine, so this is what can
be proved offline: the wheels exist in the lock; it does not run them.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
import yaml
from packaging import tags
from packaging.markers import Marker
from packaging.utils import canonicalize_name, parse_wheel_filename

from tools.commands import project_env, run
from tools.locks import LOCKS, lock_choices, lock_path
from tools.render import questions, with_cookiecutter

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.fast

_CHOICES = questions()["python_min"]
assert isinstance(_CHOICES, list)
PYTHON_MINS = [str(choice) for choice in _CHOICES]


class Runner(NamedTuple):
    """A GitHub runner label's system: what its wheels' tags and PEP 508 markers need."""

    system: str  # platform.system(): "Linux", "Darwin", "Windows"
    machine: str  # platform.machine() there
    version: tuple[int, int]  # glibc on Linux, the OS release on macOS; unused on Windows


#: GitHub's runner labels the generated workflows may use. ubuntu-latest is
#: Ubuntu 24.04 on x86_64 (glibc 2.39); macos-latest is macOS 15 on Apple
#: silicon (a later release accepts every wheel 15 does); windows-latest is
#: Windows Server on x86-64.
RUNNERS = {
    "ubuntu-latest": Runner("Linux", "x86_64", (2, 39)),
    "macos-latest": Runner("Darwin", "arm64", (15, 0)),
    "windows-latest": Runner("Windows", "AMD64", (0, 0)),
}
#: ``name==version`` with an optional ``; marker``, as ``uv export`` writes them.
EXPORTED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?: ; (?P<marker>.+))?$")


class Target(NamedTuple):
    """One CPython build on one runner."""

    python: str  # as CI names it: "3.14", "3.14t"
    runner: str

    @property
    def minor(self) -> int:
        """The minor version: 14 for both "3.14" and "3.14t"."""
        return int(self.python.removesuffix("t").split(".")[1])

    @property
    def abi(self) -> str:
        """The ABI tag of this build's wheels: "cp314", or "cp314t" for a free-threaded build."""
        return f"cp3{self.minor}{'t' if self.python.endswith('t') else ''}"

    def platforms(self) -> list[str]:
        """Return the platform tags a wheel may carry to install on this runner, the most specific first."""
        system, machine, (major, newest) = RUNNERS[self.runner]
        if system == "Windows":
            return ["win_amd64"]
        if system == "Darwin":
            return list(tags.mac_platforms((major, newest), machine))
        many = [f"manylinux_{major}_{minor}_{machine}" for minor in range(newest, 4, -1)]
        return [
            *many,
            f"manylinux2014_{machine}",
            f"manylinux2010_{machine}",
            f"manylinux1_{machine}",
            f"linux_{machine}",
        ]

    def accepted(self) -> set[tags.Tag]:
        """Every wheel tag this build installs (abi3 is left out for free-threaded builds)."""
        version = (3, self.minor)
        return {
            *tags.cpython_tags(version, abis=[self.abi], platforms=self.platforms()),
            *tags.compatible_tags(version, interpreter=f"cp3{self.minor}", platforms=self.platforms()),
        }

    def environment(self) -> dict[str, str]:
        """PEP 508 marker values on this build."""
        system, machine, _ = RUNNERS[self.runner]
        full = f"3.{self.minor}.0"
        return {
            "implementation_name": "cpython",
            "implementation_version": full,
            "os_name": "nt" if system == "Windows" else "posix",
            "platform_machine": machine,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": system,
            "platform_version": "",
            "python_full_version": full,
            "python_version": f"3.{self.minor}",
            "sys_platform": {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}[system],
        }


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def combinations(job: dict[str, Any]) -> list[dict[str, str]]:
    """Expand a job's matrix: each axis crossed, then each ``include`` (none here extends another)."""
    matrix = dict(job.get("strategy", {}).get("matrix", {}))
    included = matrix.pop("include", [])
    assert "exclude" not in matrix, "expand the matrix's exclude here"
    crossed = [dict(zip(matrix, values, strict=True)) for values in itertools.product(*matrix.values())]
    return [{k: str(v) for k, v in c.items()} for c in [*crossed, *included]]


def targets(project: Path) -> set[Target]:
    """Every (Python, runner) that a job of the rendered ci.yml sets up with setup-uv."""
    found: set[Target] = set()
    default = (project / ".python-version").read_text(encoding="utf-8").strip()  # uv reads it
    for job_id, job in load(project / ".github" / "workflows" / "ci.yml")["jobs"].items():
        for step in job.get("steps", []):
            if not step.get("uses", "").startswith("astral-sh/setup-uv@"):
                continue
            requested = str(step.get("with", {}).get("python-version", ""))
            for matrix in combinations(job):
                runner = matrix["os"] if job["runs-on"] == "${{ matrix.os }}" else job["runs-on"]
                python = matrix["python"] if requested == "${{ matrix.python }}" else requested or default
                assert "${{" not in python + runner, f"job {job_id}: cannot read {python!r} on {runner!r}"
                assert runner in RUNNERS, f"job {job_id}: add runner {runner!r} to RUNNERS"
                found.add(Target(python, runner))
    return found


def installed(project: Path, target: Target) -> Iterator[tuple[str, str]]:
    """(name, version) of every package the project's lock installs on ``target``, all groups."""
    exported = run(
        [
            "uv",
            "export",
            "--frozen",
            "--all-groups",
            "--no-hashes",
            "--no-emit-project",
            "--no-header",
            "--no-annotate",
            "--format",
            "requirements.txt",
        ],
        project,
        project_env(),
    ).stdout
    for line in exported.splitlines():
        match = EXPORTED.match(line)
        assert match, f"unexpected line from uv export: {line!r}"
        if match["marker"] is None or Marker(match["marker"]).evaluate(target.environment()):
            yield str(canonicalize_name(match["name"])), match["version"]


def wheels(lock: Path) -> dict[tuple[str, str], list[str]]:
    """(name, version) -> the file names of its wheels, for every package of ``lock``."""
    found: dict[tuple[str, str], list[str]] = {}
    for package in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]:
        if "editable" not in package["source"] and "virtual" not in package["source"]:
            key = (str(canonicalize_name(package["name"])), package["version"])
            found[key] = [wheel["url"].rsplit("/", 1)[1] for wheel in package.get("wheels", [])]
    return found


def problems(lock: Path, project: Path, target: Target) -> list[str]:
    locked = wheels(lock)
    accepted = target.accepted()
    found: list[str] = []
    for key in installed(project, target):
        names = locked[key]
        if not names:
            found.append(f"{key[0]} {key[1]}: no wheel at all; it would build from source")
        elif not any(parse_wheel_filename(name)[3] & accepted for name in names):
            found.append(f"{key[0]} {key[1]}: no wheel for {target.abi} on {target.runner}")
    return found


def test_there_is_one_shipped_lock_per_python_min_and_example_choice() -> None:
    assert sorted(LOCKS.glob("*.lock")) == sorted(lock_path(*choice) for choice in lock_choices())


@pytest.mark.parametrize(("python_min", "example"), lock_choices())
def test_every_python_the_ci_tests_installs_the_shipped_lock_from_wheels(
    template: Path, tmp_path: Path, python_min: str, example: str
) -> None:
    project = with_cookiecutter(template, tmp_path, {"python_min": python_min, "example": example})
    tested = targets(project)
    # The CI's own list, read back: python_min up to 3.15 and one free-threaded build
    # on Linux; the oldest and the newest on macOS and Windows.
    assert {t.python for t in tested} >= {python_min, "3.15", "3.14t"}
    for runner in ("macos-latest", "windows-latest"):
        assert {t.python for t in tested if t.runner == runner} == {python_min, "3.15"}
    lock = lock_path(python_min, example)
    assert wheels(lock) == wheels(project / "uv.lock"), "the project is rendered with this lock"
    report = [f"[{t.python}] {p}" for t in sorted(tested) for p in problems(lock, project, t)]
    assert report == [], "\n".join(report)


@pytest.mark.parametrize(
    ("wheel_tag", "missing", "still_there"),
    [
        # Drop pydantic-core's free-threaded 3.14 wheels (compiled, no pure wheel).
        ('cp314t-[^"]*', Target("3.14t", "ubuntu-latest"), Target("3.14", "ubuntu-latest")),
        ("win_amd64", Target("3.15", "windows-latest"), Target("3.15", "macos-latest")),
    ],
)
def test_a_package_without_a_wheel_for_a_tested_python_or_system_is_reported(
    template: Path, tmp_path: Path, wheel_tag: str, missing: Target, still_there: Target
) -> None:
    project = with_cookiecutter(template, tmp_path / "out", {"python_min": PYTHON_MINS[0]})
    text = (project / "uv.lock").read_text(encoding="utf-8")
    stripped = re.sub(rf'\n\s*\{{ url = "[^"]*/pydantic_core-[^"]*-{wheel_tag}\.whl"[^\n]*\}},', "", text)
    assert stripped != text
    broken = tmp_path / "broken.lock"
    broken.write_text(stripped, encoding="utf-8")
    (found,) = problems(broken, project, missing)
    tag = "cp" + missing.python.replace(".", "")
    assert re.fullmatch(rf"pydantic-core \S+: no wheel for {tag} on {missing.runner}", found), found
    assert problems(broken, project, still_there) == []
