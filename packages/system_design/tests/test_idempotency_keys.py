"""Duplicates run once and replay; keys are per client; another body is refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from handbook.system_design.idempotency_keys import (
    MAX_KEY_LENGTH,
    PG_SCHEMA,
    IdempotencyStore,
    KeyReusedError,
    NaiveIdempotency,
    Outcome,
    RequestInProgressError,
    fingerprint,
    pg_execute_once,
)
from handbook.system_design.testing import FakeClock

WAIT = 5.0  # generous bound on every event wait: a hang becomes a failure


def counting(response: str = "ok") -> tuple[list[object], Callable[[object], str]]:
    calls: list[object] = []

    def handler(body: object) -> str:
        calls.append(body)
        return f"{response}#{len(calls)}"

    return calls, handler


def test_a_sequential_retry_replays_the_stored_response_without_running_again() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    calls, handler = counting()
    first = store.handle("acme", "k1", {"amount": 5}, handler)
    again = store.handle("acme", "k1", {"amount": 5}, handler)
    assert first == Outcome("ok#1", replayed=False)
    assert again == Outcome("ok#1", replayed=True)
    assert calls == [{"amount": 5}]


def test_naive_check_then_act_runs_concurrent_duplicates_twice() -> None:
    naive = NaiveIdempotency()
    both_inside = threading.Barrier(2, timeout=WAIT)
    calls, inner = counting()

    def handler(body: object) -> str:
        both_inside.wait()  # passes only if both duplicates got past the lookup
        return inner(body)

    threads = [threading.Thread(target=naive.handle, args=("k", {}, handler)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert len(calls) == 2


def test_concurrent_duplicates_run_once_and_the_rest_are_told_it_is_in_progress() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    n = 8
    start = threading.Barrier(n, timeout=WAIT)
    release = threading.Event()
    done = threading.Condition()
    results: list[object] = []
    entered = 0
    calls, inner = counting()

    def handler(body: object) -> str:
        nonlocal entered
        with done:
            entered += 1
            done.notify_all()
        assert release.wait(WAIT)  # hold the claim until every duplicate has answered
        return inner(body)

    def client() -> None:
        start.wait()
        try:
            result: object = store.handle("acme", "pay-1", {"amount": 5}, handler)
        except RequestInProgressError as exc:
            result = exc
        with done:
            results.append(result)
            done.notify_all()

    threads = [threading.Thread(target=client) for _ in range(n)]
    for t in threads:
        t.start()
    with done:
        # wakes as soon as a second handler starts, so a broken claim fails at once
        assert done.wait_for(lambda: len(results) == n - 1 or entered > 1, WAIT)
        assert entered == 1
    release.set()
    for t in threads:
        t.join(WAIT)
    assert len(calls) == 1
    assert sum(isinstance(r, RequestInProgressError) for r in results) == n - 1
    assert [r for r in results if isinstance(r, Outcome)] == [Outcome("ok#1", False)]
    assert store.handle("acme", "pay-1", {"amount": 5}, inner) == Outcome("ok#1", True)


def test_the_same_key_from_another_client_is_a_different_request() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    calls, handler = counting()
    a = store.handle("acme", "1", {"amount": 5}, handler)
    b = store.handle("globex", "1", {"amount": 5}, handler)
    assert (a, b) == (Outcome("ok#1", False), Outcome("ok#2", False))
    assert len(calls) == 2


def test_another_body_under_a_used_key_is_refused_and_nothing_runs() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    calls, handler = counting()
    store.handle("acme", "k1", {"amount": 5}, handler)
    with pytest.raises(KeyReusedError, match="different body"):
        store.handle("acme", "k1", {"amount": 500}, handler)
    assert len(calls) == 1


def test_the_fingerprint_ignores_key_order_but_not_values() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    assert fingerprint({"a": [1, 2]}) != fingerprint({"a": [2, 1]})


def test_a_failed_handler_releases_the_key_so_the_retry_runs() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    _, handler = counting()

    def flaky(body: object) -> str:
        raise ConnectionError("downstream timed out")

    with pytest.raises(ConnectionError):
        store.handle("acme", "k1", {"amount": 5}, flaky)
    assert store.handle("acme", "k1", {"amount": 5}, handler) == Outcome("ok#1", False)
    assert len(store) == 1


def test_a_key_expires_after_ttl_on_the_clock() -> None:
    clock = FakeClock()
    store = IdempotencyStore(ttl=60, clock=clock)
    _, handler = counting()
    store.handle("acme", "k1", {"amount": 5}, handler)
    clock.now = 59.999
    assert store.handle("acme", "k1", {"amount": 5}, handler).replayed
    assert store.purge() == 0
    clock.now = 60.0  # handle() itself treats the old key as gone, before any purge
    assert store.handle("acme", "k1", {"amount": 7}, handler) == Outcome("ok#2", False)
    store.handle("acme", "k2", {"amount": 1}, handler)
    clock.now = 120.0
    assert store.purge() == 2
    assert len(store) == 0


def test_a_key_still_in_flight_past_ttl_does_not_expire() -> None:
    clock = FakeClock()
    store = IdempotencyStore(ttl=60, clock=clock)
    inside: list[object] = []

    def slow(body: object) -> str:
        clock.now = 61.0  # the first request is still running after the window
        with pytest.raises(RequestInProgressError):
            store.handle("acme", "k1", {"amount": 5}, lambda b: "second run")
        inside.append(store.purge())  # purge leaves an unfinished key alone too
        return "first"

    assert store.handle("acme", "k1", {"amount": 5}, slow) == Outcome("first", False)
    assert inside == [0]
    assert len(store) == 1


def test_a_fingerprint_over_endpoint_and_body_refuses_a_key_reused_on_another_endpoint() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    calls, handler = counting()
    body = {"amount": 5}
    store.handle("acme", "k1", {"method": "POST", "path": "/charges", "body": body}, handler)
    with pytest.raises(KeyReusedError):
        store.handle("acme", "k1", {"method": "POST", "path": "/refunds", "body": body}, handler)
    assert len(calls) == 1


def test_canonical_json_is_typed() -> None:
    assert fingerprint({"amount": 5}) != fingerprint({"amount": 5.0})


@pytest.mark.parametrize("ttl", [0, -1, float("nan"), True, "60"])
def test_a_bad_ttl_is_refused(ttl: Any) -> None:
    with pytest.raises(ValueError, match="ttl must be a positive number"):
        IdempotencyStore(ttl=ttl)


@pytest.mark.parametrize(("client", "key", "name"), [("", "k", "client_id"), ("c", "", "key")])
def test_empty_ids_are_refused(client: str, key: str, name: str) -> None:
    store = IdempotencyStore(ttl=60)
    with pytest.raises(ValueError, match=f"{name} must be a non-empty str"):
        store.handle(client, key, {}, lambda b: "x")


def test_a_key_longer_than_255_characters_is_refused() -> None:
    store = IdempotencyStore(ttl=60, clock=FakeClock())
    assert store.handle("c", "k" * MAX_KEY_LENGTH, {}, lambda b: "x") == Outcome("x", False)
    with pytest.raises(ValueError, match="key must be at most 255 characters, got 256"):
        store.handle("c", "k" * (MAX_KEY_LENGTH + 1), {}, lambda b: "x")


# --- PostgreSQL twin -------------------------------------------------------------


def _setup(pg_schema: Any) -> None:
    with pg_schema.connect(autocommit=True) as admin:
        admin.execute(PG_SCHEMA)
        admin.execute("CREATE TABLE payments (client_id text NOT NULL, amount int NOT NULL)")


def _pay(amount: int, before_return: Callable[[], None] = lambda: None) -> Callable[[Any], str]:
    def effect(conn: Any) -> str:
        conn.execute("INSERT INTO payments VALUES ('acme', %s)", (amount,))
        before_return()
        return f"paid {amount}"

    return effect


def _wait_until_blocked_on_a_lock(observer: Any, pid: int) -> None:
    """Poll the server until backend ``pid`` waits on a lock (no sleeping)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        row = observer.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()
        if row == ("Lock",):
            waiting = observer.execute(
                "SELECT locktype FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)
            ).fetchall()
            assert waiting == [("transactionid",)]  # the first transaction's id
            return
    raise AssertionError(f"backend {pid} never waited on a lock")


