"""Logging is configured at the CLI boundary; the level is always applied."""

import logging

import stamina.instrumentation

from {{ cookiecutter.package_name }}.logs import configure_logging
from {{ cookiecutter.package_name }}.retries import log_retry


def test_the_level_is_applied_even_when_logging_is_already_set_up() -> None:
    configure_logging("ERROR")
    assert logging.getLogger().level == logging.ERROR
    configure_logging("DEBUG")
    assert logging.getLogger().level == logging.DEBUG


def test_retries_are_logged_in_words() -> None:
    configure_logging("WARNING")
    assert stamina.instrumentation.get_on_retry_hooks() == (log_retry,)
