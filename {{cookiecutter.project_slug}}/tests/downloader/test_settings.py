"""The download settings: their defaults, bounds and units, in every source."""

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from {{ cookiecutter.package_name }}.core.errors import InputError
from {{ cookiecutter.package_name }}.core.sources import (
    ENV_PREFIX,
    default_config_path,
)
from {{ cookiecutter.package_name }}.downloader.settings import SIZE, Size
from {{ cookiecutter.package_name }}.settings import Settings

DEFAULT_TIMEOUT = 30.0
SIZES = TypeAdapter(Size)


def write_config(text: str) -> None:
    """Write the config file at its default place."""
    default_config_path().parent.mkdir(parents=True, exist_ok=True)
    default_config_path().write_text(text)


def test_the_download_defaults() -> None:
    settings, origins = Settings.from_sources({})
    assert settings.timeout == DEFAULT_TIMEOUT
    assert settings.attempts == 3
    assert settings.max_bytes == 2**30
    assert settings.dest == Path()
    assert settings.base_url is None
    assert {origins[name] for name in ("timeout", "dest", "base_url")} == {"default"}


@pytest.mark.parametrize(
    ("flags", "env", "file", "message"),
    [
        (
            {},
            {f"{ENV_PREFIX}TIMEOUT": "soon"},
            "",
            rf"invalid timeout \(env {ENV_PREFIX}TIMEOUT\)",
        ),
        (
            {"attempts": "0"},
            {},
            "",
            r"invalid attempts \(flag --attempts\): .*greater than",
        ),
        ({}, {}, "max_bytes = -1", r"invalid max_bytes \(file .*config.toml\)"),
        ({"dest": "missing"}, {}, "", r"invalid dest \(flag --dest\): Path does not"),
        (
            {},
            {f"{ENV_PREFIX}BASE_URL": "ftp://x"},
            "",
            rf"base_url \(env {ENV_PREFIX}BASE_URL\)",
        ),
        ({"timeout": "-1", "attempts": "99"}, {}, "", r"--timeout.*--attempts"),
        ({"dest": ""}, {}, "", r"invalid dest \(flag --dest\): is empty"),
        ({}, {f"{ENV_PREFIX}DEST": ""}, "", rf"dest \(env {ENV_PREFIX}DEST\): .*empty"),
        ({}, {}, "attempts = true", r"invalid attempts \(file .*\): .*true or false"),
        ({}, {}, "timeout = false", r"invalid timeout \(file .*\): .*true or false"),
        ({}, {}, "max_bytes = true", r"invalid max_bytes \(file .*\): .*true or false"),
        ({"max_bytes": "1e-3"}, {}, "", r"max_bytes \(flag --max-bytes\): not a size"),
        ({}, {f"{ENV_PREFIX}MAX_BYTES": "10MiB junk"}, "", r"max_bytes .*not a size"),
        ({}, {}, 'max_bytes = "5 - 3"', r"invalid max_bytes \(file .*\): not a size"),
        ({"max_bytes": "\u0661\u0662"}, {}, "", r"not a size"),  # Arabic-Indic 12
        ({"dest": "y" * 300}, {}, "", r"invalid dest \(flag --dest\): cannot be"),
        ({}, {}, "dest = 5", r"invalid dest \(file .*config.toml\)"),
    ],
)
def test_a_bad_value_is_named_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch,
    flags: dict[str, str],
    env: dict[str, str],
    file: str,
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    write_config(file)
    with pytest.raises(InputError, match=message) as caught:
        Settings.from_sources(flags)
    assert "\n" not in str(caught.value)


def test_sizes_are_parsed_for_people() -> None:
    assert Settings.from_sources({"max_bytes": "10MiB"})[0].max_bytes == 10 * 2**20


def test_a_download_setting_from_the_secrets_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "run-secrets"
    folder.mkdir()
    (folder / f"{ENV_PREFIX}ATTEMPTS").write_text("6\n")
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(folder))
    settings, origins = Settings.from_sources({})
    assert settings.attempts == 6
    assert origins["attempts"] == f"secrets dir {folder}"


@given(text=st.text(max_size=24))
@example(text="1e-3")
@example(text=" 1.5 GiB ")
def test_any_size_text_is_read_whole_or_refused(text: str) -> None:
    try:
        SIZES.validate_python(text)
    except ValidationError:
        return  # the setting names it in one line: test_a_bad_value_is_named...
    assert SIZE.fullmatch(text)
