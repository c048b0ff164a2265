"""How settings are read: precedence, files, secrets, and one clear line per bad value.

The tests use a settings class of their own (``Sample``), so they hold
whatever fields the project's ``settings.Settings`` has.
"""

import io
import itertools
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.core.errors import ConfigError, InputError
from {{ cookiecutter.package_name }}.core.redact import Redactor
from {{ cookiecutter.package_name }}.core.sources import (
    CONFIG_FILE_LIMIT,
    ENV_PREFIX,
    SECRET_FILE_LIMIT,
    ProjectSettings,
    default_config_path,
    read_secrets_dir,
    show,
)

from tests.core.fixtures import (
    PACKAGE,
    TIMEOUT,
    TOML_VALUES,
    TRICKY,
    child_environment,
    posix_only,
    text,
    toml_literal,
)

TOKEN = "tok-1234-very-secret"  # noqa: S105 -- a test value
FROM_ENV = f"env {ENV_PREFIX}TOKEN"
BYTE_ORDER_MARK = "\ufeff".encode()  # as Windows editors start a UTF-8 file
#: What an environment variable can hold: anything but NUL.
ENV_TEXT = text(TRICKY.replace("\0", ""))


class Sample(ProjectSettings):
    """The settings every project has, plus a secret."""

    token: SecretStr | None = None


def load_sample(flags: dict[str, str] | None = None) -> tuple[Sample, dict[str, str]]:
    return Sample.from_sources(flags or {})


def refusal(flags: dict[str, str] | None = None) -> str | None:
    """Load the sample settings; return the refusal's one line, or None."""
    try:
        load_sample(flags)
    except InputError as exc:
        return str(exc)
    return None


