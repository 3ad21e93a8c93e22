"""Tests for memory.object_pooling: counted allocations, free-list reuse, a strict bounded pool."""

from __future__ import annotations

import io
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from handbook.memory.object_pooling import (
    BoundedPool,
    consume_with_read,
    consume_with_readinto,
    reused_id_count,
)

N, CHUNK = 200, 4096
DATA = bytes(range(256)) * (N * CHUNK // 256)
WAIT = 10.0  # a generous bound on Event.wait: reached only if the code under test is broken


def test_read_makes_a_new_bytes_object_per_chunk() -> None:
    chunks, fresh = consume_with_read(io.BytesIO(DATA), CHUNK)
    assert chunks == N
    assert fresh == N  # every chunk is a distinct, newly allocated object
    stream = io.BytesIO(b"ab" * CHUNK)
    first, second = stream.read(CHUNK), stream.read(CHUNK)
    assert first == second
    assert first is not second  # equal content, yet a second object was made


def test_readinto_reuses_one_buffer_and_allocates_no_chunks() -> None:
    buf = bytearray(CHUNK)
    stream = io.BytesIO(DATA)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        chunks, total = consume_with_readinto(stream, buf)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert chunks == N
    assert total == sum(DATA)
    # The loop moved N * CHUNK bytes, yet memory never grew by a quarter of
    # one chunk: no chunk-sized object was ever allocated.
    assert peak - before < CHUNK // 4


def test_read_loop_allocates_at_least_one_chunk_at_a_time() -> None:
    stream = io.BytesIO(DATA)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        consume_with_read(stream, CHUNK)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before >= CHUNK  # a fresh CHUNK-byte object, every call


def test_readinto_uses_the_count_it_returns_for_a_short_last_read(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA + b"\x07" * 5)  # the last read fills only 5 bytes
    with path.open("rb", buffering=0) as raw:
        chunks, total = consume_with_readinto(raw, bytearray(CHUNK))
    assert chunks == N + 1
    assert total == sum(DATA) + 35  # a stale tail from the previous chunk would add more


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="a CPython allocator detail")
def test_a_just_freed_float_is_usually_reused_on_cpython() -> None:
    # Free lists and the allocator hand back the block freed last; loosely
    # asserted: other allocators (or a future CPython) may not.
    assert reused_id_count(100) > 50


def test_pool_reuses_released_objects_and_resets_them() -> None:
    pool: BoundedPool[bytearray] = BoundedPool(bytearray, 2, reset=lambda b: b.clear())
    a = pool.acquire()
    a += b"secret"
    pool.release(a)
    b = pool.acquire()
    assert b is a
    assert b == bytearray()  # reset on release: no data leaks to the next user
    assert pool.created == 1


def test_pool_never_creates_more_than_max_size() -> None:
    pool: BoundedPool[object] = BoundedPool(object, 3)
    held = [pool.acquire() for _ in range(3)]
    assert len({id(o) for o in held}) == 3
    try:
        extra: object | None = pool.acquire(timeout=0)  # full: no fourth object, no wait
    except TimeoutError:
        extra = None
    assert extra is None
    assert pool.created == 3


def test_release_refuses_a_foreign_object() -> None:
    pool: BoundedPool[object] = BoundedPool(object, 1)
    with pytest.raises(ValueError, match="does not belong"):
        pool.release(object())


def test_release_refuses_a_double_release() -> None:
    pool: BoundedPool[object] = BoundedPool(object, 2)
    obj = pool.acquire()
    pool.release(obj)
    with pytest.raises(ValueError, match="twice"):
        pool.release(obj)
    # The failed release did not add a second idle copy: two acquires differ.
    assert pool.acquire() is not pool.acquire()


def test_lease_returns_the_object_even_when_the_block_raises() -> None:
    pool: BoundedPool[object] = BoundedPool(object, 1)
    with pytest.raises(RuntimeError), pool.lease() as obj:
        raise RuntimeError("handler failed")
    assert pool.acquire(timeout=0) is obj  # back in the pool, not leaked


def test_one_lease_entered_twice_releases_both_objects() -> None:
    pool: BoundedPool[object] = BoundedPool(object, 2)
    lease = pool.lease(timeout=0)
    with lease as outer, lease as inner:
        assert outer is not inner
    # Both came back: two acquires without waiting succeed.
    assert {id(pool.acquire(timeout=0)), id(pool.acquire(timeout=0))} == {id(outer), id(inner)}


def test_a_notified_waiter_can_lose_the_object_to_a_new_acquirer() -> None:
    # Not fair: release wakes a waiter, but whoever holds the lock first takes
    # the object. Forced here by holding the pool's (reentrant) lock across
    # release and acquire, so the woken thread cannot run in between.
    waiting = threading.Event()
    pool: BoundedPool[object] = BoundedPool(object, 1, on_wait=waiting.set)
    held = pool.acquire()
    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(pool.acquire(timeout=WAIT)))
    t.start()
    assert waiting.wait(WAIT)  # the thread is waiting inside acquire
    with pool._cond:  # a test-only reach into the pool's lock
        pool.release(held)  # notifies the waiter...
        barged = pool.acquire(timeout=0)  # ...but this caller takes the object
    assert barged is held
    assert got == []  # the woken waiter re-checked, found nothing, waits again
    pool.release(barged)
    t.join(WAIT)
    assert not t.is_alive()
    assert got == [held]


def test_an_empty_pool_blocks_until_another_thread_releases() -> None:
    waiting = threading.Event()
    pool: BoundedPool[object] = BoundedPool(object, 1, on_wait=waiting.set)
    held = pool.acquire()
    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(pool.acquire()))
    t.start()
    assert waiting.wait(WAIT)  # the thread reached the wait: the pool is empty
    assert got == []  # it cannot have an object: the only one is held here
    pool.release(held)
    t.join(WAIT)
    assert not t.is_alive()
    assert got == [held]
    assert pool.created == 1


def _lease_all_at_once(pool: BoundedPool[list[int]], holders: int) -> tuple[list[str], set[int]]:
    """Run ``holders`` threads that each hold a lease at the same moment; return errors, ids."""
    holding = threading.Barrier(holders, timeout=WAIT)
    ids: set[int] = set()
    errors: list[str] = []

    def work(me: int) -> None:
        with pool.lease(timeout=WAIT) as obj:
            obj.append(me)
            ids.add(id(obj))
            holding.wait()  # every thread holds its object here, at once
            if obj != [me]:
                errors.append(f"thread {me} shares its object: {obj}")
            holding.wait()  # nobody releases before everyone has checked

    threads = [threading.Thread(target=work, args=(i,)) for i in range(holders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
        assert not t.is_alive(), "a thread is stuck: the pool deadlocked"
    return errors, ids


def test_threads_holding_at_once_never_share_an_object() -> None:
    # Forced interleaving: `size` threads each lease an object and then meet
    # at a barrier while still holding it, so all `size` leases overlap in
    # time. Each holder appends its number before the barrier and checks the
    # list after it: a shared object holds two numbers, every time. Round 2
    # runs after every object was released once, so a release that makes an
    # object idle twice (or an acquire that leaves it on the idle list) hands
    # one object to two holders there.
    size = 3
    pool: BoundedPool[list[int]] = BoundedPool(list, size, reset=lambda o: o.clear())
    for _ in range(2):
        errors, ids = _lease_all_at_once(pool, size)
        assert errors == []
        assert len(ids) == size
        assert pool.created == size
