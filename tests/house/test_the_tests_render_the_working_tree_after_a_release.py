"""The template's own renders test the working tree, even once a release tag is behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.render import ROOT, SKELETON, commit_all, git, with_cookiecutter, with_copier

if TYPE_CHECKING:
    from pathlib import Path


def test_both_engines_render_the_commits_and_edits_made_after_the_newest_tag(tmp_path: Path) -> None:
    """Either engine would otherwise render the tag (copier) or refuse (the cookiecutter hook)."""
    template = tmp_path / "template"
    git("clone", "-q", "--no-hardlinks", str(ROOT), str(template), cwd=tmp_path)
    git("tag", "v1.0.0", cwd=template)
    (template / SKELETON / "COMMITTED.txt").write_text("after the release\n", encoding="utf-8")
    commit_all(template, "A change after the release")
    (template / SKELETON / "UNCOMMITTED.txt").write_text("an edit in progress\n", encoding="utf-8")
    for project in (
        with_cookiecutter(template, tmp_path / "cookiecutter", {}),
        with_copier(template, tmp_path / "copier", {}),
    ):
        assert (project / "COMMITTED.txt").read_text(encoding="utf-8") == "after the release\n"
        assert (project / "UNCOMMITTED.txt").read_text(encoding="utf-8") == "an edit in progress\n"
