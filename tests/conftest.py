"""Fixtures shared by the template's tests."""

from __future__ import annotations

import signal
import threading
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
def tools_run_as_users_run_them() -> Iterator[None]:
    """Let every command the tests run write Python's bytecode, as it does on a user's machine.

    A machine that sets ``PYTHONDONTWRITEBYTECODE`` (CI's does) would make each
    of the hundreds of engine, hook and tool processes compile its imports
    afresh: copier's command line takes 1.1 s so, 0.4 s once its bytecode is
    written. The bytecode lands in the environments and ``__pycache__``
    folders the tests make, which git and the tree comparisons ignore.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        yield


@pytest.fixture(scope="session", autouse=True)
def stop_signals_as_a_terminal_gives_them() -> Iterator[None]:
    """Give the commands the tests run the default stop signals, whoever started the suite.

    A script's background job (``cmd &``) or ``nohup`` starts pytest with SIGINT,
    SIGQUIT or SIGHUP ignored, and an ignored signal stays ignored in every child:
    a generated project's own Ctrl-C tests would then fail.
    """
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGINT", "SIGQUIT", "SIGHUP", "SIGTERM"):
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is signal.SIG_IGN:
                default = signal.default_int_handler if name == "SIGINT" else signal.SIG_DFL
                previous[signum] = signal.signal(signum, default)
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.fixture(scope="session", autouse=True)
def one_mypy_cache_for_every_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Let every generated project's mypy run share one cache, in this process's temporary folder.

    Most of a cold mypy run reads the standard library and the dependencies,
    the same in every project; mypy checks each cached module against its
    source, so a project's own modules are always checked afresh. One cache
    per test process (each xdist worker has its own temporary folder), so two
    mypy runs never write one cache at once. The manual-stage hooks name
    their own cache folders, in the project: the other systems' start cold as
    a user's do, and this system's starts from this cache (it would repeat the
    plain run, see tests/generated/).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MYPY_CACHE_DIR", str(tmp_path_factory.mktemp("mypy-cache")))
        yield
