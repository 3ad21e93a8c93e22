"""Deadlock: wait-for graph cycles, the Banker's algorithm, POSIX locks and a connection pool.

The code behind ``deadlock.md``. ``posix_lock_deadlock`` forks, so the tests run
it in a fresh interpreter (``call_in_subprocess``); ``pool_requests`` uses
threads and runs anywhere.
"""

from __future__ import annotations

import enum
import errno
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fundamentals.os.processes import exit_code, fork_child


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle of a directed graph as ``[a, b, ..., a]``, or ``None``.

    In a wait-for graph an edge ``a -> b`` means "a waits for something b
    holds"; with single-instance resources a cycle *is* a deadlock. Iterative
    depth-first search with three colours, O(V + E).

    >>> find_cycle({"T1": ["T2"], "T2": ["T3"], "T3": ["T1"]})
    ['T1', 'T2', 'T3', 'T1']
    >>> find_cycle({"T1": ["T2"], "T2": []}) is None
    True
    """
    adjacency: dict[str, list[str]] = {}
    for node, targets in graph.items():
        adjacency.setdefault(node, []).extend(targets)
        for t in adjacency[node]:
            adjacency.setdefault(t, [])
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(adjacency, white)
    for root in adjacency:
        if colour[root] != white:
            continue
        path = [root]
        iters = [iter(adjacency[root])]
        colour[root] = grey
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iters.pop()
            elif colour[nxt] == grey:  # break[cycle-only-through-the-root]
                # A back edge: nxt is on the current path, so nxt -> ... -> here -> nxt.
                return [*path[path.index(nxt) :], nxt]
            elif colour[nxt] == white:
                colour[nxt] = grey
                path.append(nxt)
                iters.append(iter(adjacency[nxt]))
    return None


def wait_for_graph(
    holds: Mapping[str, Iterable[str]], wants: Mapping[str, str]
) -> dict[str, list[str]]:
    """Collapse "who holds which lock" and "who wants which lock" into a wait-for graph.

    >>> wait_for_graph({"T1": ["A"], "T2": ["B"]}, {"T1": "B", "T2": "A"})
    {'T1': ['T2'], 'T2': ['T1']}
    """
    owner: dict[str, str] = {}
    for who, resources in holds.items():
        for r in resources:
            if r in owner:
                raise ValueError(f"{r!r} held by both {owner[r]!r} and {who!r}")
            owner[r] = who
    graph: dict[str, list[str]] = {who: [] for who in holds}
    for who, wanted in wants.items():
        graph.setdefault(who, [])
        if wanted in owner and owner[wanted] != who:
            graph[who].append(owner[wanted])
    return graph


def in_lock_order(*names: str) -> list[str]:
    """The locks a caller needs, in the one global order every caller takes them.

    Sorting by a stable key (the name here; an account id for a bank
    transfer) means that whoever holds a lock only ever waits for a later one,
    so no cycle of waits can form: circular wait is gone.

    >>> in_lock_order("B", "A") == in_lock_order("A", "B") == ["A", "B"]
    True
    """
    return sorted(names)  # break[no-lock-order]


class Verdict(enum.Enum):
    """What the Banker's algorithm says about a request."""

    GRANTED = "granted"
    UNAVAILABLE = "unavailable"  # not enough free right now: wait
    UNSAFE = "unsafe"  # free, but granting could deadlock: wait


Vector = tuple[int, ...]


def _le(a: Vector, b: Vector) -> bool:
    return all(x <= y for x, y in zip(a, b, strict=True))


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _sub(a: Vector, b: Vector) -> Vector:
    return tuple(x - y for x, y in zip(a, b, strict=True))


