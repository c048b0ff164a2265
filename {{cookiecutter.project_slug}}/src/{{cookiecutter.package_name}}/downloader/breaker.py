"""A circuit breaker per host: stop calling a failing dependency, then probe it.

Guide, Circuit breaking: after repeated failures, fail fast for a while and
recover through one test request. Hand-written (about 60 lines) because
pybreaker holds its lock during the call and erases signatures, and the other
libraries give untyped decorators under mypy --strict.
"""

import enum
import functools
import threading
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from .errors import CircuitOpenError

P = ParamSpec("P")
T = TypeVar("T")


class State(enum.Enum):
    """Closed: calls go through. Open: calls fail fast. Half-open: one trial call."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Guard calls to one dependency; thread-safe, never locked during a call."""

    def __init__(
        self,
        name: str,
        *,
        threshold: int = 5,
        cooldown: float = 30.0,
        is_failure: Callable[[BaseException], bool] = lambda _: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Open after ``threshold`` consecutive failures, for ``cooldown`` seconds.

        ``is_failure`` says which exceptions count against the dependency (a
        404 means the host is up); ``clock`` is injectable so tests need no sleep.
        """
        self.name = name
        self._threshold = threshold
        self._cooldown = cooldown
        self._is_failure = is_failure
        self._clock = clock
        self._lock = threading.Lock()  # guards the four fields below, never a call
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    def state(self) -> State:
        """Return the current state (a method: the answer changes with time)."""
        with self._lock:
            return self._state()

    def __call__(self, func: Callable[P, T]) -> Callable[P, T]:
        """Wrap ``func``; the wrapper keeps its exact signature for type checkers."""

        @functools.wraps(func)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
            trial = self._admit()
            try:
                result = func(*args, **kwargs)
            except Exception as exc:
                self._record(trial=trial, failed=self._is_failure(exc))
                raise
            except BaseException:  # Ctrl-C says nothing about the dependency
                self._record(trial=trial, failed=None)
                raise
            self._record(trial=trial, failed=False)
            return result

        return guarded

    def _state(self) -> State:
        if self._opened_at is None:
            return State.CLOSED
        if self._clock() - self._opened_at < self._cooldown:
            return State.OPEN
        return State.HALF_OPEN

    def _admit(self) -> bool:
        """Let a call through or raise; return whether it is the half-open trial."""
        with self._lock:
            state = self._state()
            if state is State.CLOSED:
                return False
            if state is State.HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
        msg = f"{self.name}: too many failures, not retrying before the cool-down"
        raise CircuitOpenError(msg)

    def _record(self, *, trial: bool, failed: bool | None) -> None:
        """Count the outcome; ``failed=None`` (interrupted) only frees the trial."""
        with self._lock:
            if trial:
                self._trial_running = False
            if failed is None:
                return
            if not failed:
                self._failures, self._opened_at = 0, None
                return
            self._failures += 1
            if trial or self._failures >= self._threshold:
                self._opened_at = self._clock()


class Breakers:
    """One breaker per key (here: per origin), created on first use."""

    def __init__(self, factory: Callable[[str], CircuitBreaker]) -> None:
        """Build each new breaker with ``factory(key)``."""
        self._factory = factory
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}

    def __getitem__(self, key: str) -> CircuitBreaker:
        """Return the breaker for ``key``, creating it once even under threads."""
        with self._lock:
            if key not in self._breakers:
                self._breakers[key] = self._factory(key)
            return self._breakers[key]
