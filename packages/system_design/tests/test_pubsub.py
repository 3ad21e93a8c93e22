"""Pub/sub fan-out and the slow subscriber: drop, block and unbounded buffers, counted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.pubsub import (
    Policy,
    Subscription,
    Topic,
    redis_publish,
    stream_ack,
    stream_add,
    stream_create_group,
    stream_read,
)

MESSAGES = [f"m{i}" for i in range(10)]


def test_every_subscriber_gets_every_message_in_order() -> None:
    topic = Topic()
    subs = [topic.subscribe(100) for _ in range(3)]
    counts = [topic.publish(m) for m in MESSAGES]
    assert counts == [3] * 10
    for sub in subs:
        assert sub.drain() == MESSAGES


def test_an_unsubscribed_subscriber_gets_nothing_more() -> None:
    topic = Topic()
    stays, leaves = topic.subscribe(100), topic.subscribe(100)
    topic.publish("before")
    topic.unsubscribe(leaves)
    assert topic.publish("after") == 1
    assert stays.drain() == ["before", "after"]
    assert leaves.drain() == ["before"]


def test_drop_newest_keeps_the_first_messages_and_counts_the_rest() -> None:
    topic = Topic()
    fast = topic.subscribe(100)
    slow = topic.subscribe(3, Policy.DROP_NEWEST)
    assert [topic.publish(m) for m in MESSAGES] == [2] * 10  # subscribers, not keepers
    assert slow.drain() == ["m0", "m1", "m2"]
    assert slow.dropped == 7
    assert fast.drain() == MESSAGES  # the slow one cost the fast one nothing
    assert fast.dropped == 0


def test_drop_oldest_keeps_the_latest_messages_and_counts_the_rest() -> None:
    topic = Topic()
    slow = topic.subscribe(3, Policy.DROP_OLDEST)
    for m in MESSAGES:
        topic.publish(m)
    assert slow.drain() == ["m7", "m8", "m9"]
    assert slow.dropped == 7


def test_an_unbounded_buffer_grows_with_every_message_a_stuck_subscriber_misses() -> None:
    topic = Topic()
    stuck = topic.subscribe(1, Policy.UNBOUNDED)
    for i in range(1000):
        topic.publish(str(i))
    assert [stuck.get() for _ in range(3)] == ["0", "1", "2"]
    topic.publish("late")  # depth 998 now
    assert stuck.max_depth == 1000  # the peak, not the depth now
    assert stuck.dropped == 0


def test_block_loses_nothing_but_the_slow_subscriber_stalls_the_fast_one() -> None:
    topic = Topic()
    blocked = threading.Event()
    slow = topic.subscribe(1, Policy.BLOCK, on_block=blocked.set)  # first in fan-out order
    fast = topic.subscribe(100)
    publisher = threading.Thread(target=lambda: [topic.publish(m) for m in ("a", "b")])
    publisher.start()
    assert blocked.wait(5)  # "b" found the slow buffer full
    assert publisher.is_alive()  # and the publisher waits for room
    assert fast.drain() == ["a"]  # "b" is stuck behind the slow subscriber
    assert slow.get() == "a"  # the slow subscriber reads: room for "b"
    publisher.join(5)
    assert not publisher.is_alive()
    assert slow.drain() == ["b"]
    assert fast.drain() == ["b"]
    assert slow.dropped == fast.dropped == 0
    assert slow.max_depth == 1  # a BLOCK buffer never holds more than its capacity


@pytest.mark.parametrize("capacity", [0, -1])
def test_a_capacity_below_one_is_refused(capacity: int) -> None:
    with pytest.raises(ValueError, match="capacity"):
        Subscription(capacity, Policy.DROP_NEWEST)


def test_a_policy_that_is_not_a_policy_is_refused() -> None:
    with pytest.raises(TypeError, match="policy"):
        Subscription(1, "drop")  # type: ignore[arg-type]


# --- Redis twin ----------------------------------------------------------------------


def _numsub(r: Any, channel: str) -> int:
    [(_name, count)] = r.pubsub_numsub(channel)
    return int(count)


@pytest.mark.engine("redis")
def test_redis_pubsub_loses_what_was_published_while_the_subscriber_was_away(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    channel = redis_prefix + "events"
    publisher = redis_factory()

    def connect() -> Any:
        ps = redis_factory().pubsub()
        ps.subscribe(channel)
        assert ps.get_message(timeout=5)["type"] == "subscribe"
        return ps

    ps = connect()
    assert redis_publish(publisher, channel, "m1") == 1
    assert ps.get_message(timeout=5)["data"] == b"m1"
    ps.close()  # the subscriber's connection goes away
    for _ in range(100_000):  # watch the server notice, no sleeping
        if _numsub(publisher, channel) == 0:
            break
    assert _numsub(publisher, channel) == 0
    assert redis_publish(publisher, channel, "m2") == 0  # nobody received it
    ps = connect()
    assert redis_publish(publisher, channel, "m3") == 1
    assert ps.get_message(timeout=5)["data"] == b"m3"  # m2 is gone for good
    ps.close()


@pytest.mark.engine("redis")
def test_redis_stream_group_keeps_what_was_added_while_the_consumer_was_away(
    redis_factory: Callable[[], Any], redis_prefix: str
) -> None:
    key, group = redis_prefix + "events", "workers"
    producer = redis_factory()
    stream_add(producer, key, "m0")  # before the group: a "$" group never hands it out
    stream_create_group(producer, key, group)
    first = stream_add(producer, key, "m1")

    consumer = redis_factory()
    assert stream_read(consumer, key, group, "c1") == [(first, "m1")]  # read, never acked
    consumer.close()  # the consumer goes away

    later = [stream_add(producer, key, m) for m in ("m2", "m3")]

    back = redis_factory()
    assert stream_read(back, key, group, "c1") == [(later[0], "m2"), (later[1], "m3")]
    assert stream_read(back, key, group, "c1", pending=True) == [
        (first, "m1"),
        (later[0], "m2"),
        (later[1], "m3"),
    ]
    assert stream_ack(back, key, group, first, *later) == 3
    assert stream_read(back, key, group, "c1", pending=True) == []
    assert back.xpending(key, group)["pending"] == 0
