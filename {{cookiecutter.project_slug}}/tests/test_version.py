"""The --version text, with git describe in an editable checkout."""

import json
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import {{ cookiecutter.package_name }}.version as version_module
from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.commands import run
from {{ cookiecutter.package_name }}.version import (
    UNKNOWN,
    editable_source,
    installed_version,
    version_text,
)

from tests.conftest import text


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


def test_an_installed_wheel_never_runs_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = install_metadata(tmp_path, "Version: 1.2.3\n")
    monkeypatch.setattr(sys, "path", [str(wheel)])
    monkeypatch.setattr(
        "{{ cookiecutter.package_name }}.commands.run",
        lambda *_, **__: pytest.fail("git was run"),
    )
    monkeypatch.setitem(sys.modules, "subprocess", None)  # importing it would fail
    assert version_text() == "1.2.3"


def install_metadata(
    folder: Path, metadata: str, direct_url: str | None = None
) -> Path:
    """Lay out a site-packages folder holding this distribution's metadata."""
    stem = "{{ cookiecutter.project_slug }}".replace("-", "_")
    info = folder / "site-packages" / f"{stem}-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.4\n{metadata}\nBody\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(direct_url)
    return folder / "site-packages"


def test_an_editable_install_is_found_through_its_direct_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = install_metadata(
        tmp_path, "Version: 1.2.3\n", direct_url(tmp_path / "nowhere", editable=True)
    )
    monkeypatch.setattr(sys, "path", [str(site)])
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert version_text() == "1.2.3"  # git found no checkout there


@pytest.mark.parametrize(
    "metadata", ["Name: x", "Name: x\n", "Name: x\n\nVersion: 9\n"]
)
def test_metadata_without_a_version_header_reads_as_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, metadata: str
) -> None:
    monkeypatch.setattr(sys, "path", [str(install_metadata(tmp_path, metadata))])
    assert installed_version() == UNKNOWN


def test_no_installed_metadata_reads_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "path", [])
    assert installed_version() == UNKNOWN
    assert version_text() == UNKNOWN


@given(content=text())
@example(content="[" * 100_000)  # nesting too deep for the JSON parser
@example(content='{"url": "file://[::1/x", "dir_info": {"editable": true}}')
@example(content='{"url": 1, "dir_info": {"editable": true}}')
def test_any_direct_url_file_gives_a_folder_or_none(content: str) -> None:
    found = editable_source(content)
    assert found is None or isinstance(found, Path)


@given(content=st.binary())
@example(content=b"Version: 1.2.3\n")
@example(content=b"Version: caf\xe9\n")
def test_any_metadata_gives_a_version_text(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = install_metadata(tmp_path_factory.mktemp("meta"), "")
    (next(site.iterdir()) / "METADATA").write_bytes(content)
    (next(site.iterdir()) / "direct_url.json").write_bytes(content)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sys, "path", [str(site)])
        assert isinstance(installed_version(), str)
        assert version_text().startswith(installed_version())


def test_an_install_without_metadata_reads_as_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = install_metadata(tmp_path, "")
    (next(site.iterdir()) / "METADATA").unlink()
    monkeypatch.setattr(sys, "path", [str(site)])
    assert installed_version() == UNKNOWN
