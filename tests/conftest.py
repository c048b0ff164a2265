"""Fixtures shared by the template's tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.render import snapshot

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a git snapshot of the template as it is in the working tree, tagged v0.0.1."""
    return snapshot(tmp_path_factory.mktemp("template"))
