"""scripts/check_release_upgrade.py catches what a release would break in users' updates.

Its command line runs on throwaway template repositories: one whose newest
release updates cleanly (green), one whose release makes a conflict for the
projects one engine made (red), one with no release, and bad input. The tag
choice is checked as properties over generated tag names.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from scripts.check_release_upgrade import head_release, newest_release, release_version, user_owned
from tools.commands import run
from tools.render import ROOT, SKELETON, commit_all, git, snapshot
from tools.steps import section
from tools.template_versions import release_v1, release_v2

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = ROOT / "scripts" / "check_release_upgrade.py"
ENGINE_LINE = "# made by {% if _copier_conf is defined %}copier{% else %}cookiecutter{% endif %}\n"


def check(template: Path) -> tuple[int, str, str]:
    result = run([sys.executable, SCRIPT, template], template.parent, check=False)
    return result.returncode, result.stdout, result.stderr


def test_an_upgrade_from_the_newest_release_to_head_that_is_clean_passes(tmp_path: Path) -> None:
    template = release_v1(tmp_path / "template")
    release_v2(template)
    gitignore = template / SKELETON / ".gitignore"
    gitignore.write_text(gitignore.read_text(encoding="utf-8") + "# after v2\n", encoding="utf-8")
    commit_all(template, "after v2")

    code, out, err = check(template)

    assert (code, err) == (0, ""), out + err
    # v2, the newest of the two tags; HEAD gets the next patch as its own.
    assert out == "check_release_upgrade: v2 -> HEAD (as v3) with cookiecutter and copier: clean\n"
    assert git("tag", cwd=template).split() == ["v1", "v2"], "the checkout is left as it was"


def test_a_release_that_makes_a_conflict_fails_and_names_the_file(tmp_path: Path) -> None:
    # v1 renders one line differently in each engine; v2 changes that line.
    # copier regenerates v1 with copier, so in a project cookiecutter made the
    # cookiecutter line looks like a user's edit, and the update conflicts.
    template = snapshot(tmp_path / "template", tag=None)
    editorconfig = template / SKELETON / ".editorconfig"
    original = editorconfig.read_text(encoding="utf-8")
    editorconfig.write_text(original + ENGINE_LINE, encoding="utf-8")
    commit_all(template, "v1")
    git("tag", "v1.0.0", cwd=template)
    editorconfig.write_text(original + "# made by sturdy\n", encoding="utf-8")
    commit_all(template, "v1.1.0")
    git("tag", "v1.1.0", cwd=template)

    code, out, err = check(template)

    assert code == 1, out + err
    lines = err.splitlines()
    assert "cookiecutter: .editorconfig: conflict markers" in lines, err
    assert lines[-1] == "check_release_upgrade: v1.0.0 -> HEAD (as v1.1.0) with cookiecutter and copier: 3 problem(s)"
    assert all(line.startswith("cookiecutter: .editorconfig: ") for line in lines[:-1]), err
    assert out == ""


def test_a_template_without_a_release_says_so_and_passes(tmp_path: Path) -> None:
    template = snapshot(tmp_path / "template", tag=None)
    code, out, err = check(template)
    assert (code, err) == (0, "")
    assert "no release tag" in out
    assert "nothing to upgrade from" in out


def test_a_folder_that_is_no_checkout_or_a_shallow_clone_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    code, out, err = check(tmp_path / "plain")
    assert (code, out) == (2, "")
    assert err == f"check_release_upgrade: {tmp_path / 'plain'} is not a git checkout with a commit\n"

    template = snapshot(tmp_path / "template")
    commit_all(template, "after the release")
    run(["git", "clone", "-q", "--depth", "1", f"file://{template}", tmp_path / "shallow"], tmp_path)
    code, out, err = check(tmp_path / "shallow")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "is a shallow clone: fetch its full history and tags" in err


# --- which release, as properties -----------------------------------------------

VERSIONS = st.builds(
    lambda release, pre, post: ".".join(map(str, release)) + pre + post,
    st.lists(st.integers(0, 30), min_size=1, max_size=4),
    st.sampled_from(["", "", "a1", "rc2", ".dev3"]),
    st.sampled_from(["", ".post1"]),
)
TAG_NAMES = st.one_of(st.builds(lambda p, v: p + v, st.sampled_from(["", "v"]), VERSIONS), st.text(max_size=12))
TAGS = st.dictionaries(TAG_NAMES, st.sampled_from(["head", "c1", "c2"]), max_size=8)


@pytest.mark.fast
@given(TAGS)
def test_the_release_is_the_newest_final_version_not_on_head(tags: dict[str, str]) -> None:
    chosen = newest_release(tags, "head")
    candidates = [release_version(tag) for tag, commit in tags.items() if commit != "head"]
    finals = [version for version in candidates if version is not None]
    if chosen is None:
        assert finals == []
        return
    version = release_version(chosen)
    assert version is not None
    assert not version.is_prerelease
    assert tags[chosen] != "head"
    assert version == max(finals)


@pytest.mark.fast
@given(TAGS)
def test_head_is_released_after_the_old_release_so_copier_updates_to_it(tags: dict[str, str]) -> None:
    old = newest_release(tags, "head")
    if old is None:
        return
    new = head_release(tags, "head", old)
    new_version = release_version(new)
    assert new_version is not None, new
    assert new_version > Version(old)
    if tags.get(new) != "head":  # a tag of our own: none taken, in the old one's style
        assert new not in tags
        assert new.startswith("v") == old.lower().startswith("v")
        assert not any(release_version(tag) == new_version for tag in tags)


@pytest.mark.fast
def test_user_owned_files_are_the_ones_copier_yml_skips() -> None:
    owned = user_owned(ROOT)
    for name in ("uv.lock", "README.md", "CHANGELOG.md", ".env.example", "src/pkg/cli.py", "tests/test_cli.py"):
        assert owned.match_file(name), name
    template_owned = (".editorconfig", "pyproject.toml", ".github/workflows/ci.yml", ".copier-answers.yml", "LICENSE")
    for name in (*template_owned, "tests/__init__.py", "tests/core/fixtures.py"):
        assert not owned.match_file(name), name


@pytest.mark.fast
def test_the_template_ci_runs_it_with_the_release_tags_and_requires_it() -> None:
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]
    command = "uv run --locked python scripts/check_release_upgrade.py"
    (job_id,) = [name for name, job in jobs.items() if any(s.get("run") == command for s in job["steps"])]
    (checkout,) = [s for s in jobs[job_id]["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0, "without the history there are no tags to upgrade from"
    assert job_id in jobs["required"]["needs"]
    # docs/releasing.md, the release procedure, gives the same command.
    releasing = section((ROOT / "docs" / "releasing.md").read_text(encoding="utf-8"), "# Releasing the template")
    assert f"   {command}\n" in releasing
