"""HTTP caching on loopback: an origin with ETag/Cache-Control/Vary and a caching proxy.

Holds ``Origin``, an ``http.server`` that sends ``ETag``, ``Cache-Control`` and
``Vary`` and answers ``If-None-Match`` with 304; the helpers that parse
``Cache-Control`` and compare entity tags (RFC 9110 8.8.3, 13.1.2); and
``CachingProxy``, a shared cache in the style of a CDN edge (RFC 9111) that
honours max-age/s-maxage, no-store, private and no-cache, does not store a
response to a request with ``Authorization`` unless the response allows it
(public, s-maxage, must-revalidate: RFC 9111 3.5), keys variants by the request
headers ``Vary`` names, revalidates stale entries with a conditional GET and
merges the 304's headers, and coalesces concurrent misses so a stampede costs
the origin one request. Age is counted from when the proxy received a response;
an upstream ``Age`` header is ignored (one hop only).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def parse_cache_control(value: str) -> dict[str, str | None]:
    """Directives of a Cache-Control header, names lowercased, quotes removed.

    It splits on every comma, so a quoted list such as
    ``no-cache="set-cookie, x"`` is not supported: one field name per argument.

    >>> parse_cache_control('public, max-age=60, no-cache="set-cookie"')
    {'public': None, 'max-age': '60', 'no-cache': 'set-cookie'}
    """
    directives: dict[str, str | None] = {}
    for part in value.split(","):
        name, sep, arg = part.strip().partition("=")
        if name:
            directives[name.lower()] = arg.strip('"') if sep else None
    return directives


def etag_for(body: bytes) -> str:
    """A strong entity tag: a quoted prefix of the body's SHA-256."""
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def none_match(if_none_match: str, etag: str) -> bool:
    """True when If-None-Match matches ``etag`` (weak comparison, RFC 9110 13.1.2).

    >>> none_match('W/"abc", "def"', '"abc"'), none_match('"x"', '"abc"'), none_match("*", '"a"')
    (True, False, True)
    """
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))


@dataclass
class Resource:
    """What the origin serves at one path."""

    body: bytes
    cache_control: str
    vary_encoding: bool = False
    gate: threading.Event | None = None  # the handler waits for it: holds a request open


class Origin(http.server.ThreadingHTTPServer):
    """An origin server on 127.0.0.1 that counts what it answers."""

    daemon_threads = True

    def __init__(self, resources: dict[str, Resource]) -> None:
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.resources = resources
        self.answers: list[tuple[str, int]] = []  # (path, status) in order
        self.in_flight = 0
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def full_responses(self, path: str) -> int:
        """How many 200s the origin sent for ``path``: each one is full work."""
        return self.answers.count((path, 200))


class OriginHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``Origin.resources`` with validators and caching headers."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        origin = self.server
        assert isinstance(origin, Origin)
        resource = origin.resources.get(self.path)
        if resource is None:
            self._reply(404, b"not found\n", {})
            return
        with origin.lock:
            origin.in_flight += 1
        if resource.gate is not None:
            resource.gate.wait(5)
        body, headers = resource.body, {"Cache-Control": resource.cache_control}
        if resource.vary_encoding:
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, mtime=0)
                headers["Content-Encoding"] = "gzip"
        headers["ETag"] = etag_for(body)
        inm = self.headers.get("If-None-Match")
        status = 304 if inm is not None and none_match(inm, headers["ETag"]) else 200
        with origin.lock:
            origin.in_flight -= 1
            origin.answers.append((self.path, status))
        self._reply(status, b"" if status == 304 else body, headers)

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@dataclass
class Response:
    """What the proxy returns: status, headers, body and how the cache served it."""

    status: int
    headers: dict[str, str]
    body: bytes
    cache: str  # HIT, MISS, REVALIDATED or BYPASS (not storable)


@dataclass
class _Entry:
    status: int
    headers: dict[str, str]
    body: bytes
    stored_at: float
    max_age: float


@dataclass
class _Flight:
    done: threading.Event = field(default_factory=threading.Event)


