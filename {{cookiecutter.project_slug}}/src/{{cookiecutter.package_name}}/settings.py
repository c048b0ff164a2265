"""Settings: flags > environment > secrets directory > config file > defaults.

Guide, CLI: a config file, environment variables and flags, in that rising
order. Guide, Secrets: the API token comes only from the environment or a
secrets directory (``/run/secrets``, where Docker and Kubernetes mount them),
never from code, a flag or the config file. Guide, Input validation: every
value is checked once, at start-up; a bad one stops the program with one line
that names it where the user set it.
"""

import os
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import click
import typing_extensions
from pydantic import (
    BeforeValidator,
    ByteSize,
    DirectoryPath,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NestedSecretsSettingsSource,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from .errors import ConfigError, InputError, one_line

ENV_PREFIX = "{{ cookiecutter.package_name.upper() }}_"
SECRETS_DIR_VARIABLE = f"{ENV_PREFIX}SECRETS_DIR"
DEFAULT_SECRETS_DIR = Path("/run/secrets")
SECRET_FIELDS = frozenset({"api_token"})
NOT_IN_FILE = SECRET_FIELDS | {"config"}  # the file cannot name itself


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)
]


def env_name(field: str) -> str:
    """Name the environment variable of a setting.

    ``timeout`` -> ``{{ cookiecutter.package_name.upper() }}_TIMEOUT``.
    """
    return f"{ENV_PREFIX}{field.upper()}"


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


class Settings(BaseSettings):
    """Every setting, its default and its bounds; immutable once loaded."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
        secrets_dir=DEFAULT_SECRETS_DIR,
    )

    config: Path = Field(default_factory=default_config_path)
    dest: DirectoryPath = Path()
    timeout: float = Field(default=30.0, gt=0, le=3600)
    attempts: int = Field(default=3, ge=1, le=10)
    max_bytes: ByteSize = Field(default=ByteSize(2**30), gt=0)
    log_level: LogLevel = "WARNING"
    base_url: HttpUrl | None = None
    api_token: SecretStr | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _token_needs_its_host(self) -> Self:
        if self.api_token is not None and self.base_url is None:
            msg = (
                f"{env_name('base_url')} must be set when {env_name('api_token')} is:"
                " the token is only ever sent to that host"
            )
            raise ValueError(msg)
        return self

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
        secret_files = NestedSecretsSettingsSource(
            file_secret_settings,
            secrets_dir_missing="ok",  # pragma: allowlist secret
        )
        return init_settings, env_settings, secret_files, ConfigFileSource(settings_cls)


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
    except (OSError, tomllib.TOMLDecodeError) as exc:
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
    try:
        origins = value_origins(flags)
    except SettingsError as exc:  # e.g. the secrets directory is a file
        raise InputError(str(exc)) from exc
    try:
        settings = Settings(_secrets_dir=secrets_dir(), **flags)
    except ValidationError as exc:
        raise InputError(
            one_line(exc, lambda loc: f"{loc[0]} ({origins[str(loc[0])]})")
        ) from exc
    return settings, origins


def value_origins(flags: Mapping[str, Any]) -> dict[str, str]:
    """Say where each setting comes from, reading the sources in the same order."""
    env = EnvSettingsSource(Settings)()
    secret_files = NestedSecretsSettingsSource(
        SecretsSettingsSource(Settings, secrets_dir=secrets_dir()),
        secrets_dir_missing="ok",  # pragma: allowlist secret
    )()
    config = flags.get("config", env.get("config"))
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
