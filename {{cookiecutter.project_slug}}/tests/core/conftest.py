"""The fixtures of the template's tests (``fixtures.py``), for this folder."""

from tests.core.fixtures import (  # noqa: F401 -- pytest finds fixtures by name
    handlers_restored,
    isolated_environment,
    restore_logging,
)
