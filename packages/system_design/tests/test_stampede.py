"""Tests for system_design.stampede: 100 concurrent misses, one origin call."""

from __future__ import annotations

import functools
import math
import random
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.stampede import (
    SingleFlight,
    get_or_load_naive,
    redis_fill_unlocked,
    redis_get_or_fill,
    should_refresh_early,
)

N = 100


def run_all(targets: list[Callable[[], object]]) -> list[object]:
    """Run each target on its own thread; return what each returned or raised."""
    results: list[object] = [None] * len(targets)

    def body(i: int) -> None:
        try:
            results[i] = targets[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=body, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
        assert not t.is_alive()
    return results


def test_check_then_load_lets_every_concurrent_miss_call_the_origin() -> None:
    cache: dict[str, str] = {}
    inside = threading.Barrier(N, timeout=5)  # passes only if all N are in the origin at once
    calls = []

    def origin() -> str:
        calls.append(1)
        inside.wait()
        return "value"

    results = run_all([lambda: get_or_load_naive(cache, "hot", origin)] * N)
    assert results == ["value"] * N
    assert len(calls) == N


class Herd:
    """An origin that blocks until every one of N callers is either inside it or
    waiting on a call in flight, so all N misses are concurrent by construction."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.cond = threading.Condition()
        self.entered = 0
        self.waiters: set[int] = set()

    def on_wait(self, *_: object) -> None:
        with self.cond:
            self.waiters.add(threading.get_ident())
            self.cond.notify_all()

    def origin(self) -> str:
        with self.cond:
            self.entered += 1
            self.cond.notify_all()
            assert self.cond.wait_for(lambda: self.entered + len(self.waiters) >= self.n, 5)
        return "value"


def test_single_flight_makes_100_concurrent_misses_call_the_origin_once() -> None:
    herd = Herd(N)
    group: SingleFlight[str] = SingleFlight(on_wait=herd.on_wait)
    results = run_all([lambda: group.do("hot", herd.origin)] * N)
    assert results == ["value"] * N
    assert herd.entered == 1
    assert len(herd.waiters) == N - 1


def test_single_flight_coalesces_per_key_not_across_keys() -> None:
    inside, release = threading.Event(), threading.Event()
    waited: list[str] = []

    def on_wait(key: str) -> None:
        waited.append(key)
        release.set()  # if "b" wrongly joins "a", let "a" finish rather than hang

    group: SingleFlight[str] = SingleFlight(on_wait=on_wait)

    def slow_a() -> str:
        inside.set()
        assert release.wait(5)
        return "value of a"

    a_result: list[str] = []
    a = threading.Thread(target=lambda: a_result.append(group.do("a", slow_a)))
    a.start()
    try:
        assert inside.wait(5)  # "a" is in flight
        assert group.do("b", lambda: "value of b") == "value of b"
        assert waited == []  # "b" ran its own call, it did not join "a"
    finally:
        release.set()
        a.join(5)
    assert a_result == ["value of a"]


def test_single_flight_shares_the_error_then_the_next_call_tries_again() -> None:
    group: SingleFlight[str] = SingleFlight()

    def down() -> str:
        raise ConnectionError("origin down")

    with pytest.raises(ConnectionError):
        group.do("k", down)
    assert group.do("k", lambda: "fresh") == "fresh"
    assert group.do("k", lambda: "again") == "again"  # nothing is cached between flights


def test_waiters_receive_the_leaders_exception() -> None:
    inside, release, joined = threading.Event(), threading.Event(), threading.Event()
    group: SingleFlight[str] = SingleFlight(on_wait=lambda key: joined.set())

    def failing() -> str:
        inside.set()
        assert release.wait(5)
        raise ConnectionError("origin down")

    def follower() -> str:
        assert inside.wait(5)  # the leader is inside the origin: this call joins it
        return group.do("k", lambda: "never runs")

    def leader() -> str:
        return group.do("k", failing)

    def releaser() -> str:
        assert joined.wait(5)
        release.set()
        return "released"

    results = run_all([leader, follower, releaser])
    assert [type(r) for r in results] == [ConnectionError, ConnectionError, str]


def test_early_refresh_probability_is_exp_of_minus_gap_over_delta_beta() -> None:
    rng = random.Random(2015)
    trials = 20_000
    cases = ((1.0, 1.0, 1.0), (3.0, 1.0, 1.0), (3.0, 1.0, 3.0), (10.0, 10.0, 1.0), (6.0, 2.0, 3.0))
    for gap, delta, beta in cases:
        hits = sum(
            should_refresh_early(100.0 - gap, 100.0, delta=delta, beta=beta, rng=rng)
            for _ in range(trials)
        )
        p = math.exp(-gap / (delta * beta))
        # Binomial(trials, p): 5 standard deviations bound a seeded run with room to spare.
        assert abs(hits - trials * p) <= 5 * math.sqrt(trials * p * (1 - p)), (gap, delta, beta)


def test_early_refresh_is_certain_at_expiry_and_rare_far_from_it() -> None:
    rng = random.Random(7)
    assert all(should_refresh_early(100.0, 100.0, 1.0, rng=rng) for _ in range(1000))
    # exp(-20) is about 2e-9: 1000 seeded readers 20 deltas before expiry never refresh.
    assert not any(should_refresh_early(80.0, 100.0, 1.0, rng=rng) for _ in range(1000))


def test_bad_refresh_parameters_are_rejected() -> None:
    with pytest.raises(ValueError, match="delta and beta must be positive"):
        should_refresh_early(0.0, 1.0, delta=0.0)
    with pytest.raises(ValueError, match="delta and beta must be positive"):
        should_refresh_early(0.0, 1.0, delta=1.0, beta=-1.0)


def test_bad_fill_parameters_are_rejected() -> None:
    never: Any = None  # the arguments are checked before the client is used
    for ttl_ms, lock_ms in ((0, 1), (1, 0)):
        with pytest.raises(ValueError, match="ttl_ms and lock_ms must be positive"):
            redis_get_or_fill(never, "k", lambda: "v", ttl_ms=ttl_ms, lock_ms=lock_ms, token="t")


# --- On the real engine: Redis -------------------------------------------------

REDIS_N = 30


@pytest.mark.engine("redis")
def test_redis_without_a_fill_lock_every_miss_calls_the_origin(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    clients = [redis_factory() for _ in range(REDIS_N)]
    inside = threading.Barrier(REDIS_N, timeout=5)
    calls = []

    def origin() -> str:
        calls.append(1)
        inside.wait()
        return "value"

    key = redis_prefix + "hot"
    results = run_all(
        [functools.partial(redis_fill_unlocked, c, key, origin, ttl_ms=60_000) for c in clients]
    )
    assert results == [b"value"] * REDIS_N
    assert len(calls) == REDIS_N


@pytest.mark.engine("redis")
def test_redis_fill_lock_makes_concurrent_misses_call_the_origin_once(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    clients = [redis_factory() for _ in range(REDIS_N)]
    herd = Herd(REDIS_N)
    filled = threading.Event()  # set by the first caller to return: the filler, after its SET
    key = redis_prefix + "hot"

    def wait(_: float) -> None:
        herd.on_wait()
        assert filled.wait(5)

    def caller(c: Any) -> bytes:
        value = redis_get_or_fill(
            c, key, herd.origin, ttl_ms=60_000, lock_ms=10_000, token=uuid.uuid4().hex, wait=wait
        )
        filled.set()
        return value

    results = run_all([functools.partial(caller, c) for c in clients])
    assert results == [b"value"] * REDIS_N
    assert herd.entered == 1
    assert len(herd.waiters) == REDIS_N - 1
    assert 0 < clients[0].pttl(key) <= 60_000
    assert clients[0].exists(key + ":lock") == 0  # the filler released its lock


class After:
    """A Redis client that runs ``hook`` right after its first ``method`` call returns."""

    def __init__(self, client: Any, method: str, hook: Callable[[], None]) -> None:
        self._client, self._method = client, method
        self._hook: Callable[[], None] | None = hook

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        hook = self._hook
        if name != self._method or hook is None:
            return attr
        self._hook = None

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            hook()
            return result

        return call


@pytest.mark.engine("redis")
def test_redis_caller_that_wins_the_lock_after_the_fill_does_not_load_again(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    key = redis_prefix + "hot"
    calls: list[str] = []
    w_missed, w_go = threading.Event(), threading.Event()

    def w_pauses_after_its_miss() -> None:
        w_missed.set()
        assert w_go.wait(5)

    w_client = After(redis_factory(), "get", w_pauses_after_its_miss)
    w_result: list[bytes] = []

    def w_origin() -> str:
        calls.append("W")
        return "from W"

    def w() -> None:
        value = redis_get_or_fill(w_client, key, w_origin, ttl_ms=60_000, lock_ms=10_000, token="w")
        w_result.append(value)

    w_thread = threading.Thread(target=w)
    w_thread.start()

    def w_runs_now() -> None:  # F has just released its lock: W takes the free lock
        w_go.set()
        w_thread.join(5)
        assert not w_thread.is_alive()

    def f_origin() -> str:
        calls.append("F")
        return "from F"

    try:
        assert w_missed.wait(5)  # W's GET returned nil; W is paused before its SET NX
        f_client = After(redis_factory(), "eval", w_runs_now)
        value = redis_get_or_fill(f_client, key, f_origin, ttl_ms=60_000, lock_ms=10_000, token="f")
    finally:
        w_go.set()
        w_thread.join(5)
    assert calls == ["F"]  # W re-read the key after winning the lock instead of loading
    assert value == b"from F"
    assert w_result == [b"from F"]
    assert f_client.exists(key + ":lock") == 0


@pytest.mark.engine("redis")
def test_redis_waiter_times_out_while_another_caller_holds_the_lock(
    redis_client: Any, redis_prefix: str
) -> None:
    key = redis_prefix + "hot"
    assert redis_client.set(key + ":lock", "other", nx=True, px=10_000)
    waits: list[float] = []
    with pytest.raises(TimeoutError, match="not filled after 2 polls"):
        redis_get_or_fill(
            redis_client,
            key,
            lambda: pytest.fail("a waiter must not load while the lock is held"),
            ttl_ms=60_000,
            lock_ms=10_000,
            token="mine",
            wait=waits.append,
            max_polls=2,
        )
    assert waits == [0.01, 0.01]
    assert redis_client.get(key + ":lock") == b"other"


@pytest.mark.engine("redis")
def test_redis_lock_shorter_than_the_load_lets_a_second_filler_in(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    a, b = redis_factory(), redis_factory()
    key, lock = redis_prefix + "hot", redis_prefix + "hot:lock"
    a_inside, a_release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_origin() -> str:
        calls.append("a")
        a_inside.set()
        assert a_release.wait(5)
        return "from a"

    a_result: list[bytes] = []
    first = threading.Thread(
        target=lambda: a_result.append(
            redis_get_or_fill(a, key, slow_origin, ttl_ms=60_000, lock_ms=1, token="a")
        )
    )
    first.start()

    def second_origin() -> str:
        calls.append("b")
        a_release.set()  # A finishes its load now, while B holds the lock
        first.join(5)
        assert b.get(lock) == b"b"  # A's release compared the token and left B's lock alone
        return "from b"

    def lock_has_a_ttl(_: float) -> None:
        assert b.pttl(lock) != -1  # -1: a lock without PX, which would never expire

    try:
        assert a_inside.wait(5)
        value = redis_get_or_fill(
            b,
            key,
            second_origin,
            ttl_ms=60_000,
            lock_ms=10_000,
            token="b",
            wait=lock_has_a_ttl,
            max_polls=1_000_000,
        )
    finally:
        a_release.set()
        first.join(5)
    assert calls == ["a", "b"]  # the 1 ms lock expired during A's load: two origin calls
    assert value == b"from b"
    assert a_result == [b"from a"]
    # The pitfall: a lock taken without PX has no TTL (-1): a filler that dies holding it
    # blocks the key until someone deletes the lock by hand.
    assert b.set(lock, "crashed", nx=True) is True
    assert b.pttl(lock) == -1
