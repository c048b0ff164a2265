"""Render the template with either engine, the way a user would.

Both engines are driven through their public Python API here; the tests also
drive their command lines. Every render starts from a git snapshot of the
template so that copier and cookiecutter see the same commit.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from cookiecutter.main import cookiecutter
from copier import run_copy
from copier.errors import DirtyLocalWarning

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

ROOT = Path(__file__).resolve().parent.parent
SKELETON = "{{cookiecutter.project_slug}}"
GIT_TIMEOUT_SECONDS = 60
#: git options for the tests' commits: a fixed author, no signing.
GIT_IDENTITY = (
    "-c",
    "user.name=sturdy tests",
    "-c",
    "user.email=tests@sturdy.invalid",
    "-c",
    "commit.gpgsign=false",
)


def questions() -> dict[str, str | list[str]]:
    """Return the questions and their defaults (a text, or a list of choices), as cookiecutter.json asks them."""
    data = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def default_answers() -> dict[str, str]:
    """Every answer as the defaults give it for the default project name."""
    answers = {name: value[0] if isinstance(value, list) else value for name, value in questions().items()}
    return {**answers, "project_slug": "my-project", "package_name": "my_project"}


def git(*args: str, cwd: Path) -> str:
    """Run git with a timeout and return its output."""
    result = subprocess.run(  # noqa: S603 -- git with the caller's arguments, no shell
        ["git", *args],  # noqa: S607 -- git from PATH, as a user runs it
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT_SECONDS,
        check=True,
    )
    return result.stdout


def template_files(root: Path = ROOT) -> list[str]:
    """Return the template's files as git sees them: tracked or new, never ignored."""
    listing = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root)
    return sorted({name for name in listing.split("\0") if name and (root / name).is_file()})


def snapshot(dest: Path, tag: str | None = "v0.0.1", root: Path = ROOT) -> Path:
    """Copy the template's working tree into a fresh git repository at ``dest``.

    Uncommitted edits come along, so tests see the template as it is now.
    """
    for name in template_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    git("init", "-q", "-b", "main", cwd=dest)
    commit_all(dest, "template snapshot")
    if tag:
        git("tag", tag, cwd=dest)
    return dest


def commit_all(repo: Path, message: str) -> None:
    """Commit everything in ``repo`` with a fixed identity."""
    git("add", "-A", cwd=repo)
    git(*GIT_IDENTITY, "commit", "-q", "--allow-empty", "-m", message, cwd=repo)


def with_cookiecutter(template: Path, out_dir: Path, answers: Mapping[str, str], *, hooks: bool = True) -> Path:
    """Render with cookiecutter's API, quietly as ``with_copier``; return the project folder.

    The post-generation hook prints the next steps for a person; a script or
    test that renders needs them as little as copier's ``quiet=True`` run does.
    The template is rendered as it is, uncommitted edits included, whatever
    its tags: ``checkout="HEAD"`` says so to the hook that otherwise stops a
    render that is not the newest release.
    """
    with _hooks_silenced():
        project = cookiecutter(
            str(template),
            checkout="HEAD",
            no_input=True,
            extra_context=dict(answers),
            output_dir=str(out_dir),
            accept_hooks=hooks,
        )
    return Path(project)


@contextlib.contextmanager
def _hooks_silenced() -> Iterator[None]:
    """Send what hook processes print to /dev/null (they inherit file descriptors 1 and 2)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        with Path(os.devnull).open("w", encoding="utf-8") as devnull:
            os.dup2(devnull.fileno(), 1)
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


def with_copier(template: Path, dest: Path, answers: Mapping[str, str]) -> Path:
    """Render with copier's API (no --trust); return ``dest``.

    As ``with_cookiecutter``, the template as it is: ``HEAD`` and its
    uncommitted edits, never its newest tag.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)  # the edits are what a test renders
        run_copy(
            str(template),
            dest,
            vcs_ref="HEAD",
            data=dict(answers),
            defaults=True,
            quiet=True,
            unsafe=False,
        )
    return dest
