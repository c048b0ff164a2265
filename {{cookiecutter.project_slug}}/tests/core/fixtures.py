"""Fixtures every test gets: it runs apart from the user's own settings.

No test sees the user's config folder, environment variables, secrets
directory or proxies, and each runs in its own empty working folder. Both
``tests/conftest.py`` and ``tests/core/conftest.py`` import them, so the
template's fixes here reach every test with ``copier update``.
"""

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import TextIO

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core.logs import unmask
from {{ cookiecutter.package_name }}.core.signals import (
    STOP_SIGNALS,
    Handler,
    silence,
)
from {{ cookiecutter.package_name }}.core.sources import ENV_PREFIX

# No example database: it would be a folder in the working tree, and a
# failure prints its example anyway. No deadline: the machine may be busy.
settings.register_profile("project", database=None, deadline=None)
settings.load_profile("project")

#: Characters that trip parsers: all of Latin-1 (controls included), digits
#: and spaces of other scripts, superscripts, direction and zero-width marks,
#: an emoji. An explicit alphabet, because hypothesis' full Unicode needs a
#: table that takes seconds to build, once per checkout.
TRICKY = "".join(map(chr, range(256))) + (
    "\u00b2\u00b3\u0663\u06f4\u0967\u0e53\uff11\u2070\u2089\u216b"
    "\u2028\u2029\u200b\u200e\u202e\u3000\ufeff\U0001f600"
)
PACKAGE = "{{ cookiecutter.package_name }}"  # the import name, as `python -m` takes it
TIMEOUT = 30  # seconds: the longest any child process of a test may take
#: Variables that would make a test depend on the machine it runs on.
FOREIGN = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "SSLKEYLOGFILE",  # set for Wireshark, say: opened with each TLS context
)


#: Mark a test of what only POSIX systems have: skipped on Windows. Say what,
#: ``@posix_only(reason="SIGHUP")``; where Windows behaves otherwise, a
#: ``windows_only`` test shows how. A call that exists on one system only goes
#: in an ``if sys.platform ...:`` block as well: mypy checks such a block for
#: that system alone, a marker it cannot read. (Bare ``@posix_only``, as
#: projects generated earlier use it, still works.)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")
#: Mark a test of what only Linux has (``reason=``): skipped elsewhere.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="Linux only")
#: Mark a test of what only Windows has (``reason=``): skipped elsewhere.
windows_only = pytest.mark.skipif(sys.platform != "win32", reason="Windows only")


@contextmanager
def failing_stream(tmp_path: Path) -> Iterator[TextIO]:
    """Yield a text stream each of whose writes reaches the system and fails.

    It writes to a descriptor opened read-only: the system refuses every
    write (EBADF), on every system, as a full disk or a terminal that went
    away would. Closing it silences it first, so that its close cannot fail.
    """
    path = tmp_path / "read-only"
    path.touch()
    with open(os.open(path, os.O_RDONLY), "w", encoding="utf-8") as stream:  # noqa: PTH123 -- a descriptor
        try:
            yield stream
        finally:
            silence(stream)


def text(alphabet: str = TRICKY) -> st.SearchStrategy[str]:
    """Return text drawn from ``alphabet`` (by default, ``TRICKY``)."""
    return st.text(st.sampled_from(alphabet))


#: A value of each of TOML's types, tables and arrays of them too.
TOML_VALUES = st.recursive(
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | text()
    | st.datetimes(timezones=st.none() | st.just(UTC))
    | st.dates()
    | st.times(),
    lambda values: (
        st.lists(values, max_size=2) | st.dictionaries(text(), values, max_size=2)
    ),
    max_leaves=3,  # small: a value's type is what counts, and it draws fast
)


def toml_literal(value: object) -> str:
    """Spell ``value`` as a TOML file does (``TOML_VALUES`` draws each kind)."""
    match value:
        case bool() | int() | float():  # true, 1e+16, inf, nan
            return repr(value).lower()
        case str():  # JSON escapes what TOML must have escaped, but the DEL
            return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
        case list():
            return f"[{', '.join(map(toml_literal, value))}]"
        case dict():
            pairs = (f"{toml_literal(k)} = {toml_literal(v)}" for k, v in value.items())
            return "{" + ", ".join(pairs) + "}"  # an inline table
        case _:  # a date, a time, a date-time
            return str(value.isoformat())  # type: ignore[attr-defined]


def child_environment(tmp_path: Path) -> dict[str, str]:
    """Return a clean environment for a child process: no user settings, no proxies."""
    kept = ("PATH", "SYSTEMROOT")  # Windows cannot start Python without SYSTEMROOT
    env = {name: os.environ[name] for name in kept if name in os.environ}
    for name in ("HOME", "USERPROFILE", "XDG_CONFIG_HOME", "APPDATA", "LOCALAPPDATA"):
        env[name] = str(tmp_path / "home" / name.lower())
    return {**env, f"{ENV_PREFIX}SECRETS_DIR": str(tmp_path / "no-secrets")}


def run_python(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a child interpreter, in a clean environment."""
    return subprocess.run(  # noqa: S603 -- this interpreter, a test's script, no shell
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=child_environment(tmp_path),
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(autouse=True)
def isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """Hide the user's settings, config folder, secrets and proxies from each test.

    A command stopped by a signal leaves the stop signals ignored, as its
    process exits: each test gets back the handlers it started with, so the
    next one (and a child process, which inherits what is ignored) can still
    be stopped.
    """
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX) or name.upper() in FOREIGN:
            monkeypatch.delenv(name)
    for name in ("HOME", "USERPROFILE", "XDG_CONFIG_HOME", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(tmp_path / "no-secrets"))
    monkeypatch.chdir(tmp_path)
    handlers = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    yield
    for signum, handler in handlers.items():
        signal.signal(signum, handler or signal.SIG_DFL)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Undo what a command sets up: the root logger's level, its masking filters.

    pytest's log handlers outlive a test: one test's secrets must not mask
    the next one's records.
    """
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)
    unmask()


@pytest.fixture
def handlers_restored() -> Iterator[None]:
    """Handle stop signals as by default in a test; then put back pytest's own.

    Whatever pytest inherited (``trap "" INT``), each starts at its default.
    """
    defaults: dict[int, Handler] = dict.fromkeys(STOP_SIGNALS, signal.SIG_DFL)
    defaults[signal.SIGINT] = signal.default_int_handler
    previous = {
        signum: signal.signal(signum, handler) for signum, handler in defaults.items()
    }
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)