class Banker:
    """Dijkstra's Banker's algorithm for multi-instance resources.

    A state is *safe* if some order lets every process obtain its declared
    maximum, finish and return everything. The banker only grants a request if
    the state afterwards is still safe. ``Banker`` is immutable: ``request``
    returns a new state.

    >>> b = Banker(available=(1,), maximum={"P": (2,)}, allocation={"P": (1,)})
    >>> b.safe_sequence()
    ['P']
    """

    def __init__(
        self,
        available: Sequence[int],
        maximum: Mapping[str, Sequence[int]],
        allocation: Mapping[str, Sequence[int]],
    ) -> None:
        self.available: Vector = tuple(available)
        self.maximum: dict[str, Vector] = {p: tuple(v) for p, v in maximum.items()}
        self.allocation: dict[str, Vector] = {p: tuple(v) for p, v in allocation.items()}
        self._check()

    def _check(self) -> None:
        width = len(self.available)
        if set(self.maximum) != set(self.allocation):
            raise ValueError("maximum and allocation must name the same processes")
        vectors = [("available", self.available)]
        vectors += [(f"maximum[{p}]", v) for p, v in self.maximum.items()]
        vectors += [(f"allocation[{p}]", v) for p, v in self.allocation.items()]
        for label, v in vectors:
            if len(v) != width:
                raise ValueError(f"{label} has {len(v)} resource types, expected {width}")
            if any(x < 0 for x in v):
                raise ValueError(f"{label} has a negative count: {v}")
        for p in self.maximum:
            if not _le(self.allocation[p], self.maximum[p]):
                raise ValueError(f"{p} holds more than its declared maximum")

    def need(self, process: str) -> Vector:
        """What ``process`` may still ask for: maximum minus allocation."""
        if process not in self.maximum:
            raise KeyError(f"unknown process {process!r}")
        return _sub(self.maximum[process], self.allocation[process])

    def is_safe_sequence(self, order: Sequence[str]) -> bool:
        """Replay ``order``: can each process in turn get its need, finish and release?"""
        if sorted(order) != sorted(self.maximum):
            return False
        work = self.available
        for p in order:
            if not _le(self.need(p), work):
                return False
            work = _add(work, self.allocation[p])
        return True

    def safe_sequence(self) -> list[str] | None:
        """A safe completion order, or ``None`` if the state is unsafe.

        Greedy is enough: finishing a process only ever adds to ``work``, so if
        any safe order exists, repeatedly running *any* process that fits finds
        one. O(n^2 * m) for n processes and m resource types.
        """
        work = self.available
        left = list(self.maximum)
        order: list[str] = []
        while left:
            runnable = next((p for p in left if _le(self.need(p), work)), None)
            if runnable is None:
                return None
            work = _add(work, self.allocation[runnable])
            left.remove(runnable)
            order.append(runnable)
        return order

    def is_safe(self) -> bool:
        """Whether some order lets every process finish."""
        return self.safe_sequence() is not None

    def request(self, process: str, amount: Sequence[int]) -> tuple[Verdict, Banker]:
        """Decide on ``process`` asking for ``amount`` more; return the verdict and new state.

        The state is unchanged unless the verdict is ``GRANTED``. Asking for
        more than the declared need is an error, not a wait.
        """
        req = tuple(amount)
        need = self.need(process)
        if len(req) != len(need) or any(x < 0 for x in req):
            raise ValueError(f"request must be {len(need)} non-negative counts, got {req}")
        if not _le(req, need):
            raise ValueError(f"{process} asked for {req}, more than its remaining need {need}")
        if not _le(req, self.available):
            return Verdict.UNAVAILABLE, self
        allocation = dict(self.allocation)
        allocation[process] = _add(allocation[process], req)
        after = Banker(_sub(self.available, req), self.maximum, allocation)
        if after.is_safe():  # break[banker-skips-safety-check]
            return Verdict.GRANTED, after
        return Verdict.UNSAFE, self


