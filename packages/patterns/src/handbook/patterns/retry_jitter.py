"""Retries with capped exponential backoff and full jitter, transient errors only, under a deadline.

Why interviewers ask this:
    "The call failed: what now?" separates people who have run services from
    people who have not. A naive retry loop turns a blip into an outage:
    retrying errors that will never succeed, retrying forever, and, worst,
    every client retrying at the same instant so the recovering server is
    hit by a synchronised wave (the thundering herd). Interviewers want
    backoff, jitter, a retry budget or deadline, and which errors to retry.

Common pitfalls:
    - Backoff without jitter (``backoff_delay``): N clients that failed at
      the same moment compute the same delays and all retry in the same
      tick, again and again. Exponential growth spaces the waves out but
      does not break them up.
    - Retrying every exception: a 400, a validation error or a missing
      record fails the same way each time; retrying only adds load and
      latency. Retry transient errors (timeouts, connection resets, 503,
      429) and raise the rest at once.
    - No deadline: ``attempts=10`` with a doubling delay can wait minutes
      (from 1 s, uncapped: 1 + 2 + ... + 256 = 511 s before the tenth call)
      while the caller upstream gave up long ago. Stop when the next sleep
      would cross the deadline.
    - No cap: ``base * 2**attempt`` grows without bound.
    - Calling ``time.sleep`` directly: the tests then really sleep. Inject
      ``sleep`` and ``clock``.

Key takeaways:
    - Full jitter: ``sleep = uniform(0, min(cap, base * 2**attempt))``. The
      expected wait is half the capped backoff and clients spread out over
      the whole window (the AWS Architecture Blog's "Exponential Backoff And
      Jitter" compares this with "equal" and "decorrelated" jitter).
    - Only exceptions in ``retry_on`` are retried; anything else propagates
      from the first call, with no sleep.
    - The deadline is checked before each sleep: the loop never sleeps past
      it and re-raises the last transient error instead.
    - Every delay is drawn from the ``rng`` passed in. With a seeded
      ``random.Random`` (or a scripted one), a fake clock and a recording
      ``sleep``, the whole schedule is deterministic and nothing sleeps.
    - Retries multiply across layers (3 retries at each of 3 layers is up to
      64 calls at the bottom): retry at one layer. Go: ``cenkalti/backoff``;
      Java: Resilience4j ``Retry`` with ``IntervalFunction.ofExponentialRandomBackoff``.

What to look for in an answer:
    Backoff plus jitter with the reason (de-synchronise clients), a cap,
    a deadline or budget propagated from the caller, retrying only
    idempotent operations and transient errors, and honouring
    ``Retry-After``. Follow-ups:
    - Is it safe to retry a POST? (Only if it is idempotent: send an
      idempotency key the server deduplicates on; otherwise a retry after a
      lost response charges the card twice.)
    - How do retries interact with a circuit breaker? (The retry loop
      outside, the breaker around each attempt:
      ``retry(lambda: breaker.call(fn))``. The breaker sees every attempt
      and opens after its threshold; its ``CircuitOpenError`` is not in
      ``retry_on``, so an open breaker ends the loop at once instead of
      being retried. A breaker around the whole loop counts one failure per
      exhausted loop, while each loop still hammers the dependency.)
    - What is a retry budget? (Cap retries to a fraction of traffic, e.g.
      10 % per client in Google's SRE book, so a full outage adds little
      load; gRPC's retry throttling and Envoy's retry budgets work this way.)
    - The server sends 429 with ``Retry-After: 5``? (Wait at least that,
      it knows its own load better than your backoff.)

Complexity:
    At most ``attempts`` calls; total sleep at most ``deadline``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["TransientError", "backoff_delay", "full_jitter_delay", "retry"]

T = TypeVar("T")


class TransientError(Exception):
    """An error worth retrying: timeout, reset, 503, 429."""


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """The pitfall: capped exponential backoff, identical for every client.

    >>> [backoff_delay(a, 1.0, 5.0, random.Random(0)) for a in range(4)]
    [1.0, 2.0, 4.0, 5.0]
    """
    return min(cap, base * 2.0**attempt)


def full_jitter_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """The fix: a uniform draw from ``[0, min(cap, base * 2**attempt)]``.

    >>> rng = random.Random(0)
    >>> all(0 <= full_jitter_delay(a, 1.0, 5.0, rng) <= min(5.0, 2**a) for a in range(20))
    True
    """
    window = min(cap, base * 2.0**attempt)  # break[no-cap]
    return rng.uniform(0, window)  # break[no-jitter]  # break[global-rng]


def retry(
    fn: Callable[[], T],
    *,
    attempts: int = 5,
    base: float = 0.1,
    cap: float = 10.0,
    deadline: float = 30.0,
    retry_on: tuple[type[Exception], ...] = (TransientError, ConnectionError, TimeoutError),
    delay: Callable[[int, float, float, random.Random], float] = full_jitter_delay,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``fn`` up to ``attempts`` times, sleeping ``delay(...)`` between tries.

    Raises the first exception not in ``retry_on`` at once; raises the last
    transient error when attempts run out or the next sleep would end past
    ``deadline`` seconds after the start.
    """
    rng = rng if rng is not None else random.Random()  # break[ignore-given-rng]
    stop_at = clock() + deadline
    for attempt in range(attempts):
        try:
            return fn()
        except retry_on:  # break[retry-everything]
            if attempt == attempts - 1:
                raise
            pause = delay(attempt, base, cap, rng)
            if clock() + pause > stop_at:  # break[no-deadline]
                raise
            sleep(pause)
    raise AssertionError("unreachable: the loop returns or raises")
