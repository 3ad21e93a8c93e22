"""Deadlock: two locks taken in opposite orders, forced, detected with a timeout, cured by order.

Why interviewers ask this:
    "Transfer money between two accounts, thread-safely" is the classic
    deadlock question. The naive answer locks the source, then the destination;
    two opposite transfers then each hold one lock and wait forever for the
    other. Interviewers want the four Coffman conditions, a fix that removes one
    of them (almost always: a global lock order), and a way to *detect* a
    deadlock instead of hanging (timeouts, thread dumps).

Common pitfalls:
    - Locking "source, then destination": the order depends on the call, so two
      calls in opposite directions take the locks in opposite orders.
    - Believing a test that passed proves there is no deadlock: the bad
      interleaving needs both threads to hold their first lock at once, which
      is rare. Force it (a pause after the first lock) to see it every time.
    - ``lock.acquire()`` with no timeout in code that might deadlock: the
      process hangs with no error. A timeout turns it into a failure you can
      log and retry.
    - Ordering by something unstable (``hash`` of a mutable object, insertion
      order): the order must be total and the same in every thread.

Key takeaways:
    - Deadlock needs all four: mutual exclusion, hold and wait, no preemption,
      circular wait. A global lock order breaks circular wait: every thread
      acquires locks in ascending rank (account number, ``id()`` as a last
      resort), so no cycle can form.
    - Alternatives: one coarse lock; try-lock and back off (releases what you
      hold: breaks hold-and-wait); lock timeouts as detection, not cure.
    - A failed transfer must change nothing: mutate only once both locks are
      held, so a timeout leaves the balances consistent.
    - Go: ``sync.Mutex`` has no timeout, the runtime reports "all goroutines are
      asleep" only when *every* goroutine is stuck; order locks the same way.
      Java: ``ReentrantLock.tryLock(timeout)``, and ``jstack`` shows the cycle.

What to look for in an answer:
    A strong answer names circular wait as the condition to break, orders locks
    by a stable global key, keeps the state unchanged when a lock cannot be
    had, and can describe how to find a deadlock in production (thread dumps:
    ``faulthandler.dump_traceback_later``, ``py-spy dump``). Follow-ups:
    - How do you order locks that have no natural key? (``id()`` with a
      tie-breaking lock, or a lock hierarchy by layer.)
    - What is a livelock, and how does back-off with jitter avoid it?
    - How does a database detect deadlocks between transactions? (A wait-for
      graph; it aborts one victim.)

Complexity:
    Ordering ``k`` locks costs O(k log k) per operation; a transfer takes two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from handbook.concurrency.race_conditions import ForcedSwitch

__all__ = [
    "Account",
    "Outcome",
    "caller_order",
    "global_order",
    "opposite_transfers",
    "transfer",
]

Order = Callable[["Account", "Account"], tuple["Account", "Account"]]


@dataclass
class Account:
    """A balance behind a lock; ``number`` is unique and gives the global lock order."""

    number: int
    balance: int
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def caller_order(source: Account, destination: Account) -> tuple[Account, Account]:
    """The pitfall: lock the source, then the destination; opposite calls, opposite orders.

    >>> a, b = Account(1, 0), Account(2, 0)
    >>> [acc.number for acc in caller_order(b, a)]
    [2, 1]
    """
    return source, destination


def global_order(source: Account, destination: Account) -> tuple[Account, Account]:
    """The fix: lock in ascending account number, whichever way the money moves.

    >>> a, b = Account(1, 0), Account(2, 0)
    >>> [acc.number for acc in global_order(b, a)]
    [1, 2]
    """
    if source.number == destination.number:
        raise ValueError(f"cannot transfer from account {source.number} to itself")
    first, second = sorted((source, destination), key=lambda acc: acc.number)  # break[caller-order]
    return first, second


def _nothing() -> None:
    """The default pause: do nothing, as in production code."""


def _acquire(lock: threading.Lock, timeout: float, switch: ForcedSwitch | None) -> bool:
    """Acquire with a timeout; while blocked, tell ``switch`` (so its pauses do not wait on us)."""
    if lock.acquire(blocking=False):
        return True
    if switch is None:
        return lock.acquire(timeout=timeout)
    switch._stuck(+1)  # the same protocol race_conditions.WatchedLock follows
    try:
        return lock.acquire(timeout=timeout)
    finally:
        switch._stuck(-1)


def transfer(
    source: Account,
    destination: Account,
    amount: int,
    order: Order = global_order,
    timeout: float = 5.0,
    pause: Callable[[], None] = _nothing,
    switch: ForcedSwitch | None = None,
) -> bool:
    """Move ``amount``; return False, changing nothing, if a lock is not had in ``timeout``.

    ``pause`` runs while the first lock is held: the window in which the other
    thread takes its own first lock.

    >>> a, b = Account(1, 100), Account(2, 0)
    >>> transfer(a, b, 30), a.balance, b.balance
    (True, 70, 30)
    """
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    first, second = order(source, destination)
    if not _acquire(first.lock, timeout, switch):
        return False
    try:
        pause()
        if not _acquire(second.lock, timeout, switch):
            return False  # deadlock suspected: give up, nothing was changed
        try:
            source.balance -= amount
            destination.balance += amount
            return True
        finally:
            second.lock.release()
    finally:
        first.lock.release()


@dataclass(frozen=True)
class Outcome:
    """What two opposite transfers achieved under the forced interleaving."""

    completed: tuple[bool, bool]
    balances: tuple[int, int]


def opposite_transfers(order: Order, timeout: float = 5.0) -> Outcome:
    """Thread 1 moves 10 from A to B while thread 2 moves 10 from B to A, forced.

    Each thread pauses right after its first lock until the other thread has
    taken its first lock too, or is blocked trying (the ForcedSwitch from the
    race-conditions lesson). With ``caller_order`` each then holds what the
    other wants: a deadlock, so at least one transfer times out. With
    ``global_order`` both want account 1 first: one waits, and both complete.
    """
    a, b = Account(1, 100), Account(2, 100)
    switch = ForcedSwitch(threads=2, timeout=timeout + 5.0)
    completed = [False, False]
    errors: list[BaseException] = []

    def run(index: int, source: Account, destination: Account) -> None:
        try:
            completed[index] = transfer(
                source, destination, 10, order, timeout, switch.pause, switch
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            switch.done()

    threads = [
        threading.Thread(target=run, args=(0, a, b)),
        threading.Thread(target=run, args=(1, b, a)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(2 * timeout + 10.0)
    if any(t.is_alive() for t in threads):
        raise RuntimeError("a transfer thread is still running: the timeout did not fire")
    if errors:
        raise errors[0]
    return Outcome((completed[0], completed[1]), (a.balance, b.balance))
