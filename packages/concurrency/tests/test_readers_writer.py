"""Tests for concurrency.readers_writer: sharing, exclusion, starvation and wake-ups, all forced.

No test sleeps to let a thread get somewhere: each waits, with a deadline, for
the lock's own bookkeeping to show the thread inside or queued. Where the order
of wake-ups or the moment a timeout fires matters, the lock's waiters sleep in a
:class:`ScriptedCondition`, and the test decides both. Every helper thread is a
daemon and every acquire it makes is bounded, so a broken lock fails a test
instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import math
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import TypeVar

import pytest

from handbook.concurrency import readers_writer
from handbook.concurrency.readers_writer import (
    FairRWLock,
    ReaderPreferringRWLock,
    RWState,
    WriterPreferringRWLock,
    relay,
)

T = TypeVar("T")
RWLock = ReaderPreferringRWLock | WriterPreferringRWLock | FairRWLock
LOCKS = [ReaderPreferringRWLock, WriterPreferringRWLock, FairRWLock]
# The locks where a reader queues behind a waiting writer while readers are inside.
QUEUEING = [WriterPreferringRWLock, FairRWLock]

# Only reached if something is broken: every wait below is for a state another
# thread reaches in a few lock handoffs.
GENEROUS = 2.0
# How long a helper thread waits for the lock at most. Longer than GENEROUS, so
# that a waiter a broken lock forgets is still waiting when the test looks.
BOUND = 2 * GENEROUS
# A timed acquire that cannot succeed whatever its timeout (the thread would wait
# for itself, or for a writer waiting for it): the value decides nothing.
SHORT = 0.05


def settle(lock: RWLock, expected: RWState) -> None:
    """Wait until the lock's readers/writers/waiting counts are ``expected``'s."""

    def counts(s: RWState) -> tuple[int, int, int, int]:
        return s.readers, s.writers, s.waiting_readers, s.waiting_writers

    assert lock.wait_until(lambda s: counts(s) == counts(expected), GENEROUS), lock.state()
    lock._check()


def state(readers: int = 0, writers: int = 0, wr: int = 0, ww: int = 0) -> RWState:
    """An expected state: holds, waiting readers (``wr``) and writers (``ww``), no overtakes."""
    return RWState(readers, writers, wr, ww, overtakes=0)


@contextlib.contextmanager
def other_thread(lock: RWLock, write: bool) -> Iterator[Callable[[], None]]:
    """Yield ``start``: another thread then takes read or write and holds it until exit.

    Put it *first* in a ``with`` that also holds the lock in this thread, so this
    thread's hold is released before the other thread is joined; of two, put the
    one that must leave first last. On exit the other thread must have got in.
    """
    leave, got = threading.Event(), []

    def hold() -> None:
        got.append((lock.acquire_write if write else lock.acquire_read)(timeout=BOUND))
        if got[-1]:
            leave.wait(BOUND)
            lock.release_write() if write else lock.release_read()

    thread = threading.Thread(target=hold, daemon=True)
    try:
        yield thread.start
    finally:
        leave.set()
        if thread.ident is not None:
            thread.join(BOUND)
            assert thread.is_alive() is False
            assert got == [True], "the other thread never got the lock"


@dataclass(eq=False)
class Sleeper:
    """A thread asleep in a :class:`ScriptedCondition`; releasing ``bell`` wakes it."""

    thread: threading.Thread
    bell: threading.Lock = field(default_factory=threading.Lock)
    notified: bool = False  # False when woken by expire() or the real-time bound
    error: BaseException | None = None  # raised from wait() by interrupt()


class ScriptedCondition(threading.Condition):
    """A ``Condition`` whose wake-ups the test decides.

    ``Condition`` promises neither an order of wake-up nor when a timeout fires,
    so a lock must be right under any choice. Here ``notify`` wakes the newest
    waiter first (CPython's wakes the oldest); a timed wait ends only when the
    test calls :meth:`expire`; :meth:`interrupt` makes a wait raise, as Ctrl-C
    would; inside :meth:`deferred`, notified threads sleep on until the block
    ends (woken, not yet scheduled). Any wait ends after ``BOUND`` real seconds,
    which only a broken lock reaches. Call ``expire``/``interrupt`` holding it.
    ``wait_for`` is redone because ``Condition``'s would wait out the rest of the
    real timeout after an ``expire``.
    """

    def __init__(self, lock: threading.Lock) -> None:
        super().__init__(lock)
        self.sleepers: list[Sleeper] = []  # oldest first
        self.held_back: list[Sleeper] | None = None  # notified inside deferred()

    def wait(self, timeout: float | None = None) -> bool:
        if timeout == 0:
            return False  # a poll has nothing to wait for
        me = Sleeper(threading.current_thread())
        me.bell.acquire()
        self.sleepers.append(me)
        self.release()
        try:
            me.bell.acquire(timeout=BOUND)
        finally:
            self.acquire()
            if me in self.sleepers:
                self.sleepers.remove(me)
        if me.error is not None:
            raise me.error
        return me.notified

    def wait_for(self, predicate: Callable[[], T], timeout: float | None = None) -> T:
        result = predicate()
        while not result:
            if not self.wait(timeout):
                return predicate()  # timed out: the last check decides, as in Condition
            result = predicate()
        return result

    def _wake(self, sleeper: Sleeper) -> None:
        self.sleepers.remove(sleeper)
        if self.held_back is not None:
            self.held_back.append(sleeper)
        else:
            sleeper.bell.release()

    def notify(self, n: int = 1) -> None:
        for sleeper in self.sleepers[::-1][:n]:  # newest first
            sleeper.notified = True
            self._wake(sleeper)

    def notify_all(self) -> None:
        self.notify(len(self.sleepers))

    def _sleeper(self, thread: threading.Thread) -> Sleeper:
        found = [s for s in self.sleepers if s.thread is thread]
        assert found, f"{thread.name} is not waiting"
        return found[0]

    def expire(self, thread: threading.Thread) -> None:
        """End ``thread``'s wait as if its timeout had passed."""
        self._wake(self._sleeper(thread))

    def interrupt(self, thread: threading.Thread, error: BaseException) -> None:
        """Make ``thread``'s wait raise ``error``."""
        sleeper = self._sleeper(thread)
        sleeper.error = error
        self._wake(sleeper)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Threads notified inside the block stay asleep until it ends."""
        with self:
            self.held_back = []
        try:
            yield
        finally:
            with self:
                held, self.held_back = self.held_back, None
                for sleeper in held:
                    sleeper.bell.release()


def scripted(kind: type[RWLock]) -> tuple[RWLock, ScriptedCondition]:
    """A new ``kind`` lock whose waiters sleep in a :class:`ScriptedCondition`."""
    lock = kind()
    mutex = threading.Lock()
    lock._turn = turn = ScriptedCondition(mutex)
    lock._watch = threading.Condition(mutex)  # observers keep a real one, on the same mutex
    return lock, turn


class Interrupted(Exception):
    """Stands for an exception arriving inside a wait, such as KeyboardInterrupt."""


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
    with other_thread(lock, write=False) as start, lock.write():
        start()
        settle(lock, state(writers=1, wr=1))
    settle(lock, state())


@pytest.mark.parametrize("kind", LOCKS)
def test_a_writers_release_admits_every_waiting_reader(kind: type[RWLock]) -> None:
    # Whatever the wake order, notify() would wake one of the two and strand the other.
    lock = kind()
    with other_thread(lock, False) as start_r1, other_thread(lock, False) as start_r2:
        assert lock.acquire_write(timeout=0) is True
        try:
            start_r1()
            start_r2()
            settle(lock, state(writers=1, wr=2))
        finally:
            lock.release_write()
        settle(lock, state(readers=2))


@pytest.mark.parametrize("readers", [2, 10])
def test_reader_preference_starves_the_writer_while_readers_overlap(readers: int) -> None:
    lock = ReaderPreferringRWLock()
    order = relay(lock, "read", readers)
    # Every reader after R0 arrived while W waited and walked past it; W got in
    # only when the relay stopped. More readers, longer wait: no bound at all.
    assert order == (*(f"R{i}" for i in range(readers)), "W")
    assert lock.state().overtakes == readers - 1
    lock._check()


def assert_the_writer_goes_next(lock: RWLock, readers: int) -> None:
    order = relay(lock, "read", readers)
    # R1 queued behind the waiting W; W went in as soon as R0 (the only reader
    # inside) left; no read overtook it.
    assert order == ("R0", "W", *(f"R{i}" for i in range(1, readers)))
    assert lock.state().overtakes == 0
    lock._check()


@pytest.mark.parametrize("readers", [2, 10])
def test_writer_preference_admits_the_writer_once_the_readers_inside_leave(readers: int) -> None:
    assert_the_writer_goes_next(WriterPreferringRWLock(), readers)


@pytest.mark.parametrize("readers", [2, 10])
def test_the_fair_lock_admits_the_writer_once_the_readers_inside_leave(readers: int) -> None:
    assert_the_writer_goes_next(FairRWLock(), readers)


@pytest.mark.parametrize("writers", [2, 10])
def test_writer_preference_starves_a_reader_while_writers_queue_back_to_back(
    writers: int,
) -> None:
    lock = WriterPreferringRWLock()
    order = relay(lock, "write", writers)
    # R queued before W1, yet every later writer went first: a waiting writer
    # keeps R out, and there always was one until the relay stopped.
    assert order == (*(f"W{i}" for i in range(writers)), "R")
    assert lock.state().overtakes == writers - 1
    lock._check()


@pytest.mark.parametrize("writers", [2, 10])
def test_the_fair_lock_lets_the_reader_in_before_the_writers_that_queued_after_it(
    writers: int,
) -> None:
    lock = FairRWLock()
    order = relay(lock, "write", writers)
    # R queued before W1, so it went in as soon as W0 left; W1 waited for it.
    assert order == ("W0", "R", *(f"W{i}" for i in range(1, writers)))
    assert lock.state().overtakes == 0
    lock._check()


@pytest.mark.parametrize("kind", LOCKS)
def test_a_relay_of_one_lets_the_waiter_in_after_it(kind: type[RWLock]) -> None:
    assert relay(kind(), "read", n=1) == ("R0", "W")
    assert relay(kind(), "write", n=1) == ("W0", "R")


def writer_barges_past_a_woken_reader(kind: type[RWLock]) -> bool:
    """Can a writer take the lock we just freed while the reader it woke is not yet running?"""
    lock, turn = scripted(kind)
    with other_thread(lock, write=False) as start_reader:
        assert lock.acquire_write(timeout=0) is True
        start_reader()
        settle(lock, state(writers=1, wr=1))
        with turn.deferred():  # R is woken by our release, but does not run yet
            lock.release_write()
            barged = lock.acquire_write(timeout=0)
            if barged:
                lock.release_write()
        settle(lock, state(readers=1))  # R gets in either way
    settle(lock, state())
    return barged


@pytest.mark.parametrize("kind", [ReaderPreferringRWLock, WriterPreferringRWLock])
def test_a_writer_asking_as_the_lock_frees_up_passes_a_reader_that_queued_first(
    kind: type[RWLock],
) -> None:
    assert writer_barges_past_a_woken_reader(kind) is True  # whoever asks first


def test_the_fair_lock_keeps_a_freed_lock_for_the_reader_that_queued_first() -> None:
    # Java's fair mode: the lock goes to the longest waiter (here R), not to a
    # thread that happens to ask while R is being woken.
    assert writer_barges_past_a_woken_reader(FairRWLock) is False


@pytest.mark.parametrize("kind", QUEUEING)
def test_the_last_reader_out_wakes_the_writer_whatever_the_wake_order(
    kind: type[RWLock],
) -> None:
    lock, _ = scripted(kind)  # its notify wakes the newest waiter first
    with other_thread(lock, False) as start_reader, other_thread(lock, True) as start_writer:
        assert lock.acquire_read(timeout=0) is True
        start_writer()
        settle(lock, state(readers=1, ww=1))
        start_reader()  # R queues behind W: it is the newest waiter
        settle(lock, state(readers=1, wr=1, ww=1))
        lock.release_read()
        # notify() would wake only R, who sees W queued and sleeps again; W,
        # who could go, is never woken. notify_all wakes both: W goes in.
        settle(lock, state(writers=1, wr=1))
    settle(lock, state())


@pytest.mark.parametrize("how", ["timeout", "exception"])
@pytest.mark.parametrize("kind", QUEUEING)
def test_a_writer_that_gives_up_lets_in_the_readers_it_held_back(
    kind: type[RWLock], how: str
) -> None:
    lock, turn = scripted(kind)
    outcome: list[object] = []

    def writer() -> None:
        try:
            outcome.append(lock.acquire_write(timeout=GENEROUS))
        except Interrupted as exc:
            outcome.append(exc)

    with other_thread(lock, False) as start_r1, other_thread(lock, False) as start_r2:
        assert lock.acquire_read(timeout=0) is True  # we read: the writer must wait
        try:
            w = threading.Thread(target=writer, daemon=True)
            w.start()
            settle(lock, state(readers=1, ww=1))
            start_r1()
            start_r2()
            settle(lock, state(readers=1, wr=2, ww=1))  # both held back by the waiting W
            with turn:
                if how == "timeout":
                    turn.expire(w)
                else:
                    turn.interrupt(w, Interrupted())
            w.join(GENEROUS)
            if how == "timeout":
                assert outcome == [False]
            else:
                assert len(outcome) == 1
                assert isinstance(outcome[0], Interrupted)
            # Nobody releases anything: only W's leaving can wake the readers,
            # both of them (one notify() would strand the other).
            settle(lock, state(readers=3))
        finally:
            lock.release_read()
    settle(lock, state())


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


@pytest.mark.parametrize("kind", LOCKS)
def test_a_writer_cannot_downgrade_to_read(kind: type[RWLock]) -> None:
    lock = kind()
    with lock.write():
        # A read waits for the writer to leave, this thread included (Java would grant it).
        assert lock.acquire_read(timeout=SHORT) is False
        assert lock.state() == state(writers=1)
    settle(lock, state())


@pytest.mark.parametrize("kind", QUEUEING)
def test_a_new_reader_waits_behind_a_waiting_writer_but_a_thread_that_reads_does_not(
    kind: type[RWLock],
) -> None:
    lock = kind()
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


def release_elsewhere(release: Callable[[], None]) -> str:
    """Call ``release`` in another thread: "released", or the error's type name."""
    outcome: list[str] = []

    def run() -> None:
        try:
            release()
            outcome.append("released")
        except RuntimeError as exc:
            outcome.append(type(exc).__name__)

    t = threading.Thread(target=run)
    t.start()
    t.join(GENEROUS)
    return outcome[0]


def test_ownership_is_a_choice_lock_lets_any_thread_release_rlock_does_not() -> None:
    plain, reentrant = threading.Lock(), threading.RLock()
    plain.acquire()
    reentrant.acquire()
    assert release_elsewhere(plain.release) == "released"
    assert plain.locked() is False  # another thread freed our hold
    assert release_elsewhere(reentrant.release) == "RuntimeError"
    reentrant.release()


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


@pytest.mark.parametrize("timeout", [math.inf, 1e300])
def test_a_timeout_past_timeout_max_waits_without_a_deadline(timeout: float) -> None:
    # Condition.wait raises OverflowError past threading.TIMEOUT_MAX (about 292
    # years); the lock treats such a timeout as None.
    assert timeout > threading.TIMEOUT_MAX
    lock = WriterPreferringRWLock()
    outcome: list[object] = []

    def writer() -> None:
        try:
            outcome.append(lock.acquire_write(timeout))
            lock.release_write()
        except OverflowError as exc:
            outcome.append(exc)

    w = threading.Thread(target=writer, daemon=True)
    with lock.read():  # so that the writer really waits
        w.start()
        settle(lock, state(readers=1, ww=1))
    w.join(GENEROUS)
    assert outcome == [True]


def test_relay_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1 passer"):
        relay(ReaderPreferringRWLock(), n=0)
    with pytest.raises(ValueError, match="passers must be 'read' or 'write'"):
        relay(ReaderPreferringRWLock(), "both")  # type: ignore[arg-type]


def python_calls(section: Callable[[], None]) -> int:
    """How many Python functions ``section()`` calls (C functions do not count)."""
    calls = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(profile)
    try:
        section()
    finally:
        sys.setprofile(None)
    return calls - 1  # section itself


@pytest.mark.parametrize("kind", LOCKS)
def test_a_read_section_runs_python_code_a_plain_lock_does_not(kind: type[RWLock]) -> None:
    plain, lock = threading.Lock(), kind()

    def with_lock() -> None:
        with plain:
            pass

    def read_section() -> None:
        lock.acquire_read()
        lock.release_read()

    assert python_calls(with_lock) == 0  # Lock.__enter__/__exit__ are C
    # At least, uncontended: acquire_read, _acquire, _deadline, Condition.__enter__,
    # Condition.wait_for, the entry check it calls, Condition.__exit__;
    # release_read, Condition.__enter__ again: nine, before any notify.
    assert python_calls(read_section) >= 9
    assert lock.state() == state()


def test_threading_has_no_readers_writer_lock() -> None:
    # The lesson's premise, on every supported version: Lock and RLock only.
    assert {name for name in threading.__all__ if "lock" in name.lower()} == {"Lock", "RLock"}


def test_the_public_names() -> None:
    assert sorted(readers_writer.__all__) == [
        "FairRWLock",
        "RWState",
        "ReaderPreferringRWLock",
        "WriterPreferringRWLock",
        "relay",
    ]
