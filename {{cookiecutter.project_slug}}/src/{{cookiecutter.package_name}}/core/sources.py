"""How settings are read: flags > environment > secrets dir > config file > defaults.

Guide, CLI: a config file, environment variables and flags, in that rising
order. Guide, Secrets: a ``SecretStr`` setting comes only from the
environment or a secrets directory, never from a flag or the config file.
Guide, Input validation: every value is checked once, at start-up; a bad one
stops the program with one line that names it where the user set it.

The sources are read in one pass, each into plain values, so that every
value keeps its origin (``config show`` prints it, and an error names it);
pydantic then checks the winners. No .env file: it would make values depend
on the working directory, and it invites secrets into files. The fields
themselves are the project's own (``settings.Settings``).
"""

import difflib
import logging
import os
import stat
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, time
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

import click
from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from .boundary import one_printable_line, say
from .errors import ConfigError, InputError, one_line
from .logs import configure_logging
from .redact import Redactor

logger = logging.getLogger(__name__)

APP_NAME = "{{ cookiecutter.project_slug }}"
ENV_PREFIX = "{{ cookiecutter.package_name.upper() }}_"
SECRETS_DIR_VARIABLE = f"{ENV_PREFIX}SECRETS_DIR"
#: Where Docker mounts secrets (Kubernetes too, on Linux). A missing folder
#: holds none, so the default is harmless where nothing mounts one.
if sys.platform == "win32":  # pragma: windows-only
    DEFAULT_SECRETS_DIR = Path(
        os.environ.get("PROGRAMDATA", r"C:\ProgramData"), "Docker", "secrets"
    )
else:  # pragma: posix-only
    DEFAULT_SECRETS_DIR = Path("/run/secrets")
NOT_IN_FILE = frozenset({"config"})  # the file cannot name itself
CONFIG_FILE_LIMIT = 2**20  # bytes: a config file holds a few settings
SECRET_FILE_LIMIT = 2**16  # bytes: a secret is a token, a password or a key
#: The TOML types a config file's value may have, for a setting of each type,
#: and how to name them. TOML has types: ``attempts = 2.0`` or ``attempts =
#: "2"`` is a slip to point out, not to round or to parse (the environment
#: and the secrets directory hold text only: theirs is parsed). A setting of
#: another type (a path, a size, a URL) takes what its own checks take.
IN_TOML: dict[object, tuple[str, tuple[type, ...]]] = {
    bool: ("true or false", (bool,)),
    int: ("an integer", (int,)),
    float: ("a number", (int, float)),
    str: ("a string (in quotes)", (str,)),
}
#: What each of TOML's types is called, as ``tomllib`` reads it.
TOML_NAMES = {
    bool: "true or false",
    int: "an integer",
    float: "a float",
    str: "a string",
    list: "an array",
    dict: "a table",
    datetime: "a date-time",
    date: "a date",
    time: "a time",
}
#: One source: its values, and how to say where a value of it came from.
Layer = tuple[Mapping[str, object], Callable[[str], str]]


def env_name(field: str) -> str:
    """Name the environment variable of a setting (``timeout``: ``PREFIX_TIMEOUT``)."""
    return f"{ENV_PREFIX}{field.upper()}"


def default_config_path() -> Path:
    """Return the user's config file, in the folder each system uses for them.

    click knows that folder (``~/.config`` or ``$XDG_CONFIG_HOME`` on Linux,
    ``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows).
    """
    return Path(click.get_app_dir(APP_NAME)) / "config.toml"


def secrets_dir() -> Path:
    """Return the secrets directory: the variable's, else ``DEFAULT_SECRETS_DIR``.

    An empty variable is refused: it would name the working folder, and every
    file there named like a setting's variable would be read as one.
    """
    named = os.environ.get(SECRETS_DIR_VARIABLE)
    if named == "":
        msg = (
            f"invalid secrets dir (env {SECRETS_DIR_VARIABLE}):"
            " is empty: name a folder, or leave it unset"
        )
        raise InputError(msg)
    return DEFAULT_SECRETS_DIR if named is None else Path(named)


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)
]


