"""Tests for system_design.windows: the fixed window's boundary burst vs the sliding log and
counter on the same trace; the Redis sliding log on a sorted set."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from handbook.system_design.testing import FakeClock
from handbook.system_design.windows import (
    SLIDING_LOG_LUA,
    FixedWindow,
    SlidingCounter,
    SlidingLog,
    max_in_window,
    redis_sliding_log,
)

Limiter = FixedWindow | SlidingLog | SlidingCounter
LIMIT, WINDOW = 10, 60.0
# 10 requests just before the minute boundary, 10 just after it.
BOUNDARY_TRACE = [59.0] * 10 + [60.0] * 10


def replay(make: Callable[[FakeClock], Limiter], trace: Sequence[float]) -> list[float]:
    """The times at which the limiter admitted a request of ``trace``."""
    clock = FakeClock()
    limiter = make(clock)
    admitted = []
    for t in trace:
        clock.now = t
        if limiter.allow():
            admitted.append(t)
        if isinstance(limiter, SlidingLog):
            limiter._check()
    return admitted


def fixed(c: FakeClock) -> Limiter:
    return FixedWindow(LIMIT, WINDOW, clock=c)


def log(c: FakeClock) -> Limiter:
    return SlidingLog(LIMIT, WINDOW, clock=c)


def counter(c: FakeClock) -> Limiter:
    return SlidingCounter(LIMIT, WINDOW, clock=c)


def test_fixed_window_admits_twice_the_limit_across_a_boundary() -> None:
    admitted = replay(fixed, BOUNDARY_TRACE)
    assert len(admitted) == 20
    assert max_in_window(admitted, WINDOW) == 2 * LIMIT


def test_sliding_log_and_counter_admit_the_limit_on_the_same_trace() -> None:
    for make in (log, counter):
        admitted = replay(make, BOUNDARY_TRACE)
        assert admitted == [59.0] * 10, make.__name__
        assert max_in_window(admitted, WINDOW) == LIMIT


def test_sliding_log_never_exceeds_the_limit_in_any_window_on_a_random_trace() -> None:
    rng = random.Random(15)
    trace = sorted(rng.uniform(0, 600) for _ in range(2_000))
    assert max_in_window(replay(log, trace), WINDOW) == LIMIT
    # The same trace through the fixed window shows the burst is not a contrived case.
    assert max_in_window(replay(fixed, trace), WINDOW) > LIMIT
    # Each fixed window admits at most LIMIT and a span touches two: 2x is the cap.
    assert LIMIT <= max_in_window(replay(counter, trace), WINDOW) <= 2 * LIMIT


def test_an_entry_exactly_one_window_old_has_left_the_log() -> None:
    trace = [0.0] * 10 + [60.0] * 10
    assert replay(log, trace) == trace


def test_a_client_paced_exactly_at_the_limit_is_never_refused() -> None:
    trace = [6.0 * i for i in range(60)]  # 10 per 60 s, evenly spaced, for an hour
    assert replay(log, trace) == trace


def test_rejected_requests_do_not_count_against_the_sliding_log() -> None:
    # Ten admitted at t=0, ten retries while blocked at t=59, then t=60.
    trace = [0.0] * 10 + [59.0] * 10 + [60.0]
    assert replay(log, trace) == [0.0] * 10 + [60.0]


def test_sliding_counter_over_admits_when_the_previous_window_was_back_loaded() -> None:
    trace = [59.0] * 10 + [90.0] * 10
    admitted = replay(counter, trace)
    # At t=90 the weight is 0.5: estimate 10 * 0.5 + current < 10 admits 5 more,
    # but all 10 from t=59 are still inside (30, 90].
    assert admitted == [59.0] * 10 + [90.0] * 5
    assert max_in_window(admitted, WINDOW) == 15
    assert replay(log, trace) == [59.0] * 10


def test_sliding_counter_worst_case_is_twice_the_limit() -> None:
    # The previous window's ten at its end (t=59), the next ten at the end of
    # the current window (t=118): weight 1 - 58/60, estimate 0.33 + current < 10
    # admits all ten, twenty inside (58, 118].
    trace = [59.0] * 10 + [118.0] * 10
    assert replay(counter, trace) == trace
    assert max_in_window(replay(counter, trace), WINDOW) == 2 * LIMIT
    assert max_in_window(replay(fixed, trace), WINDOW) == 2 * LIMIT
    assert replay(log, trace) == [59.0] * 10


def test_sliding_counter_weight_is_linear_in_the_elapsed_fraction() -> None:
    trace = [59.0] * 10 + [75.0] * 10  # weight 1 - 15/60 = 0.75: 7.5 + current < 10 admits 3
    assert replay(counter, trace) == [59.0] * 10 + [75.0] * 3


def test_sliding_counter_under_admits_when_the_previous_window_was_front_loaded() -> None:
    trace = [0.0] * 10 + [90.0] * 10
    assert replay(counter, trace) == [0.0] * 10 + [90.0] * 5
    assert replay(log, trace) == trace  # the log knows t=0 is more than 60 s ago


def test_sliding_counter_forgets_a_window_that_is_two_windows_old() -> None:
    trace = [0.0] * 10 + [130.0] * 10  # window 2; window 1 was empty
    assert replay(counter, trace) == trace


def test_max_in_window_counts_a_half_open_span() -> None:
    assert max_in_window([], 1.0) == 0
    assert max_in_window([0.0, 1.0, 1.5, 2.0], 1.0) == 2  # (1, 2] holds 1.5 and 2.0
    assert max_in_window([0.0, 1.0, 2.0], 1.0) == 1


@pytest.mark.parametrize("cls", [FixedWindow, SlidingLog, SlidingCounter])
def test_bad_limits_and_windows_are_rejected(cls: type[Limiter]) -> None:
    with pytest.raises(ValueError, match="limit"):
        cls(0, 1.0)
    with pytest.raises(ValueError, match="window"):
        cls(1, 0.0)
    with pytest.raises(TypeError, match="limit"):
        cls(1.5, 1.0)  # type: ignore[arg-type]


def test_redis_sliding_log_rejects_bad_arguments_before_calling_the_server() -> None:
    class NoServer:
        def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any:
            raise AssertionError("must not be called")

    with pytest.raises(ValueError, match="limit"):
        redis_sliding_log(NoServer(), "k", 0, 1_000, 0, "m")
    with pytest.raises(ValueError, match="window"):
        redis_sliding_log(NoServer(), "k", 1, 0, 0, "m")


def _fresh_member() -> str:
    return uuid.uuid4().hex


@pytest.mark.engine("redis")
def test_redis_sliding_log_matches_the_plain_log_on_the_boundary_trace(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "log"
    trace = [*BOUNDARY_TRACE, 119.0, 119.5]  # t=59 entries leave at exactly 119
    admitted = [
        t
        for t in trace
        if redis_sliding_log(redis_client, key, LIMIT, 60_000, int(t * 1000), _fresh_member())
    ]
    assert admitted == replay(log, trace)
    assert admitted == [59.0] * 10 + [119.0, 119.5]
    assert redis_client.zcard(key) == 2
    # The TTL is read in the same MULTI as the script: no client delay between.
    # Shorter than the window would drop entries still inside it.
    pipe = redis_client.pipeline(transaction=True)
    pipe.eval(SLIDING_LOG_LUA, 1, key, 120_000, 60_000, LIMIT, _fresh_member())
    pipe.pttl(key)
    allowed, ttl = pipe.execute()
    assert allowed == 1
    assert 59_990 <= ttl <= 60_000  # at most 10 ms of server time between the two


@pytest.mark.engine("redis")
def test_redis_sliding_log_matches_the_plain_log_on_a_random_trace(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "random"
    rng = random.Random(15)
    trace_ms = sorted(rng.randrange(180_000) for _ in range(120))  # 3 minutes
    on_redis = [
        float(t)
        for t in trace_ms
        if redis_sliding_log(redis_client, key, LIMIT, 60_000, t, _fresh_member())
    ]
    # The plain log on the same milliseconds (window in ms: the comparisons stay exact).
    plain = replay(lambda c: SlidingLog(LIMIT, 60_000.0, clock=c), [float(t) for t in trace_ms])
    assert on_redis == plain
    assert len(plain) < len(trace_ms)  # the limit was reached: the trace tests something


@pytest.mark.engine("redis")
def test_redis_timestamp_as_member_collapses_same_millisecond_requests(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "bad"
    now = 5_000
    admitted = [redis_sliding_log(redis_client, key, 3, 1_000, now, str(now)) for _ in range(5)]
    assert admitted == [True] * 5
    assert redis_client.zcard(key) == 1


@pytest.mark.engine("redis")
def test_redis_sliding_log_many_threads_one_key_admit_exactly_the_limit(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    key = redis_prefix + "shared"
    clients = [redis_factory() for _ in range(4)]
    start = threading.Barrier(4)
    counts: list[int] = []

    def worker(client: Any) -> None:
        start.wait()
        counts.append(
            sum(
                redis_sliding_log(client, key, 30, 60_000, 1_000, _fresh_member())
                for _ in range(25)
            )
        )

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 30  # 100 attempts, limit 30
    assert clients[0].zcard(key) == 30
