"""The retry policy: which failures are worth another try, and how long to wait.

Guide, Retries: only idempotent requests (every request here is a GET), only
transient failures, exponential backoff with jitter, capped attempts and
waits. tenacity does the looping; this module decides, and waits in a way
that a stop signal always ends at once (``wait``).
"""

import email.utils
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

import tenacity

from .errors import BadStatusError, TransferError

logger = logging.getLogger(__name__)

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for more gets this much
WAIT_INITIAL = 0.5
WAIT_MAX = 10.0
WAIT_JITTER = 1.0
#: The longest single sleep of a wait: a stop signal ends a wait within it.
WAIT_STEP = 0.05
_BACKOFF = tenacity.wait_exponential_jitter(
    multiplier=WAIT_INITIAL, max=WAIT_MAX, jitter=WAIT_JITTER
)


def is_transient(exc: BaseException) -> bool:
    """Say whether ``exc`` may go away by itself (network trouble, overload)."""
    if isinstance(exc, BadStatusError):
        return exc.status in TRANSIENT_STATUSES
    return isinstance(exc, TransferError)


def backoff(state: tenacity.RetryCallState) -> float:
    """Return the wait before the next try.

    The server's Retry-After if it gave one (capped), else exponential
    backoff with jitter.
    """
    exc = state.outcome.exception() if state.outcome is not None else None
    if isinstance(exc, BadStatusError) and exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_AFTER)
    return _BACKOFF(state)


def retrying(attempts: int, sleep: Callable[[float], None]) -> tenacity.Retrying:
    """Return a caller that makes at most ``attempts`` tries, the first included.

    No overall timeout: a long download that breaks near its end still deserves
    its retries; attempts and ``WAIT_MAX`` bound the total. Each wait is
    ``sleep(seconds)``: ``wait`` in the program, none in most tests.
    """
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        retry=tenacity.retry_if_exception(is_transient),
        wait=backoff,
        sleep=sleep,
        before_sleep=log_retry,
        reraise=True,  # the last try's own error, not tenacity's RetryError
    )


def log_retry(state: tenacity.RetryCallState) -> None:
    """Log a scheduled retry in words: what failed, and when the next try comes."""
    cause = state.outcome.exception() if state.outcome is not None else None
    logger.warning(
        "try %d failed, next in %.1f s: %s",
        state.attempt_number,
        state.upcoming_sleep,
        cause,
    )


def wait(seconds: float) -> None:
    """Sleep ``seconds``, in steps of at most ``WAIT_STEP``.

    Python runs a signal's handler between two bytecodes of the main thread.
    A stop signal that arrives just before a long ``time.sleep`` begins (or
    that the system hands to another thread) is handled only when that sleep
    ends: 30 s later, for a Retry-After of 30. Between two short steps the
    handler runs, so a stop signal ends the wait at once.
    """
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(left, WAIT_STEP))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Read Retry-After (seconds or an HTTP date); ``None`` if absent or bad.

    Seconds are ASCII digits only (``str.isdigit`` also accepts "²", which
    ``float`` rejects); a huge number reads as infinity, capped by the policy.
    The date parser raises several kinds of error on odd input: each means
    "not a date".
    """
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive; HTTP dates are UTC
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
