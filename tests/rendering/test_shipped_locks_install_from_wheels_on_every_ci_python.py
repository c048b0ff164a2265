"""Every Python the generated CI tests can install every shipped lock from wheels.

The Pythons come from the rendered ci.yml (each job's setup-uv
``python-version``, a matrix expanded, or ``.python-version`` when none is
given), the platform from each job's ``runs-on``. For each shipped lock
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
#: GitHub's runner labels the generated workflows may use: (machine, glibc).
#: ubuntu-latest is Ubuntu 24.04 on x86_64, glibc 2.39.
RUNNERS = {"ubuntu-latest": ("x86_64", (2, 39))}
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
        """Return the platform tags a wheel may carry to install on this runner, the newest manylinux first."""
        machine, (major, newest) = RUNNERS[self.runner]
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
        machine, _ = RUNNERS[self.runner]
        full = f"3.{self.minor}.0"
        return {
            "implementation_name": "cpython",
            "implementation_version": full,
            "os_name": "posix",
            "platform_machine": machine,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_system": "Linux",
            "platform_version": "",
            "python_full_version": full,
            "python_version": f"3.{self.minor}",
            "sys_platform": "linux",
        }


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def targets(project: Path) -> set[Target]:
    """Every (Python, runner) that a job of the rendered ci.yml sets up with setup-uv."""
    found: set[Target] = set()
    for job_id, job in load(project / ".github" / "workflows" / "ci.yml")["jobs"].items():
        for step in job.get("steps", []):
            if not step.get("uses", "").startswith("astral-sh/setup-uv@"):
                continue
            requested = str(step.get("with", {}).get("python-version", ""))
            if requested == "${{ matrix.python }}":
                pythons = [str(p) for p in job["strategy"]["matrix"]["python"]]
            elif requested:
                assert "${{" not in requested, f"job {job_id}: cannot read python-version {requested!r}"
                pythons = [requested]
            else:  # uv reads .python-version
                pythons = [(project / ".python-version").read_text(encoding="utf-8").strip()]
            assert job["runs-on"] in RUNNERS, f"job {job_id}: add runner {job['runs-on']!r} to RUNNERS"
            found |= {Target(python, job["runs-on"]) for python in pythons}
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
    # The CI's own list, read back: python_min up to 3.15 and one free-threaded build.
    assert {t.python for t in tested} >= {python_min, "3.15", "3.14t"}
    lock = lock_path(python_min, example)
    assert wheels(lock) == wheels(project / "uv.lock"), "the project is rendered with this lock"
    report = [f"[{t.python}] {p}" for t in sorted(tested) for p in problems(lock, project, t)]
    assert report == [], "\n".join(report)


def test_a_package_without_a_wheel_for_a_tested_python_is_reported(template: Path, tmp_path: Path) -> None:
    project = with_cookiecutter(template, tmp_path / "out", {"python_min": PYTHON_MINS[0]})
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    # Drop pydantic-core's free-threaded 3.14 wheels (compiled, no pure wheel).
    stripped = re.sub(r'\n\s*\{ url = "[^"]*/pydantic_core-[^"]*-cp314t-[^"]*\.whl"[^\n]*\},', "", text)
    assert stripped != text
    broken = tmp_path / "broken.lock"
    broken.write_text(stripped, encoding="utf-8")
    (found,) = problems(broken, project, Target("3.14t", "ubuntu-latest"))
    assert re.fullmatch(r"pydantic-core \S+: no wheel for cp314t on ubuntu-latest", found), found
    assert problems(broken, project, Target("3.14", "ubuntu-latest")) == []
