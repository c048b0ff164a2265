"""A project made by an earlier template (its real history) updates to today's and stays green.

Each commit below is the last one before a change to the questions or to
who owns which file. A project made there with either engine is committed,
updated with ``copier update --defaults`` (the command line, no --trust) to
the template as it is in the working tree, cleanly. For each commit, one
engine's project (in turn) then runs every check: both engines render the
same files (tests/test_render.py) and the update is the same copier command.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import git
from tools.template_versions import (
    ENGINES,
    copier_cli,
    generate,
    recorded,
    release_from_history,
    release_to_working_tree,
)
from tools.trees import files

if TYPE_CHECKING:
    from pathlib import Path

#: commit -> what changed right after it.
OLDER_LAYOUTS = {
    "8a95b36573dd7426985eddc383058ebd976e0204": "the example question was added",
    "f20b9a1b6ee4720900d7dcac1bc928a5940b8437": "the machinery moved to core/ and the example to downloader/",
}
#: commit -> the engine whose updated project runs every check.
CHECKED_BY = dict(zip(OLDER_LAYOUTS, ("copier", "cookiecutter"), strict=True))
CONFLICT = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("commit", list(OLDER_LAYOUTS), ids=list(OLDER_LAYOUTS.values()))
def test_a_project_made_before_a_layout_change_updates_cleanly_and_stays_green(
    engine: str, commit: str, tmp_path: Path
) -> None:
    template = release_from_history(tmp_path / "template", commit)
    project = generate(engine, template, tmp_path / "made")
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
    mine = [name for name in before if re.match(rf"^(src/{package}/[^/]+|tests/[^/]+)$", name)]
    assert mine
    assert [name for name in mine if now.get(name) != before[name]] == []
    if CHECKED_BY[commit] != engine:
        return
    env = project_env(find_python(str(recorded(project)["python_min"])))
    run(["uv", "lock"], project, env)  # the user's lock, as old as the project: the index may be needed
    run(["uv", "sync", "--locked"], project, env)
    for args in (
        ["uv", "run", "--frozen", "ruff", "check"],
        ["uv", "run", "--frozen", "ruff", "format", "--check"],
        ["uv", "run", "--frozen", "mypy"],
        ["uv", "run", "--frozen", "pytest", "--cov", "-p", "no:cacheprovider"],
    ):
        run(args, project, {**env, "UV_OFFLINE": "1"})