class CachingProxy:
    """A shared HTTP cache in front of one origin (a CDN edge in miniature).

    ``get`` is thread-safe. ``coalesce=False`` turns off request coalescing,
    which is how a stampede reaches the origin.
    """

    def __init__(
        self, origin_port: int, clock: Callable[[], float] = time.monotonic, coalesce: bool = True
    ) -> None:
        self.origin_port = origin_port
        self.clock = clock
        self.coalesce = coalesce
        self.waiting = 0  # requests parked behind another request for the same key
        self._lock = threading.Lock()
        self._vary: dict[str, tuple[str, ...]] = {}
        self._entries: dict[tuple[str, tuple[str, ...]], _Entry] = {}
        self._flights: dict[tuple[str, tuple[str, ...]], _Flight] = {}

    def _key(self, path: str, headers: dict[str, str]) -> tuple[str, tuple[str, ...]]:
        names = self._vary.get(path, ())
        lowered = {k.lower(): v for k, v in headers.items()}
        return path, tuple(lowered.get(n, "") for n in names)  # break[ignore-vary]

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        """Serve ``path`` from cache when fresh; otherwise fetch or revalidate."""
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/', got {path!r}")
        headers = dict(headers or {})
        while True:
            with self._lock:
                key = self._key(path, headers)
                entry = self._entries.get(key)
                if entry is not None:
                    age = self.clock() - entry.stored_at
                    if age < entry.max_age:
                        hit = dict(entry.headers, Age=str(int(age)))
                        return Response(entry.status, hit, entry.body, "HIT")
                flight = self._flights.get(key)
                if flight is not None and self.coalesce:  # break[no-coalescing]
                    self.waiting += 1
                else:
                    flight = self._flights[key] = _Flight()
                    break
            flight.done.wait(10)
            with self._lock:
                self.waiting -= 1
        try:
            return self._fetch(path, headers, key, entry)
        finally:
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            flight.done.set()

    def _fetch(
        self,
        path: str,
        headers: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        entry: _Entry | None,
    ) -> Response:
        sent = dict(headers)
        if entry is not None and "ETag" in entry.headers:
            sent["If-None-Match"] = entry.headers["ETag"]  # break[no-conditional]
        conn = http.client.HTTPConnection("127.0.0.1", self.origin_port, timeout=10)
        try:
            conn.request("GET", path, headers=sent)
            reply = conn.getresponse()
            body = reply.read()
            got = {k: v for k, v in reply.getheaders() if k.lower() != "date"}
        finally:
            conn.close()
        cc = parse_cache_control(got.get("Cache-Control", ""))
        if reply.status == 304 and entry is not None:
            with self._lock:  # RFC 9111 4.3.4: the 304's headers update the stored ones
                entry.headers.update(got)
                entry.stored_at = self.clock()
                entry.max_age = _max_age(cc)  # break[stale-freshness]
            return Response(entry.status, dict(entry.headers, Age="0"), entry.body, "REVALIDATED")
        storable = reply.status == 200 and "no-store" not in cc and "private" not in cc
        if any(name.lower() == "authorization" for name in headers):  # break[store-authorized]
            # RFC 9111 3.5: only a directive that allows shared storage makes it storable
            storable = storable and bool({"public", "s-maxage", "must-revalidate"} & cc.keys())
        if not storable:  # break[store-everything]
            return Response(reply.status, got, body, "BYPASS")
        with self._lock:
            vary = tuple(v.strip().lower() for v in got.get("Vary", "").split(",") if v.strip())
            self._vary[path] = vary
            key = self._key(path, headers)
            self._entries[key] = _Entry(200, got, body, self.clock(), _max_age(cc))
        return Response(200, got, body, "MISS")


def _max_age(cc: dict[str, str | None]) -> float:
    """Freshness lifetime for a shared cache: s-maxage wins, no-cache means 0."""
    if "no-cache" in cc:
        return 0.0
    for name in ("s-maxage", "max-age"):
        value = cc.get(name)
        if value is not None and value.isdigit():
            return float(value)
    return 0.0
