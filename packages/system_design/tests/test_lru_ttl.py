"""Tests for system_design.lru_ttl: LRU order, lazy vs active expiry, Redis TTL semantics."""

from __future__ import annotations

import random
from typing import Any

import pytest

from handbook.system_design.lru_ttl import LRUTTLCache
from handbook.system_design.testing import FakeClock


class TickingClock:
    """Every read moves time on by 1 ms, as a real clock does between two reads."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.001
        return self.now


def make(capacity: int = 3) -> tuple[LRUTTLCache[str, int], FakeClock]:
    clock = FakeClock()
    return LRUTTLCache(capacity, clock=clock), clock


def test_a_full_cache_evicts_the_least_recently_used_key() -> None:
    cache, _ = make(2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("c", 3)
    cache._check()
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
    assert cache.evictions == 1


def test_a_read_makes_a_key_most_recent() -> None:
    cache, _ = make(2)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1
    cache.set("c", 3)  # b is now the least recently used
    assert (cache.get("a"), cache.get("b")) == (1, None)


def test_reading_the_ttl_is_not_a_use() -> None:
    cache, _ = make(2)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.ttl("a") == -1
    cache.set("c", 3)
    assert cache.get("a") is None


def test_overwriting_a_key_does_not_evict() -> None:
    cache, _ = make(2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("a", 10)
    assert (cache.get("a"), cache.get("b"), cache.evictions) == (10, 2, 0)


def test_a_key_is_there_at_its_deadline_and_gone_just_after() -> None:
    cache, clock = make()
    cache.set("a", 1, ttl=5.0)
    clock.advance(5.0)
    assert (cache.get("a"), cache.ttl("a")) == (1, 0.0)
    clock.advance(0.5)
    assert (cache.get("a"), cache.ttl("a")) == (None, -2.0)


def test_lazy_expiry_removes_an_entry_only_when_it_is_read() -> None:
    cache, clock = make()
    cache.set("a", 1, ttl=1.0)
    clock.advance(2.0)
    assert len(cache) == 1  # expired, but nobody looked: still held
    assert cache.get("a") is None
    assert len(cache) == 0


def test_active_expiry_removes_expired_entries_nobody_reads() -> None:
    cache, clock = make(5)
    for i, key in enumerate("abcd"):
        cache.set(key, i, ttl=1.0 + i)  # deadlines 1, 2, 3, 4
    cache.set("e", 9)
    clock.advance(2.5)
    assert cache.purge_expired() == 2
    cache._check()
    assert len(cache) == 3
    assert [cache.get(k) for k in "cde"] == [2, 3, 9]


def test_a_full_cache_drops_expired_entries_before_evicting_a_live_one() -> None:
    cache, clock = make(3)
    cache.set("live", 0)  # least recently used, no deadline
    cache.set("x", 1, ttl=1.0)
    cache.set("y", 2, ttl=1.0)
    clock.advance(5.0)  # x and y expired, never read
    cache.set("new", 3)
    cache._check()
    assert (cache.get("live"), cache.get("new"), cache.evictions) == (0, 3, 0)


def test_set_replaces_the_old_deadline_like_redis_set() -> None:
    cache, clock = make()
    cache.set("a", 1, ttl=1.0)
    cache.set("a", 2)
    assert cache.ttl("a") == -1
    clock.advance(10.0)
    assert cache.get("a") == 2
    cache.purge_expired()  # the first deadline's heap item is stale and skipped
    assert cache.get("a") == 2


def test_expire_persist_and_ttl_follow_redis_answers() -> None:
    cache, clock = make()
    assert cache.expire("nope", 5.0) is False
    cache.set("a", 1)
    assert cache.persist("a") is False  # no deadline to remove
    assert cache.expire("a", 5.0) is True
    clock.advance(2.0)
    assert cache.ttl("a") == 3.0
    assert cache.persist("a") is True
    assert cache.ttl("a") == -1
    assert cache.expire("a", 0) is True
    assert (cache.ttl("a"), len(cache)) == (-2, 0)
    cache.set("b", 2, ttl=1.0)
    clock.advance(2.0)
    assert cache.expire("b", 5.0) is False  # already expired: as if missing
    cache.set("c", 3)
    assert cache.expire("c", -1.0) is True
    assert cache.ttl("c") == -2


def test_a_key_given_a_deadline_by_expire_is_purged_actively() -> None:
    # A clock that stands still between reads hides a deadline stored from one
    # read and pushed to the heap from another; a ticking one does not.
    clock = TickingClock()
    cache: LRUTTLCache[str, int] = LRUTTLCache(2, clock=clock)
    cache.set("live", 0)
    cache.set("x", 1)
    assert cache.expire("x", 1.0)
    clock.now += 5.0  # x expired, never read
    assert cache.purge_expired() == 1
    cache._check()
    cache.set("x", 1)
    assert cache.expire("x", 1.0)
    clock.now += 5.0
    cache.set("new", 2)  # full: the expired x must go, not the live key
    cache._check()
    assert (cache.get("live"), cache.get("new"), cache.evictions) == (0, 2, 0)


def test_repeated_expire_keeps_the_heap_bounded() -> None:
    cache, _ = make(4)
    cache.set("a", 1)
    for i in range(1_000):
        cache.expire("a", 100.0 + i)
        cache._check()
    assert cache.ttl("a") == 1_099.0


@pytest.mark.parametrize(
    ("capacity", "error"), [(0, ValueError), (-3, ValueError), (2.5, TypeError)]
)
def test_bad_capacity_is_rejected(capacity: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="capacity"):
        LRUTTLCache(capacity)


def test_a_non_positive_ttl_on_set_is_rejected_and_nothing_is_stored() -> None:
    cache, _ = make()
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match="ttl"):
            cache.set("a", 1, ttl=bad)
    assert len(cache) == 0


def test_random_operations_match_a_brute_force_model() -> None:
    rng = random.Random(1515)
    cache, clock = make(4)
    model: list[tuple[str, int, float | None]] = []  # least recent first

    def alive(entry: tuple[str, int, float | None]) -> bool:
        return entry[2] is None or clock.now <= entry[2]

    for step in range(3_000):
        key = rng.choice("abcdefg")
        found = [e for e in model if e[0] == key]
        if rng.random() < 0.5:
            expected = found[0][1] if found and alive(found[0]) else None
            assert cache.get(key) == expected, step
            model = [e for e in model if e[0] != key]
            if expected is not None:
                model.append(found[0])
        else:
            ttl = rng.choice([None, 1.0, 3.0])
            value = rng.randrange(100)
            model = [e for e in model if e[0] != key]
            if len(model) >= 4:
                model = [e for e in model if alive(e)]
                if len(model) >= 4:
                    model.pop(0)
            model.append((key, value, None if ttl is None else clock.now + ttl))
            cache.set(key, value, ttl=ttl)
        cache._check()
        clock.advance(rng.choice([0.0, 0.5, 1.0]))
    assert len(cache) <= 4


def _norm(answer: object) -> object:
    """Booleans as they are; numbers as -2, -1, 0 or 'left' for a positive time
    remaining (the exact milliseconds depend on the clock)."""
    if isinstance(answer, bool):
        return answer
    assert isinstance(answer, int | float)
    return "left" if answer > 0 else int(answer)


@pytest.mark.engine("redis")
def test_redis_ttl_commands_match_the_cache_step_by_step(
    redis_client: Any, redis_prefix: str
) -> None:
    r, k = redis_client, redis_prefix + "k"
    cache, _ = make()

    def put() -> bool:
        cache.set("k", 1)
        return True

    steps: list[tuple[object, object]] = [
        (r.pttl(k), cache.ttl("k")),
        (r.pexpire(k, 60_000), cache.expire("k", 60.0)),
        (r.set(k, 1), put()),
        (r.pttl(k), cache.ttl("k")),
        (r.persist(k), cache.persist("k")),
        (r.pexpire(k, 60_000), cache.expire("k", 60.0)),
        (r.pttl(k), cache.ttl("k")),
        (r.persist(k), cache.persist("k")),
        (r.pttl(k), cache.ttl("k")),
        (r.pexpire(k, 0), cache.expire("k", 0)),
        (r.exists(k), len(cache)),
        (r.pttl(k), cache.ttl("k")),
    ]
    on_redis = [_norm(a) for a, _ in steps]
    assert on_redis == [_norm(b) for _, b in steps]
    assert on_redis == [-2, False, True, -1, False, True, "left", True, -1, True, 0, -2]


@pytest.mark.engine("redis")
def test_redis_set_clears_the_ttl_while_incr_and_keepttl_keep_it(
    redis_client: Any, redis_prefix: str
) -> None:
    r, k = redis_client, redis_prefix + "n"
    r.set(k, 5, px=60_000)
    r.incr(k)  # changes the value in place: the deadline stays
    assert 0 < r.pttl(k) <= 60_000
    r.set(k, 7, keepttl=True)
    assert 0 < r.pttl(k) <= 60_000
    r.set(k, 8)  # a plain SET replaces the key and its deadline
    assert r.pttl(k) == -1
    assert r.pexpire(k, -1) is True  # a negative TTL deletes, like PEXPIRE 0
    assert r.exists(k) == 0


# The eight values of maxmemory-policy (redis.conf, Redis 4.0 and later).
EVICTION_POLICIES = {
    "noeviction",
    "allkeys-lru",
    "volatile-lru",
    "allkeys-lfu",
    "volatile-lfu",
    "allkeys-random",
    "volatile-random",
    "volatile-ttl",
}


@pytest.mark.engine("redis")
def test_redis_eviction_settings_are_readable_and_named(redis_client: Any) -> None:
    # Only what holds on any server: a managed or tuned Redis has other values.
    config = redis_client.config_get("maxmemory*")
    assert config["maxmemory-policy"] in EVICTION_POLICIES
    assert int(config["maxmemory"]) >= 0  # 0 means no limit, the default
    assert int(config["maxmemory-samples"]) >= 1
