"""Two-phase commit, its blocking failure, and sagas: a model and PostgreSQL's real thing.

The code behind ``distributed_tx.md``. ``Participant`` and ``Coordinator`` are an
in-memory model of 2PC with crash points, so every failure can be replayed
exactly; ``run_saga`` is the compensating alternative. The ``pg_*`` functions
drive PostgreSQL's ``PREPARE TRANSACTION`` / ``COMMIT PREPARED`` on connections
passed in (psycopg's ``Connection`` in autocommit mode) and hold the SQL they run.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Vote(enum.Enum):
    YES = "yes"
    NO = "no"


class State(enum.Enum):
    PREPARED = "prepared"  # voted yes: may neither commit nor abort on its own
    COMMITTED = "committed"
    ABORTED = "aborted"


class Participant:
    """A resource manager: a key/value store with a lock per key.

    ``prepare`` takes the locks and makes the writes durable-but-pending, then
    votes; once it has voted YES it must keep the locks until the coordinator
    says commit or abort, whatever happens to the coordinator.

    >>> p = Participant("stock", {"pen": 5})
    >>> p.prepare("t1", {"pen": 4}), p.locked
    (<Vote.YES: 'yes'>, {'pen': 't1'})
    >>> p.commit("t1"); p.data, p.locked
    ({'pen': 4}, {})
    """

    def __init__(self, name: str, data: Mapping[str, int], *, refuse: bool = False) -> None:
        self.name = name
        self.data = dict(data)
        self.refuse = refuse  # vote NO (a constraint would fail, the disk is full...)
        self.locked: dict[str, str] = {}
        self.pending: dict[str, dict[str, int]] = {}
        self.state: dict[str, State] = {}

    def prepare(self, txid: str, writes: Mapping[str, int]) -> Vote:
        """Phase 1: lock the keys and vote. A key locked by another transaction means NO."""
        if self.refuse or any(self.locked.get(k, txid) != txid for k in writes):
            self.state[txid] = State.ABORTED
            return Vote.NO
        for k in writes:
            self.locked[k] = txid  # break[prepare-takes-no-locks]
        self.pending[txid] = dict(writes)
        self.state[txid] = State.PREPARED
        return Vote.YES

    def commit(self, txid: str) -> None:
        """Phase 2: apply the pending writes and release the locks."""
        if self.state.get(txid) is not State.PREPARED:
            raise ValueError(f"{self.name}: cannot commit {txid!r} in state {self.state.get(txid)}")
        self.data.update(self.pending.pop(txid))
        self._release(txid, State.COMMITTED)

    def abort(self, txid: str) -> None:
        """Phase 2 (or a NO vote): drop the pending writes and release the locks."""
        if self.state.get(txid) is State.COMMITTED:
            raise ValueError(f"{self.name}: {txid!r} already committed, cannot abort")
        self.pending.pop(txid, None)
        self._release(txid, State.ABORTED)

    def in_doubt(self) -> list[str]:
        """Transactions prepared and still waiting for the coordinator's decision."""
        return sorted(t for t, s in self.state.items() if s is State.PREPARED)

    def _release(self, txid: str, state: State) -> None:
        self.locked = {k: t for k, t in self.locked.items() if t != txid}
        self.state[txid] = state


class Crash(enum.Enum):
    """Where the coordinator dies."""

    AFTER_PREPARE = "every participant voted, no decision written"
    AFTER_FIRST_COMMIT = "decision written, only the first participant told"


class CoordinatorCrashed(Exception):
    """The coordinator died at the crash point it was given."""


@dataclass
class Coordinator:
    """The 2PC coordinator. ``log`` is its durable log: it survives a crash, and
    ``recover`` finishes every transaction from it (presumed abort: no COMMIT
    record means abort)."""

    participants: list[Participant]
    log: dict[str, str] = field(default_factory=dict)

    def run(
        self, txid: str, writes: Mapping[str, Mapping[str, int]], crash: Crash | None = None
    ) -> bool:
        """Commit ``writes`` (participant name -> its writes) atomically; True if committed.

        Raises CoordinatorCrashed at ``crash``; ValueError for an unknown participant.
        """
        by_name = {p.name: p for p in self.participants}
        unknown = sorted(set(writes) - set(by_name))
        if unknown:
            raise ValueError(f"unknown participant(s): {', '.join(unknown)}")
        involved = [by_name[n] for n in writes]
        votes = [p.prepare(txid, writes[p.name]) for p in involved]
        if crash is Crash.AFTER_PREPARE:
            raise CoordinatorCrashed(crash.value)
        if any(v is Vote.NO for v in votes):  # break[commit-on-any-yes]
            self.log[txid] = "abort"
            for p in involved:
                p.abort(txid)
            return False
        self.log[txid] = "commit"  # break[no-decision-record]
        for i, p in enumerate(involved):
            p.commit(txid)  # break[log-after-telling]
            if crash is Crash.AFTER_FIRST_COMMIT and i == 0:
                raise CoordinatorCrashed(crash.value)
        return True

    def recover(self) -> dict[str, str]:
        """After a restart: finish every in-doubt transaction from the log."""
        done: dict[str, str] = {}
        for p in self.participants:
            for txid in p.in_doubt():
                decision = self.log.get(txid, "abort")  # presumed abort
                if decision == "commit":
                    p.commit(txid)
                else:
                    p.abort(txid)
                done[txid] = decision
        return done


@dataclass(frozen=True)
class Step:
    """One local transaction of a saga and the one that undoes it."""

    name: str
    action: Callable[[], None]
    compensation: Callable[[], None]


