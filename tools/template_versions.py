"""Throwaway template releases, and projects made from them the way users do.

``release_v1`` is the template as it is in the working tree, plus one file of
our own that v2 removes. ``release_v2`` is a small, known release on top:

- it changes three template-owned files (.editorconfig, pyproject.toml's tool
  config, and the machinery in ``core/redact.py``) and two user-owned files
  (CHANGELOG.md and ``cli.py``, which updates must not touch);
- it adds a file and removes one;
- it adds a question with a default (to cookiecutter.json and copier.yml) that
  the changed and added files use.

Every edit only appends or inserts, so it does not depend on what the example
code or the skeleton's other files say today.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from copier import VcsRef, run_update

from tools.commands import run
from tools.render import ROOT, SKELETON, commit_all, git, snapshot, template_files, with_cookiecutter, with_copier

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

ENGINES = ("cookiecutter", "copier")
WITHOUT_EXAMPLE = {"example": "none"}
ANSWERS_FILE = ".copier-answers.yml"

NEW_QUESTION = "line_length"
NEW_DEFAULT = "99"
ADDED = "added-in-v2.txt"
REMOVED = "removed-in-v2.txt"
ADDED_TEXT = "Made for {{ cookiecutter.project_name }}.\n"
EDITORCONFIG_V2 = "\n[*.py]\nmax_line_length = {{ cookiecutter.line_length }}\n"
PYPROJECT_V2 = "\n[tool.sturdy]\nline-length = {{ cookiecutter.line_length }}\n"
CHANGELOG_V2 = "- Template v2: a change to a file the user owns.\n"
CORE = "src/{{cookiecutter.package_name}}/core/redact.py"
CORE_FIX_V2 = "\n\n#: Template v2: a fix to the machinery, for every project.\nFIXED_IN_V2 = True\n"
CLI = "src/{{cookiecutter.package_name}}/cli.py"
CLI_V2 = "\n# Template v2: a change to a command the user owns.\n"
#: What v2 changes, as paths in a generated project (default answers).
V2_TEMPLATE_CHANGES = {".editorconfig", "pyproject.toml", "src/my_project/core/redact.py", ADDED, REMOVED}
V2_USER_OWNED_CHANGES = {"CHANGELOG.md", "src/my_project/cli.py"}

COPIER_QUESTION = f"""{NEW_QUESTION}:
  type: str
  help: Longest line, in characters
  default: "{NEW_DEFAULT}"

"""


def release_v1(dest: Path) -> Path:
    """Build a template repository at ``dest`` whose only tag is v1."""
    snapshot(dest, tag=None)
    removed = dest / SKELETON / REMOVED
    assert not removed.exists(), f"{REMOVED} is in the template now: pick another name"
    removed.write_text("This file is gone in v2.\n", encoding="utf-8")
    commit_all(dest, "v1")
    git("tag", "v1", cwd=dest)
    return dest


def release_v2(template: Path) -> None:
    """Make the v2 release described above in ``template`` and tag it."""
    skeleton = template / SKELETON
    _append(skeleton / ".editorconfig", EDITORCONFIG_V2)
    _append(skeleton / "pyproject.toml", PYPROJECT_V2)
    _append(skeleton / "CHANGELOG.md", CHANGELOG_V2)
    _append(skeleton / CORE, CORE_FIX_V2)
    _append(skeleton / CLI, CLI_V2)
    assert not (skeleton / ADDED).exists(), f"{ADDED} is in the template now: pick another name"
    (skeleton / ADDED).write_text(ADDED_TEXT, encoding="utf-8")
    (skeleton / REMOVED).unlink()
    _add_question(template)
    commit_all(template, "v2")
    git("tag", "v2", cwd=template)


def rendered(snippet: str) -> str:
    """One of the v2 snippets above, as a project made with the default answers has it."""
    values = {NEW_QUESTION: NEW_DEFAULT, "project_name": "My Project"}
    return re.sub(r"\{\{ cookiecutter\.(\w+) \}\}", lambda match: values[match.group(1)], snippet)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _add_question(template: Path) -> None:
    """Ask NEW_QUESTION in both engines; copier hands it to the skeleton too."""
    cookiecutter_json = template / "cookiecutter.json"
    text = cookiecutter_json.read_text(encoding="utf-8")
    text, count = re.subn(r"\n(\s*)\"license\": \[", rf'\n\1"{NEW_QUESTION}": "{NEW_DEFAULT}",\g<0>', text)
    assert count == 1, "cookiecutter.json has no license question to put the new one before"
    cookiecutter_json.write_text(text, encoding="utf-8")

    copier_yml = template / "copier.yml"
    text = copier_yml.read_text(encoding="utf-8")
    text, asked = re.subn(r"^license:\n", COPIER_QUESTION + r"\g<0>", text, flags=re.MULTILINE)
    # The computed `cookiecutter` mapping is how the skeleton sees answers.
    text, handed = re.subn(
        r"^(cookiecutter:\n(?:  .*\n)*?  default: >-\n    \{\{ \{\n)",
        rf"\g<1>    '{NEW_QUESTION}': {NEW_QUESTION},\n",
        text,
        flags=re.MULTILINE,
    )
    assert (asked, handed) == (1, 1), "copier.yml lost its license or computed cookiecutter question"
    copier_yml.write_text(text, encoding="utf-8")


def generate(engine: str, template: Path, parent: Path, answers: Mapping[str, str] | None = None) -> Path:
    """Render ``template`` with ``engine`` under ``parent`` and commit it, as a user would."""
    if engine == "cookiecutter":
        project = with_cookiecutter(template, parent / engine, answers or {})
    else:
        project = with_copier(template, parent / engine / "project", answers or {})
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generate from the sturdy template")
    return project


@dataclass(frozen=True)
class Releases:
    """A template repository tagged v1 and v2, and what each engine made from v1."""

    template: Path
    #: engine -> a project that engine made at v1 and committed; copy before editing.
    made_at_v1: Mapping[str, Path]
    #: the same, made with ``example=none``: the skeleton without the downloader.
    made_without_example: Mapping[str, Path]


def releases(root: Path) -> Releases:
    """Build :class:`Releases` under ``root``."""
    template = release_v1(root / "template")
    made = {engine: generate(engine, template, root / "made-at-v1") for engine in ENGINES}
    bare = {engine: generate(engine, template, root / "bare-at-v1", WITHOUT_EXAMPLE) for engine in ENGINES}
    release_v2(template)
    return Releases(template, made, bare)


def update(project: Path, *, data: dict[str, str] | None = None, vcs_ref: VcsRef | None = None) -> None:
    """Run ``copier update --defaults`` through copier's API: no --trust, inline conflicts."""
    run_update(project, data=data, defaults=True, overwrite=True, quiet=True, unsafe=False, vcs_ref=vcs_ref)


