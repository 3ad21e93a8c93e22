"""Idempotency keys: a retried or duplicated request runs once and gets the stored response.

Why interviewers ask this:
    "Design a payments API" always reaches the retry question: the client timed
    out, did the charge happen? Retrying must be safe, so the client sends an
    ``Idempotency-Key`` and the server promises that every request with that
    key has the effect of one. Interviewers want the race (two copies of the
    request arriving at once), the scoping, and what happens when the key is
    reused with a different body.

Common pitfalls:
    - Check-then-act (``NaiveIdempotency``): "look the key up, run, store the
      result" lets two concurrent duplicates both miss the lookup and both run.
      The claim must be atomic: a lock in one process, a unique constraint
      (``INSERT ... ON CONFLICT``) or ``SET NX`` across processes.
    - Keys global instead of per client: two clients that both pick key
      ``"1"`` would get each other's responses. Scope the key by the
      authenticated client, never by the header value alone.
    - Replaying for a different body: the same key with another amount is a
      client bug; returning the first response hides it. Store a fingerprint
      of the request and refuse a mismatch (Stripe answers with an
      ``idempotency_error``; the IETF Idempotency-Key draft says 422). The
      fingerprint must cover the method and path as well as the body, e.g.
      ``fingerprint({"method": ..., "path": ..., "body": ...})``: a refund
      sent under a charge's key with the same body would otherwise be
      answered with the charge's response. Canonical JSON is typed (``5`` and
      ``5.0`` differ), so fingerprint the body after schema validation.
    - Leaving a key "in progress" after the handler raised: the retry, which
      is the whole point, is then refused until the key expires. Either
      release the claim (this store; safe only when the failed attempt left no
      effect) or store the failure as the response (Stripe's v1 API replays
      even a 500).
    - Keeping keys forever: storage grows without bound; keys expire after a
      window (Stripe may remove a key once it is 24 hours old). Only finished
      keys expire: a key whose first request is still running past the window
      must stay claimed, or a duplicate runs the handler a second time.

Key takeaways:
    - The first request claims ``(client, key)`` atomically and stores its
      fingerprint; it runs the handler and stores the response.
    - A duplicate with the same fingerprint gets the stored response
      (``replayed=True``) and the handler does not run again; one that arrives
      while the first is still running gets ``RequestInProgressError`` (HTTP
      409) and retries later; one with another fingerprint gets
      ``KeyReusedError``.
    - A handler that raises releases the claim, so a retry runs it.
    - A finished key is replayed for ``ttl`` seconds and then treated as new;
      keys are at most 255 characters (Stripe's limit).
    - On PostgreSQL, ``INSERT ... ON CONFLICT DO NOTHING`` on the primary key
      ``(client_id, key)`` is the claim. A second transaction inserting the
      same key *waits* for the first to commit or roll back. At READ COMMITTED
      (the default) it then sees the conflict (and replays) or claims the key
      itself; under REPEATABLE READ or SERIALIZABLE it fails with a
      serialization failure (SQLSTATE 40001) instead, and the retry the
      client must then make replays. Doing the side effect in the same
      transaction as the claim makes "ran once" exact. Expire keys there with
      a job: ``DELETE FROM idempotency_keys WHERE created_at < now() -
      interval '24 hours'``.

What to look for in an answer:
    An atomic claim, the fingerprint check, per-client scope, in-flight
    duplicates, failure handling, expiry, and where the response is stored
    relative to the effect.
    Follow-ups:
    - The effect is an external call (a card network), not a row in your
      database? (You cannot put it in your transaction. Record progress in
      the key's row ("started", "charged") and pass the idempotency key on
      to the downstream API, so a retry after a crash resumes instead of
      charging twice: the "atomic phases" and "recovery points" of Brandur
      Leach's write-up on Stripe-style keys in PostgreSQL.)
    - Why not just make the operation naturally idempotent? (Where you can
      ("set status to shipped"), do; "charge 10 dollars" is not, and needs
      the key.)
    - Across a fleet without PostgreSQL? (Redis ``SET key value NX PX ttl``
      as the claim, DynamoDB ``PutItem`` with ``attribute_not_exists``; both
      give one winner per key.)
    - Which status for the in-flight duplicate? (409 Conflict, as the IETF
      draft says; or block until the first finishes, which ties up a worker
      per duplicate: that is what the PostgreSQL twin does, inside the
      database.)
    - Should a failed request be replayed? (A final failure such as a
      declined card, yes: it is the answer. A crash or a timeout before any
      effect, no: release the key so the retry can run.)
    - The worker crashed after marking the key "started" (a multi-phase
      handler)? (Keep a ``locked_at`` lease on the row: a retry may take the
      key over only once the lease has expired, and resumes from the last
      recovery point. With one transaction, as in the PostgreSQL twin, a
      crash is simply a rollback.)
    - What exactly do you store? (The status code, the headers that matter
      and the body, so the replay is identical; plus the fingerprint, which
      includes the endpoint.)
    - How does the client make keys? (A random UUID per logical operation,
      saved before the first attempt and reused on every retry; a fresh key
      per retry defeats the scheme.)
    - Your database runs SERIALIZABLE? (The waiting duplicate gets 40001;
      retry the transaction, which then replays.)

On the real engine:
    PostgreSQL 15.20 through psycopg 3 runs ``PG_SCHEMA`` and ``pg_execute_once``.
    ``test_pg_a_racing_duplicate_waits_on_the_unique_key_then_replays``
    holds the first transaction open, observes the second connection's INSERT
    waiting on a lock in ``pg_stat_activity`` and ``pg_locks``, commits the
    first, and sees the second replay: one payment row.
    ``test_pg_a_rolled_back_claim_lets_the_waiting_duplicate_run`` aborts the
    first instead and the waiting one claims the key and runs.
    ``test_pg_under_repeatable_read_the_waiting_duplicate_fails_then_replays``
    runs the same race with the second connection at REPEATABLE READ: it
    fails with SQLSTATE 40001, and its retry replays.
    ``test_pg_another_body_under_the_same_key_is_refused`` and
    ``test_pg_the_same_key_from_another_client_is_a_new_request`` check the
    fingerprint and the scope in SQL.

Complexity:
    O(1) dictionary work per request; on PostgreSQL one primary-key insert
    (and one lookup for a duplicate).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "MAX_KEY_LENGTH",
    "PG_SCHEMA",
    "IdempotencyStore",
    "KeyReusedError",
    "NaiveIdempotency",
    "Outcome",
    "RequestInProgressError",
    "fingerprint",
    "pg_execute_once",
]


class KeyReusedError(Exception):
    """The key was already used for a request with a different body."""


class RequestInProgressError(Exception):
    """A request with this key is still running; retry later (HTTP 409)."""


@dataclass(frozen=True)
class Outcome:
    response: str
    replayed: bool


def fingerprint(body: object) -> str:
    """SHA-256 of the body as canonical JSON: key order does not matter.

    >>> fingerprint({"a": 1, "b": 2}) == fingerprint({"b": 2, "a": 1})
    True
    """
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


MAX_KEY_LENGTH = 255


def _check_ids(client_id: str, key: str) -> None:
    for name, value in (("client_id", client_id), ("key", key)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str, got {value!r}")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"key must be at most {MAX_KEY_LENGTH} characters, got {len(key)}")


class NaiveIdempotency:
    """The pitfall: look up, run, store, with nothing atomic in between."""

    def __init__(self) -> None:
        self._done: dict[str, str] = {}

    def handle(self, key: str, body: object, handler: Callable[[object], str]) -> Outcome:
        if key in self._done:
            return Outcome(self._done[key], replayed=True)
        response = handler(body)  # a concurrent duplicate is already past the check
        self._done[key] = response
        return Outcome(response, replayed=False)


@dataclass
class _Record:
    fingerprint: str
    created: float
    response: str | None = None  # None while the first request is running


class IdempotencyStore:
    """Run each (client, key) once; replay its response to duplicates for ``ttl`` seconds.

    >>> store = IdempotencyStore(ttl=60, clock=lambda: 0.0)
    >>> store.handle("acme", "k1", {"amount": 5}, lambda b: "charged")
    Outcome(response='charged', replayed=False)
    >>> store.handle("acme", "k1", {"amount": 5}, lambda b: "charged again")
    Outcome(response='charged', replayed=True)
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl > 0:
            raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
        self._ttl = float(ttl)
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[tuple[str, str], _Record] = {}

    def handle(
        self, client_id: str, key: str, body: object, handler: Callable[[object], str]
    ) -> Outcome:
        """Run ``handler(body)`` unless this client already used ``key``.

        Raises KeyReusedError (same key, other body), RequestInProgressError (the
        first is still running), ValueError (empty ids, a key over 255
        characters) and whatever the handler
        raises (the claim is then released). A key still being processed never
        expires. O(1) besides the handler.
        """
        _check_ids(client_id, key)
        scope = (client_id, key)  # break[global-keys]
        fp = fingerprint(body)
        now = self._clock()
        with self._lock:
            record = self._records.get(scope)
            if record is not None and now - record.created >= self._ttl:
                # expired: the key may be used afresh, unless its request is still running
                record = None if record.response is not None else record  # break[expire-in-flight]
            if record is not None:
                if record.fingerprint != fp:  # break[no-fingerprint]
                    raise KeyReusedError(f"key {key!r} was used with a different body")
                if record.response is None:
                    raise RequestInProgressError(f"key {key!r} is still being processed")
                return Outcome(record.response, replayed=True)
            self._records[scope] = _Record(fp, now)  # break[no-claim]
        # The handler runs outside the lock: duplicates are answered at once.
        try:
            response = handler(body)
        except BaseException:
            with self._lock:
                self._records.pop(scope, None)  # break[keep-failed-claim]
            raise
        with self._lock:
            self._records[scope] = _Record(fp, now, response)
        return Outcome(response, replayed=False)

    def __len__(self) -> int:
        """Keys held, expired ones included until ``purge``."""
        return len(self._records)

    def purge(self) -> int:
        """Forget finished keys older than ``ttl``; return how many. O(n)."""
        now = self._clock()
        with self._lock:
            old = [
                k
                for k, r in self._records.items()
                if r.response is not None and now - r.created >= self._ttl
            ]
            for k in old:
                del self._records[k]
        return len(old)