def write_config(text: str, path: Path | None = None) -> Path:
    """Write a config file, at the default place unless told otherwise."""
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def secrets_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Create a secrets directory and point the program at it."""
    folder = tmp_path / "run-secrets"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(folder))
    return folder


def test_defaults_their_origin_and_the_config_file_in_the_user_config_dir(
    tmp_path: Path,
) -> None:
    settings, origins = load_sample()
    assert settings.log_level == "WARNING"
    assert settings.token is None
    assert set(origins.values()) == {"default"}
    assert settings.config == default_config_path()
    assert default_config_path().parent.name == "{{ cookiecutter.project_slug }}"
    assert default_config_path().is_relative_to(tmp_path / "home")  # isolated


@pytest.mark.parametrize(
    ("flag", "env", "secret", "file"),
    list(
        itertools.product(
            [None, "DEBUG"], [None, "INFO"], [None, "ERROR"], [None, "WARNING"]
        )
    ),
)
def test_precedence_flag_env_secrets_dir_file_default(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    flag: str | None,
    env: str | None,
    secret: str | None,
    file: str | None,
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    if env is not None:
        monkeypatch.setenv(f"{ENV_PREFIX}LOG_LEVEL", env)
    if secret is not None:
        (folder / f"{ENV_PREFIX}LOG_LEVEL").write_text(f"{secret}\n")
    if file is not None:
        write_config(f'log_level = "{file}"\n')
    settings, origins = load_sample({} if flag is None else {"log_level": flag})
    expected = [
        (flag, "flag --log-level"),
        (env, f"env {ENV_PREFIX}LOG_LEVEL"),
        (secret, f"secrets dir {folder}"),
        (file, f"file {default_config_path()}"),
        ("WARNING", "default"),
    ]
    value, origin = next((v, o) for v, o in expected if v is not None)
    assert settings.log_level == value
    assert origins["log_level"] == origin


@pytest.mark.parametrize("named_by", ["flag", "env", "secrets dir"])
def test_the_config_file_read_is_the_one_the_highest_source_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, named_by: str
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    ours = write_config('log_level = "ERROR"\n', tmp_path / "ours.toml")
    variable, flags = f"{ENV_PREFIX}CONFIG", {}
    if named_by == "flag":  # the flag beats a file named in the environment
        flags = {"config": str(ours)}
        lower = write_config('log_level = "INFO"\n', tmp_path / "lower.toml")
        monkeypatch.setenv(variable, str(lower))
    elif named_by == "env":
        monkeypatch.setenv(variable, str(ours))
    else:
        (folder / variable).write_text(str(ours))
    settings, origins = load_sample(flags)
    assert settings.log_level == "ERROR"
    assert settings.config == ours
    assert origins["log_level"] == f"file {ours}"
    where = {"flag": "flag --config", "env": f"env {variable}"}
    assert origins["config"] == where.get(named_by, f"secrets dir {folder}")


def test_a_secret_from_the_secrets_dir_is_masked_everywhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / f"{ENV_PREFIX}TOKEN").write_text(TOKEN + "\n")
    settings, origins = load_sample()
    assert settings.token is not None
    assert settings.token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert TOKEN not in shown
        assert "**********" in shown
    assert origins["token"] == f"secrets dir {folder}"


def test_a_token_in_the_config_file_is_refused() -> None:
    write_config(f'token = "{TOKEN}"\n')
    with pytest.raises(ConfigError, match=f"set {ENV_PREFIX}TOKEN") as caught:
        load_sample()
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("key", ["colour", "config", "secrets_dir"])
def test_unknown_keys_in_the_config_file_are_refused(key: str) -> None:
    write_config(f'{key} = "x"\n')
    with pytest.raises(ConfigError, match=f"unknown key '{key}'"):
        load_sample()


def test_a_named_config_file_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="not found"):
        load_sample({"config": str(missing)})
    monkeypatch.setenv(f"{ENV_PREFIX}CONFIG", str(missing))
    with pytest.raises(ConfigError, match="not found"):
        load_sample()


def test_an_unreadable_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Expected '=' after a key"):
        load_sample({"config": str(write_config("log_level 3", tmp_path / "b.toml"))})
    with pytest.raises(ConfigError, match="not a regular file"):
        load_sample({"config": str(tmp_path)})


@pytest.mark.parametrize("named_by", ["flag", "env", "secrets dir"])
def test_an_empty_config_is_refused_naming_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, named_by: str
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    flags, where = {}, f"secrets dir {folder}"
    if named_by == "flag":
        flags, where = {"config": ""}, "flag --config"
    elif named_by == "env":
        monkeypatch.setenv(f"{ENV_PREFIX}CONFIG", "")
        where = f"env {ENV_PREFIX}CONFIG"
    else:
        (folder / f"{ENV_PREFIX}CONFIG").write_text("\n")
    assert refusal(flags) == (
        f"invalid config ({where}): is empty: name a file, or leave it unset"
    )


def test_an_empty_secrets_dir_variable_is_refused_not_read_as_the_working_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / f"{ENV_PREFIX}LOG_LEVEL").write_text("error\n")  # the working folder
    monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", "")
    assert refusal() == (
        f"invalid secrets dir (env {ENV_PREFIX}SECRETS_DIR):"
        " is empty: name a folder, or leave it unset"
    )


def test_a_config_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(BYTE_ORDER_MARK + b'log_level = "error"\n')
    assert load_sample({"config": str(path)})[0].log_level == "ERROR"


class Typed(ProjectSettings):
    """A setting of each type that TOML has a value for, one that may be unset."""

    count: int = 0
    ratio: float = 0.0
    flag: bool = False
    name: str = ""
    limit: int | None = None
    folder: Path = Path()  # checked by pydantic alone


#: The TOML types each setting takes from the file, and how the refusal says
#: so (pydantic's own words for a path).
TAKES: dict[str, tuple[set[type], str | None]] = {
    "count": ({int}, "an integer"),
    "ratio": ({int, float}, "a number"),
    "flag": ({bool}, "true or false"),
    "name": ({str}, "a string (in quotes)"),
    "log_level": ({str}, "a string (in quotes)"),
    "limit": ({int}, "an integer"),
    "folder": ({str}, None),
}


@settings(max_examples=60)
@given(key=st.sampled_from(sorted(TAKES)), value=TOML_VALUES)
@example(key="count", value=2.0)
@example(key="count", value="2")
@example(key="count", value=True)
@example(key="ratio", value=2)
@example(key="flag", value=1)
@example(key="name", value=5)
@example(key="folder", value=5)
@example(key="limit", value=2.5)
def test_a_config_file_value_must_be_of_a_toml_type_its_setting_takes(
    key: str, value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("config") / "c.toml"
    path.write_text(f"{key} = {toml_literal(value)}\n", encoding="utf-8")
    toml_type = type(tomllib.loads(path.read_text(encoding="utf-8"))[key])
    types, names = TAKES[key]
    try:
        Typed.from_sources({"config": str(path)})
    except InputError as exc:
        message = str(exc)
    else:
        assert toml_type in types
        return
    assert message.startswith(f"invalid {key} (file {path}): ")
    assert "\n" not in message
    assert toml_type not in types or key == "log_level"  # a string, but no level
    if toml_type not in types and names:
        assert f": must be {names}, not " in message


def test_a_config_file_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    path = write_config("x = " + "[" * 100_000 + "]" * 100_000, tmp_path / "deep.toml")
    assert refusal({"config": str(path)}) == f"config file {path}: nested too deeply"


@pytest.mark.parametrize(
    ("where", "limit", "fits"),
    [
        ("config file", CONFIG_FILE_LIMIT, b"#" * (CONFIG_FILE_LIMIT - 1) + b"\n"),
        ("secrets dir file", SECRET_FILE_LIMIT, b"x" * SECRET_FILE_LIMIT),
    ],
)
def test_a_file_larger_than_its_limit_is_refused_one_that_fits_loads(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    limit: int,
    fits: bytes,
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    path = tmp_path / "c.toml"
    flags = {"config": str(path)}
    if where == "secrets dir file":
        path, flags = folder / f"{ENV_PREFIX}TOKEN", {}
    path.write_bytes(fits)
    assert refusal(flags) is None
    path.write_bytes(fits + b"\n")
    reason = f"cannot read it: larger than {limit // 1024} KiB"
    assert refusal(flags) == f"{where} {path}: {reason}"


def refusals_in_a_child(settings: list[tuple[str, str]], tmp_path: Path) -> list[str]:
    """Load the settings once per variable and value, in a child; return its lines.

    A child, so that a read that never ends fails the test, and stops there.
    """
    script = (
        "import os, sys\n"
        "from unittest.mock import patch\n"
        f"from {PACKAGE}.core.errors import InputError\n"
        f"from {PACKAGE}.core.sources import ProjectSettings\n"
        "for variable, value in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    with patch.dict(os.environ, {variable: value}):\n"
        "        try:\n"
        "            ProjectSettings.from_sources({})\n"
        "        except InputError as exc:\n"
        "            print(exc)\n"
    )
    child = subprocess.run(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        [sys.executable, "-c", script, *itertools.chain.from_iterable(settings)],
        capture_output=True,
        text=True,
        env=child_environment(tmp_path),
        timeout=TIMEOUT,
        check=False,
    )
    return (child.stdout + child.stderr).splitlines()


@posix_only(reason="a named pipe (mkfifo), devices (/dev/zero, /dev/stdin)")
def test_a_config_file_or_secret_that_is_a_pipe_or_a_device_is_refused_at_once(
    tmp_path: Path,
) -> None:
    # /dev/zero would be read until memory runs out; a pipe (/dev/stdin, a
    # FIFO, a link to one) would wait for a writer for ever.
    pipe, link = tmp_path / "pipe", tmp_path / "link"
    if sys.platform != "win32":  # the call exists there alone
        os.mkfifo(pipe)
    link.symlink_to(pipe)
    named = [pipe, link, Path("/dev/zero"), Path("/dev/stdin")]
    settings = [(f"{ENV_PREFIX}CONFIG", str(path)) for path in named]
    expected = [f"config file {path}" for path in named]
    for number, path in enumerate(named):  # a secret's file, linked to each
        secret = tmp_path / f"secrets-{number}" / f"{ENV_PREFIX}LOG_LEVEL"
        secret.parent.mkdir()
        secret.symlink_to(path)
        settings.append((f"{ENV_PREFIX}SECRETS_DIR", str(secret.parent)))
        expected.append(f"secrets dir file {secret}")
    reason = "cannot read it: not a regular file (a folder, a device or a pipe)"
    assert refusals_in_a_child(settings, tmp_path) == [
        f"{where}: {reason}" for where in expected
    ]


@pytest.mark.parametrize(
    ("flags", "env", "secret", "file", "message"),
    [
        (
            {},
            {f"{ENV_PREFIX}LOG_LEVEL": "LOUD"},
            None,
            "",
            rf"invalid log_level \(env {ENV_PREFIX}LOG_LEVEL\)",
        ),
        ({"log_level": "5"}, {}, None, "", r"invalid log_level \(flag --log-level\)"),
        ({}, {}, "quiet", "", r"invalid log_level \(secrets dir .*run-secrets\)"),
        ({}, {}, None, "log_level = 5", r"invalid log_level \(file .*config.toml\)"),
    ],
)
def test_a_bad_value_is_named_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    flags: dict[str, str],
    env: dict[str, str],
    secret: str | None,
    file: str,
    message: str,
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if secret is not None:
        (folder / f"{ENV_PREFIX}LOG_LEVEL").write_text(secret)
    write_config(file)
    with pytest.raises(InputError, match=message) as caught:
        load_sample(flags)
    assert "\n" not in str(caught.value)


def test_every_bad_value_is_reported_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}LOG_LEVEL", "LOUD")
    write_config('log_level = "quiet"\n')  # hidden by the environment: not reported

    class Two(Sample):
        other: int = 0

    monkeypatch.setenv(f"{ENV_PREFIX}OTHER", "many")
    with pytest.raises(InputError) as caught:
        Two.from_sources({})
    message = str(caught.value)
    assert f"invalid log_level (env {ENV_PREFIX}LOG_LEVEL)" in message
    assert f"invalid other (env {ENV_PREFIX}OTHER)" in message
    assert "(file " not in message
    assert "\n" not in message


def test_values_are_parsed_for_people() -> None:
    assert load_sample({"log_level": "debug"})[0].log_level == "DEBUG"


def test_settings_are_frozen() -> None:
    settings, _ = load_sample()
    with pytest.raises(ValueError, match="frozen"):
        settings.log_level = "DEBUG"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("the folder is a file", "secrets dir .*: not a directory"),
        ("a file is not UTF-8", f"{ENV_PREFIX}TOKEN: not UTF-8 text"),
        ("a file is a folder", f"{ENV_PREFIX}TOKEN: cannot read it: not a regular"),
    ],
)
def test_a_broken_secrets_dir_is_refused_naming_what_to_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, broken: str, message: str
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    if broken == "the folder is a file":
        (tmp_path / "file").write_text("")
        monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(tmp_path / "file"))
    elif broken == "a file is not UTF-8":
        (folder / f"{ENV_PREFIX}TOKEN").write_bytes(b"tok\xff\xfe")
    else:
        (folder / f"{ENV_PREFIX}TOKEN").mkdir()  # unreadable as a file, even by root
    with pytest.raises(InputError, match=message):
        load_sample()


def test_other_files_in_a_shared_secrets_dir_are_never_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = secrets_folder(monkeypatch, tmp_path)
    (folder / "other_service_key.der").write_bytes(b"\x30\x82\xff\xfe")
    (folder / "unreadable").mkdir()
    (folder / f"{ENV_PREFIX}LOG_LEVEL").write_text("info\n")
    settings, origins = load_sample()
    assert settings.log_level == "INFO"
    assert origins["log_level"] == f"secrets dir {folder}"


def test_the_secrets_dir_is_read_for_our_files_only(tmp_path: Path) -> None:
    (tmp_path / f"{ENV_PREFIX}LOG_LEVEL").write_text(" error\n")
    (tmp_path / "LOG_LEVEL").write_text("debug\n")  # not our prefix
    assert read_secrets_dir(tmp_path, Sample) == {"log_level": "error"}


@pytest.mark.parametrize(
    "content",
    [
        'log_level = "INFO"\n'.encode("utf-16"),
        b'# caf\xe9 (latin-1)\nlog_level = "INFO"\n',
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
        load_sample({"config": str(path)} if named else {})


@settings(max_examples=60)
@given(content=st.one_of(st.binary(), text().map(str.encode)))
@example(content=b'log_level = "info"\n')
@example(content=b"[table]\nx = 1\n")
@example(content=b'token = "x"\n')
@example(content=b"\xef\xbb\xbf\xef\xbb\xbf")  # a byte-order mark, then another
@example(content=b"x = " + b"[" * 5000)
def test_any_config_file_content_loads_or_gives_one_input_error(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("config") / "c.toml"
    path.write_bytes(content)
    message = refusal({"config": str(path)})
    if message is None:
        return
    assert message
    assert "\n" not in message
    assert str(path) in message


def token_from_a_file(content: bytes, folder: Path) -> str | None:
    """Load the token from a secrets dir file holding ``content``; None if refused.

    A refusal is one line that names the folder.
    """
    (folder / f"{ENV_PREFIX}TOKEN").write_bytes(content)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"{ENV_PREFIX}SECRETS_DIR", str(folder))
        try:
            token = load_sample()[0].token
        except InputError as exc:
            refused = str(exc)
        else:
            assert token is not None
            return token.get_secret_value()
    assert "\n" not in refused
    assert str(folder) in refused
    return None


@settings(max_examples=60)
@given(content=st.one_of(st.binary(), text().map(str.encode)))
@example(content=b"tok-1234\n")
def test_any_secret_file_content_loads_or_gives_one_input_error(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    token = token_from_a_file(content, tmp_path_factory.mktemp("secrets"))
    # Saved by Windows' Notepad, the same file starts with a byte-order mark.
    marked = token_from_a_file(BYTE_ORDER_MARK + content, tmp_path_factory.mktemp("s"))
    if not content.startswith(BYTE_ORDER_MARK):
        assert marked == token


@settings(max_examples=60)
@given(name=st.sampled_from(["LOG_LEVEL", "CONFIG", "SECRETS_DIR"]), value=ENV_TEXT)
@example(name="LOG_LEVEL", value="debug")
@example(name="CONFIG", value="")
@example(name="SECRETS_DIR", value=os.devnull)  # a file, not a folder
@example(name="SECRETS_DIR", value="x" * 300)  # longer than a file name may be
@example(name="CONFIG", value="x" * 300)
def test_any_environment_value_loads_or_gives_one_input_error(
    name: str, value: str
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"{ENV_PREFIX}{name}", value)
        message = refusal()
    if message is None:
        return
    where = {"LOG_LEVEL": f"{ENV_PREFIX}LOG_LEVEL", "CONFIG": "config"}
    assert where.get(name, "secrets dir") in message


def test_a_command_masks_its_secrets_once_they_are_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}TOKEN", TOKEN)
    redact = Redactor()
    settings, origins = Sample.load({"log_level": "error"}, redact)
    assert settings.log_level == "ERROR"
    assert origins["token"] == FROM_ENV
    assert redact(f"header {TOKEN!r}") == "header '**********'"


@settings(max_examples=60)
@given(middle=ENV_TEXT)
@example(middle="")
@example(middle="\nsecond line")
def test_any_secret_in_the_environment_loads_unseen(middle: str) -> None:
    token = f"Zq{middle}Zq"  # marked, so that no message can hold it by chance
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"{ENV_PREFIX}TOKEN", token)
        loaded, _ = load_sample()
    assert loaded.token is not None
    assert loaded.token.get_secret_value() == token
    assert token not in repr(loaded)


def test_show_lists_every_setting_its_value_and_origin_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}TOKEN", TOKEN)
    show(Sample, {"log_level": "info"}, Redactor())
    lines = capsys.readouterr().out.splitlines()
    assert "log_level = INFO  (flag --log-level)" in lines
    assert f"token = **********  ({FROM_ENV})" in lines
    assert f"config = {default_config_path()}  (default)" in lines
    assert f"secrets dir: {tmp_path / 'no-secrets'}" in lines
    assert TOKEN not in "".join(lines)


def test_show_says_when_a_setting_is_not_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    show(Sample, {}, Redactor())
    assert "token = (not set)  (default)" in capsys.readouterr().out.splitlines()


def test_show_lists_each_variable_with_the_prefix_that_nothing_reads(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}LOG_LEVLE", "debug")  # a slip
    monkeypatch.setenv(f"{ENV_PREFIX}SECRET_DIR", "/run/ours")
    monkeypatch.setenv(f"{ENV_PREFIX}ENV", "production")  # another program's
    monkeypatch.setenv(f"{ENV_PREFIX}token".lower(), TOKEN)  # read, case aside
    show(Sample, {}, Redactor())
    lines = capsys.readouterr().out.splitlines()
    near = "(no such setting; did you mean {}?)".format
    assert [line for line in lines if line.startswith("ignored:")] == [
        f"ignored: env {ENV_PREFIX}ENV (no such setting)",
        f"ignored: env {ENV_PREFIX}LOG_LEVLE {near(f'{ENV_PREFIX}LOG_LEVEL')}",
        f"ignored: env {ENV_PREFIX}SECRET_DIR {near(f'{ENV_PREFIX}SECRETS_DIR')}",
    ]


@settings(max_examples=60)
@given(name=text(TRICKY.replace("\0", "").replace("=", "")))
@example(name="TO\u212aEN")  # a Kelvin sign, "k" once lowered: pydantic reads it
@example(name="secrets_dir")  # read in capitals only
@example(name="\x1b[2J\n")
def test_any_variable_with_the_prefix_is_read_or_listed_as_ignored_in_one_line(
    name: str,
) -> None:
    variable = f"{ENV_PREFIX}{name}"
    assume(variable.lower() != f"{ENV_PREFIX}config".lower())  # it would name a file
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(variable, "info")
        stdout = io.StringIO()
        monkeypatch.setattr(sys, "stdout", stdout)
        show(Sample, {}, Redactor())
        lines = stdout.getvalue().splitlines()
        origins = [line for line in lines if "  (env " in line]  # settings read
        read = os.environ[f"{ENV_PREFIX}SECRETS_DIR"] == "info" or bool(origins)
    ignored = [line for line in lines if line.startswith("ignored: env ")]
    assert len(ignored) == (not read)
    assert all(line.isprintable() for line in lines)
