"""Shared fixtures: the template's isolation of every test, and your own.

Each test runs apart from the user's settings, config folder, secrets and
proxies (``tests/core/fixtures.py``, kept current by the template).
"""

from tests.core.fixtures import (  # noqa: F401 -- pytest finds fixtures by name
    isolated_environment,
    restore_logging,
)
