"""The retry policy: what is retried, after what wait, and how Retry-After is read."""

import email.utils
import math
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core.boundary import boundary
from {{ cookiecutter.package_name }}.downloader.errors import (
    BadStatusError,
    ChecksumError,
    TransferError,
)
from {{ cookiecutter.package_name }}.downloader.retries import (
    MAX_RETRY_AFTER,
    WAIT_JITTER,
    WAIT_MAX,
    is_transient,
    parse_retry_after,
    retrying,
    wait,
)

from tests.core.fixtures import posix_only, text

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


def fail_then_succeed(*failures: Exception) -> Callable[[], str]:
    """Return a call that raises each of ``failures`` in turn, then returns "done"."""
    left = iter(failures)

    def call() -> str:
        if (failure := next(left, None)) is not None:
            raise failure
        return "done"

    return call


@pytest.mark.parametrize(
    ("exc", "wait_for"),
    [
        (BadStatusError("u", 429, 7.0), 7.0),  # the server's Retry-After
        (BadStatusError("u", 503, 86_400.0), MAX_RETRY_AFTER),  # capped
        (BadStatusError("u", 503, 0.0), 0.0),  # "now" is heard too
        (TransferError("reset"), None),  # backoff: 0.5 s and up to 1 s of jitter
        (BadStatusError("u", 502, None), None),
        (BadStatusError("u", 504, None), None),
    ],
)
def test_a_transient_failure_is_retried_after_a_capped_wait(
    exc: Exception, wait_for: float | None
) -> None:
    waits: list[float] = []
    assert is_transient(exc)
    assert retrying(2, waits.append)(fail_then_succeed(exc)) == "done"
    if wait_for is None:
        assert len(waits) == 1
        assert 0.5 <= waits[0] <= 0.5 + WAIT_JITTER
    else:
        assert waits == [wait_for]


@pytest.mark.parametrize(
    "exc",
    [
        BadStatusError("u", 500, None),
        BadStatusError("u", 404, 5.0),  # a Retry-After does not make it transient
        ChecksumError("bad"),
    ],
)
def test_a_lasting_failure_is_not_retried(exc: Exception) -> None:
    waits: list[float] = []
    assert not is_transient(exc)
    with pytest.raises(type(exc)):
        retrying(3, waits.append)(fail_then_succeed(exc))
    assert waits == []


def test_the_last_failure_is_raised_once_the_attempts_are_spent() -> None:
    waits: list[float] = []
    failures = [TransferError(f"reset {n}") for n in range(8)]
    with pytest.raises(TransferError, match="reset 5"):
        retrying(6, waits.append)(fail_then_succeed(*failures))
    assert len(waits) == 5
    for number, waited in enumerate(waits):  # doubles from 0.5 s, capped
        backoff = min(0.5 * 2**number, WAIT_MAX)
        assert backoff <= waited <= min(backoff + WAIT_JITTER, WAIT_MAX)


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
    cause = BadStatusError("http://h/a", 503, 1.25)
    assert retrying(2, lambda _: None)(fail_then_succeed(cause)) == "done"
    assert caplog.messages == ["try 1 failed, next in 1.2 s: http://h/a: HTTP 503"]
    assert caplog.records[0].levelname == "WARNING"


def test_a_wait_lasts_its_time() -> None:
    started = time.monotonic()
    wait(0.2)
    assert time.monotonic() - started >= 0.2


@posix_only(reason="a signal sent to one thread")
def test_a_stop_signal_ends_a_wait_at_once_even_one_the_main_thread_misses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Sent to another thread, the signal does not interrupt the main thread's
    # sleep: as with one that arrives just before a sleep begins, its handler
    # runs only when the sleep ends. A 30 s Retry-After would hold Ctrl-C.
    def to_this_thread() -> None:
        if sys.platform != "win32":  # the call exists there alone
            signal.pthread_kill(threading.get_ident(), signal.SIGTERM)

    sender = threading.Timer(0.1, to_this_thread)

    def wait_as_the_command_does() -> None:
        with boundary():
            sender.start()
            wait(MAX_RETRY_AFTER)

    started = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        wait_as_the_command_does()
    sender.join()
    assert time.monotonic() - started < MAX_RETRY_AFTER / 2
    assert stopped.value.code == 128 + signal.SIGTERM
    assert capsys.readouterr().err == "Stopped by SIGTERM.\n"


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
