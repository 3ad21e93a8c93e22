"""Idempotent methods, retries and idempotency keys, on a loopback HTTP server.

Holds the RFC 9110 method table (safe, idempotent), ``PaymentsServer``, an
``http.server`` with a non-idempotent ``POST /charges``, an idempotent
``PUT``/``DELETE`` on ``/accounts/<id>`` and two fault switches (perform a
request's side effect and then drop the response; crash between the charge and
its stored response), the ``Idempotency-Key`` handling (validate, reserve the
key before the side effect, commit the charge and the stored response in one
sqlite3 transaction, free the key if the handler dies, replay, 409 while in
progress, 422 for a different payload), and a client that retries dropped
connections with capped exponential backoff and full jitter.
"""

from __future__ import annotations

import hashlib
import http.client
import http.server
import json
import random
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
IDEMPOTENT = SAFE | {"PUT", "DELETE"}  # RFC 9110 9.2.2; POST, PATCH, CONNECT are not


def may_retry_automatically(method: str, has_idempotency_key: bool = False) -> bool:
    """RFC 9110 9.2.2: only idempotent requests are retried without knowing more.

    >>> may_retry_automatically("PUT"), may_retry_automatically("POST")
    (True, False)
    >>> may_retry_automatically("POST", has_idempotency_key=True)
    True
    """
    if method != method.upper() or not method.isalpha():
        raise ValueError(f"not an HTTP method token in canonical form: {method!r}")
    return method in IDEMPOTENT or has_idempotency_key


_SCHEMA = """
CREATE TABLE charges (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER,  -- NULL while the first request with this key runs
    body BLOB
);
"""


_RESERVE = "INSERT INTO idempotency_keys (key, fingerprint) VALUES (?, ?)"


class CrashAfterCharge(RuntimeError):
    """The fault switch: the process dies between the charge and its stored response."""


class PaymentsServer(http.server.ThreadingHTTPServer):
    """A payments API on 127.0.0.1 with switches to drop responses or crash mid-way.

    Charges and idempotency keys live in one sqlite3 ``:memory:`` database, so
    the charge and the key's stored response can commit in one transaction.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PaymentsHandler)
        self.lock = threading.Lock()  # one sqlite3 connection, used by one thread at a time
        self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self.db.executescript(_SCHEMA)
        self.accounts: dict[str, str] = {"1": "old@example.com"}
        self.drop_responses = 0  # the next N responses are dropped after the work
        self.crash_after_charge = 0  # the next N charges crash before their key is stored
        self.crashes: list[BaseException] = []  # exceptions the handlers died of
        self.hold: threading.Event | None = None  # holds the next charge before it runs
        self.held = threading.Event()  # set once a charge is parked on ``hold``

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def charges(self) -> list[int]:
        """The side effect: one amount per committed charge, in order."""
        with self.lock:
            rows = self.db.execute("SELECT amount FROM charges ORDER BY id").fetchall()
        return [amount for (amount,) in rows]

    def key_state(self, key: str) -> int | str | None:
        """The stored status for ``key``, None while in progress, "absent" if unknown."""
        with self.lock:
            row = self.db.execute(
                "SELECT status FROM idempotency_keys WHERE key = ?", (key,)
            ).fetchone()
        return "absent" if row is None else row[0]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Record a handler's crash instead of printing a traceback."""
        self.crashes.append(sys.exc_info()[1] or RuntimeError("unknown"))

    def server_close(self) -> None:
        super().server_close()
        self.db.close()


