"""``python -m`` for real: separate processes, real exit codes, real pipes."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import __version__

from tests.conftest import ENV_PREFIX

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


def dash_m(
    args: list[str], tmp_path: Path, **env: str
) -> "subprocess.CompletedProcess[str]":
    """Run ``python -m PACKAGE args`` to the end, in a clean environment."""
    return subprocess.run(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-m", PACKAGE, *args],
        capture_output=True,
        text=True,
        env={**environment(tmp_path), **env},
        timeout=TIMEOUT,
        check=False,
    )


def test_dash_m_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["{{ cookiecutter.project_slug }}", "--version"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module(PACKAGE, run_name="__main__")
    assert caught.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_a_real_process_shows_its_settings_and_logs_on_stderr(tmp_path: Path) -> None:
    variable = f"{ENV_PREFIX}LOG_LEVEL"
    done = dash_m(["config", "show"], tmp_path, **{variable: "debug"})
    assert done.returncode == 0, done.stderr
    assert f"log_level = DEBUG  (env {variable})" in done.stdout.splitlines()
    assert f"DEBUG {PACKAGE}.app: settings: " in done.stderr  # logging set up


def test_a_bad_variable_stops_a_real_process_with_one_line(tmp_path: Path) -> None:
    variable = f"{ENV_PREFIX}LOG_LEVEL"
    done = dash_m(["config", "show"], tmp_path, **{variable: "LOUD"})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"Error: invalid log_level (env {variable})")
    assert done.stderr.count("\n") == 1


def test_a_closed_standard_output_ends_it_like_sigpipe(tmp_path: Path) -> None:
    with subprocess.Popen(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-m", PACKAGE, "config", "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(tmp_path),
    ) as child:
        assert child.stdout is not None
        child.stdout.close()  # like `| head -0`
        assert child.stderr is not None
        stderr = child.stderr.read()
        child.wait(TIMEOUT)
    assert child.returncode == 141
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
