"""Upgrade a project made at the newest release to HEAD, the way users will, and report what breaks.

    uv run --locked python scripts/check_release_upgrade.py [TEMPLATE]

TEMPLATE is a git checkout of the template (default: this repository) with
its full history and tags; its committed HEAD is checked, never uncommitted
changes. In a throwaway repository holding only HEAD and the release:

1. The release is the newest PEP 440 tag that is not a prerelease (the tags
   copier updates to) and not on HEAD itself: on a tagged HEAD, the release
   before it. No such tag: the script says so and exits 0.
2. Each engine (cookiecutter, copier) renders the default project at that
   release, and it is committed, as a user's project is.
3. HEAD gets its own release tag if it has none (the next patch version),
   so that ``copier update --defaults`` (the command line, no --trust) moves
   to HEAD exactly as it will move users once HEAD is released.
4. Every problem is one line on stderr, and the exit status is 1: copier
   failing, a conflict marker, an unmerged path, a ``.rej`` file, or any
   difference from a fresh render at HEAD with the same engine. The files
   the user owns (copier.yml ``_skip_if_exists``, read from HEAD) are left
   out of that comparison: updates never touch them.

Bad input (no git checkout, a shallow clone) is one line and exit 2. The
template's CI runs this; docs/releasing.md says to run it before tagging.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from packaging.version import InvalidVersion, Version
from pathspec import PathSpec, Pattern

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.render import ROOT, git
from tools.template_versions import ENGINES, copier_cli, generate
from tools.trees import files

if TYPE_CHECKING:
    from collections.abc import Mapping

#: A line git or copier writes to mark a conflict ("<<<<<<< before updating").
CONFLICT_MARKER = re.compile(rb"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


class BadTemplateError(Exception):
    """TEMPLATE is not something this script can check."""


def release_version(tag: str) -> Version | None:
    """Return the version a tag names when copier would update to it, else None."""
    try:
        version = Version(tag)
    except InvalidVersion:
        return None
    return None if version.is_prerelease else version


def newest_release(tags: Mapping[str, str], head: str) -> str | None:
    """Return the newest release tag (name -> commit) not on ``head``; None if there is none."""
    releases = {tag: version for tag in tags if tags[tag] != head and (version := release_version(tag))}
    return max(releases, key=releases.__getitem__, default=None)


def head_release(tags: Mapping[str, str], head: str, old: str) -> str:
    """Return the tag users will update to from ``old``: HEAD's newest release tag, or the next patch."""
    floor = release_version(old)
    assert floor is not None
    on_head = {tag: version for tag in tags if tags[tag] == head and (version := release_version(tag))}
    newer = {tag: version for tag, version in on_head.items() if version > floor}
    if newer:
        return max(newer, key=newer.__getitem__)
    *rest, last = floor.release
    epoch = f"{floor.epoch}!" if floor.epoch else ""
    prefix = "v" if old[:1] in {"v", "V"} else ""
    return f"{prefix}{epoch}{'.'.join(map(str, [*rest, last + 1]))}"


def tags_of(checkout: Path) -> dict[str, str]:
    """Every tag of ``checkout``, with the commit it names."""
    listing = git("for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", "refs/tags", cwd=checkout)
    found: dict[str, str] = {}
    for line in listing.splitlines():
        name, target, *peeled = line.split(" ")
        found[name] = peeled[0] if peeled and peeled[0] else target
    return found


def head_of(checkout: Path) -> str:
    """HEAD's commit; refuses what is not a full git checkout."""
    try:
        head = git("rev-parse", "--verify", "HEAD^{commit}", cwd=checkout).strip()
        shallow = git("rev-parse", "--is-shallow-repository", cwd=checkout).strip()
    except (subprocess.CalledProcessError, NotADirectoryError, FileNotFoundError) as error:
        msg = f"{checkout} is not a git checkout with a commit"
        raise BadTemplateError(msg) from error
    if shallow == "true":
        msg = f"{checkout} is a shallow clone: fetch its full history and tags (actions/checkout: fetch-depth: 0)"
        raise BadTemplateError(msg)
    return head


