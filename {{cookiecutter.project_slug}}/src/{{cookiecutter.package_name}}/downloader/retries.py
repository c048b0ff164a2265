"""The retry policy: which failures are worth another try, and how long to wait.

Guide, Retries: only idempotent requests (every request here is a GET), only
transient failures, exponential backoff with jitter, capped attempts and
waits. stamina does the looping; this module only decides.
"""

import email.utils
import logging
import re
from datetime import UTC, datetime

import stamina
from stamina.instrumentation import RetryDetails

from .errors import BadStatusError, TransferError

logger = logging.getLogger(__name__)

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for more gets this much
WAIT_INITIAL = 0.5
WAIT_MAX = 10.0
WAIT_JITTER = 1.0


def is_transient(exc: BaseException) -> bool:
    """Say whether ``exc`` may go away by itself (network trouble, overload)."""
    if isinstance(exc, BadStatusError):
        return exc.status in TRANSIENT_STATUSES
    return isinstance(exc, TransferError)


def backoff_hook(exc: Exception) -> bool | float:
    """Tell stamina: no retry, a retry with its own backoff, or a capped Retry-After."""
    if not is_transient(exc):
        return False
    if isinstance(exc, BadStatusError) and exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_AFTER)
    return True


def retrying(attempts: int) -> stamina.BoundRetryingCaller:
    """Return a caller that makes at most ``attempts`` tries, the first included.

    No overall timeout: a long download that breaks near its end still deserves
    its retries; attempts and ``WAIT_MAX`` bound the total. Keep secrets out of
    the arguments of what it calls: stamina may log them.
    """
    return stamina.RetryingCaller(
        attempts=attempts,
        timeout=None,
        wait_initial=WAIT_INITIAL,
        wait_max=WAIT_MAX,
        wait_jitter=WAIT_JITTER,
    ).on(backoff_hook)


def log_retry(details: RetryDetails) -> None:
    """Log a scheduled retry in words: what failed, and when the next try comes.

    stamina's default hook logs only an event name, with the details in
    ``extra``; the download command installs this one instead.
    """
    logger.warning(
        "try %d failed, next in %.1f s: %s",
        details.retry_num,
        details.wait_for,
        details.caused_by,
    )


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
