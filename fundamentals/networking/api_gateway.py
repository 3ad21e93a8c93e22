"""networking.api_gateway: routing, authentication, rate limiting and request IDs in one gateway.

Holds a ``Gateway`` (an HTTP server on loopback) that, for every request, in
this order: assigns or keeps an ``X-Request-ID``, authenticates a bearer token,
applies a per-user token bucket (``429`` with ``Retry-After``), refuses paths
with dot segments (``400``), picks an upstream by longest path prefix, and
forwards with the identity it established (``X-User``) instead of anything
the client claimed. ``Service`` is a small upstream that echoes what it
received. Time is passed in (``clock``) so tests step the rate limiter
without sleeping.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fundamentals.networking.loopback import Address, InBackground

# headers the gateway owns (lower-case: names are case-insensitive); a client must not set them
IDENTITY_HEADERS = ("x-user",)


@dataclass
class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second; one request takes one token.

    ``take`` is safe to call from several threads: the gateway's handlers run
    concurrently, and two of them must not both spend the last token.
    """

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(init=False)
    _last: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError(f"need rate > 0 and burst >= 1, got {self.rate}, {self.burst}")
        self._tokens = float(self.burst)
        self._last = self.clock()

    def take(self) -> float:
        """Take a token: 0.0 if allowed, else the seconds until one is available."""
        # read, refill and spend as one step: unlocked, two threads can both read 1 token
        with self._lock:  # break[unlocked-take]
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate


class _ServiceHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Service

    def do_GET(self) -> None:
        seen = {
            "service": self.server.name,
            "path": self.path,
            "user": self.headers.get("X-User"),
            "request_id": self.headers.get("X-Request-ID"),
            "authorization": self.headers.get("Authorization"),
        }
        self.server.seen.append(seen)
        body = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(InBackground, ThreadingHTTPServer):
    daemon_threads = True


class Service(_Server):
    """An upstream service on 127.0.0.1:0 that answers with the headers it was sent."""

    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), _ServiceHandler)
        self.name = name
        self.seen: list[dict[str, str | None]] = []
        self.serve_in_background()


class _GatewayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Gateway

    def do_GET(self) -> None:
        gw = self.server
        incoming = self.headers.get("X-Request-ID")
        rid = incoming if incoming and _valid_id(incoming) else gw.new_id()  # break[always-new-id]
        user = gw.authenticate(self.headers.get("Authorization"))
        if user is None:  # break[skip-auth]
            gw.count("401")
            self._reply(401, b"missing or invalid token", rid, {"WWW-Authenticate": "Bearer"})
            return
        wait = gw.bucket_for(user).take()
        if wait > 0:
            gw.count("429")
            retry = str(math.ceil(wait))  # break[retry-after-floor]
            self._reply(429, b"rate limited", rid, {"Retry-After": retry})
            return
        if _has_dot_segment(self.path):  # break[route-raw-path]
            gw.count("400")
            self._reply(400, b"dot segments in path", rid, {})
            return
        upstream = gw.route(self.path)
        if upstream is None:
            gw.count("404")
            self._reply(404, b"no route", rid, {})
            return
        client_headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("authorization", "connection", "host", "x-request-id")
            and k.lower() not in IDENTITY_HEADERS  # break[trust-client-identity]
        }
        identity = {"X-User": user} if user else {}
        forwarded = {**client_headers, **identity, "X-Request-ID": rid}
        conn = http.client.HTTPConnection(*upstream, timeout=5)
        try:
            conn.request("GET", self.path, headers=forwarded)
            resp = conn.getresponse()
            body = resp.read()
        except OSError:
            gw.count("502")
            self._reply(502, b"upstream unavailable", rid, {})
            return
        finally:
            conn.close()
        gw.count(str(resp.status))
        self._reply(resp.status, body, rid, {})

    def _reply(self, status: int, body: bytes, rid: str, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("X-Request-ID", rid)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _valid_id(value: str) -> bool:
    """Keep a caller's request ID only if short and plain ASCII ``[A-Za-z0-9._-]``: it is logged."""
    ok = value.isascii() and all(c.isalnum() or c in "-_." for c in value)  # break[id-any-chars]
    return 0 < len(value) <= 64 and ok


def _has_dot_segment(path: str) -> bool:
    """True if the path, percent-decoded, has a ``.`` or ``..`` segment.

    Prefix routing compares the raw string, so ``/api/users/../orders/9`` would
    match ``/api/users/`` while every normalizing server behind it reads
    ``/api/orders/9``. Refusing such paths keeps routing and auth on one path.
    """
    raw = urllib.parse.urlsplit(path).path
    return any(seg in (".", "..") for seg in urllib.parse.unquote(raw).split("/"))


class Gateway(_Server):
    """One entry point: request IDs, bearer-token auth, per-user rate limits, prefix routing."""

    def __init__(
        self,
        routes: Mapping[str, Address],
        tokens: Mapping[str, str],
        *,
        rate: float = 10.0,
        burst: int = 10,
        clock: Callable[[], float] = time.monotonic,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        for prefix in routes:
            if not prefix.startswith("/"):
                raise ValueError(f"route prefix must start with '/': {prefix!r}")
        super().__init__(("127.0.0.1", 0), _GatewayHandler)
        # longest prefix first, so /api/orders/ wins over /api/
        self.routes: Sequence[tuple[str, Address]] = sorted(
            routes.items(),
            key=lambda kv: -len(kv[0]),  # break[first-match-routing]
        )
        self.tokens = dict(tokens)
        self.rate, self.burst, self.clock, self.new_id = rate, burst, clock, new_id
        self.counts: dict[str, int] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()
        self.serve_in_background()

    def authenticate(self, authorization: str | None) -> str | None:
        """The user a ``Bearer <token>`` header proves, or None.

        The scheme is case-insensitive (RFC 9110 section 11.1): ``bearer`` works too.
        """
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer":  # break[case-sensitive-scheme]
            return None
        return self.tokens.get(token.strip())

    def bucket_for(self, user: str) -> TokenBucket:
        """Each user has their own bucket, so one noisy client cannot starve the rest."""
        with self._lock:
            key = user  # break[one-bucket-for-all]
            if key not in self._buckets:
                self._buckets[key] = TokenBucket(self.rate, self.burst, self.clock)
            return self._buckets[key]

    def route(self, path: str) -> Address | None:
        for prefix, upstream in self.routes:
            if path.startswith(prefix):
                return upstream
        return None

    def count(self, status: str) -> None:
        with self._lock:
            self.counts[status] = self.counts.get(status, 0) + 1


def call(
    addr: Address, path: str, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET: (status, response headers, body)."""
    conn = http.client.HTTPConnection(*addr, timeout=5)
    try:
        conn.request("GET", path, headers=dict(headers or {}))
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()
