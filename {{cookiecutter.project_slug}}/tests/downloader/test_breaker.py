"""The circuit breaker: opens, fails fast, lets one trial through, never blocks."""

import threading

import pytest

from {{ cookiecutter.package_name }}.downloader.breaker import (
    Breakers,
    CircuitBreaker,
    State,
)
from {{ cookiecutter.package_name }}.downloader.errors import CircuitOpenError

COOLDOWN = 30.0


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


class Flaky:
    """A dependency that fails while ``failing`` is set; counts its calls."""

    def __init__(self) -> None:
        """Start failing."""
        self.failing = True
        self.calls = 0

    def __call__(self, value: int) -> int:
        """Fail with ``ConnectionError`` or return ``value``."""
        self.calls += 1
        if self.failing:
            msg = "down"
            raise ConnectionError(msg)
        return value


def make_breaker(clock: FakeClock, threshold: int = 3) -> CircuitBreaker:
    return CircuitBreaker(
        "host",
        threshold=threshold,
        cooldown=COOLDOWN,
        is_failure=lambda exc: isinstance(exc, ConnectionError),
        clock=clock,
    )


def test_keeps_the_wrapped_function_and_its_result() -> None:
    def double(value: int) -> int:
        """Double it."""
        return value * 2

    guarded = CircuitBreaker("host")(double)
    assert guarded(21) == 42
    assert guarded.__name__ == "double"
    assert guarded.__doc__ == "Double it."


def not_found() -> None:
    raise LookupError


def test_opens_after_threshold_consecutive_failures_then_fails_fast() -> None:
    clock, flaky = FakeClock(), Flaky()
    breaker = make_breaker(clock)
    guarded = breaker(flaky)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            guarded(1)
    with pytest.raises(LookupError):
        breaker(not_found)()  # not a failure (a 404: the host is up)...
    for _ in range(2):
        with pytest.raises(ConnectionError):
            guarded(1)
    assert breaker.state() is State.CLOSED  # ...so the count started anew
    with pytest.raises(ConnectionError):
        guarded(1)  # the third in a row
    assert breaker.state() is State.OPEN
    with pytest.raises(CircuitOpenError, match="host"):
        guarded(1)
    assert flaky.calls == 5  # the open breaker did not call it


def test_after_the_cooldown_a_failed_trial_reopens_it_a_good_one_closes_it() -> None:
    clock, flaky = FakeClock(), Flaky()
    breaker = make_breaker(clock, threshold=2)
    guarded = breaker(flaky)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            guarded(1)
    clock.now = COOLDOWN - 0.1
    assert breaker.state() is State.OPEN
    clock.now = COOLDOWN
    assert breaker.state() is State.HALF_OPEN
    with pytest.raises(ConnectionError):
        guarded(1)  # one failure suffices in half-open
    assert breaker.state() is State.OPEN
    clock.now = 2 * COOLDOWN - 0.1
    assert breaker.state() is State.OPEN  # a whole new cooldown
    clock.now = 2 * COOLDOWN
    flaky.failing = False
    assert guarded(7) == 7
    assert breaker.state() is State.CLOSED
    assert flaky.calls == 4


def test_half_open_lets_exactly_one_trial_through() -> None:
    clock = FakeClock()
    breaker = make_breaker(clock, threshold=1)
    with pytest.raises(ConnectionError):
        breaker(Flaky())(1)
    clock.now = COOLDOWN
    started, release = threading.Event(), threading.Event()

    def slow_trial() -> str:
        started.set()
        release.wait(5)
        return "ok"

    results: list[str] = []
    trial = threading.Thread(target=lambda: results.append(breaker(slow_trial)()))
    trial.start()
    assert started.wait(5)
    with pytest.raises(CircuitOpenError):
        breaker(slow_trial)()  # a second caller while the trial runs
    release.set()
    trial.join(5)
    assert results == ["ok"]
    assert breaker.state() is State.CLOSED


def interrupted() -> None:
    raise KeyboardInterrupt


def test_an_interrupted_call_counts_for_nothing_and_frees_the_trial() -> None:
    clock, flaky = FakeClock(), Flaky()
    breaker = make_breaker(clock, threshold=1)
    with pytest.raises(KeyboardInterrupt):
        breaker(interrupted)()
    assert breaker.state() is State.CLOSED  # Ctrl-C says nothing of the host
    with pytest.raises(ConnectionError):
        breaker(flaky)(1)
    clock.now = COOLDOWN
    with pytest.raises(KeyboardInterrupt):
        breaker(interrupted)()  # the trial
    assert breaker.state() is State.HALF_OPEN
    flaky.failing = False
    assert breaker(flaky)(3) == 3  # a new trial was admitted


def test_the_lock_is_not_held_during_calls() -> None:
    breaker = CircuitBreaker("host")
    # Four calls must be inside the breaker at once to pass the barrier;
    # a lock held during the call would break it (BrokenBarrierError).
    barrier = threading.Barrier(4, timeout=5)
    errors: list[BaseException] = []

    def meet() -> None:
        try:
            breaker(barrier.wait)()
        except threading.BrokenBarrierError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=meet) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []


def test_breakers_are_one_per_key() -> None:
    breakers = Breakers(CircuitBreaker)
    assert breakers["http://a:80"] is breakers["http://a:80"]
    assert breakers["http://a:80"] is not breakers["http://b:80"]
    assert breakers["http://b:80"].name == "http://b:80"
