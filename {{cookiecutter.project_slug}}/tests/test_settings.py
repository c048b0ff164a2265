"""Settings: precedence, secrets kept secret, and one clear line per bad value."""

import itertools
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.errors import ConfigError, InputError
from {{ cookiecutter.package_name }}.settings import (
    ConfigFileSource,
    SecretsDirSource,
    Settings,
    default_config_path,
    load_settings,
    read_config_file,
)

from tests.conftest import ENV_PREFIX, text

TOKEN = "tok-1234-very-secret"  # noqa: S105 -- a test value
DEFAULT_TIMEOUT = 30.0
FROM_ENV = f"env {ENV_PREFIX}API_TOKEN"


def write_config(text: str, path: Path | None = None) -> Path:
    """Write a config file, at the default place unless told otherwise."""
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_and_their_origin() -> None:
    settings, origins = load_settings({})
    assert settings.timeout == DEFAULT_TIMEOUT
    assert settings.attempts == 3
    assert settings.max_bytes == 2**30
    assert settings.log_level == "WARNING"
    assert settings.dest == Path()
    assert settings.api_token is None
    assert set(origins.values()) == {"default"}


def test_the_default_config_file_is_in_the_user_config_dir(tmp_path: Path) -> None:
    app_dir = tmp_path / "xdg" / "{{ cookiecutter.project_slug }}"
    assert default_config_path() == app_dir / "config.toml"
    assert load_settings({})[0].config == default_config_path()


@pytest.mark.parametrize(
    ("flag", "env", "file"),
    list(itertools.product([None, "4"], [None, "3"], [None, "2"])),
)
def test_precedence_flag_env_file_default(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str | None, file: str | None
) -> None:
    if env is not None:
        monkeypatch.setenv(f"{ENV_PREFIX}TIMEOUT", env)
    if file is not None:
        write_config(f"timeout = {file}\n")
    settings, origins = load_settings({} if flag is None else {"timeout": flag})
    expected = [
        (flag, "flag --timeout"),
        (env, f"env {ENV_PREFIX}TIMEOUT"),
        (file, f"file {default_config_path()}"),
        (str(DEFAULT_TIMEOUT), "default"),
    ]
    value, origin = next((v, o) for v, o in expected if v is not None)
    assert settings.timeout == float(value)
    assert origins["timeout"] == origin


def test_the_config_file_can_be_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_config('dest = "."\nattempts = 5\n', tmp_path / "elsewhere.toml")
    monkeypatch.setenv(f"{ENV_PREFIX}CONFIG", str(path))
    settings, origins = load_settings({})
    assert settings.attempts == 5
    assert settings.config == path
    assert origins["attempts"] == f"file {path}"
    assert origins["config"] == f"env {ENV_PREFIX}CONFIG"


def test_a_config_flag_beats_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(
        f"{ENV_PREFIX}CONFIG", str(write_config("attempts = 5", tmp_path / "e.toml"))
    )
    flag = write_config("attempts = 7", tmp_path / "f.toml")
    settings, origins = load_settings({"config": str(flag)})
    assert settings.attempts == 7
    assert origins["config"] == "flag --config"


def test_the_token_from_the_environment_is_masked_everywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    settings, origins = load_settings({})
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert TOKEN not in shown
        assert "**********" in shown
    assert origins["api_token"] == FROM_ENV


def test_the_token_from_a_secrets_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "run-secrets"
    secrets.mkdir()
    (secrets / f"{ENV_PREFIX}API_TOKEN").write_text(TOKEN + "\n")
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(secrets))
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    settings, origins = load_settings({})
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == TOKEN
    assert origins["api_token"] == f"secrets dir {secrets}"
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", "from-env")
    settings, origins = load_settings({})
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == "from-env"
    assert origins["api_token"] == FROM_ENV


def test_a_token_needs_the_host_it_belongs_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    with pytest.raises(InputError, match=f"{ENV_PREFIX}BASE_URL must be set") as caught:
        load_settings({})
    assert TOKEN not in str(caught.value)


def test_an_empty_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", "")
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    with pytest.raises(InputError, match=rf"api_token \(env {ENV_PREFIX}API_TOKEN\)"):
        load_settings({})


def test_a_token_in_the_config_file_is_refused() -> None:
    write_config(f'api_token = "{TOKEN}"\n')
    with pytest.raises(ConfigError, match=f"set {ENV_PREFIX}API_TOKEN") as caught:
        load_settings({})
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("key", ["colour", "config"])
def test_unknown_keys_in_the_config_file_are_refused(key: str) -> None:
    write_config(f'{key} = "x"\n')
    with pytest.raises(ConfigError, match=f"unknown key '{key}'"):
        load_settings({})


def test_a_named_config_file_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="not found"):
        load_settings({"config": str(missing)})
    monkeypatch.setenv(f"{ENV_PREFIX}CONFIG", str(missing))
    with pytest.raises(ConfigError, match="not found"):
        load_settings({})


def test_an_unreadable_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Expected '=' after a key"):
        load_settings({"config": str(write_config("timeout 3", tmp_path / "bad.toml"))})
    with pytest.raises(ConfigError, match="Is a directory"):
        load_settings({"config": str(tmp_path)})


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
        ({}, {}, "log_level = 5", r"invalid log_level \(file .*config.toml\)"),
        ({"dest": "missing"}, {}, "", r"invalid dest \(flag --dest\): Path does not"),
        (
            {},
            {f"{ENV_PREFIX}BASE_URL": "ftp://x"},
            "",
            rf"base_url \(env {ENV_PREFIX}BASE_URL\)",
        ),
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
        load_settings(flags)
    assert "\n" not in str(caught.value)


