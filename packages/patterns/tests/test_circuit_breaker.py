"""Tests for patterns.circuit_breaker: states, fail-fast while open, a single half-open probe."""

from __future__ import annotations

import threading

import pytest

from handbook.patterns.circuit_breaker import (
    CircuitBreaker,
    CircuitOpenError,
    call_without_breaker,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Dependency:
    """Counts calls; fails while ``down`` is set."""

    def __init__(self) -> None:
        self.calls = 0
        self.down = True

    def __call__(self) -> str:
        self.calls += 1
        if self.down:
            raise ConnectionError("down")
        return "ok"


class Blocking:
    """A dependency call that waits inside until ``release`` is set, then succeeds or fails."""

    def __init__(self, fail: bool = False) -> None:
        self.inside, self.release = threading.Event(), threading.Event()
        self.fail = fail
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        self.inside.set()
        assert self.release.wait(5)
        if self.fail:
            raise ConnectionError("down")
        return "ok"


class InThread:
    """Runs ``breaker.call(fn)`` on a thread and keeps what it returned or raised."""

    def __init__(self, breaker: CircuitBreaker, fn: Blocking) -> None:
        self.fn = fn
        self.outcome: list[object] = []
        self.thread = threading.Thread(target=self._run, args=(breaker,))
        self.thread.start()
        assert fn.inside.wait(5)  # admitted, and now blocked inside the dependency

    def _run(self, breaker: CircuitBreaker) -> None:
        try:
            self.outcome.append(breaker.call(self.fn))
        except Exception as exc:
            self.outcome.append(exc)

    def finish(self) -> object:
        self.fn.release.set()
        self.thread.join()
        return self.outcome[0]


def trip(breaker: CircuitBreaker, dep: Dependency, times: int) -> None:
    for _ in range(times):
        with pytest.raises(ConnectionError):
            breaker.call(dep)


def opened(threshold: int, cooldown: float) -> tuple[FakeClock, Dependency, CircuitBreaker]:
    """A breaker that ``threshold`` failures of a down dependency have just opened."""
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=threshold, cooldown=cooldown, clock=clock)
    trip(breaker, dep, threshold)
    assert breaker.state == "open"
    return clock, dep, breaker


def test_without_a_breaker_every_call_reaches_the_failing_dependency() -> None:
    dep = Dependency()
    for _ in range(10):
        with pytest.raises(ConnectionError):
            call_without_breaker(dep)
    assert dep.calls == 10


def test_n_consecutive_failures_open_the_breaker_and_calls_fail_fast() -> None:
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=3, cooldown=30.0, clock=clock)
    trip(breaker, dep, 2)
    assert breaker.state == "closed"
    trip(breaker, dep, 1)
    assert breaker.state == "open"
    for _ in range(10):
        with pytest.raises(CircuitOpenError):
            breaker.call(dep)
    assert dep.calls == 3  # the 10 rejected calls never reached the dependency


def test_a_success_resets_the_consecutive_failure_count() -> None:
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=3, cooldown=30.0, clock=clock)
    for _ in range(5):  # 2 failures, 1 success, repeated: never 3 in a row
        trip(breaker, dep, 2)
        dep.down = False
        assert breaker.call(dep) == "ok"
        dep.down = True
    assert breaker.state == "closed"
    assert dep.calls == 15


def test_after_the_cooldown_a_successful_probe_closes_the_breaker() -> None:
    clock, dep, breaker = opened(threshold=2, cooldown=30.0)
    clock.advance(29.9)
    with pytest.raises(CircuitOpenError):
        breaker.call(dep)
    clock.advance(0.1)
    assert breaker.state == "half_open"
    dep.down = False
    assert breaker.call(dep) == "ok"
    assert breaker.state == "closed"
    assert dep.calls == 3


def test_a_failed_probe_opens_the_breaker_again_for_a_new_cooldown() -> None:
    clock, dep, breaker = opened(threshold=2, cooldown=30.0)
    clock.advance(30.0)
    trip(breaker, dep, 1)  # the probe fails
    assert breaker.state == "open"
    clock.advance(29.0)  # the new cool-down counts from the failed probe
    with pytest.raises(CircuitOpenError):
        breaker.call(dep)
    assert dep.calls == 3


def test_after_a_failed_probe_and_the_next_cooldown_a_new_probe_is_admitted() -> None:
    clock, dep, breaker = opened(threshold=2, cooldown=30.0)
    for _ in range(3):  # several failed probes in a row, each after a full cool-down
        clock.advance(30.0)
        trip(breaker, dep, 1)
        assert breaker.state == "open"
    clock.advance(30.0)
    dep.down = False
    assert breaker.call(dep) == "ok"  # a stuck "probe in flight" flag would reject this
    assert breaker.state == "closed"
    assert dep.calls == 2 + 3 + 1


