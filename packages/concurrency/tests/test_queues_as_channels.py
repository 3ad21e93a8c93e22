"""Tests for concurrency.queues_as_channels: backpressure and shutdown, counted and forced."""

from __future__ import annotations

import queue
import threading
from collections import Counter

import pytest

from handbook.concurrency.queues_as_channels import SENTINEL, run_pipeline

ITEMS = list(range(20))


def test_full_bounded_queue_rejects_a_put_with_timeout() -> None:
    q: queue.Queue[int] = queue.Queue(maxsize=2)
    q.put(1)
    q.put(2)
    # No consumer exists, so the put can only time out: the timeout decides nothing.
    with pytest.raises(queue.Full):
        q.put(3, timeout=0.01)
    with pytest.raises(queue.Full):
        q.put_nowait(3)


def test_blocked_producer_goes_on_only_when_a_consumer_takes() -> None:
    q: queue.Queue[int] = queue.Queue(maxsize=1)
    q.put(1)
    put_done = threading.Event()

    def producer() -> None:
        q.put(2, timeout=10)
        put_done.set()

    thread = threading.Thread(target=producer)
    thread.start()
    try:
        # Whether or not the producer has reached put() yet, it cannot have finished:
        # the queue is full and nobody has taken anything.
        assert put_done.is_set() is False
        assert q.get(timeout=10) == 1
        assert put_done.wait(10) is True
        assert q.get(timeout=10) == 2
    finally:
        thread.join(10)


def test_bounded_queue_caps_the_backlog_and_stalls_the_producer() -> None:
    stats = run_pipeline(ITEMS, consumers=3, maxsize=4)
    assert stats.peak_backlog == 4
    assert stats.stalls >= 1


def test_unbounded_queue_lets_the_backlog_grow_to_everything() -> None:
    stats = run_pipeline(ITEMS, consumers=3, maxsize=0)
    # 20 items and 3 sentinels all waiting at once; the producer never noticed.
    assert stats.peak_backlog == len(ITEMS) + 3
    assert stats.stalls == 0


@pytest.mark.parametrize("maxsize", [1, 4, 0])
def test_every_item_is_processed_exactly_once(maxsize: int) -> None:
    stats = run_pipeline(ITEMS, consumers=3, maxsize=maxsize, handle=lambda x: x * 10)
    counts = Counter(result for _, result in stats.processed)
    assert counts == Counter(x * 10 for x in ITEMS)


def test_one_sentinel_per_consumer_stops_every_consumer() -> None:
    stats = run_pipeline(ITEMS, consumers=3, maxsize=4)
    assert stats.exited == 3
    assert stats.rescued == 0


@pytest.mark.parametrize("sentinels", [0, 1, 2])
def test_too_few_sentinels_strand_exactly_the_consumers_without_one(sentinels: int) -> None:
    # Each sentinel stops exactly one consumer, and every entry is taken before the
    # pipeline looks: so `sentinels` consumers exited and the other 3 - sentinels
    # were still blocked in get() and needed a late sentinel.
    stats = run_pipeline(ITEMS, consumers=3, maxsize=4, sentinels=sentinels)
    assert (stats.exited, stats.rescued) == (sentinels, 3 - sentinels)
    assert sorted(result for _, result in stats.processed) == ITEMS  # the work was all done


def test_consumer_errors_surface_and_nothing_is_left_running() -> None:
    def handle(x: int) -> int:
        if x == 7:
            raise ValueError("bad item 7")
        return x

    with pytest.raises(ValueError, match="bad item 7"):
        run_pipeline(ITEMS, consumers=2, maxsize=2, handle=handle)


def test_iter_with_a_sentinel_is_go_range_over_a_channel() -> None:
    q: queue.Queue[object] = queue.Queue(maxsize=4)
    for entry in (1, 2, 3, SENTINEL):
        q.put(entry)
    assert list(iter(q.get, SENTINEL)) == [1, 2, 3]


def test_maxsize_zero_means_unbounded_not_unbuffered() -> None:
    q: queue.Queue[int] = queue.Queue(maxsize=0)
    for i in range(1000):
        q.put_nowait(i)  # a Go unbuffered channel would block on the first send
    assert q.full() is False
    assert q.qsize() == 1000


@pytest.mark.parametrize(
    ("consumers", "maxsize", "message"),
    [(0, 1, "consumers must be >= 1"), (1, -1, "maxsize must be >= 0")],
)
def test_bad_arguments_are_rejected(consumers: int, maxsize: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_pipeline(ITEMS, consumers=consumers, maxsize=maxsize)


@pytest.mark.parametrize("sentinels", [-1, 4])
def test_sentinel_count_must_fit_the_consumers(sentinels: int) -> None:
    # A fourth sentinel for three consumers would never be taken.
    with pytest.raises(ValueError, match=r"sentinels must be between 0 and consumers=3, got"):
        run_pipeline(ITEMS, consumers=3, maxsize=4, sentinels=sentinels)