class ConnectionLike(Protocol):
    """What ``psycopg.Connection`` offers (one transaction open at a time)."""

    def execute(self, query: str, params: Sequence[Any] = ..., /) -> Any: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


PG_SCHEMA = """
CREATE TABLE idempotency_keys (
    client_id   text NOT NULL,
    key         text NOT NULL,
    fingerprint text NOT NULL,
    response    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, key)
)
"""

_CLAIM = """
INSERT INTO idempotency_keys (client_id, key, fingerprint) VALUES (%s, %s, %s)
ON CONFLICT (client_id, key) DO NOTHING
RETURNING 1
"""
_STORE = "UPDATE idempotency_keys SET response = %s WHERE client_id = %s AND key = %s"
_LOOKUP = "SELECT fingerprint, response FROM idempotency_keys WHERE client_id = %s AND key = %s"


def pg_execute_once(
    conn: ConnectionLike,
    client_id: str,
    key: str,
    body: object,
    effect: Callable[[ConnectionLike], str],
) -> Outcome:
    """Claim the key, run ``effect(conn)`` and store its response in ONE transaction.

    A concurrent duplicate's INSERT blocks on the uncommitted row until this
    transaction ends. Raises KeyReusedError, ValueError, or what ``effect``
    raises (after a rollback, which releases the claim).
    """
    _check_ids(client_id, key)
    fp = fingerprint(body)
    try:
        claimed = conn.execute(_CLAIM, (client_id, key, fp)).fetchone()
        if claimed is None:
            fp_stored, response = conn.execute(_LOOKUP, (client_id, key)).fetchone()
            conn.commit()
            if fp_stored != fp:
                raise KeyReusedError(f"key {key!r} was used with a different body")
            return Outcome(response, replayed=True)
        response = effect(conn)
        conn.execute(_STORE, (response, client_id, key))
        conn.commit()
        return Outcome(response, replayed=False)
    except BaseException:
        conn.rollback()
        raise
