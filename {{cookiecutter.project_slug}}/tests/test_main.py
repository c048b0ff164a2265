"""``python -m`` for real: a separate process, real exit codes, Ctrl-C."""

import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from {{ cookiecutter.package_name }} import __version__

from tests.conftest import ENV_PREFIX, raw_server

PACKAGE = "{{ cookiecutter.package_name }}"  # the import name, as `python -m` takes it
TIMEOUT = 30


def environment(tmp_path: Path) -> dict[str, str]:
    """Return a clean environment: no user config, no secrets, no proxies."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        f"{ENV_PREFIX}SECRETS_DIR": str(tmp_path / "no-secrets"),
    }


def test_dash_m_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["{{ cookiecutter.project_slug }}", "--version"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module(PACKAGE, run_name="__main__")
    assert caught.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_a_real_process_downloads_logs_and_stops_cleanly_on_ctrl_c(
    server: HTTPServer, dest: Path, tmp_path: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data(b"real\n")
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"
    command = [sys.executable, "-m", PACKAGE, "--log-level", "info", "download"]
    with (
        raw_server(head + b"x" * 1000, hold=True) as slow,  # never finishes
        subprocess.Popen(  # noqa: S603 -- fixed interpreter, test arguments, no shell
            [*command, server.url_for("/a.txt"), slow.url, "--dest", str(dest)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(tmp_path),
        ) as child,
    ):
        deadline = time.monotonic() + TIMEOUT
        while len(list(dest.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)  # until the second body is streaming into its temp file
        assert [path.name.endswith(".part") for path in sorted(dest.iterdir())] == [
            True,
            False,
        ]
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 130
    assert stdout == f"{dest.resolve() / 'a.txt'}\n"
    assert f"INFO {PACKAGE}.download: saved" in stderr  # logging set up, on stderr
    assert stderr.endswith("Interrupted.\n")
    assert "Traceback" not in stderr
    assert [path.name for path in dest.iterdir()] == ["a.txt"]
    assert (dest / "a.txt").read_bytes() == b"real\n"
