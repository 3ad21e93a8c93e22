"""Outbox and inbox: publish exactly what committed, even after a crash; apply each message once.

Why interviewers ask this:
    "Save the order, then publish OrderPlaced to Kafka" is two writes to two
    systems with no transaction spanning them (the dual-write problem). A crash
    between them either loses the event (committed, not published) or
    publishes a ghost (published, rolled back). The outbox pattern turns the
    second write into a row in the same database transaction; a relay
    publishes it later. Interviewers follow up with "so the relay can publish
    twice?", which is where the consumer's inbox comes in.

Common pitfalls:
    - Dual write (``place_order_dual_write``): commit, then publish. A crash in
      between leaves the order saved and no event, forever.
    - Publishing inside the transaction, before commit: a rollback after the
      publish leaves consumers acting on an order that does not exist (the
      ghost event).
    - Believing the relay gives exactly-once: it publishes, then marks the row.
      A crash between the two publishes the row again on restart. Delivery is
      at-least-once; consumers must deduplicate.
    - An inbox written in a separate transaction from the effect: a crash
      between them loses the effect (marked first, not applied); marking after
      the effect instead applies it twice on redelivery (applied, not
      marked). The message id and the effect commit together.
    - A relay that remembers "the last id I published" and asks for
      ``id > last``: ids are handed out at insert time, so a transaction that
      commits late with a smaller id is skipped forever. Mark each row (as
      here), claim rows with ``SKIP LOCKED``, or tail the WAL.
    - Several relays reading the same unpublished rows: each publishes them.
      Lock the rows you take and skip the locked ones
      (``FOR UPDATE SKIP LOCKED``), or run one relay per partition.

Key takeaways:
    - ``place_order`` writes the order and its outbox row in one transaction:
      a crash before commit publishes nothing, a crash after commit still
      publishes, because the relay reads the outbox.
    - ``relay_once`` publishes unpublished rows in id order, then marks them;
      a crash after a publish repeats it (at-least-once). On PostgreSQL
      ``pg_claim_batch`` takes the oldest unlocked rows (``ORDER BY id``);
      several SKIP LOCKED relays publish concurrently, so the order across
      relays is not kept.
    - ``consume`` inserts the message id into the inbox (primary key) and
      applies the effect in the same transaction; a redelivered id finds its
      row there and is skipped, so the effect happens once.
    - In production the relay is often change data capture instead of a
      polling loop: Debezium tails the PostgreSQL WAL (or MySQL binlog) and
      writes outbox rows to Kafka.

What to look for in an answer:
    Names the dual-write problem, puts the event in the same transaction,
    says the relay is at-least-once and the consumer idempotent, and
    knows how several relays share the table.
    Follow-ups:
    - Ordering? (The relay publishes in id order, but ids are handed out at
      insert time, not commit time: a transaction that commits late can hold
      a smaller id than rows already published, so its event goes out after
      them. With several relays only per-key order is worth promising:
      partition by aggregate id, e.g. the Kafka message key. CDC from the WAL
      follows commit order.)
    - The outbox table grows forever? (Delete or partition-drop published
      rows after a retention window; the inbox too, once redelivery past that
      age is impossible.)
    - Why not Kafka transactions? (They make Kafka-to-Kafka processing
      exactly-once; they cannot enlist your PostgreSQL transaction.)
    - Why not two-phase commit (XA)? (JMS brokers such as IBM MQ and
      ActiveMQ Artemis support it, but Kafka, SQS and most cloud brokers do
      not; it blocks on coordinator failure, and it couples the availability
      of both systems.)
    - How does the relay find new rows fast? (An index on unpublished rows,
      a partial index ``WHERE published_at IS NULL``; or LISTEN/NOTIFY to wake
      it; or CDC.)
    - Why not a high-water mark, "publish ``id > last``"? (It skips a row
      whose transaction commits after a larger id was published; the PostgreSQL
      twin shows it. Use a per-row flag or SKIP LOCKED claims, or CDC. A mark
      can be made safe on PostgreSQL by storing ``pg_current_xact_id()`` in
      each row and advancing only up to ``pg_snapshot_xmin(
      pg_current_snapshot())``: every transaction below that has ended.)
    - Two consumer instances get the same redelivery at once? (On PostgreSQL
      the second ``INSERT ... ON CONFLICT DO NOTHING`` into the inbox waits
      for the first to commit, then inserts nothing and skips: one wins, as
      with idempotency keys.)
    - The effect is in another system (an email, a payment)? (The inbox cannot
      share that transaction; pass the message id downstream as an
      idempotency key.)
    - A poison message that always fails? (Count deliveries, retry a bounded
      number of times, then move it to a dead-letter queue; never block the
      partition forever.)
    - Per-aggregate order with several SKIP LOCKED relays? (SKIP LOCKED alone
      reorders across relays: give each aggregate one relay, e.g. one per
      partition, or take an advisory lock on ``hashtext(aggregate_id)``.)

On the real engine:
    PostgreSQL 15.20 through psycopg 3, with ``PG_SCHEMA``, ``pg_claim_batch``
    and ``pg_relay_once``.
    ``test_pg_two_skip_locked_relays_never_take_the_same_row`` holds relay A's
    batch open while relay B claims: B gets the next rows without waiting, a
    third claim gets the rest, and after both commit every message is
    published exactly once.
    ``test_pg_without_skip_locked_the_second_relay_waits_for_the_first`` runs
    the same claim with plain ``FOR UPDATE``: B is seen waiting on A's
    transaction in ``pg_stat_activity`` (wait event ``Lock``/``transactionid``)
    and gets nothing until A commits; then PostgreSQL re-checks A's rows
    against ``WHERE``, drops them (now published) and hands B the next three.
    Correct, but the relays take turns instead of working in parallel.
    ``test_pg_relays_that_lock_nothing_publish_the_same_rows_twice`` drops the
    lock clause: both relays read m1 and m2 and both publish them.
    ``test_pg_a_high_water_mark_relay_skips_a_row_that_commits_late`` has one
    transaction take id 1 and commit after another's id 2 was published: a
    relay asking for ``id > 2`` never sees it; ``pg_relay_once`` does.
    The relays run with ``lock_timeout`` so a lock wait that never ends fails.

Complexity:
    Each relay pass: one indexed range read of ``batch`` rows (the partial
    index on unpublished rows, in both schemas) and ``batch`` updates; each
    consumed message: one primary-key insert. (``ON CONFLICT DO NOTHING``
    needs SQLite 3.24 or later.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "PG_SCHEMA",
    "SQLITE_CONSUMER_SCHEMA",
    "SQLITE_PRODUCER_SCHEMA",
    "InMemoryBroker",
    "Message",
    "SimulatedCrash",
    "consume",
    "pg_claim_batch",
    "pg_relay_once",
    "place_order",
    "place_order_dual_write",
    "relay_once",
]


class SimulatedCrash(Exception):
    """The process dies here: whatever was not committed is lost."""


@dataclass(frozen=True)
class Message:
    id: str
    topic: str
    payload: str


class BrokerLike(Protocol):
    def publish(self, message: Message) -> None: ...


class ConnectionLike(Protocol):
    """What ``sqlite3.Connection`` and ``psycopg.Connection`` both offer."""

    def execute(self, query: str, params: Sequence[Any] = ..., /) -> Any: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class InMemoryBroker:
    """A broker that keeps every publish, duplicates included."""

    def __init__(self) -> None:
        self.published: list[Message] = []

    def publish(self, message: Message) -> None:
        self.published.append(message)


SQLITE_PRODUCER_SCHEMA = (
    "CREATE TABLE orders (id TEXT PRIMARY KEY, amount INTEGER NOT NULL)",
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL"
    " UNIQUE, topic TEXT NOT NULL, payload TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX outbox_unpublished ON outbox (id) WHERE published = 0",
)
SQLITE_CONSUMER_SCHEMA = (
    "CREATE TABLE inbox (message_id TEXT PRIMARY KEY)",
    "CREATE TABLE revenue (total INTEGER NOT NULL)",
    "INSERT INTO revenue VALUES (0)",
)


_OUTBOX_INSERT = "INSERT INTO outbox (message_id, topic, payload) VALUES (?, ?, ?)"
_INBOX_INSERT = "INSERT INTO inbox (message_id) VALUES (?) ON CONFLICT DO NOTHING"


def _check_order(order_id: str, amount: int) -> None:
    if not isinstance(order_id, str) or not order_id:
        raise ValueError(f"order_id must be a non-empty str, got {order_id!r}")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive int, got {amount!r}")


def _event(order_id: str, amount: int) -> Message:
    payload = json.dumps({"order_id": order_id, "amount": amount}, sort_keys=True)
    return Message(f"order-placed:{order_id}", "orders", payload)


def place_order_dual_write(
    conn: ConnectionLike, broker: BrokerLike, order_id: str, amount: int, crash: bool = False
) -> None:
    """The pitfall: commit the order, then publish; ``crash`` dies in between."""
    _check_order(order_id, amount)
    conn.execute("INSERT INTO orders VALUES (?, ?)", (order_id, amount))
    conn.commit()
    if crash:
        raise SimulatedCrash("after commit, before publish")
    broker.publish(_event(order_id, amount))


def place_order(conn: ConnectionLike, order_id: str, amount: int, crash: bool = False) -> None:
    """Write the order and its event in ONE transaction; ``crash`` dies before commit.

    Raises ValueError for a bad order, SimulatedCrash when asked to crash.
    """
    _check_order(order_id, amount)
    event = _event(order_id, amount)
    try:
        conn.execute("INSERT INTO orders VALUES (?, ?)", (order_id, amount))
        conn.execute(_OUTBOX_INSERT, (event.id, event.topic, event.payload))  # break[no-outbox]
        if crash:
            raise SimulatedCrash("before commit")
        conn.commit()
    except BaseException:
        conn.rollback()  # what the database does for a connection that died mid-transaction
        raise


def relay_once(
    conn: ConnectionLike, broker: BrokerLike, batch: int = 100, crash_after: int | None = None
) -> int:
    """Publish up to ``batch`` unpublished outbox rows in id order, then mark them.

    ``crash_after=n`` dies after the n-th publish, before its row is marked.
    Returns how many rows were published. Raises ValueError for batch < 1.
    """
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ValueError(f"batch must be a positive int, got {batch!r}")
    rows = conn.execute(
        "SELECT id, message_id, topic, payload FROM outbox WHERE published = 0"  # break[republish]
        " ORDER BY id LIMIT ?",
        (batch,),
    ).fetchall()
    try:
        for n, (row_id, message_id, topic, payload) in enumerate(rows, 1):
            broker.publish(Message(message_id, topic, payload))
            if crash_after == n:
                raise SimulatedCrash(f"after publishing {message_id}, before marking it")
            conn.execute("UPDATE outbox SET published = 1 WHERE id = ?", (row_id,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return len(rows)


def consume(
    conn: ConnectionLike,
    message: Message,
    apply: Callable[[ConnectionLike, Message], None],
    crash: bool = False,
) -> bool:
    """Apply ``message`` once: its id enters the inbox in the effect's transaction.

    Returns False for a duplicate (nothing applied). ``crash`` dies after the
    effect, before commit. Raises SimulatedCrash when asked to.
    """
    try:
        # rowcount is 0 when the id was already there: this message is a redelivery
        fresh = conn.execute(_INBOX_INSERT, (message.id,)).rowcount  # break[inbox-apart]
        if fresh == 0:  # break[no-inbox]
            conn.rollback()
            return False
        apply(conn, message)
        if crash:
            raise SimulatedCrash("after applying, before commit")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return True


PG_SCHEMA = """
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    message_id   text NOT NULL UNIQUE,
    topic        text NOT NULL,
    payload      text NOT NULL,
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL
"""

PG_CLAIM = (
    "SELECT id, message_id, topic, payload FROM outbox WHERE published_at IS NULL"
    " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED"
)


def pg_claim_batch(conn: ConnectionLike, batch: int, claim: str = PG_CLAIM) -> list[Message]:
    """Lock up to ``batch`` unpublished rows no other transaction holds; the
    transaction stays open until ``pg_relay_once`` (or the caller) commits."""
    rows = conn.execute(claim, (batch,)).fetchall()
    return [Message(m, t, p) for _, m, t, p in rows]


def pg_relay_once(
    conn: ConnectionLike,
    broker: BrokerLike,
    batch: int = 100,
    claimed: list[Message] | None = None,
) -> int:
    """Publish a claimed batch (claiming one if not given), mark it, commit."""
    messages = pg_claim_batch(conn, batch) if claimed is None else claimed
    try:
        for message in messages:
            broker.publish(message)
        conn.execute(
            "UPDATE outbox SET published_at = now() WHERE message_id = ANY(%s)",
            ([m.id for m in messages],),
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return len(messages)