def run_saga(steps: Sequence[Step]) -> list[str]:
    """Run ``steps`` in order; if one raises, compensate the completed ones newest first.

    Returns the log of what ran. Each step commits on its own, so between steps
    other readers see the partial state: a saga gives atomicity eventually, never
    isolation.

    >>> def fail() -> None: raise RuntimeError("card declined")
    >>> run_saga([Step("reserve", lambda: None, lambda: None), Step("charge", fail, lambda: None)])
    ['do reserve', 'fail charge: card declined', 'undo reserve']
    """
    log: list[str] = []
    done: list[Step] = []
    for step in steps:
        try:
            step.action()
        except Exception as exc:
            log.append(f"fail {step.name}: {exc}")
            for prev in reversed(done):  # break[compensate-oldest-first]
                prev.compensation()
                log.append(f"undo {prev.name}")
            return log
        done.append(step)
        log.append(f"do {step.name}")
    return log


# --- PostgreSQL -------------------------------------------------------------


class Connection(Protocol):
    """What the PostgreSQL functions need: psycopg's ``Connection`` with autocommit on."""

    def execute(self, query: Any, params: Any = ...) -> Any: ...


# A gid is a string literal of at most 200 bytes; PREPARE TRANSACTION takes no
# bind parameters, so it is checked here and quoted.
_GID = re.compile(r"[A-Za-z0-9_.:-]{1,200}")


def _gid(gid: str) -> str:
    if not isinstance(gid, str) or not _GID.fullmatch(gid):
        raise ValueError(f"gid must be 1-200 characters of [A-Za-z0-9_.:-], got {gid!r}")
    return f"'{gid}'"


def pg_prepare(conn: Connection, gid: str, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Phase 1 on one participant: run ``statements`` in a transaction and prepare it.

    After this the transaction belongs to no session: it survives the connection
    closing (and a server restart) and keeps its locks until COMMIT/ROLLBACK PREPARED.
    An error in a statement rolls the transaction back and is raised (a NO vote).
    """
    quoted = _gid(gid)
    conn.execute("BEGIN")
    try:
        for sql, params in statements:
            conn.execute(sql, params)
    except Exception:
        conn.execute("ROLLBACK")
        raise
    conn.execute(f"PREPARE TRANSACTION {quoted}")


def pg_finish(conn: Connection, gid: str, *, commit: bool) -> None:
    """Phase 2 for one prepared transaction, from any session of the same database."""
    verb = "COMMIT PREPARED" if commit else "ROLLBACK PREPARED"
    conn.execute(f"{verb} {_gid(gid)}")


def pg_two_phase_commit(
    work: Sequence[tuple[Connection, Sequence[tuple[str, Sequence[Any]]]]],
    gid_prefix: str,
    *,
    crash_after_prepare: bool = False,
) -> bool:
    """Commit every participant's statements or none; True if committed.

    Participant i prepares as ``{gid_prefix}_{i}``. If any fails to prepare, the
    ones already prepared are rolled back. ``crash_after_prepare`` stops after
    phase 1, as a coordinator that dies there would.

    This is the protocol's happy path only: it keeps no durable decision log and
    does not retry ``COMMIT PREPARED``. A real coordinator logs its decision
    before phase 2 and retries each ``COMMIT PREPARED`` until it succeeds, as
    ``Coordinator`` does.
    """
    gids = [f"{gid_prefix}_{i}" for i in range(len(work))]
    for gid in gids:
        _gid(gid)  # refuse a bad gid before anything is prepared
    prepared: list[tuple[Connection, str]] = []
    for gid, (conn, statements) in zip(gids, work, strict=True):
        try:
            pg_prepare(conn, gid, statements)
        except Exception:
            for c, g in prepared:
                pg_finish(c, g, commit=False)
            return False
        prepared.append((conn, gid))
    if crash_after_prepare:
        raise CoordinatorCrashed(Crash.AFTER_PREPARE.value)
    for conn, gid in prepared:
        pg_finish(conn, gid, commit=True)
    return True


IN_DOUBT_SQL = "SELECT gid, database, owner FROM pg_prepared_xacts WHERE gid LIKE %s ORDER BY gid"

# Locks of prepared transactions belong to no backend: their pid is NULL. Each
# one's own transaction-id lock links its gid (pg_prepared_xacts.transaction) to
# the virtual transaction every other lock it holds is listed under.
PREPARED_LOCKS_SQL = """
WITH px AS (
  SELECT p.gid, l.virtualtransaction
  FROM pg_prepared_xacts p
  JOIN pg_locks l ON l.locktype = 'transactionid' AND l.transactionid = p.transaction
  WHERE p.gid LIKE %s
)
SELECT px.gid, l.locktype, l.mode, c.relname
FROM px
JOIN pg_locks l ON l.virtualtransaction = px.virtualtransaction AND l.pid IS NULL
LEFT JOIN pg_class c ON c.oid = l.relation
ORDER BY px.gid, l.locktype, c.relname, l.mode
"""


def pg_in_doubt(conn: Connection, gid_prefix: str) -> list[tuple[str, str, str]]:
    """Prepared transactions whose gid starts with ``gid_prefix``: (gid, database, owner)."""
    rows = conn.execute(IN_DOUBT_SQL, (gid_prefix + "%",)).fetchall()
    return [(str(g), str(d), str(o)) for g, d, o in rows]


def pg_prepared_locks(conn: Connection, gid_prefix: str) -> list[tuple[str, str, str, str | None]]:
    """Locks held by those prepared transactions: (gid, locktype, mode, relation)."""
    rows = conn.execute(PREPARED_LOCKS_SQL, (gid_prefix + "%",)).fetchall()
    return [(str(g), str(t), str(m), None if r is None else str(r)) for g, t, m, r in rows]
