"""Tests for concurrency.readers_writer: sharing, exclusion and starvation, forced by events.

No test sleeps to let a thread get somewhere: each waits, with a deadline, for
the lock's own bookkeeping to show the thread inside or queued.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator

import pytest

from handbook.concurrency.readers_writer import (
    ReaderPreferringRWLock,
    RWState,
    WriterPreferringRWLock,
    reader_relay,
)

RWLock = ReaderPreferringRWLock | WriterPreferringRWLock
LOCKS = [ReaderPreferringRWLock, WriterPreferringRWLock]

# Only reached if something is broken: every wait below is for a state another
# thread reaches in a few lock handoffs.
GENEROUS = 5.0
# A timed acquire that cannot succeed whatever its timeout (the thread would wait
# for itself, or for a writer waiting for it): the value decides nothing.
SHORT = 0.05


def settle(lock: RWLock, expected: RWState) -> None:
    """Wait until the lock's readers/writers/waiting counts are ``expected``'s."""

    def counts(s: RWState) -> tuple[int, int, int, int]:
        return s.readers, s.writers, s.waiting_readers, s.waiting_writers

    assert lock.wait_until(lambda s: counts(s) == counts(expected), GENEROUS), lock.state()


def state(readers: int = 0, writers: int = 0, wr: int = 0, ww: int = 0) -> RWState:
    """An expected state: holds, waiting readers (``wr``) and writers (``ww``), no overtakes."""
    return RWState(readers, writers, wr, ww, overtakes=0)


@contextlib.contextmanager
def other_thread(lock: RWLock, write: bool) -> Iterator[Callable[[], None]]:
    """Yield ``start``: another thread then takes read or write and holds it until exit.

    Put it *first* in a ``with`` that also holds the lock in this thread, so this
    thread's hold is released before the other thread is joined.
    """
    leave = threading.Event()

    def hold() -> None:
        with lock.write() if write else lock.read():
            leave.wait(GENEROUS)

    thread = threading.Thread(target=hold)
    try:
        yield thread.start
    finally:
        leave.set()
        if thread.ident is not None:
            thread.join(GENEROUS)
            assert thread.is_alive() is False


@pytest.mark.parametrize("kind", LOCKS)
def test_readers_share(kind: type[RWLock]) -> None:
    lock = kind()
    with other_thread(lock, write=False) as start:
        start()
        settle(lock, state(readers=1))
        assert lock.acquire_read(timeout=0) is True  # no waiting: the other reader stays in
        assert lock.state().readers == 2
        lock.release_read()
    settle(lock, state())
    lock._check()


@pytest.mark.parametrize("kind", LOCKS)
def test_writers_exclude_each_other(kind: type[RWLock]) -> None:
    lock = kind()
    with other_thread(lock, write=True) as start, lock.write():
        start()
        # Either the second writer queues (correct) or it gets in beside us (broken).
        assert lock.wait_until(lambda s: s.waiting_writers == 1 or s.writers == 2, GENEROUS)
        assert (lock.state().writers, lock.state().waiting_writers) == (1, 1)
        lock._check()
    settle(lock, state())


@pytest.mark.parametrize("kind", LOCKS)
def test_a_writer_waits_for_readers_and_readers_for_a_writer(kind: type[RWLock]) -> None:
    lock = kind()
    with other_thread(lock, write=True) as start, lock.read():
        start()
        settle(lock, state(readers=1, ww=1))
    lock._check()
    with other_thread(lock, write=False) as start, lock.write():
        start()
        settle(lock, state(writers=1, wr=1))
    settle(lock, state())


@pytest.mark.parametrize("readers", [2, 10])
def test_reader_preference_starves_the_writer_while_readers_overlap(readers: int) -> None:
    lock = ReaderPreferringRWLock()
    order = reader_relay(lock, readers)
    # Every reader after R0 arrived while W waited and walked past it; W got in
    # only when the relay stopped. More readers, longer wait: no bound at all.
    assert order == (*(f"R{i}" for i in range(readers)), "W")
    assert lock.state().overtakes == readers - 1
    lock._check()


@pytest.mark.parametrize("readers", [2, 10])
def test_writer_preference_admits_the_writer_once_the_readers_inside_leave(readers: int) -> None:
    lock = WriterPreferringRWLock()
    order = reader_relay(lock, readers)
    # R1 queued behind the waiting W; W went in as soon as R0 (the only reader
    # inside) left; no read overtook it.
    assert order == ("R0", "W", *(f"R{i}" for i in range(1, readers)))
    assert lock.state().overtakes == 0
    lock._check()


def test_a_relay_of_one_reader_lets_the_writer_in_after_it() -> None:
    for kind in LOCKS:
        assert reader_relay(kind(), readers=1) == ("R0", "W")


def test_writer_preference_lets_a_later_writer_pass_a_waiting_reader() -> None:
    # The risk writer preference moves to readers: R queued first, yet when the
    # write lock frees up the queued writer goes in and R keeps waiting.
    lock = WriterPreferringRWLock()
    with other_thread(lock, write=False) as start_reader, other_thread(lock, True) as start_writer:
        assert lock.acquire_write(timeout=0) is True
        try:
            start_reader()
            settle(lock, state(writers=1, wr=1))
            start_writer()
            settle(lock, state(writers=1, wr=1, ww=1))
        finally:
            lock.release_write()
        settle(lock, state(writers=1, wr=1))  # the other writer is in; R still waits
    settle(lock, state())
    lock._check()


@pytest.mark.parametrize("kind", LOCKS)
def test_upgrading_read_to_write_never_succeeds(kind: type[RWLock]) -> None:
    lock = kind()
    with lock.read():
        # The write waits for every reader to leave, this thread included.
        assert lock.acquire_write(timeout=SHORT) is False
        assert lock.state() == state(readers=1)  # the failed attempt left no trace
        lock._check()
    assert lock.acquire_write(timeout=0) is True  # and the lock still works
    lock.release_write()
    settle(lock, state())


def test_writer_preference_refuses_new_readers_but_admits_a_thread_that_reads() -> None:
    lock = WriterPreferringRWLock()
    with other_thread(lock, write=True) as start, lock.read():
        start()
        settle(lock, state(readers=1, ww=1))
        refused: list[bool] = []
        newcomer = threading.Thread(target=lambda: refused.append(lock.acquire_read(timeout=0)))
        newcomer.start()
        newcomer.join(GENEROUS)
        assert refused == [False]  # a new reader waits behind the waiting writer
        # Our second read must not queue behind W: W waits for our first (Go's rule).
        assert lock.acquire_read(timeout=SHORT) is True
        assert lock.state().readers == 2
        lock.release_read()
    settle(lock, state())
    lock._check()


@pytest.mark.parametrize("kind", LOCKS)
def test_releasing_what_this_thread_does_not_hold_raises_and_changes_nothing(
    kind: type[RWLock],
) -> None:
    lock = kind()
    with pytest.raises(RuntimeError, match="MainThread holds no read lock"):
        lock.release_read()
    with pytest.raises(RuntimeError, match="MainThread does not hold the write lock"):
        lock.release_write()
    with lock.read():
        with pytest.raises(RuntimeError, match="does not hold the write lock"):
            lock.release_write()
        assert lock.state() == state(readers=1)
    with lock.write():
        with pytest.raises(RuntimeError, match="holds no read lock"):
            lock.release_read()
        assert lock.state() == state(writers=1)
    assert lock.state() == state()
    lock._check()


@pytest.mark.parametrize("write", [False, True])
def test_another_threads_hold_cannot_be_released_from_here(write: bool) -> None:
    lock = WriterPreferringRWLock()
    with other_thread(lock, write=write) as start:
        start()
        held = state(readers=0 if write else 1, writers=1 if write else 0)
        settle(lock, held)
        with pytest.raises(RuntimeError, match="MainThread"):
            lock.release_write() if write else lock.release_read()
        assert lock.state() == held
    settle(lock, state())
    lock._check()


def test_an_exception_in_the_block_still_releases() -> None:
    lock = ReaderPreferringRWLock()
    with pytest.raises(KeyError), lock.write():
        raise KeyError("boom")
    assert lock.state() == state()


@pytest.mark.parametrize("timeout", [-1.0, math.nan])
def test_bad_timeouts_are_rejected(timeout: float) -> None:
    lock = WriterPreferringRWLock()
    with pytest.raises(ValueError, match="timeout must be >= 0 or None"):
        lock.acquire_read(timeout)
    with pytest.raises(ValueError, match="timeout must be >= 0 or None"):
        lock.acquire_write(timeout)
    assert lock.state() == state()


def test_relay_needs_a_reader() -> None:
    with pytest.raises(ValueError, match="at least 1 reader"):
        reader_relay(ReaderPreferringRWLock(), readers=0)


def test_threading_has_no_readers_writer_lock() -> None:
    # The lesson's premise, on every supported version: Lock and RLock only.
    assert {name for name in threading.__all__ if "lock" in name.lower()} == {"Lock", "RLock"}
