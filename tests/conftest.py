"""Fixtures shared by the template's tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.render import snapshot

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a git snapshot of the template as it is in the working tree, tagged v0.0.1."""
    return snapshot(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session", autouse=True)
def one_mypy_cache_for_every_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Let every generated project's mypy run share one cache, in this process's temporary folder.

    Most of a cold mypy run reads the standard library and the dependencies,
    the same in every project; mypy checks each cached module against its
    source, so a project's own modules are always checked afresh. One cache
    per test process (each xdist worker has its own temporary folder), so two
    mypy runs never write one cache at once. The manual-stage hooks name
    their own cache folders, in the project, and start cold as a user's do.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MYPY_CACHE_DIR", str(tmp_path_factory.mktemp("mypy-cache")))
        yield
