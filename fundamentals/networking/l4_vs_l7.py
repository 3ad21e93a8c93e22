"""networking.l4_vs_l7: a TCP (L4) proxy and an HTTP (L7) proxy on loopback, with health checks.

Holds small HTTP backends that say who answered, a ``BackendPool`` with
round-robin choice and active health checks that eject a backend after
consecutive failures and readmit it after consecutive successes, a ``TcpProxy``
that picks a backend per *connection* and copies bytes without parsing them
(recording what it could read), and an ``HttpProxy`` that parses each request
and picks a backend per *request* by path prefix or header.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import socketserver
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fundamentals.networking.loopback import Address, InBackground


class _BackendHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body are two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK stall every keep-alive response by a delayed-ACK timeout.
    disable_nagle_algorithm = True
    server: Backend

    def do_GET(self) -> None:
        backend = self.server
        if self.path == "/healthz":
            status, body = (200, b"ok") if backend.healthy else (503, b"unhealthy")
        else:
            backend.requests.append((self.path, dict(self.headers.items())))
            status, body = 200, f"{backend.name} {self.path}".encode()
        self.send_response(status)
        self.send_header("X-Backend", backend.name)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Backend(InBackground, ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1:0 answering ``<name> <path>``; ``/healthz`` obeys ``healthy``."""

    daemon_threads = True

    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), _BackendHandler)
        self.name = name
        self.healthy = True
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.serve_in_background()


def http_probe(addr: Address, timeout: float = 1.0) -> bool:
    """Active health check: ``GET /healthz`` answered 200. Refused or 5xx is a failure."""
    conn = http.client.HTTPConnection(*addr, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        # read the body: closing with unread bytes makes Linux send RST, not FIN
        resp.read()
        return resp.status == 200
    except OSError:
        return False
    finally:
        conn.close()


@dataclass
class BackendPool:
    """Round robin over the backends currently in rotation, with threshold health checks."""

    backends: Sequence[Address]
    unhealthy_threshold: int = 2
    healthy_threshold: int = 2
    in_rotation: set[Address] = field(init=False)
    _fails: dict[Address, int] = field(init=False)
    _oks: dict[Address, int] = field(init=False)
    _next: int = field(init=False, default=0)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.backends:
            raise ValueError("a pool needs at least one backend")
        if self.unhealthy_threshold < 1 or self.healthy_threshold < 1:
            raise ValueError("health thresholds must be at least 1")
        self.in_rotation = set(self.backends)
        self._fails = dict.fromkeys(self.backends, 0)
        self._oks = dict.fromkeys(self.backends, 0)

    def pick(self) -> Address:
        """The next backend in rotation, in list order. Raises LookupError if none is left."""
        with self._lock:
            for _ in range(len(self.backends)):
                addr = self.backends[self._next % len(self.backends)]
                self._next += 1
                if addr in self.in_rotation:  # break[ignore-ejection]
                    return addr
        raise LookupError("no healthy backend")

    def check(self, probe: Callable[[Address], bool] = http_probe) -> None:
        """Probe every backend once; eject or readmit those that crossed a threshold."""
        for addr in self.backends:
            ok = probe(addr)
            with self._lock:
                if ok:
                    self._fails[addr] = 0  # break[no-reset-on-success]
                    self._oks[addr] += 1
                    if self._oks[addr] >= self.healthy_threshold:
                        self.in_rotation.add(addr)
                else:
                    self._oks[addr] = 0  # break[no-reset-on-failure]
                    self._fails[addr] += 1
                    limit = self.unhealthy_threshold
                    if self._fails[addr] >= limit:  # break[eject-on-first-failure]
                        self.in_rotation.discard(addr)


class _TcpProxyHandler(socketserver.BaseRequestHandler):
    server: TcpProxy

    def handle(self) -> None:
        proxy = self.server
        client: socket.socket = self.request
        try:
            upstream = socket.create_connection(proxy.pool.pick(), timeout=5)
            upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, LookupError):
            proxy.failed_connects += 1
            return  # the client sees its connection closed with no reply
        seen = bytearray()
        proxy.seen.append(seen)
        back = threading.Thread(target=_pump, args=(upstream, client, None), daemon=True)
        back.start()
        _pump(client, upstream, seen)
        back.join(5)
        upstream.close()