def _bounded(conn: Any, isolation: str = "READ COMMITTED") -> Any:
    # a regression that leaves a row locked fails with LockNotAvailable instead of hanging
    conn.execute("SET lock_timeout = '5s'")
    conn.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {isolation}")
    conn.commit()  # a SET inside a transaction that is later rolled back would be undone
    return conn


def _race(
    pg_schema: Any, first_fails: bool, second_isolation: str = "READ COMMITTED"
) -> tuple[dict[str, object], list[int], Any]:
    _setup(pg_schema)
    first = _bounded(pg_schema.connect())
    second = _bounded(pg_schema.connect(), second_isolation)
    observer = pg_schema.connect(autocommit=True)
    claimed, go = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold() -> None:
        claimed.set()
        assert go.wait(WAIT)
        if first_fails:
            raise RuntimeError("crashed before commit")

    def run(name: str, conn: Any, effect: Callable[[Any], str]) -> None:
        try:
            results[name] = pg_execute_once(conn, "acme", "pay-1", {"amount": 5}, effect)
        except Exception as exc:
            results[name] = exc

    a = threading.Thread(target=run, args=("first", first, _pay(5, hold)), daemon=True)
    a.start()
    assert claimed.wait(WAIT)  # the first has inserted its claim and its payment
    b = threading.Thread(target=run, args=("second", second, _pay(5)), daemon=True)
    b.start()
    try:
        _wait_until_blocked_on_a_lock(observer, second.info.backend_pid)
    finally:
        go.set()
    a.join(WAIT)
    b.join(WAIT)
    assert not a.is_alive(), "the first transaction never finished"
    assert not b.is_alive(), "the second transaction never finished"
    amounts = [r[0] for r in observer.execute("SELECT amount FROM payments").fetchall()]
    return results, amounts, second