def safe_pool_size(concurrency: int, per_request: int) -> int:
    """The smallest pool with which requests taking connections one at a time cannot deadlock.

    ``concurrency`` requests each take ``per_request`` connections, one after
    another, keeping what they have while they wait for the next. The worst
    case is every request holding all but one and waiting; that ties up
    ``concurrency * (per_request - 1)`` connections, so one more guarantees
    some request can finish and give its connections back.

    >>> safe_pool_size(10, 2), safe_pool_size(10, 1)
    (11, 1)
    """
    if concurrency < 1 or per_request < 1:
        raise ValueError(f"need concurrency and per_request >= 1, got {concurrency}, {per_request}")
    return concurrency * (per_request - 1) + 1  # break[pool-one-short]


def pool_requests(
    pool_size: int, requests: int, per_request: int = 2, give_up_after: float | None = None
) -> dict[str, int]:
    """Run ``requests`` threads that each take ``per_request`` pooled connections, one at a time.

    The pool is a ``threading.BoundedSemaphore(pool_size)``. The worst
    interleaving is forced: every request takes all but its last connection,
    then all meet at a barrier, then each asks for its last one. A request
    that cannot get it within ``give_up_after`` seconds (``None``: wait for
    ever) gives up, but keeps what it holds until every request has had its
    try, so one giving up cannot rescue another. Returns how many were served
    and how many gave up.
    """
    if requests < 1 or per_request < 1:
        raise ValueError(f"need requests and per_request >= 1, got {requests}, {per_request}")
    if pool_size < requests * (per_request - 1):
        raise ValueError(
            f"a pool of {pool_size} cannot give {requests} requests "
            f"{per_request - 1} connections each to start with"
        )
    pool = threading.BoundedSemaphore(pool_size)
    all_hold_their_first = threading.Barrier(requests, timeout=10)
    lock = threading.Lock()
    tried = 0
    all_tried = threading.Event()
    outcome = {"served": 0, "gave_up": 0}

    def request() -> None:
        nonlocal tried
        for _ in range(per_request - 1):
            pool.acquire()
        all_hold_their_first.wait()
        got_last = pool.acquire(timeout=give_up_after)
        with lock:
            outcome["served" if got_last else "gave_up"] += 1
            tried += 1
            if tried == requests:
                all_tried.set()
        if not got_last:
            all_tried.wait(timeout=10)  # hold on until everyone has tried
        for _ in range(per_request if got_last else per_request - 1):
            pool.release()

    threads = [threading.Thread(target=request, daemon=True) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def posix_lock_deadlock() -> dict[str, Any]:
    """Parent locks byte 0, child byte 1 of a file, then each asks for the other's byte.

    Linux checks the wait-for graph of POSIX record locks: exactly one of the
    two blocking requests fails with ``EDEADLK``; that process backs off and the
    other gets its lock.
    """
    import fcntl

    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"ab")
        path = f.name
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()

    def take_second(fd: int, mine: int, other: int) -> str:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX, 1, other)  # blocking: F_SETLKW
        except OSError as exc:
            if exc.errno != errno.EDEADLK:
                raise
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, mine)  # the victim backs off
            return "EDEADLK"
        return "granted"

    def child() -> None:
        os.close(to_child_w)
        os.close(to_parent_r)
        fd = os.open(path, os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 1)
        os.write(to_parent_w, b"1")  # I hold byte 1 ...
        os.read(to_child_r, 1)  # ... and the parent holds byte 0
        os.write(to_parent_w, take_second(fd, 1, 0).encode())

    pid = fork_child(child)
    os.close(to_child_r)
    os.close(to_parent_w)  # so reading to EOF ends when the child exits
    try:
        fd = os.open(path, os.O_RDWR)
        if os.read(to_parent_r, 1) != b"1":
            raise RuntimeError("the child did not take its lock")
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0)
        os.write(to_child_w, b"1")
        os.close(to_child_w)
        parent = take_second(fd, 0, 1)
        os.close(fd)  # releases the parent's locks, so a waiting child can finish
        with os.fdopen(to_parent_r, "rb") as reader:
            child_outcome = reader.read().decode()
    finally:
        code = exit_code(pid)
        os.unlink(path)
    return {"parent": parent, "child": child_outcome, "child_exit": code}
