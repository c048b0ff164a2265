"""The command line: its commands, help, version and exit codes."""

import runpy
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from {{ cookiecutter.package_name }}.cli import DISTRIBUTION, main
from {{ cookiecutter.package_name }}.core.sources import ENV_PREFIX

from tests.core.fixtures import PACKAGE, TIMEOUT, child_environment

TOKEN = "cli-token-do-not-leak"  # noqa: S105 -- a test value


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_config_show_lists_every_setting_where_it_came_from_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    result = run("--log-level", "debug", "config", "show")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"api_token = **********  (env {ENV_PREFIX}API_TOKEN)" in lines
    assert "log_level = DEBUG  (flag --log-level)" in lines
    assert f"secrets dir: {tmp_path / 'no-secrets'}" in lines
    assert TOKEN not in result.output


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--config", "missing.toml", "config", "show"], "missing.toml not found"),
        (
            ["--log-level", "LOUD", "config", "show"],
            "invalid log_level (flag --log-level)",
        ),
        (["config", "show", "--colour", "x"], "No such option"),
        (["conifg", "show"], "No such command"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], text: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert text in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "variable"),
    [(["--config", ""], None), ([], "CONFIG"), ([], "SECRETS_DIR")],
)
def test_an_empty_config_or_secrets_dir_is_refused_not_taken_for_the_working_folder(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    variable: str | None,
) -> None:
    (tmp_path / f"{ENV_PREFIX}LOG_LEVEL").write_text("loud\n")  # never read
    if variable:
        monkeypatch.setenv(f"{ENV_PREFIX}{variable}", "")
    result = run(*args, "config", "show")
    assert result.exit_code == 2
    where = f"env {ENV_PREFIX}{variable}" if variable else "flag --config"
    setting, kind = ("config", "file")
    if variable == "SECRETS_DIR":
        setting, kind = ("secrets dir", "folder")
    assert result.stderr == (
        f"Error: invalid {setting} ({where}): is empty: name a {kind},"
        " or leave it unset\n"
    )


def test_version_and_help() -> None:
    assert run("--version").stdout == f"{DISTRIBUTION} {version(DISTRIBUTION)}\n"
    assert f"{ENV_PREFIX}<NAME>" in run("--help").stdout


def test_python_dash_m_runs_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["{{ cookiecutter.project_slug }}", "--help"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module(PACKAGE, run_name="__main__")
    assert caught.value.code == 0
    assert "config" in capsys.readouterr().out


def test_python_dash_m_runs_the_command_line_in_a_real_process(tmp_path: Path) -> None:
    env = {**child_environment(tmp_path), f"{ENV_PREFIX}LOG_LEVEL": "LOUD"}
    done = subprocess.run(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-m", PACKAGE, "config", "show"],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(
        f"Error: invalid log_level (env {ENV_PREFIX}LOG_LEVEL)"
    )
    assert done.stderr.count("\n") == 1
