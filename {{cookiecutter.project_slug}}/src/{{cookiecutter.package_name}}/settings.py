"""Settings: flags > environment > secrets directory > config file > defaults.

Guide, CLI: a config file, environment variables and flags, in that rising
order. Guide, Secrets: the API token comes only from the environment or a
secrets directory (``/run/secrets``, where Docker and Kubernetes mount them),
never from code, a flag or the config file. Guide, Input validation: every
value is checked once, at start-up; a bad one stops the program with one line
that names it where the user set it. A new setting is one more field on
``Settings``: every source, ``config show`` and the checks pick it up.
"""

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import click
import typing_extensions
from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

{% if cookiecutter.example == 'downloader' %}from .download_settings import DownloadFields  # downloader example
{% endif %}from .errors import ConfigError, InputError, one_line, register_secret
from .names import ENV_PREFIX, SECRETS_DIR_VARIABLE, env_name

DEFAULT_SECRETS_DIR = Path("/run/secrets")
#: A bearer token as RFC 6750 spells it: one line, no spaces, nothing an
#: HTTP header could choke on (and then quote in its error message).
BEARER_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
SECRET_FIELDS = frozenset({"api_token"})
NOT_IN_FILE = SECRET_FIELDS | {"config"}  # the file cannot name itself


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)
]


def default_config_path() -> Path:
    """Return the user's config file: under $XDG_CONFIG_HOME or ~/.config on Linux.

    click already knows each system's config folder; no extra dependency.
    """
    app_dir = click.get_app_dir("{{ cookiecutter.project_slug }}")
    return Path(app_dir) / "config.toml"


def secrets_dir() -> Path:
    """Return the secrets directory: /run/secrets, unless the environment names one.

    The variable is ${{ cookiecutter.package_name.upper() }}_SECRETS_DIR. It is read
    before the settings, since it says where some of them come from.
    """
    return Path(os.environ.get(SECRETS_DIR_VARIABLE, DEFAULT_SECRETS_DIR))


class Settings(
{% if cookiecutter.example == 'downloader' %}    DownloadFields,  # downloader example
{% endif %}    BaseSettings,
):
    """Every setting, its default and its bounds; immutable once loaded."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
    )

    config: Path = Field(default_factory=default_config_path)
    log_level: LogLevel = "WARNING"
    api_token: SecretStr | None = None

    @field_validator("api_token", mode="before")
    @classmethod
    def _remember_the_token(cls, value: object) -> object:
        """Register the raw value first, so no message can ever show it."""
        if isinstance(value, str):
            register_secret(value)
        return value

    @field_validator("api_token")
    @classmethod
    def _token_is_one_header_word(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            # A CI secret that is not set often arrives as an empty variable.
            msg = "is empty: give a token, or leave it unset"
            raise ValueError(msg)
        if value is not None and not BEARER_TOKEN.fullmatch(value.get_secret_value()):
            msg = (
                "not a bearer token: only letters, digits and -._~+/ (then = signs)"
                " are allowed; check for a stray newline or space"
            )
            raise ValueError(msg)
        return value

    @classmethod
    @typing_extensions.override
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Put the sources in order: flags, environment, secrets dir, file.

        No .env file: it would make values depend on the working directory,
        and it invites secrets into files.
        """
        secret_files = SecretsDirSource(settings_cls)
        return init_settings, env_settings, secret_files, ConfigFileSource(settings_cls)


class SecretsDirSource(PydanticBaseSettingsSource):
    """Files of the secrets directory named like our variables; nothing else in it.

    The directory is shared (``/run/secrets`` holds every service's secrets):
    other files are never opened, so another service's binary key cannot
    break this program. A file of ours that cannot be read or is not UTF-8
    stops the program with one line naming the file.
    """

    @typing_extensions.override
    def __call__(self) -> dict[str, Any]:
        return read_secrets_dir(secrets_dir())

    @typing_extensions.override
    def get_field_value(
        self, field: FieldInfo, field_name: str
    ) -> tuple[Any, str, bool]:
        return self().get(field_name), field_name, False