class PaymentsHandler(http.server.BaseHTTPRequestHandler):
    """POST /charges, PUT /accounts/<id> (email), DELETE /accounts/<id>."""

    protocol_version = "HTTP/1.1"
    server: PaymentsServer

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def _reply(self, status: int, body: bytes, replayed: bool = False) -> None:
        with self.server.lock:
            drop = self.server.drop_responses > 0
            self.server.drop_responses -= drop
        if drop:  # the work is done, but the client never hears about it
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        if self.path != "/charges":
            self._reply(404, b'{"error": "not found"}')
            return
        try:  # validate before reserving: a bad request must not hold the key
            body = json.loads(self._body())
            amount = body["amount"]
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                raise TypeError(f"amount must be a positive integer, got {amount!r}")
        except (ValueError, KeyError, TypeError) as exc:
            self._reply(400, json.dumps({"error": f"bad request: {exc!r}"}).encode())
            return
        key = self.headers.get("Idempotency-Key")
        server, db = self.server, self.server.db
        # the fingerprint of a canonical form: spacing or key order does not matter
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if key is not None:
            early: tuple[int, bytes] | None = None
            with server.lock:  # check and reserve in one step: no gap for a twin
                row = db.execute(
                    "SELECT fingerprint, status, body FROM idempotency_keys WHERE key = ?",
                    (key,),
                ).fetchone()
                if row is None:
                    db.execute(_RESERVE, (key, fingerprint))  # break[no-reservation]
                elif row[0] != fingerprint:  # break[no-fingerprint]
                    early = (422, b'{"error": "key reused with a different payload"}')
                elif row[1] is None:
                    early = (409, b'{"error": "a request with this key is in progress"}')
                else:  # break[ignore-key]
                    early = (row[1], row[2])
            if early is not None:
                self._reply(*early, replayed=early[0] < 300)
                return
        try:
            response = self._charge(amount, key, fingerprint)
        except BaseException:
            # nothing was committed: free the key so the client's retry can run
            if key is not None:  # break[keep-reservation]
                with server.lock:
                    db.execute(
                        "DELETE FROM idempotency_keys WHERE key = ? AND status IS NULL", (key,)
                    )
            raise
        self._reply(*response)

    def _charge(self, amount: int, key: str | None, fingerprint: str) -> tuple[int, bytes]:
        server, db = self.server, self.server.db
        hold, server.hold = server.hold, None
        if hold is not None:
            server.held.set()
            hold.wait(5)
        with server.lock:
            db.execute("BEGIN")  # the charge and its stored response commit together
            try:
                cur = db.execute("INSERT INTO charges (amount) VALUES (?)", (amount,))
                response = (201, json.dumps({"id": cur.lastrowid, "amount": amount}).encode())
                if server.crash_after_charge > 0:  # break[split-commit]
                    server.crash_after_charge -= 1
                    raise CrashAfterCharge("died after the charge, before the key's response")
                if key is not None:
                    db.execute(
                        "INSERT OR REPLACE INTO idempotency_keys VALUES (?, ?, ?, ?)",
                        (key, fingerprint, *response),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return response

    def _account(self) -> str | None:
        parts = self.path.split("/")
        return parts[2] if len(parts) == 3 and parts[1] == "accounts" else None

    def do_PUT(self) -> None:
        account = self._account()
        if account is None:
            self._reply(404, b'{"error": "not found"}')
            return
        email = json.loads(self._body())["email"]
        with self.server.lock:
            self.server.accounts[account] = email  # replace: the same result every time
        self._reply(200, json.dumps({"id": account, "email": email}).encode())

    def do_DELETE(self) -> None:
        account = self._account()
        with self.server.lock:
            existed = self.server.accounts.pop(account or "", None) is not None
        self._reply(204 if existed else 404, b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


def backoff_delays(
    attempts: int, base: float = 0.1, cap: float = 5.0, rng: random.Random | None = None
) -> list[float]:
    """Full-jitter delays before retries 1..attempts-1: uniform(0, min(cap, base * 2**i)).

    >>> [round(d, 3) for d in backoff_delays(4, rng=random.Random(7))]
    [0.032, 0.03, 0.26]
    """
    if attempts < 1 or base <= 0 or cap < base:
        raise ValueError(f"need attempts >= 1 and 0 < base <= cap, got {attempts}, {base}, {cap}")
    rng = rng or random.Random()
    return [rng.uniform(0, min(cap, base * 2**i)) for i in range(attempts - 1)]


@dataclass
class Result:
    """The final answer of a retried request and how many attempts it took."""

    status: int
    body: bytes
    attempts: int
    replayed: bool


def request_with_retries(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    attempts: int = 3,
    sleep: Callable[[float], None] | None = None,
    rng: random.Random | None = None,
) -> Result:
    """Send a request, retrying on a dropped connection with backoff between tries.

    Raises ValueError for a method that may not be retried automatically (a
    POST without a key), unless ``attempts`` is 1; re-raises the last
    ConnectionError when every attempt fails.
    """
    if attempts > 1 and not may_retry_automatically(method, idempotency_key is not None):
        raise ValueError(f"{method} without an Idempotency-Key must not be retried automatically")
    return _send_with_retries(port, method, path, body, idempotency_key, attempts, sleep, rng)


def _send_with_retries(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    idempotency_key: str | None,
    attempts: int,
    sleep: Callable[[float], None] | None,
    rng: random.Random | None,
) -> Result:
    headers = {"Content-Type": "application/json"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    payload = json.dumps(body).encode() if body is not None else None
    delays = backoff_delays(attempts, rng=rng or random.Random(0))
    for attempt in range(1, attempts + 1):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request(method, path, body=payload, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            replayed = reply.getheader("Idempotent-Replayed") == "true"
            return Result(reply.status, data, attempt, replayed)
        except ConnectionError:  # RemoteDisconnected: the response never came
            if attempt == attempts:
                raise
            (sleep or _no_sleep)(delays[attempt - 1])
        finally:
            conn.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _no_sleep(seconds: float) -> None:
    """Loopback tests need no real wait; production code passes time.sleep."""


def unsafe_post_with_retries(
    port: int, path: str, body: dict[str, Any], attempts: int = 3
) -> Result:
    """The pitfall: retry a POST blindly, as a naive client or proxy does."""
    return _send_with_retries(port, "POST", path, body, None, attempts, None, None)
