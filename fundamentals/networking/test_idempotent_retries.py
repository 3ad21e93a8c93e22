"""A dropped response forced on loopback: retried POST duplicates, a key does not."""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections.abc import Iterator

import pytest

from fundamentals.networking.idempotent_retries import (
    IDEMPOTENT,
    SAFE,
    CrashAfterCharge,
    PaymentsServer,
    backoff_delays,
    may_retry_automatically,
    request_with_retries,
    unsafe_post_with_retries,
)


@pytest.fixture
def server() -> Iterator[PaymentsServer]:
    srv = PaymentsServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield srv
    if srv.hold is not None:
        srv.hold.set()
    srv.shutdown()
    srv.server_close()
    thread.join()


def test_method_table_matches_rfc9110() -> None:
    assert {"GET", "HEAD", "OPTIONS", "TRACE"} == SAFE
    assert {"PUT", "DELETE"} == IDEMPOTENT - SAFE
    assert not {"POST", "PATCH", "CONNECT"} & IDEMPOTENT
    with pytest.raises(ValueError, match="canonical form"):
        may_retry_automatically("post")


def test_dropped_response_surfaces_as_a_connection_error(server: PaymentsServer) -> None:
    server.drop_responses = 1
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/charges", body=json.dumps({"amount": 5}))
    with pytest.raises(http.client.RemoteDisconnected):
        conn.getresponse()
    conn.close()
    assert issubclass(http.client.RemoteDisconnected, ConnectionResetError)
    assert server.charges == [5]  # the work happened; the client cannot know


def test_retrying_a_post_without_a_key_charges_twice(server: PaymentsServer) -> None:
    server.drop_responses = 1
    result = unsafe_post_with_retries(server.port, "/charges", {"amount": 30})
    assert (result.status, result.attempts) == (201, 2)
    assert json.loads(result.body)["id"] == 2
    assert server.charges == [30, 30]


def test_an_idempotency_key_makes_the_retry_charge_once(server: PaymentsServer) -> None:
    server.drop_responses = 2
    result = request_with_retries(
        server.port, "POST", "/charges", {"amount": 30}, idempotency_key='"k-1"'
    )
    assert (result.status, result.attempts, result.replayed) == (201, 3, True)
    assert json.loads(result.body) == {"id": 1, "amount": 30}
    assert server.charges == [30]


def test_a_later_duplicate_gets_the_stored_response(server: PaymentsServer) -> None:
    first = request_with_retries(server.port, "POST", "/charges", {"amount": 7}, '"k-2"')
    again = request_with_retries(server.port, "POST", "/charges", {"amount": 7}, '"k-2"')
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.status, again.body) == (first.status, first.body)
    other = request_with_retries(server.port, "POST", "/charges", {"amount": 7}, '"k-3"')
    assert json.loads(other.body)["id"] == 2  # a new key is a new charge
    assert server.charges == [7, 7]


def test_same_key_with_a_different_payload_is_422(server: PaymentsServer) -> None:
    request_with_retries(server.port, "POST", "/charges", {"amount": 7}, '"k-4"')
    clash = request_with_retries(server.port, "POST", "/charges", {"amount": 700}, '"k-4"')
    assert (clash.status, clash.replayed) == (422, False)
    assert server.charges == [7]


def test_same_key_while_the_first_is_in_progress_is_409(server: PaymentsServer) -> None:
    server.hold = threading.Event()
    release = server.hold
    results = []
    first = threading.Thread(
        target=lambda: results.append(
            request_with_retries(server.port, "POST", "/charges", {"amount": 9}, '"k-5"')
        )
    )
    first.start()
    assert server.held.wait(5), "first request never reached the charge"
    second = request_with_retries(server.port, "POST", "/charges", {"amount": 9}, '"k-5"')
    release.set()
    first.join()
    assert (second.status, second.replayed) == (409, False)
    assert results[0].status == 201
    assert server.charges == [9]


