"""Quorums: with N replicas, a read of R and a write of W overlap only when R + W > N.

Why interviewers ask this:
    "Design a key-value store" (Dynamo, Cassandra, Riak) always reaches the
    knobs N, R and W. Interviewers want the overlap argument behind
    "R + W > N gives read-your-latest-write", what it costs (latency of the
    slowest of W or R replicas, availability when replicas are down), and
    the fine print: sloppy quorums and hinted handoff keep writes available
    during a partition by giving up exactly that overlap.

Common pitfalls:
    - Believing a majority write alone is enough: with N = 3, W = 2 and
      R = 1 the read can ask the one replica the write missed and return
      the old value. ``find_stale_read`` scripts that schedule; for
      every R + W <= N one exists.
    - Taking the first answer instead of the newest: a read must compare
      versions across its R replies and return the highest one.
    - Counting a write as done with fewer than W acks: ``write`` raises
      ``QuorumError`` instead, and the value may still sit on the replicas
      that took it (a failed write is not a rolled-back write).
    - Calling a sloppy quorum a quorum: when home replicas are down, a
      Dynamo-style store writes to a stand-in node with a hint. W acks
      arrived, but a read of R home replicas can still miss the value
      until hinted handoff delivers it.

Key takeaways:
    - ``is_strict(n, r, w)`` is ``r + w > n``: any R-set and any W-set of N
      replicas then share at least ``r + w - n`` members (pigeonhole), so a
      read sees the latest completed write. Checked exhaustively for every
      N <= 5, every R, W, every write set and every read set, each schedule
      run on a fresh ``Cluster``.
    - ``w > n / 2`` makes any two write quorums overlap. That is why Paxos
      and Raft use majorities: each node votes once per ballot or term, so
      two candidates cannot both win one. In a leaderless store both writes still
      complete; the overlapping replica just keeps the one with the higher
      version. Overlap is not mutual exclusion (see ``vector_clocks`` for
      when versions cannot order two writes).
    - Common settings: N = 3, R = W = 2 (Cassandra ``QUORUM``); R = 1, W = N
      for fast reads; R = N, W = 1 for fast writes. Lower R or W trades
      consistency for latency and availability.
    - Strict quorums are not linearizability: concurrent reads during a
      write in flight can see new-then-old without read repair or a
      write-back phase (ABD), and last-write-wins by timestamp can drop a
      concurrent write (see ``vector_clocks``).
    - Sloppy quorum + hinted handoff (Dynamo, Riak) keep writes available;
      anti-entropy (``merkle``) repairs what handoff misses. Cassandra
      stores hints too, but a hint does not count toward the consistency
      level (except ``ANY``), so its quorums stay strict.

What to look for in an answer:
    The pigeonhole argument, the latency/availability cost of big R or W,
    versioned replies and "newest wins", and an honest account of sloppy
    quorums.
    Follow-ups:
    - N = 3, one replica down: what still works with R = W = 2? (Both: two
      replicas answer. With two down, neither does on a strict quorum; a
      sloppy quorum still takes the write on stand-in nodes, as
      ``SloppyCluster`` shows, and Dynamo would also read from them.)
    - How does a replica that missed a write catch up? (Read repair on the
      read path, hinted handoff after a short outage, Merkle-tree
      anti-entropy for the rest.)
    - Why is R + W > N not linearizable? (A read that overlaps a write in
      flight may see the new value and a later read the old one; ABD
      makes readers write back the newest value before returning.)
    - Quorum across data centers? (Cassandra ``LOCAL_QUORUM`` keeps the
      overlap inside one DC to avoid cross-DC latency; ``EACH_QUORUM``
      needs a quorum in every DC.)
    - R + W > N, yet a read returned stale data: how? (A sloppy quorum; a
      write that failed but left its value on some replicas; concurrent
      writes resolved by last-write-wins under clock skew; a replica that
      held the write was lost or restored from a backup, so fewer than W
      copies remain until repair. DDIA ch. 5, "Limitations of Quorum
      Consistency".)
    - How stale is R + W <= N in practice? (Probabilistically Bounded
      Staleness, Bailis et al. 2012: measured staleness windows are mostly
      milliseconds. The cost of a big R is tail latency, which speculative
      retry / rapid read protection reduce.)
    - Must read and write quorums always intersect? (Flexible Paxos, Howard
      et al. 2016: only the leader-election quorum and the replication
      quorum must intersect, |Q1| + |Q2| > N; with N = 10, replicate on 3
      and elect on 8.)
    - Compare-and-set on a quorum store? (Overlap is not mutual exclusion:
      two majority writes both succeed. Use consensus, as Cassandra's
      lightweight transactions do with Paxos at four round trips, or a
      single leader per key.)

Complexity:
    A write or read touches W or R replicas: O(W) or O(R). The exhaustive
    check runs up to C(N, W) * C(N, R) schedules per (R, W): all of them
    when R + W > N, until the first stale one otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "Cluster",
    "QuorumError",
    "SloppyCluster",
    "Versioned",
    "find_stale_read",
    "is_strict",
]


class QuorumError(RuntimeError):
    """Fewer replicas answered than the quorum needs."""


@dataclass(frozen=True, order=True)
class Versioned:
    """A value with the version the coordinator gave its write (0 = never written)."""

    version: int
    value: str | None


def _check_sizes(n: int, r: int, w: int) -> None:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 1 <= r <= n:
        raise ValueError(f"r must be between 1 and n={n}, got {r}")
    if not 1 <= w <= n:
        raise ValueError(f"w must be between 1 and n={n}, got {w}")


def is_strict(n: int, r: int, w: int) -> bool:
    """True when every read quorum overlaps every write quorum.

    >>> is_strict(3, 2, 2), is_strict(3, 1, 2)
    (True, False)

    Raises ValueError for sizes outside ``1 <= r, w <= n``.
    """
    _check_sizes(n, r, w)
    return r + w > n  # break[off-by-one]


@dataclass
class Cluster:
    """N replicas of one register; the test picks which replicas each call reaches.

    One coordinator numbers all writes here, so "newest wins" always has an
    answer. Real stores version by timestamp (Cassandra: ties and clock
    skew can lose a write) or by vector clock (Dynamo, Riak).

    >>> c = Cluster(n=3, r=2, w=2)
    >>> c.write("v1", reach=[0, 1])
    1
    >>> c.read(reach=[1, 2])
    Versioned(version=1, value='v1')
    """

    n: int
    r: int
    w: int
    replicas: list[Versioned] = field(init=False)
    _version: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        _check_sizes(self.n, self.r, self.w)
        self.replicas = [Versioned(0, None) for _ in range(self.n)]

    def _reachable(self, reach: Iterable[int]) -> list[int]:
        chosen = sorted(set(reach))
        for i in chosen:
            if not 0 <= i < self.n:
                raise ValueError(f"replica {i} does not exist (n={self.n})")
        return chosen

    def write(self, value: str, reach: Iterable[int]) -> int:
        """Write ``value`` to the replicas in ``reach``; return its version.

        Raises QuorumError if fewer than W replicas are reachable; those
        that were reachable keep the value anyway. O(W).
        """
        chosen = self._reachable(reach)
        self._version += 1
        for i in chosen:
            self.replicas[i] = Versioned(self._version, value)
        if len(chosen) < self.w:  # break[ack-too-few]
            raise QuorumError(f"{len(chosen)} of {self.w} write acks")
        return self._version

    def read(self, reach: Iterable[int]) -> Versioned:
        """Read the replicas in ``reach`` and return the newest reply.

        Raises QuorumError if fewer than R replicas are reachable. O(R).
        """
        chosen = self._reachable(reach)
        if len(chosen) < self.r:
            raise QuorumError(f"{len(chosen)} of {self.r} read replies")
        replies = [self.replicas[i] for i in chosen]
        return max(replies)  # break[first-reply-wins]


def find_stale_read(n: int, r: int, w: int) -> tuple[list[int], list[int]] | None:
    """A (write set, read set) schedule whose read misses the write, or None.

    Runs the schedules in lexicographic order, each on a fresh ``Cluster``:
    write "old" everywhere, then "new" to exactly W replicas, then read
    exactly R replicas. Returns the first schedule whose read is stale.

    >>> find_stale_read(3, 1, 2)
    ([0, 1], [2])
    >>> find_stale_read(3, 2, 2) is None
    True
    """
    _check_sizes(n, r, w)
    for write_set in itertools.combinations(range(n), w):
        for read_set in itertools.combinations(range(n), r):
            cluster = Cluster(n, r, w)
            cluster.write("old", range(n))
            cluster.write("new", write_set)
            if cluster.read(read_set).value != "new":
                return list(write_set), list(read_set)
    return None


@dataclass
class SloppyCluster:
    """A Dynamo-style sloppy quorum: N home replicas plus stand-in nodes.

    A write walks the preference list (home nodes ``0..n-1``, then stand-ins
    ``n..``) and stores on the first W nodes that are up; a stand-in keeps a
    hint naming the home node it covers. Reads here ask home replicas only,
    a simplification: Dynamo sends reads, like writes, to the first N
    healthy nodes of the preference list, stand-ins included. ``handoff``
    delivers hints to home nodes that are up again.
    """

    n: int
    r: int
    w: int
    standins: int = 1
    up: set[int] = field(init=False)
    stored: dict[int, Versioned] = field(init=False)
    hints: list[tuple[int, int, Versioned]] = field(init=False)  # (stand-in, home, value)
    _version: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        _check_sizes(self.n, self.r, self.w)
        if self.standins < 0:
            raise ValueError(f"standins must be >= 0, got {self.standins}")
        self.up = set(range(self.n + self.standins))
        self.stored = {i: Versioned(0, None) for i in self.up}
        self.hints = []

    def write(self, value: str) -> list[int]:
        """Store on the first W up nodes of the preference list; return them.

        Raises QuorumError when fewer than W nodes, stand-ins included, are up.
        """
        self._version += 1
        item = Versioned(self._version, value)
        down_homes = [i for i in range(self.n) if i not in self.up]
        targets = [i for i in range(self.n + self.standins) if i in self.up][: self.w]
        if len(targets) < self.w:
            raise QuorumError(f"{len(targets)} of {self.w} nodes up")
        for node in targets:
            self.stored[node] = item
            if node >= self.n:
                self.hints.append((node, down_homes.pop(0), item))
        return targets

    def read(self, reach: Iterable[int]) -> Versioned:
        """Newest value among the up home replicas in ``reach`` (at least R of them)."""
        chosen = [i for i in sorted(set(reach)) if i < self.n and i in self.up]
        if len(chosen) < self.r:
            raise QuorumError(f"{len(chosen)} of {self.r} read replies")
        return max(self.stored[i] for i in chosen)

    def handoff(self) -> int:
        """Deliver each hint whose home node and stand-in are both up; return how many.

        A hint never replaces a newer value the home node already holds.
        """
        kept = []
        for standin, home, item in self.hints:
            if home in self.up and standin in self.up:
                newest = max(self.stored[home], item)  # break[hint-clobbers]
                self.stored[home] = newest  # break[handoff-lost]
            else:
                kept.append((standin, home, item))
        delivered = len(self.hints) - len(kept)
        self.hints = kept
        return delivered
