"""Circuit breaker: stop calling a failing dependency, fail fast, probe once after a cool-down.

Why interviewers ask this:
    Every "design a service that calls a flaky downstream" question ends here.
    Without a breaker, callers keep hammering a dependency that is down: each
    call waits for its timeout, threads pile up, and the outage spreads
    upstream (a cascading failure). Interviewers want the three states, what
    moves between them, and the concurrency detail most answers miss: in
    half-open exactly one probe goes through.

Common pitfalls:
    - No breaker at all (``call_without_breaker``): while the dependency is
      down, every call still reaches it, so it sees the full load and every
      caller pays the failure.
    - Counting total failures instead of *consecutive* ones: a success must
      reset the count, or a healthy service with rare errors trips.
    - Letting every caller through in half-open: the first wave after the
      cool-down is the whole backlog, which knocks a recovering service down
      again. Only one probe may be in flight; the rest are rejected.
    - Reading ``time.time()`` inside the breaker: wall-clock jumps (NTP)
      break the cool-down, and tests have to sleep. Inject a monotonic clock.
    - Letting a late result decide the current state: a call admitted while
      closed can finish after the breaker opened and went half-open. If its
      success closes the breaker (or its failure re-opens it and frees the
      probe slot), a second probe goes through while the first is still in
      flight. Tag each call with the generation it was admitted in and
      ignore results from an older one.
    - Counting every error: a 404 or a validation error means the
      dependency is up and answered; counting it lets bad input from
      callers open the breaker for everyone.

Key takeaways:
    - Closed: calls pass; ``threshold`` consecutive failures open it.
    - Open: calls raise ``CircuitOpenError`` at once, without calling the
      dependency, until ``cooldown`` seconds have passed on the clock.
    - Half-open: the first caller after the cool-down is the probe; success
      closes the breaker, failure opens it again for a new cool-down.
    - The state check and the "I am the probe" claim happen under one lock,
      so concurrent callers during half-open get exactly one probe.
    - Every state change starts a new generation; a call's result counts
      only if the breaker is still in the generation that admitted it.
    - ``is_failure`` decides which exceptions count. An exception it rejects
      is still re-raised to the caller but counts as a success (the
      dependency answered). By default every ``Exception`` counts; a
      ``KeyboardInterrupt`` (any non-``Exception``) counts as neither.
    - Go: ``sony/gobreaker``; Java: Resilience4j ``CircuitBreaker`` (which
      uses a sliding window of failure *rate* rather than a consecutive count,
      and allows a configurable number of half-open calls).

What to look for in an answer:
    The three states and their transitions, fail-fast while open, a
    cool-down on a monotonic clock, a single half-open probe that late
    results cannot disturb, and which errors count (timeouts and 5xx yes,
    a 404 or a validation error no).
    Follow-ups:
    - Breaker per what? (Per dependency, often per host or endpoint: one
      bad replica should not open the breaker for the healthy ones.)
    - How does it combine with retries? (The retry loop outside, the
      breaker around each attempt: ``retry(lambda: breaker.call(fn))``.
      The breaker then sees every attempt, and ``CircuitOpenError`` is not
      a transient error, so an open breaker ends the retry loop at once
      instead of being retried. A breaker around the whole retry loop
      counts one failure per exhausted loop and lets each loop hammer the
      dependency.)
    - What do you return while open? (A fallback: cached value, default,
      degraded response; or a fast 503 so the caller can decide.)
    - Count-based or rate-based? (Consecutive count is simple; a sliding
      window failure rate with a minimum call volume trips less on noise.)
    - Several processes? (Each has its own breaker: fine, they each learn
      quickly; sharing state across a fleet adds a dependency of its own.)

Complexity:
    O(1) per call; the lock is held only for the state bookkeeping, never
    while the dependency runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal, TypeVar

__all__ = ["CircuitBreaker", "CircuitOpenError", "call_without_breaker"]

T = TypeVar("T")

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
Outcome = Literal["success", "failure", "no_verdict"]


class CircuitOpenError(RuntimeError):
    """Raised instead of calling the dependency while the breaker is open."""


def call_without_breaker(fn: Callable[[], T]) -> T:
    """The pitfall: every call reaches the dependency, however often it failed."""
    return fn()


def _every_exception(exc: Exception) -> bool:
    return True


class CircuitBreaker:
    """A thread-safe closed/open/half-open breaker with an injected clock.

    ``is_failure(exc)`` says whether an exception from the dependency counts
    against it; the default counts every ``Exception``.

    >>> now = [0.0]
    >>> breaker = CircuitBreaker(threshold=2, cooldown=10.0, clock=lambda: now[0])
    >>> def down() -> int:
    ...     raise ConnectionError("down")
    >>> for _ in range(2):
    ...     try:
    ...         breaker.call(down)
    ...     except ConnectionError:
    ...         pass
    >>> breaker.state
    'open'
    >>> now[0] = 10.0
    >>> breaker.call(lambda: 42), breaker.state
    (42, 'closed')
    """

    def __init__(
        self,
        threshold: int = 5,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        is_failure: Callable[[Exception], bool] = _every_exception,
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._is_failure = is_failure
        self._lock = threading.Lock()
        self._state = CLOSED
        self._generation = 0  # bumped on every state change
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> str:
        """``"closed"``, ``"open"`` or ``"half_open"`` (an expired open reads as half-open)."""
        with self._lock:
            if self._state == OPEN and self._clock() - self._opened_at >= self.cooldown:
                return HALF_OPEN
            return self._state

    def _move(self, state: str) -> None:
        """Change state (the caller holds the lock); calls in flight lose their say."""
        self._state = state
        self._generation += 1
        self._failures = 0
        if state == OPEN:
            self._opened_at = self._clock()

    def _admit(self) -> int:
        """Decide under the lock whether this call may go through; return its generation."""
        with self._lock:
            if self._state == OPEN:
                if self._clock() - self._opened_at < self.cooldown:
                    raise CircuitOpenError("circuit open")
                self._move(HALF_OPEN)
            if self._state == HALF_OPEN:
                if self._probing:  # break[many-probes]
                    raise CircuitOpenError("half-open: a probe is already in flight")
                self._probing = True
            return self._generation

    def _finish(self, generation: int, outcome: Outcome) -> None:
        """Apply a call's outcome, unless the breaker changed state since it was admitted."""
        with self._lock:
            if generation != self._generation:  # break[stale-results-count]
                return
            if self._state == HALF_OPEN:  # this call is the probe
                self._probing = False  # break[probe-stuck]
                if outcome == "success":
                    self._move(CLOSED)
                elif outcome == "failure":
                    self._move(OPEN)
                # no verdict (e.g. KeyboardInterrupt): stay half-open, the next caller probes
            elif outcome == "success":
                self._failures = 0  # break[no-reset-on-success]
            elif outcome == "failure":
                self._failures += 1
                if self._failures >= self.threshold:
                    self._move(OPEN)  # break[never-open]

    def call(self, fn: Callable[[], T]) -> T:
        """Call ``fn`` through the breaker.

        Raises ``CircuitOpenError`` without calling ``fn`` while open, or
        while another caller's half-open probe is in flight; otherwise
        returns what ``fn`` returns or re-raises what it raises, after
        recording the outcome.
        """
        generation = self._admit()
        outcome: Outcome = "no_verdict"  # also if is_failure itself raises
        try:
            result = fn()
            outcome = "success"
            return result
        except Exception as exc:
            outcome = "failure" if self._is_failure(exc) else "success"  # break[count-every-error]
            raise
        finally:
            self._finish(generation, outcome)
