"""The retry policy: what is retried, after what wait, and how Retry-After is read."""

import email.utils
import math
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stamina.instrumentation import RetryDetails

from {{ cookiecutter.package_name }}.downloader.errors import (
    BadStatusError,
    ChecksumError,
    TransferError,
)
from {{ cookiecutter.package_name }}.downloader.retries import (
    MAX_RETRY_AFTER,
    backoff_hook,
    is_transient,
    log_retry,
    parse_retry_after,
)

from tests.core.fixtures import text

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("exc", "backoff"),
    [
        (TransferError("reset"), True),
        (BadStatusError("u", 429, 7.0), 7.0),  # the server's Retry-After
        (BadStatusError("u", 502, None), True),
        (BadStatusError("u", 503, 86_400.0), MAX_RETRY_AFTER),  # capped
        (BadStatusError("u", 504, None), True),
        (BadStatusError("u", 500, None), False),
        (BadStatusError("u", 404, 5.0), False),
        (ChecksumError("bad"), False),
    ],
)
def test_only_transient_failures_are_retried_after_a_capped_wait(
    exc: Exception, *, backoff: bool | float
) -> None:
    assert is_transient(exc) is (backoff is not False)
    assert backoff_hook(exc) == backoff
    assert type(backoff_hook(exc)) is type(backoff)  # True (back off), not 1.0 s


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("Thu, 26 Nov 2026 12:00:10 -0000", 10.0),  # parsed naive, read as UTC
        ("soon", None),
        ("-5", None),
        ("\u00b2", None),  # str.isdigit() accepts it; float() does not
        ("\u0663", None),  # an Arabic-Indic three
        ("1.5", None),
        ("9" * 5000, math.inf),  # any wait is capped by the policy
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_parse_retry_after_defaults_to_the_current_time() -> None:
    assert parse_retry_after("Thu, 01 Jan 2099 00:00:00 GMT")


def test_a_retry_is_logged_with_its_cause_and_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cause = BadStatusError("http://h/a", 503, None)
    details = RetryDetails(
        name="fetch",
        args=(),
        kwargs={},
        retry_num=2,
        wait_for=1.25,
        waited_so_far=0.5,
        caused_by=cause,
    )
    log_retry(details)
    assert caplog.messages == ["try 2 failed, next in 1.2 s: http://h/a: HTTP 503"]
    assert caplog.records[0].levelname == "WARNING"


@given(value=st.one_of(st.none(), text()))
@example(value="Thu, 26 Nov 0000 12:00:00 GMT")
@example(value="Thu, 26 Nov 99999 12:00:00 GMT")
@example(value="Thu, 26 Nov 2026 25:61:61 GMT")
@example(value="Thu, 26 Nov 2026 12:00:00 +9999")
@example(value="1 Jan 1")
@example(value=",")
def test_any_retry_after_is_a_wait_or_none(value: str | None) -> None:
    seconds = parse_retry_after(value, now=NOW)
    assert seconds is None or seconds >= 0


@given(seconds=st.integers(0, 10**30))
def test_delay_seconds_are_read_as_given(seconds: int) -> None:
    assert parse_retry_after(f" {seconds} ", now=NOW) == float(seconds)


# Years before 1900 are read as two-digit years (68 -> 1968), by RFC 2822.
EARLIEST = datetime(1900, 1, 1)  # noqa: DTZ001 -- hypothesis wants a naive bound


@given(moment=st.datetimes(min_value=EARLIEST, timezones=st.just(UTC)))
def test_an_http_date_is_read_as_the_time_until_then(moment: datetime) -> None:
    header = email.utils.format_datetime(moment.replace(microsecond=0), usegmt=True)
    expected = max(0.0, (moment.replace(microsecond=0) - NOW).total_seconds())
    assert parse_retry_after(header, now=NOW) == expected