def test_every_bad_value_is_reported_on_one_line() -> None:
    with pytest.raises(InputError) as caught:
        load_settings({"timeout": "-1", "attempts": "99"})
    message = str(caught.value)
    assert "--timeout" in message
    assert "--attempts" in message
    assert "\n" not in message


def test_values_are_parsed_for_people() -> None:
    settings, _ = load_settings({"max_bytes": "10MiB", "log_level": "debug"})
    assert settings.max_bytes == 10 * 2**20
    assert settings.log_level == "DEBUG"


def test_a_secrets_dir_that_is_a_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(not_a_dir))
    with pytest.raises(InputError, match="not a directory"):
        load_settings({})


def test_settings_are_frozen() -> None:
    settings, _ = load_settings({})
    with pytest.raises(ValueError, match="frozen"):
        settings.timeout = 1.0  # type: ignore[misc]


def test_the_file_source_reads_the_default_file() -> None:
    write_config("timeout = 2\n")
    source = ConfigFileSource(Settings)
    assert source() == {"timeout": 2}
    assert source.get_field_value(Settings.model_fields["timeout"], "timeout") == (
        2,
        "timeout",
        False,
    )
    assert read_config_file(None) == {"timeout": 2}


def secrets_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "run-secrets"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(folder))
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    return folder


@pytest.mark.parametrize(
    "token",
    [
        f"{TOKEN}\nsecond-line",
        f"{TOKEN} {TOKEN}",
        f"{TOKEN}\r",
        f"x\x7f{TOKEN}",
        f"{TOKEN}\u00e9",
        f"{TOKEN}\\",
    ],
)
def test_a_token_that_no_header_could_carry_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", token)
    monkeypatch.setenv(f"{ENV_PREFIX}BASE_URL", "https://api.example.com")
    with pytest.raises(InputError, match=f"invalid api_token {FROM_ENV_RE}") as caught:
        load_settings({})
    assert "not a bearer token" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert "\n" not in str(caught.value)


FROM_ENV_RE = rf"\(env {ENV_PREFIX}API_TOKEN\)"


def test_a_two_line_token_file_is_refused_naming_the_secrets_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / f"{ENV_PREFIX}API_TOKEN").write_text(f"{TOKEN}\nsecond-line\n")
    where = f"api_token \\(secrets dir {folder}"
    with pytest.raises(InputError, match=where) as caught:
        load_settings({})
    assert TOKEN not in str(caught.value)
    assert "second-line" not in str(caught.value)


def test_a_secret_file_that_is_not_utf_8_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / f"{ENV_PREFIX}API_TOKEN").write_bytes(b"tok\xff\xfe")
    with pytest.raises(InputError, match=f"{ENV_PREFIX}API_TOKEN: not UTF-8 text"):
        load_settings({})


def test_a_secret_file_that_cannot_be_read_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / f"{ENV_PREFIX}API_TOKEN").mkdir()  # unreadable as a file, even by root
    with pytest.raises(InputError, match=f"{ENV_PREFIX}API_TOKEN: cannot read it"):
        load_settings({})


def test_other_files_in_a_shared_secrets_dir_are_never_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / "other_service_key.der").write_bytes(b"\x30\x82\xff\xfe")
    (folder / "unreadable").mkdir()
    (folder / f"{ENV_PREFIX}TIMEOUT").write_text("7\n")
    settings, origins = load_settings({})
    assert settings.timeout == 7.0
    assert origins["timeout"] == f"secrets dir {folder}"


def test_a_config_path_from_the_secrets_dir_is_the_one_named_and_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    config = write_config("attempts = 6\n", tmp_path / "from-secrets.toml")
    (folder / f"{ENV_PREFIX}CONFIG").write_text(str(config))
    settings, origins = load_settings({})
    assert settings.attempts == 6
    assert origins["attempts"] == f"file {config}"
    assert origins["config"] == f"secrets dir {folder}"


@pytest.mark.parametrize(
    "content",
    [
        "attempts = 4\n".encode("utf-16"),
        b"# caf\xe9 (latin-1)\nattempts = 4\n",
        b"\xff\xfe\x00",
    ],
)
@pytest.mark.parametrize("named", [True, False])
def test_a_config_file_that_is_not_utf_8_is_named(
    tmp_path: Path, content: bytes, *, named: bool
) -> None:
    path = tmp_path / "c.toml" if named else default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=f"config file {path}: not UTF-8 text"):
        load_settings({"config": str(path)} if named else {})


@settings(max_examples=60)
@given(content=st.one_of(st.binary(), text().map(str.encode)))
@example(content=b"attempts = 4\n")
@example(content=b"[table]\nx = 1\n")
def test_any_config_file_content_loads_or_gives_one_input_error(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("config") / "c.toml"
    path.write_bytes(content)
    try:
        load_settings({"config": str(path)})
    except InputError as exc:
        message = str(exc)
    else:
        return
    assert message
    assert "\n" not in message


@settings(max_examples=60)
@given(content=st.one_of(st.binary(), text().map(str.encode)))
@example(content=b"5\n")
def test_any_secret_file_content_loads_or_gives_one_input_error(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("secrets")
    (folder / f"{ENV_PREFIX}ATTEMPTS").write_bytes(content)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(folder))
        try:
            load_settings({})
        except InputError as exc:
            message = str(exc)
        else:
            return
    assert "\n" not in message
    assert str(folder) in message


def test_the_secrets_source_reads_our_files_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / f"{ENV_PREFIX}TIMEOUT").write_text(" 4\n")
    source = SecretsDirSource(Settings)
    assert source() == {"timeout": "4"}
    field = Settings.model_fields["timeout"]
    assert source.get_field_value(field, "timeout") == ("4", "timeout", False)
