"""Tests for networking.api_gateway: a real gateway and services on 127.0.0.1, a fake clock."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import cast

import pytest

from fundamentals.networking.api_gateway import Gateway, Service, TokenBucket, call
from fundamentals.networking.testing import FakeClock

TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
ALICE = {"Authorization": "Bearer tok-alice"}
BOB = {"Authorization": "Bearer tok-bob"}


@pytest.fixture
def services() -> Iterator[dict[str, Service]]:
    svcs = {name: Service(name) for name in ("users", "orders", "order-history")}
    yield svcs
    for s in svcs.values():
        if s.socket.fileno() != -1:
            s.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def gateway(services: dict[str, Service], clock: FakeClock) -> Iterator[Gateway]:
    ids = (f"req-{n}" for n in itertools.count(1))
    gw = Gateway(
        {
            "/api/orders/": services["orders"].address,
            "/api/orders/history/": services["order-history"].address,
            "/api/users/": services["users"].address,
        },
        TOKENS,
        rate=1.0,
        burst=2,
        clock=clock,
        new_id=lambda: next(ids),
    )
    yield gw
    gw.stop()


def body(raw: bytes) -> dict[str, str | None]:
    data: dict[str, str | None] = json.loads(raw)
    return data


def test_routes_by_longest_prefix(gateway: Gateway) -> None:
    assert body(call(gateway.address, "/api/users/7", ALICE)[2])["service"] == "users"
    assert body(call(gateway.address, "/api/orders/9", BOB)[2])["service"] == "orders"
    hist = call(gateway.address, "/api/orders/history/9", BOB)[2]
    assert body(hist)["service"] == "order-history"
    assert call(gateway.address, "/admin", ALICE)[0] == 404


def test_requests_without_a_valid_token_never_reach_a_service(
    gateway: Gateway, services: dict[str, Service]
) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "tok-alice"}):
        status, resp_headers, _ = call(gateway.address, "/api/users/7", headers)
        assert status == 401
        assert resp_headers["WWW-Authenticate"] == "Bearer"
    assert all(not s.seen for s in services.values())


def test_the_auth_scheme_is_case_insensitive(
    gateway: Gateway, services: dict[str, Service]
) -> None:
    for scheme in ("bearer", "BEARER"):
        headers = {"Authorization": f"{scheme} tok-alice"}
        assert call(gateway.address, "/api/users/7", headers)[0] == 200
    assert [s["user"] for s in services["users"].seen] == ["alice", "alice"]


def test_service_gets_the_identity_not_the_token_and_not_a_forged_user(
    gateway: Gateway, services: dict[str, Service]
) -> None:
    call(gateway.address, "/api/users/7", {**ALICE, "X-User": "admin"})
    call(gateway.address, "/api/users/7", {**BOB, "x-user": "admin"})
    first, second = services["users"].seen
    assert (first["user"], second["user"]) == ("alice", "bob")
    assert first["authorization"] is None


def test_request_id_is_created_returned_and_forwarded(
    gateway: Gateway, services: dict[str, Service]
) -> None:
    _, headers, raw = call(gateway.address, "/api/users/7", ALICE)
    assert headers["X-Request-ID"] == "req-1" == body(raw)["request_id"]
    assert services["users"].seen[0]["request_id"] == "req-1"


def test_a_callers_request_id_is_kept_end_to_end(
    gateway: Gateway, services: dict[str, Service]
) -> None:
    _, headers, _ = call(gateway.address, "/api/users/7", {**ALICE, "X-Request-ID": "abc-123"})
    assert headers["X-Request-ID"] == "abc-123"
    assert services["users"].seen[0]["request_id"] == "abc-123"


def test_a_malformed_request_id_is_replaced(gateway: Gateway) -> None:
    _, headers, _ = call(gateway.address, "/api/users/7", {**ALICE, "X-Request-ID": "x" * 65})
    assert headers["X-Request-ID"] == "req-1"


@pytest.mark.parametrize("bad", ["a b", "<x>", "ªµº"])
def test_a_request_id_with_other_characters_is_replaced(gateway: Gateway, bad: str) -> None:
    # a space, markup, non-ASCII letters (which str.isalnum() accepts)
    _, headers, _ = call(gateway.address, "/api/users/7", {**ALICE, "X-Request-ID": bad})
    assert headers["X-Request-ID"] == "req-1"


Reply = tuple[int, dict[str, str], bytes]


def _refuse_401(gw: Gateway, services: dict[str, Service], extra: dict[str, str]) -> Reply:
    return call(gw.address, "/api/users/7", extra)


def _refuse_429(gw: Gateway, services: dict[str, Service], extra: dict[str, str]) -> Reply:
    for _ in range(2):  # spend alice's burst; these mint req-1 and req-2
        assert call(gw.address, "/api/users/7", ALICE)[0] == 200
    return call(gw.address, "/api/users/7", {**ALICE, **extra})


def _refuse_404(gw: Gateway, services: dict[str, Service], extra: dict[str, str]) -> Reply:
    return call(gw.address, "/admin", {**ALICE, **extra})


def _refuse_502(gw: Gateway, services: dict[str, Service], extra: dict[str, str]) -> Reply:
    services["users"].stop()
    with socket.socket() as squatter:  # bound, not listening: connects are refused
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(services["users"].address)
        return call(gw.address, "/api/users/7", {**ALICE, **extra})


@pytest.mark.parametrize("sent", [None, "abc-123"])
@pytest.mark.parametrize(
    ("refuse", "status", "minted"),
    [
        (_refuse_401, 401, "req-1"),
        (_refuse_429, 429, "req-3"),
        (_refuse_404, 404, "req-1"),
        (_refuse_502, 502, "req-1"),
    ],
    ids=["401", "429", "404", "502"],
)
def test_rejected_requests_carry_a_request_id_too(
    gateway: Gateway,
    services: dict[str, Service],
    refuse: Callable[[Gateway, dict[str, Service], dict[str, str]], Reply],
    status: int,
    minted: str,
    sent: str | None,
) -> None:
    extra = {"X-Request-ID": sent} if sent else {}
    got, headers, _ = refuse(gateway, services, extra)
    assert (got, headers["X-Request-ID"]) == (status, sent or minted)


def test_rate_limit_per_user_with_retry_after(gateway: Gateway, clock: FakeClock) -> None:
    statuses = [call(gateway.address, "/api/users/7", ALICE)[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    status, headers, _ = call(gateway.address, "/api/users/7", ALICE)
    assert (status, headers["Retry-After"]) == (429, "1")
    assert call(gateway.address, "/api/users/7", BOB)[0] == 200  # bob has his own bucket
    clock.advance(1.0)
    assert call(gateway.address, "/api/users/7", ALICE)[0] == 200
    assert call(gateway.address, "/api/users/7", ALICE)[0] == 429
    assert gateway.counts == {"200": 4, "429": 3}


@pytest.mark.parametrize(("rate", "retry_after"), [(2.0, "1"), (0.4, "3")])
def test_retry_after_rounds_the_wait_up_to_whole_seconds(
    services: dict[str, Service], rate: float, retry_after: str
) -> None:
    # waits of 0.5 s and 2.5 s: rounding down would tell the client to come back too early
    gw = Gateway(
        {"/api/": services["users"].address}, TOKENS, rate=rate, burst=1, clock=FakeClock(1000.0)
    )
    try:
        assert call(gw.address, "/api/x", ALICE)[0] == 200
        status, headers, _ = call(gw.address, "/api/x", ALICE)
    finally:
        gw.stop()
    assert (status, headers["Retry-After"]) == (429, retry_after)


@pytest.mark.parametrize("path", ["/api/users/../orders/9", "/api/users/%2e%2e/orders/9"])
def test_paths_with_dot_segments_are_refused_before_routing(
    gateway: Gateway, services: dict[str, Service], path: str
) -> None:
    # routed raw, this would reach users (prefix /api/users/) as a request for orders
    status, headers, _ = call(gateway.address, path, ALICE)
    assert (status, headers["X-Request-ID"]) == (400, "req-1")
    assert all(not s.seen for s in services.values())
    assert call(gateway.address, "/api/users/./7", ALICE)[0] == 400


def test_unauthenticated_floods_do_not_spend_a_users_tokens(gateway: Gateway) -> None:
    for _ in range(5):
        assert call(gateway.address, "/api/users/7", {"Authorization": "Bearer x"})[0] == 401
    assert [call(gateway.address, "/api/users/7", ALICE)[0] for _ in range(2)] == [200, 200]


def test_a_dead_upstream_gives_502(services: dict[str, Service], gateway: Gateway) -> None:
    services["users"].stop()
    # keep the port bound but not listening: connects are refused, nobody can reuse it
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(services["users"].address)
        assert call(gateway.address, "/api/users/7", ALICE)[0] == 502


def test_token_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    clock = FakeClock(1000.0)
    bucket = TokenBucket(rate=2.0, burst=3, clock=clock)
    assert [bucket.take() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]
    clock.advance(10)
    assert [bucket.take() == 0.0 for _ in range(4)] == [True, True, True, False]


def test_two_concurrent_takes_cannot_both_spend_the_last_token() -> None:
    # take() reads the tokens, then computes now - last: the subtraction is the hook.
    # The first taker, holding 1 token in hand, starts a second taker and waits until
    # that one is either waiting for the bucket's lock or inside take() itself.
    inside = threading.Event()
    results: list[float] = []

    class SpyLock:
        def __init__(self) -> None:
            self.lock = threading.Lock()

        def __enter__(self) -> None:
            if self.lock.locked():
                inside.set()  # the second taker reached the lock and will wait
            self.lock.acquire()

        def __exit__(self, *exc: object) -> None:
            self.lock.release()

    class Now:
        def __sub__(self, other: object) -> float:
            if threading.current_thread() is first:
                second.start()
                assert inside.wait(5), "the second take() never reached the bucket"
            else:
                inside.set()  # no lock: the second taker is reading the tokens too
            return 0.0

    def taker() -> None:
        results.append(bucket.take())

    bucket = TokenBucket(rate=1.0, burst=1, clock=lambda: cast(float, Now()))
    bucket._lock = SpyLock()  # type: ignore[assignment]
    first, second = threading.Thread(target=taker), threading.Thread(target=taker)
    first.start()
    first.join(5)
    second.join(5)
    assert sorted(results) == [0.0, 1.0]  # one token, one admission


def test_bad_configuration_raises() -> None:
    with pytest.raises(ValueError, match="rate > 0"):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError, match="must start with '/'"):
        Gateway({"api": ("127.0.0.1", 1)}, TOKENS)
