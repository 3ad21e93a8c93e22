"""Queue semantics: at-least-once delivery, visibility timeouts, dead letters, idempotent consumers.

Why interviewers ask this:
    "Design an order pipeline / email sender / job runner" always reaches the
    question "what happens when the worker dies halfway?". A broker cannot
    know whether an unacknowledged message was processed, so it delivers it
    again: delivery is at-least-once, and exactly-once *effects* come from the
    consumer. Interviewers want the visibility timeout (SQS) or ack wait
    (NATS JetStream), the delivery limit with a dead-letter queue, and an
    idempotent consumer.

Common pitfalls:
    - Assuming exactly-once delivery: a message whose ack is lost, or whose
      worker is slower than the visibility timeout, is delivered again. A
      consumer that applies every delivery (``NaiveConsumer``) charges a card
      twice; ``IdempotentConsumer`` records message ids and applies once.
    - A visibility timeout shorter than the processing time: the message
      becomes visible while the first worker still holds it, and a second
      worker gets it and runs the work again. What happens to the first
      worker's late ack is a design choice: this model is strict (``ack`` of
      a stale ``Delivery`` returns False; SQS's answer to a stale receipt
      handle is "succeeds, but might not delete"), while JetStream accepts
      it, even after redelivering, since a late ack still means the work was
      done. Either way the duplicate already runs, so the handler must be
      idempotent.
    - No delivery limit: a poison message (one that always fails) is
      redelivered forever and burns a worker slot on each attempt. After
      ``max_deliver`` deliveries it must go to a dead-letter queue.
    - Acking before processing turns at-least-once into at-most-once: a crash
      after the ack and before the work loses the message with no effect,
      and nothing redelivers it; acking after the work, the same crash only
      costs a redelivery.

Key takeaways:
    - An unacked message comes back after the visibility timeout with its
      delivery count raised by one; an acked one never comes back.
    - After ``max_deliver`` deliveries without an ack the message goes to the
      dead-letter queue instead of being delivered again.
    - In this model each delivery is a lease and only the current, unexpired
      one may ack. JetStream is lenient: an ack from an expired delivery
      still removes the message, even after it was delivered again.
    - Idempotency is the consumer's job: dedupe on a message id (in the same
      transaction as the side effect, in production).

What to look for in an answer:
    At-least-once as the default, ack after the work, a visibility timeout
    longer than the p99 processing time (or a heartbeat that extends it), a
    delivery limit with a DLQ that someone monitors, and idempotent handlers.
    Follow-ups:
    - Why not exactly-once? (The broker cannot tell "processed, ack lost"
      from "never processed". Kafka's exactly-once covers reads and writes
      inside Kafka transactions; an external side effect still needs an
      idempotency key or an inbox table.)
    - Where does the dedupe record live? (With the side effect, in one
      database transaction, so "applied" and "recorded" cannot diverge; a
      separate cache can forget or be written before a crash.)
    - A job takes 10 minutes sometimes. (Extend the lease while working:
      SQS ``ChangeMessageVisibility``, JetStream ``+WPI`` (in progress) acks,
      instead of a huge timeout that delays recovery from real crashes.)
    - What do you do with the DLQ? (Alert on its depth, inspect, fix, and
      replay into the main queue; keep the delivery count and last error.)
    - Ordering? (Redelivery breaks FIFO: message 2 can be processed before
      the redelivered message 1. Use per-key ordering (Kafka partitions, SQS
      FIFO message groups) if order matters.)
    - A transient failure (the database is down): do you wait for the
      timeout? (No: NAK with a delay (JetStream ``msg.nak(delay=...)`` or a
      consumer ``BackOff`` list; SQS ``ChangeMessageVisibility``; RabbitMQ
      retry queues with a TTL and a dead-letter exchange). Grow the delay,
      so an outage downstream does not burn all ``max_deliver`` attempts in
      seconds.)
    - How many unacked messages may a consumer hold? (``MaxAckPending`` in
      JetStream, prefetch (``basic.qos``) in RabbitMQ: flow control. Too
      large a cap lets one slow worker sit on many leases.)
    - Duplicates on the producer side? (A publish retried after a lost
      reply is stored twice unless deduped: JetStream's ``Nats-Msg-Id``
      header within the stream's ``Duplicates`` window, SQS FIFO's
      ``MessageDeduplicationId`` over 5 minutes. The gap between a database
      write and its publish is closed by the outbox pattern.)
    - What does a dead-letter queue look like in production? (Its own
      stream or queue, not a subject the work stream also captures (the
      twin's ``<name>.dlq`` is, for brevity). JetStream keeps the original
      until limits, ``delete_msg`` or a ``term()`` by the worker remove it.)

On the real engine:
    Checked on NATS 2.9.10 with JetStream (nats-py 2.16), chosen because a
    consumer's ``AckWait`` is exactly a per-consumer visibility timeout and
    ``MaxDeliver`` its delivery limit, both set per test; RabbitMQ 3.10 only has
    a broker-wide ``consumer_timeout`` (per-queue and per-consumer values came
    in 3.11.15/3.12), and on expiry it closes the whole channel. An unacked
    message is redelivered after ``AckWait`` (1 ms here, which 2.9.10 accepts)
    with the server's delivery count (``num_delivered`` in the reply subject's
    metadata) going 1, 2, 3; an acked one leaves nothing pending. JetStream
    keeps a message over its limit in the stream and does not move it anywhere:
    it publishes the advisory
    ``$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`` (seen
    here when a later pull request finds the message over its limit), and
    ``dead_letter_from_advisory`` turns it into a DLQ message (read back by
    its stream sequence, 2 in the test, behind an acked message 1). Unlike
    this model, JetStream accepts the ack of an expired delivery 1 after it
    has delivered the message again as delivery 2: nothing is left pending.
    RabbitMQ 3.10 does have a delivery limit (quorum queues'
    ``x-delivery-limit`` with a dead-letter exchange); the per-consumer ack
    timeout is what decided for NATS.
    Tests: ``test_nats_an_unacked_message_is_redelivered_with_the_servers_delivery_count``,
    ``test_nats_max_deliveries_advisory_moves_the_message_to_a_dead_letter_subject``,
    ``test_nats_an_acked_message_is_not_pending``,
    ``test_nats_a_late_ack_from_an_expired_delivery_still_counts``.

Complexity:
    ``receive`` is O(n) over queued messages in this model (a broker keeps a
    timer wheel or heap of leases); ``ack`` is O(1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Delivery:
    """One lease on a message: its id, body and which delivery this is (1-based)."""

    msg_id: int
    body: str
    attempt: int


@dataclass
class _Message:
    msg_id: int
    body: str
    deliveries: int = 0
    invisible_until: float | None = None  # None: visible now


def _visible(msg: _Message, now: float) -> bool:
    """Never leased, or its lease has run out."""
    return msg.invisible_until is None or now >= msg.invisible_until  # break[no-redelivery]


@dataclass
class Queue:
    """An at-least-once queue with a visibility timeout and a dead-letter list.

    >>> now = [0.0]
    >>> q = Queue(visibility_timeout=30, max_deliver=2, clock=lambda: now[0])
    >>> q.publish("charge")
    1
    >>> d = q.receive()
    >>> q.receive() is None, d.attempt
    (True, 1)
    >>> now[0] = 30
    >>> q.receive().attempt
    2
    """

    visibility_timeout: float
    max_deliver: int
    clock: Callable[[], float]
    dead_letters: list[Delivery] = field(default_factory=list)
    _messages: dict[int, _Message] = field(default_factory=dict)
    _next_id: int = 1

    def __post_init__(self) -> None:
        if self.visibility_timeout <= 0:
            raise ValueError(f"visibility_timeout must be > 0, got {self.visibility_timeout}")
        if self.max_deliver < 1:
            raise ValueError(f"max_deliver must be >= 1, got {self.max_deliver}")

    def publish(self, body: str) -> int:
        """Enqueue ``body``; return its message id. O(1)."""
        msg = _Message(self._next_id, body)
        self._messages[msg.msg_id] = msg
        self._next_id += 1
        return msg.msg_id

    def receive(self) -> Delivery | None:
        """Lease the oldest visible message, or return None if none is visible.

        A message whose lease expired is visible again; if it has already been
        delivered ``max_deliver`` times it moves to ``dead_letters`` instead.
        """
        now = self.clock()
        for msg in list(self._messages.values()):
            if not _visible(msg, now):
                continue
            exhausted = msg.deliveries >= self.max_deliver  # break[off-by-one]
            if exhausted:  # break[no-dead-letter]
                del self._messages[msg.msg_id]
                self.dead_letters.append(Delivery(msg.msg_id, msg.body, msg.deliveries))
                continue
            msg.deliveries += 1
            msg.invisible_until = now + self.visibility_timeout
            return Delivery(msg.msg_id, msg.body, msg.deliveries)
        return None

    def ack(self, delivery: Delivery) -> bool:
        """Delete the message if ``delivery`` is its current, unexpired lease. O(1).

        Returns False for a stale lease (expired, or the message was delivered
        again since): this model's strict rule, so a slow worker cannot ack
        someone else's delivery. JetStream accepts such an ack.
        """
        msg = self._messages.get(delivery.msg_id)
        if msg is None or msg.deliveries != delivery.attempt:  # break[stale-ack]
            return False
        if msg.invisible_until is None or self.clock() >= msg.invisible_until:
            return False
        del self._messages[delivery.msg_id]
        return True

    def depth(self) -> int:
        """Messages not yet acked or dead-lettered (visible or leased)."""
        return len(self._messages)


@dataclass
class NaiveConsumer:
    """Applies every delivery: the pitfall. ``applied`` lists each side effect."""

    applied: list[str] = field(default_factory=list)

    def handle(self, delivery: Delivery) -> None:
        self.applied.append(delivery.body)


@dataclass
class IdempotentConsumer:
    """Applies each message id once, however often it is delivered."""

    applied: list[str] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set)

    def handle(self, delivery: Delivery) -> None:
        if delivery.msg_id in self._seen:
            return
        self.applied.append(delivery.body)
        self._seen.add(delivery.msg_id)  # break[forget-seen]


class StoredMessage(Protocol):
    """What ``get_msg`` returns (nats-py's ``RawStreamMsg``)."""

    @property
    def data(self) -> bytes | None: ...


class JetStreamLike(Protocol):
    """The two JetStream calls the dead-letter step needs (nats-py's ``JetStreamContext``)."""

    async def get_msg(self, stream_name: str, seq: int | None = ...) -> StoredMessage: ...

    async def publish(
        self,
        subject: str,
        payload: bytes = ...,
        timeout: float | None = ...,
        stream: str | None = ...,
        headers: dict[str, Any] | None = ...,
    ) -> object: ...


def max_deliveries_subject(stream: str, consumer: str) -> str:
    """The advisory subject JetStream publishes on when a message hits MaxDeliver.

    >>> max_deliveries_subject("ORDERS", "worker")
    '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.worker'
    """
    return f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream}.{consumer}"


async def dead_letter_from_advisory(js: JetStreamLike, advisory: bytes, dlq_subject: str) -> int:
    """Copy the message a MAX_DELIVERIES advisory names to ``dlq_subject``.

    The advisory carries ``stream``, ``stream_seq`` and ``deliveries``; the
    message is read back from the stream by sequence and republished with
    headers saying where it came from. Returns the stream sequence moved.
    Raises ValueError if ``advisory`` is not a max-deliveries advisory.
    """
    event = json.loads(advisory)
    if event.get("type") != "io.nats.jetstream.advisory.v1.max_deliver":
        raise ValueError(f"not a max_deliver advisory: {event.get('type')!r}")
    stream, seq = str(event["stream"]), int(event["stream_seq"])
    stored = await js.get_msg(stream, seq)
    headers = {
        "Dlq-Stream": stream,
        "Dlq-Seq": str(seq),
        "Dlq-Deliveries": str(event["deliveries"]),
    }
    await js.publish(dlq_subject, stored.data or b"", headers=headers)
    return seq
