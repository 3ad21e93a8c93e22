"""Replication: a seeded simulation of a primary streaming its log to replicas.

The code behind ``replication.md``. Time is a tick counter, not a clock; every
delay comes from a ``random.Random(seed)``, so a run is the same every time.
``Cluster`` applies writes on the primary and ships them, in log order, to each
replica with a random lag; ``Mode`` says how many replicas must have applied a
write before the client gets its acknowledgement. ``Session`` reads from a
random replica, with or without the read-your-writes and monotonic-reads
rules. ``failover`` promotes a replica and reports which acknowledged writes it
never had.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field

__all__ = ["Ack", "Cluster", "Mode", "Replica", "Session", "Unavailable"]


class Mode(enum.Enum):
    """How many replicas must have applied a write before it is acknowledged."""

    ASYNC = "async"  # none: acknowledge once the primary has it
    SEMI_SYNC = "semi-sync"  # at least one replica
    SYNC = "sync"  # every replica


class Unavailable(Exception):
    """The write cannot be acknowledged: too few replicas are up for the mode."""


@dataclass(frozen=True)
class Ack:
    """What the client learns: the write's log position and how long it waited."""

    lsn: int
    waited: int


@dataclass
class Replica:
    """A copy that applies the primary's log strictly in order."""

    name: str
    data: dict[str, str] = field(default_factory=dict)
    applied_lsn: int = 0
    up: bool = True
    # (arrives_at, lsn, key, value), in log order; arrival times never decrease
    inbox: list[tuple[int, int, str, str]] = field(default_factory=list)


class Cluster:
    """A primary and ``replicas`` replicas; ``max_lag`` bounds the shipping delay.

    >>> c = Cluster(replicas=2, mode=Mode.ASYNC, seed=1)
    >>> c.write("x", "1")
    Ack(lsn=1, waited=0)
    >>> [r.data.get("x") for r in c.replicas]
    [None, None]
    >>> c.advance(c.max_lag)
    >>> [r.data.get("x") for r in c.replicas]
    ['1', '1']
    """

    def __init__(
        self, replicas: int = 2, mode: Mode = Mode.ASYNC, seed: int = 0, max_lag: int = 5
    ) -> None:
        if not isinstance(mode, Mode):
            raise TypeError(f"mode must be a Mode, not {type(mode).__name__}")
        if replicas < 1:
            raise ValueError(f"replicas must be at least 1, got {replicas}")
        if max_lag < 1:
            raise ValueError(f"max_lag must be at least 1 tick, got {max_lag}")
        self.mode = mode
        self.max_lag = max_lag
        self.rng = random.Random(seed)
        self.now = 0
        self.lsn = 0
        self.primary: dict[str, str] = {}
        self.replicas = [Replica(f"r{i + 1}") for i in range(replicas)]
        self.acked: list[int] = []

    def needed(self) -> int:
        """Replicas that must have applied a write before it is acknowledged."""
        wait = {Mode.ASYNC: 0, Mode.SEMI_SYNC: 1, Mode.SYNC: len(self.replicas)}
        return wait[self.mode]  # break[no-mode-waits]

    def write(self, key: str, value: str) -> Ack:
        """Apply on the primary, ship to every replica, wait as the mode says.

        Raises ``Unavailable`` (and changes nothing) when fewer replicas are up
        than the mode must wait for: a synchronous primary with a dead replica
        cannot acknowledge anything.
        """
        up = [r for r in self.replicas if r.up]
        if len(up) < self.needed():
            raise Unavailable(f"{self.mode.value} needs {self.needed()} replicas up, {len(up)} are")
        self.lsn += 1
        self.primary[key] = value
        arrivals = []
        for r in up:
            after = r.inbox[-1][0] if r.inbox else self.now
            # a stream: an entry never overtakes the one shipped before it
            arrives = max(after, self.now + self.rng.randint(1, self.max_lag))
            r.inbox.append((arrives, self.lsn, key, value))
            arrivals.append(arrives)
        waited = 0
        if self.needed():
            nth = self.needed() - 1  # break[sync-waits-for-the-fastest]
            waited = sorted(arrivals)[nth] - self.now
            self.advance(waited)
        self.acked.append(self.lsn)
        return Ack(self.lsn, waited)

    def advance(self, ticks: int) -> None:
        """Let ``ticks`` pass; each live replica applies what has arrived, in order."""
        if ticks < 0:
            raise ValueError(f"time only moves forward, got {ticks} ticks")
        self.now += ticks
        for r in self.replicas:
            while r.up and r.inbox and r.inbox[0][0] <= self.now:
                _, lsn, key, value = r.inbox.pop(0)
                r.data[key] = value
                r.applied_lsn = lsn

    def lag(self) -> dict[str, int]:
        """How many log entries each replica is behind the primary."""
        return {r.name: self.lsn - r.applied_lsn for r in self.replicas}

    def failover(self) -> list[int]:
        """The primary dies; promote the most advanced live replica.

        Returns the acknowledged LSNs the new primary never applied: writes a
        client was told had succeeded, and that are now gone. The other replicas
        re-sync from the new primary.
        """
        live = [r for r in self.replicas if r.up]
        if not live:
            raise Unavailable("no live replica to promote")
        new = max(live, key=lambda r: r.applied_lsn)  # break[promote-any-replica]
        lost = [lsn for lsn in self.acked if lsn > new.applied_lsn]
        self.primary = dict(new.data)
        self.lsn = new.applied_lsn
        self.acked = [lsn for lsn in self.acked if lsn <= new.applied_lsn]
        self.replicas = [
            Replica(r.name, dict(new.data), new.applied_lsn) for r in live if r is not new
        ] or [Replica("r-new", dict(new.data), new.applied_lsn)]
        return lost


class Session:
    """A client that writes to the primary and reads from a random replica.

    With ``read_your_writes`` it remembers the LSN of its last write and reads
    from a replica only if that replica has applied it; otherwise the primary.
    With ``monotonic`` it remembers the highest LSN its reads have reflected and
    never reads from a replica behind it (monotonic reads), again falling back
    to the primary.
    """

    def __init__(self, cluster: Cluster, read_your_writes: bool, monotonic: bool = False) -> None:
        self.cluster = cluster
        self.read_your_writes = read_your_writes
        self.monotonic = monotonic
        self.last_lsn = 0
        self.seen_lsn = 0  # the highest log position any of this session's reads reflected
        self.primary_reads = 0

    def write(self, key: str, value: str) -> Ack:
        ack = self.cluster.write(key, value)
        self.last_lsn = ack.lsn
        return ack

    def read(self, key: str) -> str | None:
        replica = self.cluster.rng.choice(self.cluster.replicas)
        behind = replica.applied_lsn < self.last_lsn  # break[read-your-writes-off-by-one]
        older = replica.applied_lsn < self.seen_lsn  # break[monotonic-reads-off]
        if (self.read_your_writes and behind) or (self.monotonic and older):
            self.primary_reads += 1
            self.seen_lsn = self.cluster.lsn
            return self.cluster.primary.get(key)
        self.seen_lsn = max(self.seen_lsn, replica.applied_lsn)
        return replica.data.get(key)