@pytest.mark.engine("postgres")
def test_pg_a_racing_duplicate_waits_on_the_unique_key_then_replays(pg_schema: Any) -> None:
    results, amounts, _ = _race(pg_schema, first_fails=False)
    assert results == {"first": Outcome("paid 5", False), "second": Outcome("paid 5", True)}
    assert amounts == [5]


@pytest.mark.engine("postgres")
def test_pg_a_rolled_back_claim_lets_the_waiting_duplicate_run(pg_schema: Any) -> None:
    results, amounts, _ = _race(pg_schema, first_fails=True)
    assert isinstance(results["first"], RuntimeError)
    assert results["second"] == Outcome("paid 5", False)
    assert amounts == [5]  # the first payment was rolled back with its claim


@pytest.mark.engine("postgres")
def test_pg_under_repeatable_read_the_waiting_duplicate_fails_then_replays(
    pg_schema: Any,
) -> None:
    results, amounts, second = _race(pg_schema, False, second_isolation="REPEATABLE READ")
    assert results["first"] == Outcome("paid 5", False)
    failure = results["second"]
    assert type(failure).__name__ == "SerializationFailure"
    assert getattr(failure, "sqlstate", None) == "40001"
    # the client's retry starts a new snapshot, which sees the committed key
    assert pg_execute_once(second, "acme", "pay-1", {"amount": 5}, _pay(5)) == Outcome(
        "paid 5", True
    )
    assert amounts == [5]


@pytest.mark.engine("postgres")
def test_pg_another_body_under_the_same_key_is_refused(pg_schema: Any) -> None:
    _setup(pg_schema)
    conn = pg_schema.connect()
    pg_execute_once(conn, "acme", "k1", {"amount": 5}, _pay(5))
    with pytest.raises(KeyReusedError):
        pg_execute_once(conn, "acme", "k1", {"amount": 500}, _pay(500))
    assert conn.execute("SELECT amount FROM payments").fetchall() == [(5,)]


@pytest.mark.engine("postgres")
def test_pg_the_same_key_from_another_client_is_a_new_request(pg_schema: Any) -> None:
    _setup(pg_schema)
    conn = pg_schema.connect()
    a = pg_execute_once(conn, "acme", "1", {"amount": 5}, _pay(5))
    b = pg_execute_once(conn, "globex", "1", {"amount": 5}, _pay(5))
    assert a == b == Outcome("paid 5", False)
    assert conn.execute("SELECT count(*) FROM idempotency_keys").fetchone() == (2,)
