"""Tests for system_design.lease_fencing: a paused holder's stale token is rejected."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.lease_fencing import (
    FencedStorage,
    LeaseService,
    StaleTokenError,
    UnfencedStorage,
    redis_acquire,
    redis_fenced_write,
    redis_release,
)
from handbook.system_design.testing import FakeClock


def paused_leader(storage: UnfencedStorage | FencedStorage) -> None:
    """A checks its lease, pauses past the TTL, B takes over and writes, A wakes and writes."""
    clock = FakeClock()
    leases = LeaseService(clock=clock)
    token_a = leases.acquire("a", ttl=10.0)
    assert token_a == 1
    assert leases.holds("a")  # the check passes: A is the holder right now
    clock.now = 15.0  # A is paused (GC, swapped-out VM) past its lease
    assert not leases.holds("a")  # asking now would say no, but A already passed the check
    token_b = leases.acquire("b", ttl=10.0)
    assert token_b == 2
    storage.write(token_b, "b's first draft")
    storage.write(token_b, "b's data")  # the holder writes again with the same token
    storage.write(token_a, "a's stale data")  # A resumes and writes what it computed


def test_without_fencing_the_paused_leaders_late_write_overwrites_the_new_leader() -> None:
    storage = UnfencedStorage()
    paused_leader(storage)
    assert storage.value == "a's stale data"


def test_with_fencing_the_storage_rejects_the_stale_token_and_keeps_the_new_value() -> None:
    storage = FencedStorage()
    with pytest.raises(StaleTokenError):
        paused_leader(storage)
    assert storage.value == "b's data"
    assert storage.highest == 2


def test_the_fence_compares_tokens_as_numbers() -> None:
    storage = FencedStorage()
    storage.write(10, "from 10")
    with pytest.raises(StaleTokenError):
        storage.write(9, "from 9")
    assert (storage.value, storage.highest) == ("from 10", 10)


def test_the_lease_is_exclusive_until_it_expires_and_tokens_only_grow() -> None:
    clock = FakeClock()
    leases = LeaseService(clock=clock)
    tokens = []
    for round_ in range(5):
        clock.now = round_ * 10.0
        tokens.append(leases.acquire(f"owner{round_}", ttl=10.0))
        clock.now += 9.999
        assert leases.acquire("intruder", ttl=10.0) is None
        assert not leases.holds("intruder")
    assert tokens == [1, 2, 3, 4, 5]


def test_bad_ttl_is_rejected() -> None:
    with pytest.raises(ValueError, match="ttl must be positive"):
        LeaseService().acquire("a", ttl=0)


# --- On the real engine: Redis -------------------------------------------------


@pytest.mark.engine("redis")
def test_redis_lease_is_exclusive_and_the_server_holds_its_ttl(
    redis_client: Any, redis_prefix: str
) -> None:
    lease, counter = redis_prefix + "lease", redis_prefix + "token"
    assert redis_acquire(redis_client, lease, counter, "a", ttl_ms=10_000) == 1
    assert redis_acquire(redis_client, lease, counter, "b", ttl_ms=10_000) is None
    assert 0 < redis_client.pttl(lease) <= 10_000
    assert redis_client.get(lease) == b"a"
    # The loser did not bump the counter: the token is issued in the same script as the lease.
    assert redis_client.get(counter) == b"1"
    with pytest.raises(ValueError, match="ttl_ms must be positive"):
        redis_acquire(redis_client, lease, counter, "b", ttl_ms=0)


def acquire_after_expiry(client: Any, lease: str, counter: str, owner: str, deadline: float) -> int:
    """Retry until the server grants the lease: its own view that the old lease expired."""
    while time.monotonic() < deadline:
        token = redis_acquire(client, lease, counter, owner, ttl_ms=10_000)
        if token is not None:
            return token
    raise AssertionError("the 1 ms lease never expired on the server")


@pytest.mark.engine("redis")
def test_redis_storage_rejects_the_paused_holders_stale_token(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    a, b = redis_factory(), redis_factory()
    lease, counter, store = (redis_prefix + n for n in ("lease", "token", "store"))
    token_a = redis_acquire(a, lease, counter, "a", ttl_ms=1)  # A is about to pause
    assert token_a == 1
    token_b = acquire_after_expiry(b, lease, counter, "b", time.monotonic() + 5)
    assert token_b == 2
    redis_fenced_write(b, store, token_b, "b's first draft")
    redis_fenced_write(b, store, token_b, "b's data")  # the holder writes again, same token
    with pytest.raises(StaleTokenError):
        redis_fenced_write(a, store, token_a, "a's stale data")
    assert b.hgetall(store) == {b"token": b"2", b"value": b"b's data"}
    # Tokens compare as numbers, not strings: "9" < "10" as numbers, "9" > "10" as strings.
    numbers = redis_prefix + "numbers"
    redis_fenced_write(b, numbers, 10, "from 10")
    with pytest.raises(StaleTokenError):
        redis_fenced_write(b, numbers, 9, "from 9")
    assert b.hgetall(numbers) == {b"token": b"10", b"value": b"from 10"}


@pytest.mark.engine("redis")
def test_redis_release_deletes_only_the_callers_own_lease(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    a, b = redis_factory(), redis_factory()
    lease, counter = redis_prefix + "lease", redis_prefix + "token"
    assert redis_acquire(a, lease, counter, "a", ttl_ms=1) == 1
    acquire_after_expiry(b, lease, counter, "b", time.monotonic() + 5)
    assert redis_release(a, lease, "a") is False  # A's lease is gone; B's is not A's to free
    assert a.get(lease) == b"b"
    assert redis_release(b, lease, "b") is True
    assert a.exists(lease) == 0
    # The pitfall: a plain DEL from the expired holder frees the current holder's lease.
    assert redis_acquire(b, lease, counter, "b", ttl_ms=10_000) == 3
    assert a.delete(lease) == 1
    assert redis_acquire(a, lease, counter, "c", ttl_ms=10_000) == 4  # b and c both "hold" it
    # The script checks only the name: any client that says "c" frees c's lease. That is why
    # the owner must be a random token per acquisition, not a reusable process name.
    assert redis_release(b, lease, "c") is True
    assert a.exists(lease) == 0
