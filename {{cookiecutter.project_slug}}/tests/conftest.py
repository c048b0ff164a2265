"""Shared fixtures: every test runs apart from the user's own settings.

No test sees the user's config folder, environment variables or secrets
directory, and each runs in its own empty working folder.
"""

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }} import errors
from {{ cookiecutter.package_name }}.boundary import STOP_SIGNALS

# No example database: it would be a folder in the working tree, and a
# failure prints its example anyway. No deadline: the machine may be busy.
settings.register_profile("project", database=None, deadline=None)
settings.load_profile("project")
{% if cookiecutter.example == 'downloader' %}pytest_plugins = ["tests.download_fixtures"]  # downloader example
{% endif %}
#: Characters that trip parsers: all of Latin-1 (controls included), digits
#: and spaces of other scripts, superscripts, direction and zero-width marks,
#: an emoji. An explicit alphabet, because hypothesis' full Unicode needs a
#: table that takes seconds to build, once per checkout.
TRICKY = "".join(map(chr, range(256))) + (
    "\u00b2\u00b3\u0663\u06f4\u0967\u0e53\uff11\u2070\u2089\u216b"
    "\u2028\u2029\u200b\u200e\u202e\u3000\ufeff\U0001f600"
)


def text(alphabet: str = TRICKY) -> st.SearchStrategy[str]:
    """Return text drawn from ``alphabet`` (by default, ``TRICKY``)."""
    return st.text(st.sampled_from(alphabet))


#: The start of every environment variable the program reads.
ENV_PREFIX = "{{ cookiecutter.package_name.upper() }}_"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Hide the real user's settings, config folder and secrets from every test."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(tmp_path / "no-secrets"))
    monkeypatch.chdir(tmp_path)


def forget_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unregister every secret until ``monkeypatch`` is undone.

    ``errors.redact`` masks every secret the process has seen; without this,
    one test's (or one example's) token would mask the next one's messages,
    depending on which tests a worker happened to run before.
    """
    monkeypatch.setattr(errors, "_secrets", set())


@pytest.fixture(autouse=True)
def no_registered_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test with no secret registered (``forget_secrets``)."""
    forget_secrets(monkeypatch)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Undo what the CLI sets up: the root logger's level."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)


@pytest.fixture
def default_dispositions() -> Iterator[None]:
    """Handle signals as by default, whatever pytest inherited (``trap "" INT``)."""
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        signal.SIGTERM: signal.signal(signal.SIGTERM, signal.SIG_DFL),
        signal.SIGHUP: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    }
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.fixture
def handlers_restored(default_dispositions: None) -> Iterator[None]:  # noqa: ARG001 -- set first
    """Prove the CLI leaves this process's signal handlers as it found them."""
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    yield
    assert {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} == before
