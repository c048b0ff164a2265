"""Logging is set up once per command: the level always applied, secrets masked."""

import logging

import pytest

from {{ cookiecutter.package_name }}.core.logs import (
    FORMAT,
    MaskingFilter,
    configure_logging,
)
from {{ cookiecutter.package_name }}.core.redact import MASK, Redactor

from tests.core.fixtures import PACKAGE

SECRET = "logs-secret-do-not-leak"  # noqa: S105 # pragma: allowlist secret


def test_the_level_is_applied_even_when_logging_is_already_set_up() -> None:
    configure_logging("ERROR", Redactor())
    assert logging.getLogger().level == logging.ERROR
    configure_logging("DEBUG", Redactor())
    assert logging.getLogger().level == logging.DEBUG


def test_records_name_their_level_and_logger(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("INFO", Redactor())
    logging.getLogger(f"{PACKAGE}.somewhere").info("hello %s", "there")
    (record,) = caplog.records
    line = logging.Formatter(FORMAT).format(record)
    assert line == f"INFO {PACKAGE}.somewhere: hello there"


def fail() -> None:
    raise ValueError(SECRET)


def test_every_record_is_masked_a_library_s_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.handler.setLevel(logging.DEBUG)
    configure_logging("DEBUG", Redactor(["an-earlier-command-s"]))
    configure_logging("DEBUG", Redactor([SECRET]))  # in its place
    library = logging.getLogger("some.http.library")
    location = b"https://user:hunter2@host/"  # pragma: allowlist secret
    headers = [(b"Location", location), (b"X-Echo", SECRET)]
    library.debug("receive_response_headers.complete return_value=%r", headers)
    try:
        fail()
    except ValueError:
        library.exception("failed with %s", "a traceback")
    assert "hunter2" not in caplog.text
    assert SECRET not in caplog.text
    assert f"https://{MASK}@host/" in caplog.text
    assert "ValueError" in caplog.text
    assert [
        type(f) for f in caplog.handler.filters if isinstance(f, MaskingFilter)
    ] == [MaskingFilter]