def test_concurrent_callers_during_half_open_get_exactly_one_probe() -> None:
    clock, dep, breaker = opened(threshold=1, cooldown=10.0)
    clock.advance(10.0)
    slow_recovering = Blocking()
    probe = InThread(breaker, slow_recovering)
    dep.down = False  # the others would succeed too, if they were let through
    try:
        rejected = 0
        for _ in range(5):
            with pytest.raises(CircuitOpenError, match="probe is already in flight"):
                breaker.call(dep)
            rejected += 1
    finally:
        result = probe.finish()
    assert (slow_recovering.calls, rejected, result) == (1, 5, "ok")
    assert dep.calls == 1  # only the failure that opened the breaker
    assert breaker.state == "closed"


@pytest.mark.parametrize("late_fails", [False, True], ids=["late-success", "late-failure"])
def test_a_call_admitted_before_the_breaker_opened_cannot_decide_the_probe(
    late_fails: bool,
) -> None:
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=2, cooldown=10.0, clock=clock)
    late = InThread(breaker, Blocking(fail=late_fails))  # admitted while closed
    trip(breaker, dep, 2)  # meanwhile two other calls fail: open
    clock.advance(10.0)
    probe = InThread(breaker, Blocking())  # the one half-open probe, in flight
    try:
        late_result = late.finish()  # the old call ends now, in the probe's generation
        assert isinstance(late_result, ConnectionError) if late_fails else late_result == "ok"
        assert breaker.state == "half_open"  # neither closed nor re-opened by the old call
        clock.advance(10.0)  # even a full cool-down later, the probe slot is still taken
        with pytest.raises(CircuitOpenError, match="probe is already in flight"):
            breaker.call(dep)
    finally:
        probe_result = probe.finish()
    assert probe_result == "ok"
    assert breaker.state == "closed"  # the probe, and only the probe, decided
    assert dep.calls == 2


def test_a_late_success_while_open_does_not_skip_the_cooldown() -> None:
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=1, cooldown=10.0, clock=clock)
    late = InThread(breaker, Blocking())  # admitted while closed
    trip(breaker, dep, 1)  # open at t=0
    assert late.finish() == "ok"
    assert breaker.state == "open"
    with pytest.raises(CircuitOpenError):
        breaker.call(dep)
    assert dep.calls == 1


def test_a_late_failure_while_open_does_not_restart_the_cooldown() -> None:
    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=1, cooldown=10.0, clock=clock)
    late = InThread(breaker, Blocking(fail=True))  # admitted while closed
    trip(breaker, dep, 1)  # open at t=0
    clock.advance(5.0)
    assert isinstance(late.finish(), ConnectionError)  # ends at t=5, while open
    clock.advance(5.0)
    assert breaker.state == "half_open"  # the cool-down still counts from t=0
    assert dep.calls == 1


class NotFound(Exception):
    """A 404: the dependency is up and answered."""


def test_errors_the_predicate_excludes_neither_trip_nor_fail_the_probe() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(
        threshold=2,
        cooldown=10.0,
        clock=clock,
        is_failure=lambda exc: not isinstance(exc, NotFound),
    )

    def not_found() -> str:
        raise NotFound("404")

    for _ in range(10):
        with pytest.raises(NotFound):  # still raised to the caller
            breaker.call(not_found)
    assert breaker.state == "closed"
    trip(breaker, Dependency(), 1)
    with pytest.raises(NotFound):  # an answer between two failures resets the count
        breaker.call(not_found)
    trip(breaker, Dependency(), 1)
    assert breaker.state == "closed"
    trip(breaker, Dependency(), 1)
    assert breaker.state == "open"
    clock.advance(10.0)
    with pytest.raises(NotFound):  # the probe got an answer: the dependency is back
        breaker.call(not_found)
    assert breaker.state == "closed"


def test_by_default_every_exception_counts_as_a_failure() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown=10.0, clock=FakeClock())

    def not_found() -> str:
        raise NotFound("404")

    for _ in range(2):
        with pytest.raises(NotFound):
            breaker.call(not_found)
    assert breaker.state == "open"


def test_an_interrupted_probe_does_not_leave_the_breaker_stuck_half_open() -> None:
    clock, dep, breaker = opened(threshold=1, cooldown=10.0)
    clock.advance(10.0)

    def interrupted() -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        breaker.call(interrupted)
    assert breaker.state == "half_open"  # no verdict: neither closed nor re-opened
    dep.down = False
    assert breaker.call(dep) == "ok"  # the next caller may probe
    assert breaker.state == "closed"


def test_a_predicate_that_raises_does_not_leave_the_probe_slot_taken() -> None:
    def predicate(exc: Exception) -> bool:
        if isinstance(exc, NotFound):
            raise LookupError("bug in the predicate")
        return True

    clock, dep = FakeClock(), Dependency()
    breaker = CircuitBreaker(threshold=1, cooldown=10.0, clock=clock, is_failure=predicate)
    trip(breaker, dep, 1)
    clock.advance(10.0)

    def not_found() -> str:
        raise NotFound("404")

    with pytest.raises(LookupError):
        breaker.call(not_found)  # the probe, whose verdict could not be computed
    assert breaker.state == "half_open"
    assert breaker.call(lambda: "ok") == "ok"  # the next caller may probe
    assert breaker.state == "closed"