def _pump(src: socket.socket, dst: socket.socket, record: bytearray | None) -> None:
    """Copy bytes until EOF, then half-close ``dst`` so its reader sees EOF too."""
    try:
        while chunk := src.recv(65536):
            if record is not None and len(record) < 65536:
                record += chunk
            dst.sendall(chunk)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)  # break[no-half-close]


class TcpProxy(InBackground, socketserver.ThreadingTCPServer):
    """L4: one backend per accepted connection; bytes copied both ways, never parsed.

    ``seen`` keeps the client-to-backend bytes of each connection: all an L4
    box could inspect. ``failed_connects`` counts clients dropped because the
    chosen backend refused.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, pool: BackendPool) -> None:
        super().__init__(("127.0.0.1", 0), _TcpProxyHandler)
        self.pool = pool
        self.seen: list[bytearray] = []
        self.failed_connects = 0
        self.serve_in_background()


Rule = tuple[Callable[[str, dict[str, str]], bool], BackendPool]


def path_prefix(prefix: str) -> Callable[[str, dict[str, str]], bool]:
    """A routing predicate: the request path starts with ``prefix``."""
    return lambda path, headers: path.startswith(prefix)


def header_equals(name: str, value: str) -> Callable[[str, dict[str, str]], bool]:
    """A routing predicate: header ``name`` (case-insensitive) equals ``value``."""
    key = name.lower()
    return lambda path, headers: headers.get(key) == value


class _HttpProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: HttpProxy

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        pool = self.server.route(self.path, headers)
        if pool is None:
            self._reply(404, b"no route", {})
            return
        try:
            addr = pool.pick()
        except LookupError:
            self._reply(503, b"no healthy backend", {})
            return
        # header names are case-insensitive: drop every spelling of X-Forwarded-For the
        # client sent and send ONE header, the client's entries first, this hop's last
        hop = ("connection", "x-forwarded-for")
        items = self.headers.items()
        forwarded = {k: v for k, v in items if k.lower() not in hop}  # break[keep-client-xff]
        chain = self.headers.get_all("X-Forwarded-For", [])
        forwarded["X-Forwarded-For"] = ", ".join([*chain, self.client_address[0]])
        upstream = http.client.HTTPConnection(*addr, timeout=5)
        try:
            upstream.request("GET", self.path, headers=forwarded)
            resp = upstream.getresponse()
            body = resp.read()
            keep = {"X-Backend": resp.getheader("X-Backend", "")}
            self._reply(resp.status, body, keep)
        except OSError:
            self._reply(502, b"bad gateway", {})
        finally:
            upstream.close()

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class HttpProxy(InBackground, ThreadingHTTPServer):
    """L7: parses every request and routes it by the first matching rule, else ``default``."""

    daemon_threads = True

    def __init__(self, rules: Sequence[Rule], default: BackendPool | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _HttpProxyHandler)
        self.rules = list(rules)
        self.default = default
        self.serve_in_background()

    def route(self, path: str, headers: dict[str, str]) -> BackendPool | None:
        for matches, pool in self.rules:
            if matches(path, headers):  # break[route-ignores-request]
                return pool
        return self.default


def get(addr: Address, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """One GET on a fresh connection: (status, X-Backend, body)."""
    conn = http.client.HTTPConnection(*addr, timeout=5)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheader("X-Backend", ""), resp.read().decode()
    finally:
        conn.close()


def get_many(addr: Address, paths: Sequence[str]) -> list[str]:
    """Several GETs on ONE keep-alive connection; the X-Backend of each answer."""
    conn = http.client.HTTPConnection(*addr, timeout=5)
    try:
        out = []
        for path in paths:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            out.append(resp.getheader("X-Backend", ""))
        return out
    finally:
        conn.close()
