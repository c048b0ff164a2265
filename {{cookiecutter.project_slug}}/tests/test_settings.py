"""The project's settings: the API token's rules, in every source; the config file."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core.errors import InputError
from {{ cookiecutter.package_name }}.core.sources import (
    ENV_PREFIX,
    NOT_IN_FILE,
    secret_fields,
)
from {{ cookiecutter.package_name }}.settings import Settings

from tests.core.fixtures import TOML_VALUES, TRICKY, text, toml_literal

TOKEN = "tok-1234-very-secret"  # noqa: S105 -- a test value
FROM_ENV = f"env {ENV_PREFIX}API_TOKEN"


def test_a_bearer_token_loads_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", TOKEN)
    loaded, origins = Settings.from_sources({})
    assert loaded.api_token is not None
    assert loaded.api_token.get_secret_value() == TOKEN
    assert origins["api_token"] == FROM_ENV


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "is empty"),
        (f"{TOKEN}\nsecond-line", "not a bearer token"),
        (f"{TOKEN} {TOKEN}", "not a bearer token"),
        (f"x\x7f{TOKEN}", "not a bearer token"),
        (f"{TOKEN}\u00e9", "not a bearer token"),
    ],
)
def test_a_token_that_no_header_could_carry_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, token: str, reason: str
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", token)
    with pytest.raises(InputError) as caught:
        Settings.from_sources({})
    message = str(caught.value)
    assert message.startswith(f"invalid api_token ({FROM_ENV}): ")
    assert reason in message
    assert TOKEN not in message
    assert "\n" not in message


@settings(max_examples=60)
@given(middle=text(TRICKY.replace("\0", "")))
@example(middle="")
@example(middle="\nsecond line")
def test_any_token_in_the_environment_loads_or_is_refused_unseen(middle: str) -> None:
    token = f"Zq{middle}Zq"  # marked, so that no message can hold it by chance
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(f"{ENV_PREFIX}API_TOKEN", token)
        try:
            loaded, _ = Settings.from_sources({})
        except InputError as exc:
            message = str(exc)
        else:
            assert loaded.api_token is not None
            assert loaded.api_token.get_secret_value() == token
            assert token not in repr(loaded)
            return
    assert message.startswith(f"invalid api_token ({FROM_ENV})")
    assert token not in message


@settings(max_examples=30)  # tests/core has a property for each type TOML has
@given(
    key=st.sampled_from(
        sorted(Settings.model_fields.keys() - secret_fields(Settings) - NOT_IN_FILE)
    ),
    value=TOML_VALUES,
)
def test_any_value_of_any_setting_in_the_config_file_loads_or_is_refused_by_name(
    key: str, value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("config") / "c.toml"
    path.write_text(f"{key} = {toml_literal(value)}\n", encoding="utf-8")
    try:
        Settings.from_sources({"config": str(path)})
    except InputError as exc:
        message = str(exc)
    else:
        return
    assert message.startswith(f"invalid {key} (file {path}): ")
    assert "\n" not in message