def test_a_crash_before_the_key_is_stored_leaves_no_charge(server: PaymentsServer) -> None:
    server.crash_after_charge = 1
    result = request_with_retries(server.port, "POST", "/charges", {"amount": 30}, '"k-6"')
    assert [type(e) for e in server.crashes] == [CrashAfterCharge]  # attempt 1 died
    # the charge rolled back with the missing record, and the key was freed
    assert (result.status, result.attempts, result.replayed) == (201, 2, False)
    assert json.loads(result.body) == {"id": 1, "amount": 30}
    assert server.charges == [30]
    assert server.key_state('"k-6"') == 201


def test_a_bad_body_is_rejected_before_the_key_is_reserved(server: PaymentsServer) -> None:
    bad = request_with_retries(server.port, "POST", "/charges", {"amt": 5}, '"k-7"')
    assert bad.status == 400
    assert server.key_state('"k-7"') == "absent"  # not stuck "in progress"
    fixed = request_with_retries(server.port, "POST", "/charges", {"amount": 5}, '"k-7"')
    assert (fixed.status, fixed.replayed) == (201, False)
    assert server.charges == [5]
    zero = request_with_retries(server.port, "POST", "/charges", {"amount": 0}, '"k-8"')
    assert zero.status == 400
    assert server.crashes == []


def test_the_fingerprint_ignores_json_spacing_and_key_order(server: PaymentsServer) -> None:
    headers = {"Idempotency-Key": '"k-9"', "Content-Type": "application/json"}
    replies = []
    for raw in (b'{"amount": 12, "note": "x"}', b'{"note":"x","amount":12}'):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("POST", "/charges", body=raw, headers=headers)
        reply = conn.getresponse()
        replies.append((reply.status, reply.getheader("Idempotent-Replayed"), reply.read()))
        conn.close()
    assert [r[:2] for r in replies] == [(201, None), (201, "true")]
    assert replies[0][2] == replies[1][2]
    assert server.charges == [12]


def test_put_and_delete_retried_leave_the_same_state(server: PaymentsServer) -> None:
    server.drop_responses = 1
    put = request_with_retries(server.port, "PUT", "/accounts/1", {"email": "new@example.com"})
    assert (put.status, put.attempts) == (200, 2)
    assert server.accounts == {"1": "new@example.com"}
    server.drop_responses = 1
    gone = request_with_retries(server.port, "DELETE", "/accounts/1")
    # the first DELETE worked but its 204 was dropped; the retry finds nothing
    assert (gone.status, gone.attempts) == (404, 2)
    assert server.accounts == {}


def test_client_refuses_to_retry_a_post_without_a_key(server: PaymentsServer) -> None:
    with pytest.raises(ValueError, match="must not be retried"):
        request_with_retries(server.port, "POST", "/charges", {"amount": 1})
    assert server.charges == []


def test_every_attempt_dropped_raises_the_last_error(server: PaymentsServer) -> None:
    server.drop_responses = 3
    slept: list[float] = []
    with pytest.raises(ConnectionError):
        request_with_retries(
            server.port, "PUT", "/accounts/1", {"email": "x@example.com"}, sleep=slept.append
        )
    assert len(slept) == 2


def test_backoff_is_capped_full_jitter() -> None:
    rng = random.Random(42)
    for _ in range(200):
        delays = backoff_delays(8, base=0.1, cap=2.0, rng=rng)
        assert len(delays) == 7
        for i, d in enumerate(delays):
            assert 0 <= d <= min(2.0, 0.1 * 2**i)
    late = [backoff_delays(8, 0.1, 2.0, random.Random(s))[-1] for s in range(200)]
    assert max(late) > 1.5  # jitter spans up to the cap...
    assert min(late) < 0.5  # ...and down towards zero, so clients spread out
    with pytest.raises(ValueError, match="attempts >= 1"):
        backoff_delays(0)
