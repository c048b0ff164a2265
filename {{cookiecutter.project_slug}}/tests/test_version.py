"""The --version text, with git describe in an editable checkout."""

import json
import sys
from pathlib import Path

import pytest

import {{ cookiecutter.package_name }}.version as version_module
from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.commands import run
from {{ cookiecutter.package_name }}.version import editable_source, version_text


def direct_url(path: Path, *, editable: bool) -> str:
    dir_info = {"editable": editable}
    return json.dumps({"url": path.as_uri(), "dir_info": dir_info})


def test_editable_source(tmp_path: Path) -> None:
    assert editable_source(direct_url(tmp_path, editable=True)) == tmp_path
    assert editable_source(direct_url(tmp_path, editable=False)) is None
    assert editable_source(json.dumps({"url": tmp_path.as_uri()})) is None
    assert editable_source(None) is None
    assert editable_source("{not json") is None


def test_the_version_comes_from_the_installed_metadata() -> None:
    assert __version__.count(".") >= 2
    assert version_text().startswith(__version__)


def test_a_git_checkout_adds_its_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = [
        "git",
        "-C",
        str(tmp_path),
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
    ]
    run([*git, "init", "-q"], timeout=10)
    run([*git, "commit", "-q", "--allow-empty", "-m", "first"], timeout=10)
    revision = run([*git, "rev-parse", "--short", "HEAD"], timeout=10)
    monkeypatch.setattr(version_module, "editable_source", lambda _: tmp_path)
    assert version_text() == f"{__version__} (git {revision})"


def test_no_git_checkout_means_the_plain_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(version_module, "editable_source", lambda _: tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert version_text() == __version__


def test_an_installed_wheel_never_runs_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(version_module, "editable_source", lambda _: None)
    monkeypatch.setattr(
        version_module, "run", lambda *_, **__: pytest.fail("git was run")
    )
    assert version_text() == __version__
    assert sys.executable  # the test ran without touching git