def user_owned(template: Path) -> PathSpec[Pattern]:
    """Return the files a project owns once generated, matched as copier matches ``_skip_if_exists``."""
    config = yaml.safe_load((template / "copier.yml").read_text(encoding="utf-8"))
    patterns = config.get("_skip_if_exists", [])
    return PathSpec.from_lines("gitignore", patterns)


def leftovers(engine: str, project: Path) -> list[str]:
    """Conflict markers, unmerged paths and .rej files in an updated project."""
    found = [
        f"{engine}: {name}: conflict markers" for name, data in files(project).items() if CONFLICT_MARKER.search(data)
    ]
    found += [
        f"{engine}: {name}: unmerged" for name in git("diff", "--name-only", "--diff-filter=U", cwd=project).split()
    ]
    found += [f"{engine}: {name}: a .rej file" for name in files(project) if name.endswith(".rej")]
    return found


def differences(engine: str, updated: Path, fresh: Path, owned: PathSpec[Pattern]) -> list[str]:
    """Each file where the updated project and a fresh render differ, user-owned files aside."""
    have, want = files(updated), files(fresh)
    found: list[str] = []
    for name in sorted(have.keys() | want.keys()):
        if owned.match_file(name) or have.get(name) == want.get(name):
            continue
        if name not in want:
            found.append(f"{engine}: {name}: left behind by the update; a fresh render at HEAD has no such file")
        elif name not in have:
            found.append(f"{engine}: {name}: missing after the update; a fresh render at HEAD has it")
        else:
            found.append(f"{engine}: {name}: differs from a fresh render at HEAD")
    return found


def prepare(checkout: Path, template: Path, old: str) -> None:
    """Make ``template`` a repository holding HEAD of ``checkout`` (as main) and the tag ``old``."""
    template.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=template)
    git("fetch", "-q", "--no-tags", str(checkout), "HEAD", f"refs/tags/{old}:refs/tags/{old}", cwd=template)
    git("reset", "-q", "--hard", "FETCH_HEAD", cwd=template)


def upgrade(engine: str, project: Path, template: Path, fresh: Path, owned: PathSpec[Pattern]) -> list[str]:
    """Update ``project`` (``engine`` made it at the old release) to HEAD; return the problems."""
    code, output = copier_cli(["update", "--defaults"], project)
    if code != 0:
        last = output.strip().splitlines()[-1:] or ["no output"]
        return [f"{engine}: copier update --defaults exited {code}: {last[0]}"]
    return leftovers(engine, project) + differences(engine, project, generate(engine, template, fresh), owned)


def check(checkout: Path, work: Path) -> tuple[str | None, list[str]]:
    """Run the whole check in ``work``; return what was checked (None: no release) and the problems."""
    head = head_of(checkout)
    if git("status", "--porcelain", cwd=checkout).strip():
        print(f"check_release_upgrade: uncommitted changes in {checkout} are not part of the check", file=sys.stderr)
    tags = tags_of(checkout)
    old = newest_release(tags, head)
    if old is None:
        return None, []
    new = head_release(tags, head, old)
    template = work / "template"
    prepare(checkout, template, old)
    git("checkout", "-q", "--detach", old, cwd=template)
    made = {engine: generate(engine, template, work / "old") for engine in ENGINES}
    git("checkout", "-q", "main", cwd=template)
    git("tag", new, cwd=template)
    owned = user_owned(template)
    problems = [
        problem for engine in ENGINES for problem in upgrade(engine, made[engine], template, work / "fresh", owned)
    ]
    return f"{old} -> HEAD (as {new}) with {' and '.join(ENGINES)}", problems


def main(argv: list[str] | None = None) -> int:
    """0 when the upgrade is clean or there is no release, 1 on problems, 2 on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("template", nargs="?", type=Path, default=ROOT, help="a git checkout of the template")
    checkout = parser.parse_args(argv).template.resolve()
    try:
        with tempfile.TemporaryDirectory(prefix="release-upgrade-") as tmp:
            checked, problems = check(checkout, Path(tmp))
    except BadTemplateError as error:
        print(f"check_release_upgrade: {error}", file=sys.stderr)
        return 2
    if checked is None:
        print(
            f"check_release_upgrade: no release tag (PEP 440, such as v1.2.0) before HEAD in {checkout}: "
            "nothing to upgrade from"
        )
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check_release_upgrade: {checked}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_release_upgrade: {checked}: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
