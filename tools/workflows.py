"""GitHub Actions facts shared by the tests and scripts/check_rendered_workflows.py.

``PINS`` is the one place in code that names the action commits the template
uses: the skeleton's workflows and the template repository's own must pin
exactly these. A pin to a commit that does not exist breaks every generated
repository's CI on its first push, and nothing here can reach GitHub to check
one (zizmor offline cannot tell a real commit from an invented one). So a pin
is added only once its commit was read from the action's own git history (the
release tag's commit) or, where that was not possible, seen pinned identically
in several public workflows, as the pypi-publish and zizmor actions' pins were.
Dependabot moves the template's own pins forward; the pin check then fails
until this table and the skeleton's workflows follow.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from tools.commands import tool

if TYPE_CHECKING:
    from pathlib import Path


class Pin(NamedTuple):
    """A released version of an action and the commit it names."""

    version: str
    sha: str


PINS: dict[str, Pin] = {
    "actions/checkout": Pin("v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1"),
    "astral-sh/setup-uv": Pin("v10.0.1", "20cfd1bf945f4377ade1205e4dbc17946fc9a30d"),
    "actions/upload-artifact": Pin("v7.0.0", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f"),
    "actions/download-artifact": Pin("v8.0.1", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c"),
    "pypa/gh-action-pypi-publish": Pin("v1.13.0", "ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e"),
    "zizmorcore/zizmor-action": Pin("v0.6.1", "6fc4b006235f201fdab3722e17240ab420d580e5"),
}

#: A ``uses:`` line: the reference, then an optional ``# comment``.
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)(?:\s+#\s*(?P<comment>\S.*?))?\s*$", re.MULTILINE)
#: ``owner/repo[/path]@40-hex-sha``
PINNED = re.compile(r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(?:/[^@]+)?@(?P<sha>[0-9a-f]{40})$")


class Use(NamedTuple):
    """One ``uses:`` line of a workflow file."""

    file: str
    line: int
    ref: str
    comment: str | None


def workflow_files(github: Path) -> list[Path]:
    """Return the workflow files under a ``.github`` folder."""
    return sorted(p for p in (github / "workflows").iterdir() if p.suffix in {".yml", ".yaml"})


def uses(github: Path) -> list[Use]:
    """Every ``uses:`` line in the workflows under ``github``."""
    found: list[Use] = []
    for path in workflow_files(github):
        text = path.read_text(encoding="utf-8")
        for match in USES.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Use(path.name, line, match["ref"], match["comment"]))
    return found


def pin_problems(github: Path) -> list[str]:
    """Each ``uses:`` that is not a commit from ``PINS`` with its version comment."""
    problems: list[str] = []
    for use in uses(github):
        where = f"{use.file}:{use.line}: {use.ref}"
        pinned = PINNED.match(use.ref)
        if not pinned:
            problems.append(f"{where} is not pinned to a full 40-hex commit SHA")
            continue
        pin = PINS.get(pinned["action"])
        if pin is None:
            problems.append(f"{where}: {pinned['action']} is not in tools.workflows.PINS")
        elif pinned["sha"] != pin.sha:
            problems.append(f"{where}: expected the {pin.version} commit {pin.sha}")
        elif use.comment != pin.version:
            problems.append(f"{where}: version comment {use.comment!r}, expected '# {pin.version}'")
    return problems


def zizmor_command(github: Path) -> list[str]:
    """Return the zizmor command: its strictest persona, offline, ignoring any zizmor config file."""
    return [tool("zizmor"), "--persona", "pedantic", "--offline", "--no-config", "--no-progress", str(github)]


def schema_commands(github: Path) -> list[list[str]]:
    """Return the check-jsonschema commands, with its vendored schemas (offline), for ``github``."""
    check = tool("check-jsonschema")
    workflows = [str(p) for p in workflow_files(github)]
    return [
        [check, "--builtin-schema", "vendor.github-workflows", *workflows],
        [check, "--builtin-schema", "custom.github-workflows-require-timeout", *workflows],
        [check, "--builtin-schema", "vendor.dependabot", str(github / "dependabot.yml")],
    ]