def copier_cli(args: Sequence[str], cwd: Path) -> tuple[int, str]:
    """Run the ``copier`` command line; return its exit code and everything it printed."""
    result = run([sys.executable, "-m", "copier", *args], cwd, check=False)
    return result.returncode, result.stdout + result.stderr


def recorded(project: Path) -> dict[str, object]:
    """Return the answers file of ``project``."""
    data = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def status(project: Path) -> dict[str, str]:
    """``git status`` of ``project``: each changed path with its two-letter code."""
    lines = git("status", "--porcelain", "--untracked-files=all", "--no-renames", cwd=project)
    return {line[3:]: line[:2] for line in lines.splitlines()}


def committed(project: Path, path: str) -> str:
    """Return the text of ``path`` as last committed in ``project``."""
    return git("show", f"HEAD:{path}", cwd=project)


def release_from_history(dest: Path, commit: str) -> Path:
    """Return a template repository whose v1 is the template at ``commit`` of its real history.

    ``release_to_working_tree`` later makes v2 the template as it is now.
    """
    missing = run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], ROOT, check=False)
    assert missing.returncode == 0, (
        f"commit {commit} is not in this checkout: the test needs the template's history (git fetch --unshallow)"
    )
    archive = subprocess.run(  # noqa: S603 -- git from PATH, a fixed argument list
        ["git", "archive", "--format=tar", commit],  # noqa: S607 -- git from PATH, as a user runs it
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    git("init", "-q", "-b", "main", cwd=dest)
    commit_all(dest, f"the template at {commit}")
    git("tag", "v1", cwd=dest)
    return dest


def layout(copier_yml: str) -> str:
    """Return what an update depends on in a ``copier.yml``: its questions and who owns which file.

    A question counts by its name, type, choices and plain default (a derived
    default is Jinja, which changes with its wording, not with what is asked);
    the ownership lists count whole. Equal text means equal layouts.
    """
    config = yaml.safe_load(copier_yml)
    asked = {
        name: {key: spec.get(key) for key in ("type", "choices")}
        | {"default": None if "{" in str(spec.get("default")) else spec.get("default")}
        for name, spec in config.items()
        if not name.startswith("_") and isinstance(spec, dict) and spec.get("when", True) is not False
    }
    owned = {key: config.get(key, []) for key in ("_skip_if_exists", "_exclude")}
    return yaml.safe_dump({"questions": asked, **owned}, sort_keys=False)


def earlier_layouts() -> dict[str, list[str]]:
    """Every layout in this checkout's history but today's (the working tree's): layout -> commits that had it.

    Commits are the ones that changed ``copier.yml``, on any branch merged
    since; a layout's commits run oldest first.
    """
    shallow = git("rev-parse", "--is-shallow-repository", cwd=ROOT).strip()
    assert shallow == "false", "the template's history is needed: git fetch --unshallow"
    today = layout((ROOT / "copier.yml").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for commit in git(
        "rev-list", "--reverse", "--topo-order", "--full-history", "HEAD", "--", "copier.yml", cwd=ROOT
    ).split():
        state = layout(git("show", f"{commit}:copier.yml", cwd=ROOT))
        if state != today:
            found.setdefault(state, []).append(commit)
    return found


def layout_at(commit: str) -> str:
    """Return :func:`layout` of ``copier.yml`` at ``commit``."""
    return layout(git("show", f"{commit}:copier.yml", cwd=ROOT))


def release_to_working_tree(template: Path) -> None:
    """Make v2 of ``template``: the template as it is in this working tree."""
    git("rm", "-r", "-q", ".", cwd=template)
    fresh = snapshot(template.parent / "working-tree", tag=None)
    for name in template_files(fresh):
        target = template / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fresh / name, target)
    commit_all(template, "the template as it is now")
    git("tag", "v2", cwd=template)