def read_secrets_dir(folder: Path) -> dict[str, str]:
    """Read each setting's file in ``folder`` (a missing folder holds none).

    ``Path.exists`` raises, rather than says no, for a name too long or a
    folder that cannot be searched: each is the user's to fix, in one line.
    """
    try:
        not_a_folder = folder.exists() and not folder.is_dir()
    except OSError as exc:
        reason = exc.strerror or exc
        msg = f"secrets dir {folder}: {reason} (set {SECRETS_DIR_VARIABLE})"
        raise InputError(msg) from exc
    if not_a_folder:
        msg = f"secrets dir {folder}: not a directory (set {SECRETS_DIR_VARIABLE})"
        raise InputError(msg)
    values: dict[str, str] = {}
    for name in Settings.model_fields:
        path = folder / env_name(name)
        try:
            values[name] = path.read_bytes().decode().strip()
        except FileNotFoundError:
            continue
        except UnicodeDecodeError as exc:
            msg = f"secrets dir file {path}: not UTF-8 text (byte {exc.start})"
            raise InputError(msg) from exc
        except OSError as exc:
            msg = f"secrets dir file {path}: cannot read it: {exc.strerror or exc}"
            raise InputError(msg) from exc
    return values


class ConfigFileSource(PydanticBaseSettingsSource):
    """The TOML file named by the ``config`` setting (from a flag or the env)."""

    @typing_extensions.override
    def __call__(self) -> dict[str, Any]:
        return read_config_file(self.current_state.get("config"))

    @typing_extensions.override
    def get_field_value(
        self, field: FieldInfo, field_name: str
    ) -> tuple[Any, str, bool]:
        return self().get(field_name), field_name, False


def read_config_file(explicit: str | os.PathLike[str] | None) -> dict[str, Any]:
    """Read and check the config file; a missing file is an error only if named."""
    path = default_config_path() if explicit is None else Path(explicit)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError as exc:
        if explicit is None:
            return {}
        msg = f"config file {path} not found"
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:  # TOML files are UTF-8 by definition
        msg = f"config file {path}: not UTF-8 text (byte {exc.start})"
        raise ConfigError(msg) from exc
    except OSError as exc:
        msg = f"config file {path}: cannot read it: {exc.strerror or exc}"
        raise ConfigError(msg) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"config file {path}: {exc}"
        raise ConfigError(msg) from exc
    _check_keys(data, path)
    return data


def _check_keys(data: Mapping[str, object], path: Path) -> None:
    allowed = Settings.model_fields.keys() - NOT_IN_FILE
    for key in data:
        if key in SECRET_FIELDS:
            msg = (
                f"config file {path}: {key} is a secret and is never read from a file;"
                f" set {env_name(key)} or put it in the secrets directory"
            )
            raise ConfigError(msg)
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            msg = f"config file {path}: unknown key {key!r} (known: {known})"
            raise ConfigError(msg)


def load_settings(flags: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
    """Load the settings and where each value came from, or raise one ``InputError``.

    ``flags`` holds only options typed on the command line, so an option's
    default never hides the environment or the file.
    """
    origins = value_origins(flags)
    try:
        settings = Settings(**flags)
    except ValidationError as exc:
        raise InputError(
            one_line(exc, lambda loc: f"{loc[0]} ({origins[str(loc[0])]})")
        ) from exc
    return settings, origins


def value_origins(flags: Mapping[str, Any]) -> dict[str, str]:
    """Say where each setting comes from, reading the sources in the same order."""
    env = EnvSettingsSource(Settings)()
    secret_files = read_secrets_dir(secrets_dir())
    config = next(
        (layer["config"] for layer in (flags, env, secret_files) if "config" in layer),
        None,
    )
    path = default_config_path() if config is None else Path(config)
    layers: tuple[tuple[Mapping[str, object], Callable[[str], str]], ...] = (
        (flags, lambda name: f"flag --{name.replace('_', '-')}"),
        (env, lambda name: f"env {env_name(name)}"),
        (secret_files, lambda _: f"secrets dir {secrets_dir()}"),
        (read_config_file(config), lambda _: f"file {path}"),
    )
    return {
        name: next(
            (where(name) for values, where in layers if name in values), "default"
        )
        for name in Settings.model_fields
    }
