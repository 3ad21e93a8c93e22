"""At-least-once delivery: redelivery after the visibility timeout, dead letters, idempotency."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from handbook.system_design.queue_semantics import (
    IdempotentConsumer,
    NaiveConsumer,
    Queue,
    dead_letter_from_advisory,
    max_deliveries_subject,
)
from handbook.system_design.testing import FakeClock


def make(visibility: float = 30, max_deliver: int = 3) -> tuple[Queue, FakeClock]:
    clock = FakeClock()
    return Queue(visibility_timeout=visibility, max_deliver=max_deliver, clock=clock), clock


def test_an_unacked_message_is_invisible_until_the_timeout_then_redelivered() -> None:
    q, clock = make()
    q.publish("charge card")
    first = q.receive()
    assert first is not None
    assert first.attempt == 1
    clock.advance(29.9)
    assert q.receive() is None  # still leased
    clock.advance(0.1)
    again = q.receive()
    assert again is not None
    assert (again.msg_id, again.body, again.attempt) == (first.msg_id, "charge card", 2)


def test_an_acked_message_never_comes_back() -> None:
    q, clock = make()
    q.publish("x")
    d = q.receive()
    assert d is not None
    assert q.ack(d) is True
    clock.advance(1000)
    assert q.receive() is None
    assert q.depth() == 0
    assert q.dead_letters == []


def test_after_max_deliver_deliveries_the_message_goes_to_the_dead_letters() -> None:
    q, clock = make(max_deliver=3)
    q.publish("poison")
    attempts = []
    for _ in range(10):
        d = q.receive()
        if d is not None:
            attempts.append(d.attempt)
        clock.advance(30)
    assert attempts == [1, 2, 3]
    assert [(d.body, d.attempt) for d in q.dead_letters] == [("poison", 3)]
    assert q.depth() == 0


def test_a_poison_message_does_not_block_the_ones_behind_it() -> None:
    q, clock = make(max_deliver=1)
    q.publish("poison")
    q.publish("good")
    assert q.receive() is not None  # poison, never acked
    good = q.receive()
    assert good is not None
    assert good.body == "good"
    assert q.ack(good)
    clock.advance(30)
    assert q.receive() is None
    assert [d.body for d in q.dead_letters] == ["poison"]


def test_a_slow_workers_late_ack_does_not_count_for_the_second_delivery() -> None:
    q, clock = make(visibility=30)
    q.publish("email")
    slow = q.receive()
    assert slow is not None
    clock.advance(31)  # the slow worker overran its lease
    fast = q.receive()
    assert fast is not None
    assert fast.attempt == 2
    assert q.ack(slow) is False  # stale lease
    assert q.depth() == 1
    assert q.ack(fast) is True
    assert q.depth() == 0


def test_an_ack_after_the_lease_expired_is_refused() -> None:
    q, clock = make(visibility=30)
    q.publish("x")
    d = q.receive()
    assert d is not None
    clock.advance(30)
    assert q.ack(d) is False
    again = q.receive()
    assert again is not None
    assert again.attempt == 2


def test_redelivery_makes_a_naive_consumer_apply_twice_and_an_idempotent_one_once() -> None:
    q, clock = make()
    q.publish("charge $10")
    naive, idem = NaiveConsumer(), IdempotentConsumer()
    for _ in range(2):  # the worker handles it, then dies before acking; redelivered
        d = q.receive()
        assert d is not None
        naive.handle(d)
        idem.handle(d)
        clock.advance(30)
    assert naive.applied == ["charge $10", "charge $10"]
    assert idem.applied == ["charge $10"]


class Crash(Exception):
    pass


def _worker(q: Queue, done: list[str], *, ack_first: bool, crash: bool) -> None:
    """One worker run; ``crash`` kills it between its first and second step."""
    d = q.receive()
    assert d is not None
    if ack_first:
        assert q.ack(d)
        if crash:
            raise Crash
        done.append(d.body)
    else:
        done.append(d.body)
        if crash:
            raise Crash
        assert q.ack(d)


def test_acking_before_the_work_loses_the_message_when_the_worker_crashes() -> None:
    for ack_first in (False, True):
        q, clock = make()
        q.publish("ship order")
        done: list[str] = []
        with pytest.raises(Crash):
            _worker(q, done, ack_first=ack_first, crash=True)
        clock.advance(30)
        if ack_first:  # crashed after the ack, before the work
            assert q.receive() is None
            assert done == []  # lost: never done, never redelivered
        else:  # crashed after the work, before the ack
            again = q.receive()
            assert again is not None
            assert again.attempt == 2
            assert done == ["ship order"]  # done once; the retry is a duplicate


@pytest.mark.parametrize(
    ("visibility", "max_deliver", "word"),
    [(0, 3, "visibility_timeout"), (-1, 3, "visibility_timeout"), (30, 0, "max_deliver")],
)
def test_bad_settings_are_refused(visibility: float, max_deliver: int, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        Queue(visibility_timeout=visibility, max_deliver=max_deliver, clock=FakeClock())


def test_an_advisory_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="max_deliver advisory"):
        asyncio.run(dead_letter_from_advisory(None, b'{"type": "x"}', "DLQ"))  # type: ignore[arg-type]


# --- NATS JetStream twin -------------------------------------------------------------

ACK_WAIT = 0.001  # 1 ms, accepted by 2.9.10; the tests never ack in time on purpose


async def _setup(url: str, name: str, ack_wait: float, max_deliver: int) -> tuple[Any, Any, Any]:
    import nats
    from nats.js.api import AckPolicy, ConsumerConfig

    nc = await nats.connect(url, connect_timeout=2, allow_reconnect=False)
    js = nc.jetstream()
    await js.add_stream(name=name, subjects=[f"{name}.>"])
    config = ConsumerConfig(
        durable_name="worker",
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=ack_wait,
        max_deliver=max_deliver,
        filter_subject=f"{name}.jobs",
    )
    await js.add_consumer(name, config)
    sub = await js.pull_subscribe_bind("worker", stream=name)
    return nc, js, sub


@pytest.mark.engine("nats")
def test_nats_an_unacked_message_is_redelivered_with_the_servers_delivery_count(
    nats_url: str, nats_names: str
) -> None:
    async def scenario() -> list[tuple[bytes, int, int]]:
        nc, js, sub = await _setup(nats_url, nats_names, ACK_WAIT, max_deliver=3)
        try:
            await js.publish(f"{nats_names}.jobs", b"charge")
            seen = []
            for _ in range(3):
                [msg] = await sub.fetch(1, timeout=5)  # returns once AckWait has passed
                seen.append((msg.data, msg.metadata.num_delivered, msg.metadata.sequence.stream))
            return seen
        finally:
            await nc.close()

    assert asyncio.run(scenario()) == [(b"charge", 1, 1), (b"charge", 2, 1), (b"charge", 3, 1)]


@pytest.mark.engine("nats")
def test_nats_max_deliveries_advisory_moves_the_message_to_a_dead_letter_subject(
    nats_url: str, nats_names: str
) -> None:
    async def scenario() -> tuple[dict[str, Any], int, bytes, dict[str, str], int]:
        nc, js, sub = await _setup(nats_url, nats_names, ACK_WAIT, max_deliver=3)
        try:
            advisories = await nc.subscribe(max_deliveries_subject(nats_names, "worker"))
            dlq = await js.subscribe(f"{nats_names}.dlq")
            await js.publish(f"{nats_names}.jobs", b"good")  # stream seq 1, acked
            [good] = await sub.fetch(1, timeout=5)
            await good.ack_sync()
            await js.publish(f"{nats_names}.jobs", b"poison")  # stream seq 2
            for _ in range(3):
                [msg] = await sub.fetch(1, timeout=5)
                assert msg.data == b"poison"
            # A waiting pull request is what makes the server find the message over
            # its limit; publish one without waiting for its (empty) answer.
            inbox = nc.new_inbox()
            await nc.subscribe(inbox)
            request = json.dumps({"batch": 1, "expires": 5_000_000_000}).encode()
            await nc.publish(f"$JS.API.CONSUMER.MSG.NEXT.{nats_names}.worker", request, reply=inbox)
            advisory = await advisories.next_msg(timeout=5)
            moved = await dead_letter_from_advisory(js, advisory.data, f"{nats_names}.dlq")
            dead = await dlq.next_msg(timeout=5)
            info = await js.consumer_info(nats_names, "worker")
            return (
                json.loads(advisory.data),
                moved,
                dead.data,
                dict(dead.headers or {}),
                info.num_ack_pending,
            )
        finally:
            await nc.close()

    event, moved, body, headers, ack_pending = asyncio.run(scenario())
    assert event["type"] == "io.nats.jetstream.advisory.v1.max_deliver"
    assert (event["stream"], event["consumer"], event["stream_seq"]) == (nats_names, "worker", 2)
    assert event["deliveries"] == 3
    assert moved == 2
    assert body == b"poison"
    assert headers == {"Dlq-Stream": nats_names, "Dlq-Seq": "2", "Dlq-Deliveries": "3"}
    assert ack_pending == 0  # the server has given up on it


@pytest.mark.engine("nats")
def test_nats_an_acked_message_is_not_pending(nats_url: str, nats_names: str) -> None:
    async def scenario() -> tuple[int, int, int, int]:
        # A long AckWait so the ack surely lands inside it; nothing waits on it.
        nc, js, sub = await _setup(nats_url, nats_names, ack_wait=30, max_deliver=3)
        try:
            await js.publish(f"{nats_names}.jobs", b"once")
            [msg] = await sub.fetch(1, timeout=5)
            before = (await js.consumer_info(nats_names, "worker")).num_ack_pending
            await msg.ack_sync()
            info = await js.consumer_info(nats_names, "worker")
            return before, info.num_ack_pending, info.num_redelivered, info.ack_floor.stream_seq
        finally:
            await nc.close()

    assert asyncio.run(scenario()) == (1, 0, 0, 1)


@pytest.mark.engine("nats")
def test_nats_a_late_ack_from_an_expired_delivery_still_counts(
    nats_url: str, nats_names: str
) -> None:
    async def scenario() -> tuple[int, int, int, int, int]:
        nc, js, sub = await _setup(nats_url, nats_names, ACK_WAIT, max_deliver=5)
        try:
            await js.publish(f"{nats_names}.jobs", b"email")
            [slow] = await sub.fetch(1, timeout=5)
            [fast] = await sub.fetch(1, timeout=5)  # AckWait passed: delivery 2
            await slow.ack_sync()  # the stale delivery 1 acks, and the server takes it
            info = await js.consumer_info(nats_names, "worker")
            return (
                slow.metadata.num_delivered,
                fast.metadata.num_delivered,
                info.num_ack_pending,
                info.num_pending,
                info.ack_floor.stream_seq,
            )
        finally:
            await nc.close()

    # Unlike Queue.ack, nothing is pending after the stale ack: the message is done.
    assert asyncio.run(scenario()) == (1, 2, 0, 0, 1)
