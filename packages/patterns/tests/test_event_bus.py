"""Tests for patterns.event_bus: after-commit dispatch, sync vs queued order, collected failures."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from handbook.patterns.event_bus import (
    EagerUnitOfWork,
    OrderPlaced,
    QueuedBus,
    SyncBus,
    UnitOfWork,
    place_order,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "orders.db"
    with closing(sqlite3.connect(path)) as c:
        c.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, quantity INTEGER)")
        c.commit()
    return path


@pytest.fixture
def conn(db: Path) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(db, isolation_level=None)
    yield c
    c.close()


def stored(c: sqlite3.Connection) -> list[str]:
    """The committed order ids, read through a second connection.

    The writer's own connection also sees its uncommitted rows, so reading
    through it could not tell "committed" from "left in an open transaction".
    """
    path = c.execute("PRAGMA database_list").fetchone()[2]
    with closing(sqlite3.connect(path)) as reader:
        return [row[0] for row in reader.execute("SELECT id FROM orders ORDER BY id")]


def test_events_are_published_only_after_commit(conn: sqlite3.Connection) -> None:
    bus = SyncBus()
    seen: list[tuple[object, bool]] = []
    bus.subscribe(OrderPlaced, lambda e: seen.append((e, conn.in_transaction)))
    place_order(UnitOfWork(conn, bus), "o1", 2)
    assert seen == [(OrderPlaced("o1"), False)]  # the handler ran after COMMIT
    assert stored(conn) == ["o1"]


def test_a_rolled_back_transaction_publishes_nothing(conn: sqlite3.Connection) -> None:
    bus = SyncBus()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, seen.append)
    with pytest.raises(ValueError, match="quantity"):
        place_order(UnitOfWork(conn, bus), "o1", 0)
    assert stored(conn) == []
    assert seen == []


def test_rolled_back_events_do_not_leak_into_the_next_commit(conn: sqlite3.Connection) -> None:
    bus = SyncBus()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, seen.append)
    uow = UnitOfWork(conn, bus)
    with pytest.raises(ValueError, match="quantity"):
        place_order(uow, "bad", 0)
    place_order(uow, "good", 1)
    assert seen == [OrderPlaced("good")]


def test_publishing_inside_the_transaction_announces_an_order_that_was_rolled_back(
    conn: sqlite3.Connection,
) -> None:
    bus = SyncBus()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, seen.append)
    with pytest.raises(ValueError, match="quantity"):
        place_order(EagerUnitOfWork(conn, bus), "o1", 0)
    assert stored(conn) == []
    assert seen == [OrderPlaced("o1")]  # the email went out for nothing


def nested_log(bus: SyncBus) -> list[str]:
    """Two handlers for OrderPlaced; the first publishes a str event."""
    log: list[str] = []

    def first(event: object) -> None:
        log.append("first")
        bus.publish("stock-reserved")

    bus.subscribe(OrderPlaced, first)
    bus.subscribe(OrderPlaced, lambda e: log.append("second"))
    bus.subscribe(str, lambda e: log.append(f"nested {e}"))
    bus.publish(OrderPlaced("o1"))
    return log


def test_a_sync_bus_runs_a_nested_event_before_the_remaining_handlers() -> None:
    assert nested_log(SyncBus()) == ["first", "nested stock-reserved", "second"]


def test_a_queued_bus_runs_a_nested_event_after_the_current_one() -> None:
    assert nested_log(QueuedBus()) == ["first", "second", "nested stock-reserved"]


class MailerDown(ConnectionError):
    pass


def failing(event: object) -> None:
    raise MailerDown(f"cannot email about {event!r}")


@pytest.mark.parametrize("bus_type", [SyncBus, QueuedBus])
def test_a_failing_handler_does_not_stop_the_others_and_is_reported(
    bus_type: type[SyncBus],
) -> None:
    bus = bus_type()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, failing)
    bus.subscribe(OrderPlaced, seen.append)
    bus.subscribe(OrderPlaced, failing)
    with pytest.raises(ExceptionGroup) as info:
        bus.publish(OrderPlaced("o1"))
    assert seen == [OrderPlaced("o1")]  # the handler after the failure still ran
    assert [type(e) for e in info.value.exceptions] == [MailerDown, MailerDown]


def test_the_second_connection_sees_only_committed_rows(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.execute("INSERT INTO orders VALUES ('open', 1)")
    assert [r[0] for r in conn.execute("SELECT id FROM orders")] == ["open"]
    assert stored(conn) == []  # what `stored` reads is the committed state
    conn.execute("ROLLBACK")


def test_a_failing_handler_after_commit_neither_undoes_nor_fails_the_commit(
    conn: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    bus = SyncBus()
    bus.subscribe(OrderPlaced, failing)
    uow = UnitOfWork(conn, bus)
    with caplog.at_level(logging.ERROR, logger="handbook.patterns.event_bus"):
        place_order(uow, "o1", 1)  # returns normally: the order was placed
    assert stored(conn) == ["o1"]
    assert not conn.in_transaction
    [(event, group)] = uow.failed  # dead-lettered, not swallowed
    assert event == OrderPlaced("o1")
    assert [type(e) for e in group.exceptions] == [MailerDown]
    [record] = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[1] is group


def test_a_failing_event_does_not_lose_the_events_after_it(conn: sqlite3.Connection) -> None:
    bus = SyncBus()
    emailed: list[object] = []

    def mailer(event: object) -> None:
        if event == OrderPlaced("first"):
            raise MailerDown("first")
        emailed.append(event)

    bus.subscribe(OrderPlaced, mailer)
    uow = UnitOfWork(conn, bus)
    with uow:
        uow.record(OrderPlaced("first"))
        uow.record(OrderPlaced("second"))
    assert emailed == [OrderPlaced("second")]  # delivered although "first" failed
    assert [event for event, _ in uow.failed] == [OrderPlaced("first")]
    assert uow.pending == []


def test_each_commit_publishes_its_own_events_once(conn: sqlite3.Connection) -> None:
    bus = SyncBus()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, seen.append)
    uow = UnitOfWork(conn, bus)
    place_order(uow, "o1", 1)
    place_order(uow, "o2", 1)
    assert seen == [OrderPlaced("o1"), OrderPlaced("o2")]  # o1 not again with o2
    assert stored(conn) == ["o1", "o2"]


def test_a_commit_publishes_events_in_the_order_they_were_recorded(
    conn: sqlite3.Connection,
) -> None:
    bus = SyncBus()
    seen: list[object] = []
    bus.subscribe(OrderPlaced, seen.append)
    uow = UnitOfWork(conn, bus)
    with uow:
        for order_id in ("a", "b", "c"):
            uow.record(OrderPlaced(order_id))
    assert seen == [OrderPlaced("a"), OrderPlaced("b"), OrderPlaced("c")]


def test_a_queued_bus_drains_nested_events_first_in_first_out() -> None:
    bus = QueuedBus()
    log: list[object] = []

    def reserve(event: object) -> None:
        for item in ("reserve-1", "reserve-2", "reserve-3"):
            bus.publish(item)

    bus.subscribe(OrderPlaced, reserve)
    bus.subscribe(str, log.append)
    bus.publish(OrderPlaced("o1"))
    assert log == ["reserve-1", "reserve-2", "reserve-3"]


def test_except_star_handles_the_reported_failures() -> None:
    bus = SyncBus()
    bus.subscribe(OrderPlaced, failing)
    caught: list[BaseException] = []
    try:
        bus.publish(OrderPlaced("o1"))
    except* MailerDown as group:
        caught.extend(group.exceptions)
    assert len(caught) == 1
