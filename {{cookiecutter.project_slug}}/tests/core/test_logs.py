"""Logging is configured once per command; the level is always applied."""

import logging

import pytest

from {{ cookiecutter.package_name }}.core.logs import FORMAT, configure_logging

from tests.core.fixtures import PACKAGE


def test_the_level_is_applied_even_when_logging_is_already_set_up() -> None:
    configure_logging("ERROR")
    assert logging.getLogger().level == logging.ERROR
    configure_logging("DEBUG")
    assert logging.getLogger().level == logging.DEBUG


def test_records_name_their_level_and_logger(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("INFO")
    logging.getLogger(f"{PACKAGE}.somewhere").info("hello %s", "there")
    (record,) = caplog.records
    line = logging.Formatter(FORMAT).format(record)
    assert line == f"INFO {PACKAGE}.somewhere: hello there"