class ProjectSettings(BaseSettings):
    """The settings every command has; build them with ``from_sources``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
    )

    config: Path = Field(default_factory=default_config_path)
    log_level: LogLevel = "WARNING"

    @classmethod
    def from_sources(cls, flags: Mapping[str, Any]) -> tuple[Self, dict[str, str]]:
        """Load the settings and where each came from, or raise one ``InputError``.

        ``flags`` holds only options typed on the command line, so an
        option's default never hides the environment or the file.
        """
        values: dict[str, object] = {}
        origins = dict.fromkeys(cls.model_fields, "default")
        for layer, where in reversed(layers(cls, flags)):  # the highest wins
            for name, value in layer.items():
                values[name], origins[name] = value, where(name)
        try:
            settings = cls.model_validate(values)  # the values only: no source
        except ValidationError as exc:
            raise InputError(
                one_line(exc, lambda loc: f"{loc[0]} ({origins[str(loc[0])]})")
            ) from exc
        return settings, origins

    @classmethod
    def load(
        cls, flags: Mapping[str, Any], redact: Redactor
    ) -> tuple[Self, dict[str, str]]:
        """Load a command's settings: mask their secrets, then set up logging."""
        settings, origins = cls.from_sources(flags)
        redact.add(*settings.secrets())
        configure_logging(settings.log_level, redact)
        logger.debug("settings: %r", settings)
        return settings, origins

    def secrets(self) -> Iterator[str]:
        """Yield the value of every secret setting that is set."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                yield value.get_secret_value()


def layers(settings_cls: type[BaseSettings], flags: Mapping[str, Any]) -> list[Layer]:
    """Read every source, highest first; the config file is the one they name."""
    env = EnvSettingsSource(settings_cls)()
    folder = secrets_dir()
    above_the_file: list[Layer] = [
        (flags, lambda name: f"flag --{name.replace('_', '-')}"),
        (env, lambda name: f"env {env_name(name)}"),
        (read_secrets_dir(folder, settings_cls), lambda _: f"secrets dir {folder}"),
    ]
    path, named = default_config_path(), False
    for layer, where in above_the_file:  # the highest that names a file wins
        if "config" in layer:
            named_path = str(layer["config"])
            if not named_path:  # Path("") would be the working folder
                msg = (
                    f"invalid config ({where('config')}):"
                    " is empty: name a file, or leave it unset"
                )
                raise ConfigError(msg)
            path, named = Path(named_path), True
            break
    config = read_config_file(path, settings_cls, named=named)
    return [*above_the_file, (config, lambda _: f"file {path}")]


def secret_fields(settings_cls: type[BaseSettings]) -> set[str]:
    """Name the settings typed ``SecretStr`` (or ``SecretStr | None``)."""
    return {
        name
        for name, field in settings_cls.model_fields.items()
        if field.annotation is SecretStr or SecretStr in get_args(field.annotation)
    }


def read_secrets_dir(folder: Path, settings_cls: type[BaseSettings]) -> dict[str, str]:
    """Read each setting's file in ``folder``: named like its variable, nothing else.

    The folder is shared (``/run/secrets`` holds every service's secrets):
    other files are never opened, so another service's binary key cannot
    break this program. A missing folder holds none. ``Path.exists`` raises,
    rather than says no, for a name too long or a folder that cannot be
    searched: each is the user's to fix, in one line. A byte-order mark at a
    file's start is skipped, as in the config file (``parse_toml``).
    """
    try:
        not_a_folder = folder.exists() and not folder.is_dir()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = getattr(exc, "strerror", None) or exc
        msg = f"secrets dir {folder}: {reason} (set {SECRETS_DIR_VARIABLE})"
        raise InputError(msg) from exc
    if not_a_folder:
        msg = f"secrets dir {folder}: not a directory (set {SECRETS_DIR_VARIABLE})"
        raise InputError(msg)
    values: dict[str, str] = {}
    for name in settings_cls.model_fields:
        path = folder / env_name(name)
        try:
            data = read_regular_file(path, SECRET_FILE_LIMIT)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:  # ValueError: read_regular_file's refusal
            reason = getattr(exc, "strerror", None) or exc
            msg = f"secrets dir file {path}: cannot read it: {reason}"
            raise InputError(msg) from exc
        try:
            values[name] = data.decode().removeprefix("\ufeff").strip()
        except UnicodeDecodeError as exc:
            msg = f"secrets dir file {path}: not UTF-8 text (byte {exc.start})"
            raise InputError(msg) from exc
    return values


def read_config_file(
    path: Path, settings_cls: type[BaseSettings], *, named: bool
) -> dict[str, Any]:
    """Read and check the config file; a missing file is an error only if ``named``.

    Its keys, and their values' TOML types, are checked whatever overrides
    them: a file that holds a secret or ``attempts = 2.0`` is wrong as it is.
    """
    try:
        content = read_regular_file(path, CONFIG_FILE_LIMIT)
    except FileNotFoundError as exc:
        if not named:
            return {}
        msg = f"config file {path} not found"
        raise ConfigError(msg) from exc
    except (OSError, ValueError) as exc:  # ValueError: a NUL, or not a file
        reason = getattr(exc, "strerror", None) or exc
        msg = f"config file {path}: cannot read it: {reason}"
        raise ConfigError(msg) from exc
    data = parse_toml(path, content)
    secret = secret_fields(settings_cls)
    allowed = settings_cls.model_fields.keys() - secret - NOT_IN_FILE
    for key in data:
        if key in secret:
            msg = (
                f"config file {path}: {key} is a secret and is never read from a file;"
                f" set {env_name(key)} or put it in the secrets directory"
            )
            raise ConfigError(msg)
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            msg = f"config file {path}: unknown key {key!r} (known: {known})"
            raise ConfigError(msg)
    wrong_types = [
        f"invalid {key} (file {path}): {refused}"
        for key, value in data.items()
        if (refused := _toml_type_refused(value, settings_cls.model_fields[key]))
    ]
    if wrong_types:
        raise ConfigError("; ".join(wrong_types))
    return data


def _toml_type_refused(value: object, field: FieldInfo) -> str | None:
    """Say what ``value`` must be if the setting takes none of its TOML type."""
    kinds = list(_kinds(field.annotation))
    if not all(kind in IN_TOML for kind in kinds):
        return None  # the setting's own checks decide
    if any(type(value) in IN_TOML[kind][1] for kind in kinds):
        return None
    names = " or ".join(dict.fromkeys(IN_TOML[kind][0] for kind in kinds))
    return f"must be {names}, not {TOML_NAMES[type(value)]}"


def _kinds(annotation: object) -> Iterator[object]:
    """Yield the types ``annotation`` allows: a union's each, a literal's values'."""
    if get_origin(annotation) in {Union, UnionType}:
        for member in get_args(annotation):
            yield from _kinds(member)
    elif get_origin(annotation) is Literal:  # Literal["DEBUG", "INFO"]: strings
        yield from (type(value) for value in get_args(annotation))
    elif annotation is not NoneType:  # TOML has no null: X | None takes what X does
        yield annotation


def parse_toml(path: Path, content: bytes) -> dict[str, Any]:
    """Parse the config file's ``content``, or raise one ``ConfigError`` saying why not.

    A byte-order mark at its start is skipped: Windows' Notepad and
    PowerShell write one, and the file is UTF-8 all the same.
    """
    try:
        return tomllib.loads(content.decode().removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:  # TOML files are UTF-8 by definition
        msg = f"config file {path}: not UTF-8 text (byte {exc.start})"
        raise ConfigError(msg) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"config file {path}: {exc}"
        raise ConfigError(msg) from exc
    except RecursionError as exc:  # x = [[[[... thousands deep
        msg = f"config file {path}: nested too deeply"
        raise ConfigError(msg) from exc


def read_regular_file(path: Path, limit: int) -> bytes:
    """Return the bytes of the file at ``path``; ``ValueError`` says why not.

    Only a regular file is opened, links followed: a device (``/dev/zero``)
    would be read without end, a pipe (``/dev/stdin``, a FIFO) would wait
    for a writer. A file larger than ``limit`` bytes is refused, read no further.
    """
    if not stat.S_ISREG(path.stat().st_mode):
        msg = "not a regular file (a folder, a device or a pipe)"
        raise ValueError(msg)
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        msg = f"larger than {limit // 2**10} KiB"
        raise ValueError(msg)
    return data


def show(
    settings_cls: type[ProjectSettings], flags: Mapping[str, Any], redact: Redactor
) -> None:
    """Print each setting, its value (secrets masked) and where it came from."""
    settings, origins = settings_cls.load(flags, redact)
    for name in settings_cls.model_fields:
        value = getattr(settings, name)  # a SecretStr prints as stars
        shown = "(not set)" if value is None else str(value)
        say(f"{name} = {shown}  ({origins[name]})")
    say(f"secrets dir: {secrets_dir()}")
    for variable, nearest in ignored_variables(settings_cls):
        hint = f"; did you mean {nearest}?" if nearest else ""
        say(f"ignored: env {one_printable_line(variable)} (no such setting{hint})")


def ignored_variables(
    settings_cls: type[BaseSettings],
) -> Iterator[tuple[str, str | None]]:
    """Yield each variable with the prefix that nothing reads, and the nearest name.

    They are not refused: a prefix is short enough to be another's too (a
    package ``app`` would refuse to run wherever ``APP_ENV`` is set). A
    variable names a setting case aside, as pydantic reads them.
    """
    read = {env_name(name).lower() for name in settings_cls.model_fields}
    names = [*settings_cls.model_fields, "secrets_dir"]  # the last one read apart
    for variable in sorted(os.environ):
        if (
            not variable.lower().startswith(ENV_PREFIX.lower())
            or variable.lower() in read
            or variable == SECRETS_DIR_VARIABLE
        ):
            continue
        typed = variable[len(ENV_PREFIX) :].lower()
        nearest = difflib.get_close_matches(typed, names, n=1)
        yield variable, env_name(nearest[0]) if nearest else None
