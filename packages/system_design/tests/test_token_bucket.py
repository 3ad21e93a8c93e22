"""Tests for system_design.token_bucket: burst, refill, all-or-nothing, atomicity; Redis twin."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.testing import FakeClock
from handbook.system_design.token_bucket import (
    TOKEN_BUCKET_LUA,
    RacyTokenBucket,
    TokenBucket,
    redis_allow,
)

# 1/32 token per second: every step below is exact in binary, and an idle key
# lives 128 s of real time (capacity 4), far longer than any stalled test.
SLOW = 0.03125


def test_a_full_bucket_admits_a_burst_of_capacity_then_rejects() -> None:
    bucket = TokenBucket(capacity=5, rate=1.0, clock=FakeClock())
    results = [bucket.allow() for _ in range(7)]
    bucket._check()
    assert results == [True] * 5 + [False] * 2


def test_tokens_refill_at_rate_per_second_of_the_clock() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=5, rate=2.0, clock=clock)
    assert all(bucket.allow() for _ in range(5))
    clock.advance(1.5)  # 1.5 s * 2 tokens/s = 3 tokens
    results = [bucket.allow() for _ in range(4)]
    bucket._check()
    assert results == [True, True, True, False]


def test_a_long_idle_period_refills_only_up_to_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=3, rate=10.0, clock=clock)
    assert all(bucket.allow() for _ in range(3))
    clock.advance(3600.0)
    assert bucket.tokens() == 3.0
    assert [bucket.allow() for _ in range(4)] == [True, True, True, False]
    bucket._check()


def test_frequent_polls_keep_the_fractions_of_a_token() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=1, rate=4.0, clock=clock)
    assert bucket.allow()
    results = []
    for _ in range(4):
        clock.advance(0.125)  # half a token per step: exact in binary floating point
        results.append(bucket.allow())
        bucket._check()
    assert results == [False, True, False, True]


def test_allow_n_is_all_or_nothing() -> None:
    bucket = TokenBucket(capacity=5, rate=1.0, clock=FakeClock())
    assert bucket.allow(3)
    assert not bucket.allow(3)  # 2 left: rejected, and nothing is taken
    assert bucket.tokens() == 2.0
    assert bucket.allow(2)
    bucket._check()


def test_a_clock_that_steps_back_adds_no_tokens_then_or_when_it_catches_up() -> None:
    clock = FakeClock()
    clock.now = 100.0
    bucket = TokenBucket(capacity=2, rate=1.0, clock=clock)
    assert bucket.allow(2)
    for _ in range(10):
        clock.now = 50.0
        assert bucket.tokens() == 0.0
        clock.now = 100.0  # back where it was: no time has passed since the take
        assert not bucket.allow()
    clock.now = 101.0
    assert bucket.tokens() == 1.0
    bucket._check()


@pytest.mark.parametrize(
    ("capacity", "rate", "word"),
    [(0, 1.0, "capacity"), (-1, 1.0, "capacity"), (1, 0.0, "rate"), (1, -2.0, "rate")],
)
def test_bad_configuration_is_rejected(capacity: float, rate: float, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        TokenBucket(capacity, rate)


def test_requests_for_more_than_capacity_or_nothing_are_rejected() -> None:
    bucket = TokenBucket(capacity=3, rate=1.0, clock=FakeClock())
    with pytest.raises(ValueError, match="exceeds capacity"):
        bucket.allow(4)
    with pytest.raises(ValueError, match="positive"):
        bucket.allow(0)
    assert bucket.tokens() == 3.0


class RecordingLock:
    """A lock that writes its acquire and release into a shared event list."""

    def __init__(self, events: list[str]) -> None:
        self._lock = threading.Lock()
        self.events = events

    def __enter__(self) -> RecordingLock:
        self._lock.acquire()
        self.events.append("acquire")
        return self

    def __exit__(self, *exc: object) -> None:
        self.events.append("release")
        self._lock.release()


def test_refill_check_and_take_are_one_critical_section() -> None:
    # The clock read (refill), the hook between check and take, and the lock
    # in one list: a check outside the lock, or a second acquisition for the
    # take, shows up as a different sequence.
    events: list[str] = []

    def clock() -> float:
        events.append("clock")
        return 0.0

    bucket = TokenBucket(1, 1.0, clock=clock, between=lambda: events.append("between"))
    bucket._lock = RecordingLock(events)  # type: ignore[assignment]
    events.clear()
    assert bucket.allow()
    assert events == ["acquire", "clock", "between", "release"]
    events.clear()
    assert not bucket.allow()  # a refusal is decided under the lock too
    assert events == ["acquire", "clock", "release"]


def test_many_threads_admit_exactly_the_budget() -> None:
    # Real scheduling, no forced interleaving: a check that the locked bucket
    # holds up under contention. The single critical section is shown by the
    # test above, and what its absence does by the racy bucket below.
    bucket = TokenBucket(capacity=50, rate=1.0, clock=FakeClock())
    start = threading.Barrier(8)
    admitted: list[int] = []

    def worker() -> None:
        start.wait()
        admitted.append(sum(bucket.allow() for _ in range(100)))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bucket._check()
    assert sum(admitted) == 50


def test_racy_bucket_two_callers_both_take_the_last_token() -> None:
    # The timeout turns a bucket that does lock (one thread would hold the
    # lock at the barrier) into a BrokenBarrierError instead of a hang.
    both_read = threading.Barrier(2, timeout=5)
    bucket = RacyTokenBucket(capacity=1, rate=1.0, clock=FakeClock(), between=both_read.wait)
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(bucket.allow())) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True, True]  # a budget of 1 admitted 2


def test_the_locked_bucket_gives_the_last_token_to_one_caller() -> None:
    bucket = TokenBucket(capacity=1, rate=1.0, clock=FakeClock())
    assert [bucket.allow(), bucket.allow()] == [True, False]


def test_redis_allow_rejects_bad_arguments_before_calling_the_server() -> None:
    class NoServer:
        def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any:
            raise AssertionError("must not be called")

    with pytest.raises(ValueError, match="positive"):
        redis_allow(NoServer(), "k", capacity=0, rate=1.0, now_ms=0)
    with pytest.raises(ValueError, match="capacity"):
        redis_allow(NoServer(), "k", capacity=2, rate=1.0, now_ms=0, n=3)


@pytest.mark.engine("redis")
def test_redis_script_many_threads_one_key_admit_exactly_the_budget(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    key = redis_prefix + "bucket"
    clients = [redis_factory() for _ in range(8)]
    start = threading.Barrier(8)
    admitted: list[int] = []

    def worker(client: Any) -> None:
        start.wait()
        ok = 0
        for _ in range(25):
            ok += redis_allow(client, key, capacity=40, rate=1.0, now_ms=1_000)[0]
        admitted.append(ok)

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(admitted) == 40  # 200 attempts on one frozen clock, budget 40
    assert float(clients[0].hget(key, "tokens")) == 0.0


@pytest.mark.engine("redis")
def test_redis_get_then_set_from_the_client_admits_more_than_the_budget(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    key = redis_prefix + "naive"
    redis_factory().set(key, 1)  # one token left
    both_read = threading.Barrier(2, timeout=5)
    results: list[bool] = []

    def naive(client: Any) -> None:
        tokens = int(client.get(key))
        both_read.wait()  # each has read 1 before either writes
        if tokens >= 1:
            client.set(key, tokens - 1)
            results.append(True)
        else:
            results.append(False)

    threads = [threading.Thread(target=naive, args=(redis_factory(),)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True, True]
    assert int(redis_factory().get(key)) == 0


@pytest.mark.engine("redis")
def test_redis_script_refills_and_sets_a_ttl_of_time_to_full(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "refill"
    burst = [redis_allow(redis_client, key, 4, SLOW, now_ms=10_000)[0] for _ in range(5)]
    assert burst == [True] * 4 + [False]
    # 48 s at 1/32 token/s is 1.5 tokens: one admitted, half a token kept
    assert redis_allow(redis_client, key, 4, SLOW, now_ms=58_000) == (True, 0.5)
    assert redis_allow(redis_client, key, 4, SLOW, now_ms=58_000) == (False, 0.5)
    # The TTL is read in the same MULTI as the script: no client delay between.
    pipe = redis_client.pipeline(transaction=True)
    pipe.eval(TOKEN_BUCKET_LUA, 1, key, 4, SLOW, 74_000, 1)  # +16 s: half a token more
    pipe.pttl(key)
    (allowed, left), ttl = pipe.execute()
    assert (allowed, float(left)) == (1, 0.0)
    # Time to full: 4 tokens at 1/32 per s is 128 s. Shorter would bring an
    # empty bucket back as a full one (free tokens); at most 10 ms of server
    # time passes between the script and PTTL.
    assert 127_990 <= ttl <= 128_000


@pytest.mark.engine("redis")
def test_redis_long_idle_refills_only_to_capacity(redis_client: Any, redis_prefix: str) -> None:
    key = redis_prefix + "cap"
    assert redis_allow(redis_client, key, 4, SLOW, now_ms=10_000, n=4) == (True, 0.0)
    # An hour on the passed-in clock is 112.5 tokens uncapped: 4 with the cap.
    assert redis_allow(redis_client, key, 4, SLOW, now_ms=10_000 + 3_600_000) == (True, 3.0)


@pytest.mark.engine("redis")
def test_redis_a_lagging_caller_clock_does_not_re_credit_time(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "skew"
    assert redis_allow(redis_client, key, 4, SLOW, now_ms=100_000, n=4) == (True, 0.0)
    # Caller B's clock is 64 s (2 tokens) behind caller A's, and A's clock
    # stands still: no time passes, so nothing may be admitted. A timestamp
    # that moved back to B's time would credit A 2 tokens on every call.
    admitted = 0
    for _ in range(5):
        admitted += redis_allow(redis_client, key, 4, SLOW, now_ms=36_000)[0]  # B
        admitted += redis_allow(redis_client, key, 4, SLOW, now_ms=100_000)[0]  # A
    assert admitted == 0
    assert float(redis_client.hget(key, "tokens")) == 0.0
