"""database.mvcc: a small multi-version store with PostgreSQL's visibility rule, and
helpers that read the real thing.

``VersionStore`` keeps every row version with the ``xmin`` (creating transaction) and
``xmax`` (deleting or replacing transaction) PostgreSQL stores in each tuple header;
a transaction reads through a snapshot taken when it began (REPEATABLE READ), and
``vacuum`` removes versions no running snapshot can see. ``vacuum_counts`` parses
PostgreSQL's ``VACUUM (VERBOSE)`` report; ``wal_checkpoint`` asks sqlite3 how much of
its write-ahead log a checkpoint could copy back while readers hold old snapshots.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field


class WriteConflict(Exception):
    """A transaction tried to replace a version that a later transaction replaced:
    PostgreSQL's "could not serialize access due to concurrent update" (40001)."""


@dataclass
class Version:
    """One version of a row: created by ``xmin``, ended by ``xmax`` (0: still live)."""

    value: str
    xmin: int
    xmax: int = 0


@dataclass(frozen=True)
class Snapshot:
    """What a transaction may see: transactions below ``xmin`` had finished when it
    was taken, those from ``xmax`` on had not (in this model: had not started),
    ``running`` were in progress."""

    xmin: int
    xmax: int
    running: frozenset[int]

    def sees(self, xid: int) -> bool:
        """Whether ``xid``'s effects are in this snapshot (if ``xid`` committed)."""
        return xid < self.xmax and xid not in self.running  # break[ignore-running]


@dataclass
class VersionStore:
    """Rows as chains of versions, transactions as ids handed out in order.

    >>> db = VersionStore()
    >>> t1 = db.begin(); db.write(t1, "k", "v1"); db.commit(t1)
    >>> reader = db.begin()
    >>> t2 = db.begin(); db.write(t2, "k", "v2"); db.commit(t2)
    >>> db.read(reader, "k"), db.read(db.begin(), "k")
    ('v1', 'v2')
    >>> [(v.value, v.xmin, v.xmax) for v in db.rows["k"]]
    [('v1', 1, 3), ('v2', 3, 0)]
    """

    rows: dict[str, list[Version]] = field(default_factory=dict)
    next_xid: int = 1
    committed: set[int] = field(default_factory=set)
    snapshots: dict[int, Snapshot] = field(default_factory=dict)

    def begin(self) -> int:
        """Start a transaction; its snapshot is taken now. Returns its id."""
        xid = self.next_xid
        self.next_xid += 1
        running = frozenset(self.snapshots)
        self.snapshots[xid] = Snapshot(min(running, default=xid), xid, running)
        return xid

    def _snapshot(self, xid: int) -> Snapshot:
        try:
            return self.snapshots[xid]
        except KeyError:
            raise ValueError(f"transaction {xid} is not running") from None

    def _visible(self, version: Version, xid: int) -> bool:
        snap = self._snapshot(xid)

        def done(other: int) -> bool:  # this transaction, or committed before the snapshot
            mine = other == xid  # break[own-writes-invisible]
            return mine or (other in self.committed and snap.sees(other))

        return done(version.xmin) and not (version.xmax and done(version.xmax))

    def read(self, xid: int, key: str) -> str | None:
        """The version of ``key`` transaction ``xid`` sees, or None; ValueError if
        ``xid`` is not running."""
        self._snapshot(xid)
        for version in self.rows.get(key, []):
            if self._visible(version, xid):
                return version.value
        return None

    def write(self, xid: int, key: str, value: str | None) -> None:
        """Replace (or with None delete) ``key``: the visible version gets ``xmax = xid``
        and a new version with ``xmin = xid`` is appended; nothing is overwritten.
        Raises WriteConflict if a newer version than the one ``xid`` sees exists."""
        snap = self._snapshot(xid)

        def concurrent(other: int) -> bool:  # still running, or committed after the snapshot
            return other != xid and (
                other in self.snapshots or (other in self.committed and not snap.sees(other))
            )

        chain = self.rows.setdefault(key, [])
        for version in chain:
            ended = version.xmax != 0 and concurrent(version.xmax)  # break[no-delete-conflict]
            if concurrent(version.xmin) or ended:
                raise WriteConflict(f"{key!r} was changed by a concurrent transaction")
        for version in chain:
            if self._visible(version, xid):
                version.xmax = xid  # break[no-xmax]
        if value is not None:
            chain.append(Version(value, xid))

    def commit(self, xid: int) -> None:
        """End ``xid``; its versions become visible to snapshots taken from now on."""
        self._snapshot(xid)
        del self.snapshots[xid]
        self.committed.add(xid)

    def abort(self, xid: int) -> None:
        """End ``xid`` without committing: its versions are never visible."""
        self._snapshot(xid)
        del self.snapshots[xid]

    def horizon(self) -> int:
        """The oldest transaction a running snapshot may still need to see."""
        oldest = (snap.xmin for snap in self.snapshots.values())  # break[horizon-own-ids]
        return min(oldest, default=self.next_xid)

    def vacuum(self) -> int:
        """Remove versions no running snapshot can see: ended by a committed
        transaction older than the horizon, or created by an aborted one.
        Returns how many it removed."""
        horizon = self.horizon()  # break[vacuum-ignores-snapshots]
        removed = 0
        for key, chain in self.rows.items():
            keep = [
                v
                for v in chain
                if not (v.xmax in self.committed and v.xmax < horizon)  # break[horizon-inclusive]
                and (v.xmin in self.committed or v.xmin in self.snapshots)
            ]
            removed += len(chain) - len(keep)
            self.rows[key] = keep
        return removed

    def dead(self) -> int:
        """Versions no transaction starting now would see."""
        xid = self.begin()
        count = sum(not self._visible(v, xid) for chain in self.rows.values() for v in chain)
        self.abort(xid)
        return count


_VACUUM = re.compile(r"tuples: (\d+) removed, (\d+) remain, (\d+) are dead but not yet removable")


def vacuum_counts(report: str) -> tuple[int, int, int]:
    """``(removed, remain, dead but not yet removable)`` from a PostgreSQL
    ``VACUUM (VERBOSE)`` report (the wording of PostgreSQL 15).

    >>> vacuum_counts("tuples: 20 removed, 10 remain, 0 are dead but not yet removable")
    (20, 10, 0)
    """
    match = _VACUUM.search(report)
    if match is None:
        raise ValueError(f"not a VACUUM VERBOSE tuple report: {report!r}")
    removed, remain, kept = (int(g) for g in match.groups())
    return removed, remain, kept


def wal_checkpoint(conn: sqlite3.Connection) -> tuple[int, int]:
    """Run a passive checkpoint; returns ``(frames in the WAL, frames copied back into
    the database)``. Frames newer than the oldest reader's snapshot stay in the WAL."""
    busy, log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if busy:
        raise RuntimeError("another checkpoint is running")
    return int(log), int(copied)
