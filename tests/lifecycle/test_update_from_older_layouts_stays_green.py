"""A project made by an earlier template (its real history) updates to today's and stays green.

The commits below are chosen by what changed: one for each layout the
template's history has had (its questions, and who owns which file, in
copier.yml), the last commit before the next change; a fast test checks
that the list names every earlier layout once. A project made there is
committed, updated with ``copier update --defaults`` (the command line, no
--trust) to the template as it is in the working tree, cleanly, follows the
Upgrading notes of docs/updating.md that apply to it, and runs every check,
unless it is now exactly today's fresh project but for the files no check
reads (README, CHANGELOG, .env.example, secrets baseline, lock): the checks
of tests/generated/ cover that one.

The engine alternates from commit to commit: both render the same files
(tests/rendering/) and the update is the same copier command, so each
commit needs one. The two newest layouts, whose example folders are today's,
are made without the example: the bare skeleton updates too, and the walk
stays within the suite's time.
"""

from __future__ import annotations

import itertools
import re
import sys
from typing import TYPE_CHECKING

import pytest

from scripts.check_release_upgrade import user_owned
from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import ROOT, commit_all, git
from tools.steps import blocks, commands, section
from tools.template_versions import (
    ENGINES,
    WITHOUT_EXAMPLE,
    copier_cli,
    earlier_layouts,
    generate,
    layout_at,
    recorded,
    release_from_history,
    release_to_working_tree,
)
from tools.trees import files

if TYPE_CHECKING:
    from pathlib import Path

#: commit -> what changed right after it.
OLDER_LAYOUTS = {
    "ff6bb88083ca25a2c28b7a49522ed7a0a0d2091b": "the user's files were first listed",
    "9f94df6dc40b35c78297ac2f48692041c7cc752a": "src and tests became the user's, file by file",
    "8a95b36573dd7426985eddc383058ebd976e0204": "the example question was added",
    "f20b9a1b6ee4720900d7dcac1bc928a5940b8437": "the machinery moved to core/ and the example to downloader/",
    "6bfbeceb61be5e6ebb22c67373c0e604fb3f96c9": "python_min listed its choices oldest first",
    "3ac3aa57e0a56e8e3d7f8124aebb20ef4e4483c3": "tests/__init__.py became the template's",
}
#: commit -> the engine that makes its project.
MADE_BY = dict(zip(OLDER_LAYOUTS, itertools.cycle(ENGINES), strict=False))
#: commit -> the answers its project is made with, beyond the defaults.
ANSWERS = dict.fromkeys(list(OLDER_LAYOUTS)[-2:], WITHOUT_EXAMPLE)
#: The Upgrading notes of docs/updating.md: heading -> the commits whose projects it applies to.
NOTES = {
    "### The placeholder code of 26 November 2026": {"ff6bb88083ca25a2c28b7a49522ed7a0a0d2091b"},
    "### Imports sorted before 27 November 2026": {"9f94df6dc40b35c78297ac2f48692041c7cc752a"},
    # Every project made with the example.
    "### The example's retries before 3 December 2026": {c for c in OLDER_LAYOUTS if c not in ANSWERS},
}
UPDATING = (ROOT / "docs" / "updating.md").read_text(encoding="utf-8")
#: Files the user owns that no check reads as code: the lock is checked by ``uv sync --locked``.
OWN_TEXT = {"README.md", "CHANGELOG.md", ".env.example", ".secrets.baseline", "uv.lock"}
CONFLICT = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


def follow(note: str, project: Path, env: dict[str, str]) -> None:
    """Run the commands of an Upgrading note as written (this run's copier for ``uvx copier``)."""
    for block in blocks(note, "console"):
        for args in commands(block):
            run([sys.executable, "-m", "copier", *args[2:]] if args[:2] == ["uvx", "copier"] else args, project, env)


@pytest.mark.fast
def test_the_walk_visits_every_earlier_layout_of_the_questions_and_owned_files_once() -> None:
    layouts = earlier_layouts()
    visited = {layout_at(commit): commit for commit in OLDER_LAYOUTS}
    assert len(visited) == len(OLDER_LAYOUTS), "two commits of OLDER_LAYOUTS have the same layout: keep one"
    assert set(visited) <= set(layouts), "a commit of OLDER_LAYOUTS has today's layout: it proves nothing"
    missing = [commits[-1] for state, commits in layouts.items() if state not in visited]
    assert missing == [], f"add the last commit of each layout to OLDER_LAYOUTS: {missing}"


@pytest.mark.parametrize(
    "commit", list(OLDER_LAYOUTS), ids=[f"{what} ({MADE_BY[commit]})" for commit, what in OLDER_LAYOUTS.items()]
)
def test_a_project_made_before_a_layout_change_updates_cleanly_and_stays_green(commit: str, tmp_path: Path) -> None:
    template = release_from_history(tmp_path / "template", commit)
    project = generate(MADE_BY[commit], template, tmp_path / "made", ANSWERS.get(commit))
    before = files(project)
    release_to_working_tree(template)

    code, output = copier_cli(["update", "--defaults"], project)

    assert code == 0, output
    assert not list(project.rglob("*.rej"))
    assert not git("diff", "--name-only", "--diff-filter=U", cwd=project).strip()
    now = files(project)
    assert not [name for name, data in now.items() if CONFLICT.search(data.decode(errors="replace"))]
    package = recorded(project)["package_name"]
    # The template's machinery arrived; the user's own modules are as they were.
    assert f"src/{package}/core/boundary.py" in now
    assert "tests/core/test_boundary.py" in now
    owned = user_owned(ROOT)
    mine = [
        name for name in before if re.match(rf"^(src/{package}/[^/]+|tests/[^/]+)$", name) and owned.match_file(name)
    ]
    assert mine
    assert [name for name in mine if now.get(name) != before[name]] == []
    env = project_env(find_python(str(recorded(project)["python_min"])))
    run(["uv", "lock"], project, env)  # the user's lock, as old as the project: the index may be needed
    run(["uv", "sync", "--locked"], project, env)
    commit_all(project, "Update from the sturdy template")
    for heading, commits in NOTES.items():
        if commit in commits:
            follow(section(UPDATING, heading), project, {**env, "UV_OFFLINE": "1"})
    # A project that is now today's fresh one, but for the text and lock its user owns, is checked
    # by tests/generated/ already.
    now = files(project)
    fresh = files(generate(MADE_BY[commit], template, tmp_path / "fresh", ANSWERS.get(commit)))
    if not {name for name in now.keys() | fresh.keys() if now.get(name) != fresh.get(name)} - OWN_TEXT:
        return
    for args in (
        ["uv", "run", "--frozen", "ruff", "check"],
        ["uv", "run", "--frozen", "ruff", "format", "--check"],
        ["uv", "run", "--frozen", "mypy"],
        ["uv", "run", "--frozen", "pytest", "--cov", "-p", "no:cacheprovider"],
    ):
        run(args, project, {**env, "UV_OFFLINE": "1"})
