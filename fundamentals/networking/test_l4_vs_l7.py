"""Tests for networking.l4_vs_l7: real proxies and backends on 127.0.0.1, port 0."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator

import pytest
import trustme

from fundamentals.networking.l4_vs_l7 import (
    Backend,
    BackendPool,
    HttpProxy,
    TcpProxy,
    get,
    get_many,
    header_equals,
    http_probe,
    path_prefix,
)
from fundamentals.networking.loopback import Address


@pytest.fixture
def backends() -> Iterator[list[Backend]]:
    servers = [Backend(name) for name in ("a", "b", "c")]
    yield servers
    for s in servers:
        if s.socket.fileno() != -1:
            s.stop()


@pytest.fixture
def l4(backends: list[Backend]) -> Iterator[TcpProxy]:
    proxy = TcpProxy(BackendPool([b.address for b in backends[:2]]))
    yield proxy
    proxy.stop()


def test_l4_picks_a_backend_per_connection_so_keep_alive_sticks(l4: TcpProxy) -> None:
    assert get_many(l4.address, ["/1", "/2", "/3", "/4"]) == ["a"] * 4
    assert get_many(l4.address, ["/1", "/2"]) == ["b"] * 2


def test_l7_picks_a_backend_per_request_on_one_connection(backends: list[Backend]) -> None:
    proxy = HttpProxy([], default=BackendPool([b.address for b in backends[:2]]))
    try:
        assert get_many(proxy.address, ["/1", "/2", "/3", "/4"]) == ["a", "b", "a", "b"]
    finally:
        proxy.stop()


def test_only_l7_routes_by_path_and_header(backends: list[Backend]) -> None:
    api, static, canary = (BackendPool([b.address]) for b in backends)
    proxy = HttpProxy(
        [(header_equals("X-Canary", "1"), canary), (path_prefix("/static/"), static)],
        default=api,
    )
    try:
        assert get(proxy.address, "/users/7")[:2] == (200, "a")
        assert get(proxy.address, "/static/logo.png")[:2] == (200, "b")
        assert get(proxy.address, "/users/7", {"X-Canary": "1"})[:2] == (200, "c")
    finally:
        proxy.stop()


def test_l4_sends_paths_wherever_the_connection_went(l4: TcpProxy) -> None:
    answered = [get(l4.address, p)[1] for p in ("/static/x", "/static/x", "/users/1", "/users/1")]
    assert answered == ["a", "b", "a", "b"]


def test_l7_proxy_adds_x_forwarded_for_and_l4_cannot(backends: list[Backend], l4: TcpProxy) -> None:
    proxy = HttpProxy([], default=BackendPool([backends[2].address]))
    try:
        get(proxy.address, "/who")
    finally:
        proxy.stop()
    assert backends[2].requests[0][1]["X-Forwarded-For"] == "127.0.0.1"
    get(l4.address, "/who")
    assert "X-Forwarded-For" not in backends[0].requests[0][1]


def _xff(headers: dict[str, str]) -> list[str]:
    return [v for k, v in headers.items() if k.lower() == "x-forwarded-for"]


def test_l7_proxy_appends_to_a_client_sent_x_forwarded_for_in_one_header(
    backends: list[Backend],
) -> None:
    proxy = HttpProxy([], default=BackendPool([backends[0].address]))
    spellings = ["x-forwarded-for", "X-Forwarded-For"]
    try:
        for name in spellings:
            get(proxy.address, "/who", {name: "6.6.6.6"})
    finally:
        proxy.stop()
    # one header, whatever the client's spelling; this proxy's own entry is the last
    got = [_xff(headers) for _, headers in backends[0].requests]
    assert got == [["6.6.6.6, 127.0.0.1"]] * len(spellings)


def test_l4_sees_the_sni_of_tls_but_not_the_path() -> None:
    ca = trustme.CA()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("api.internal.test").configure_cert(server_ctx)
    listener = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def tls_backend() -> None:
        conn, _ = listener.accept()
        with server_ctx.wrap_socket(conn, server_side=True) as tls:
            request = b""
            while b"\r\n\r\n" not in request:
                request += tls.recv(4096)
            got.append(request)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    t = threading.Thread(target=tls_backend)
    t.start()
    addr: Address = listener.getsockname()[:2]
    proxy = TcpProxy(BackendPool([addr]))
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    try:
        with (
            socket.create_connection(proxy.address) as raw,
            client_ctx.wrap_socket(raw, server_hostname="api.internal.test") as tls,
        ):
            version = tls.version()
            tls.sendall(b"GET /secret/path HTTP/1.1\r\nHost: api.internal.test\r\n\r\n")
            reply = b""
            while chunk := tls.recv(4096):
                reply += chunk
    finally:
        t.join(5)
        proxy.stop()
        listener.close()
    assert reply.endswith(b"ok")
    assert version == "TLSv1.3"
    assert got[0].startswith(b"GET /secret/path ")
    seen = bytes(proxy.seen[0])
    assert seen[0] == 0x16  # a TLS handshake record: the ClientHello
    assert b"api.internal.test" in seen  # SNI travels in clear text
    assert b"/secret/path" not in seen  # the request itself is encrypted


def test_health_checks_eject_after_consecutive_failures_and_readmit(
    backends: list[Backend],
) -> None:
    pool = BackendPool([b.address for b in backends])
    backends[1].healthy = False
    pool.check()
    assert pool.in_rotation == {b.address for b in backends}  # one failure is not enough
    pool.check()
    assert pool.in_rotation == {backends[0].address, backends[2].address}
    assert [pool.pick() for _ in range(4)] == [backends[i].address for i in (0, 2, 0, 2)]
    backends[1].healthy = True
    pool.check()
    assert backends[1].address not in pool.in_rotation
    pool.check()
    assert backends[1].address in pool.in_rotation


def test_thresholds_count_consecutive_probes() -> None:
    addr: Address = ("127.0.0.1", 9)
    pool = BackendPool([addr], unhealthy_threshold=2, healthy_threshold=2)
    script: list[bool] = []

    def probe(_: Address) -> bool:
        return script.pop(0)

    def run(*results: bool) -> None:
        script.extend(results)
        for _ in results:
            pool.check(probe=probe)

    run(False, True, False)  # two failures, but never two in a row
    assert addr in pool.in_rotation
    run(False)  # the second consecutive failure
    assert addr not in pool.in_rotation
    run(True, False, True)  # two successes, but never two in a row
    assert addr not in pool.in_rotation
    run(True)  # the second consecutive success
    assert addr in pool.in_rotation


def test_a_dead_backend_drops_connections_until_health_checks_eject_it(
    backends: list[Backend],
) -> None:
    pool = BackendPool([b.address for b in backends])
    proxy = TcpProxy(pool)
    backends[1].stop()
    # hold the dead backend's port, bound but not listening, so connects are refused;
    # from here on, no other test can start a listener there
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(backends[1].address)
    try:
        assert not http_probe(backends[1].address)  # refused
        results = []
        for _ in range(3):
            try:
                results.append(get(proxy.address, "/")[1])
            except (ConnectionError, OSError):
                results.append("dropped")
        assert results == ["a", "dropped", "c"]
        assert proxy.failed_connects == 1
        pool.check()
        pool.check()
        assert [get(proxy.address, "/")[1] for _ in range(4)] == ["a", "c", "a", "c"]
        assert proxy.failed_connects == 1
    finally:
        proxy.stop()
        squatter.close()


def test_all_backends_down_gives_503_at_l7(backends: list[Backend]) -> None:
    pool = BackendPool([backends[0].address], unhealthy_threshold=1)
    backends[0].healthy = False
    pool.check()
    proxy = HttpProxy([], default=pool)
    try:
        assert get(proxy.address, "/")[0] == 503
    finally:
        proxy.stop()
    with pytest.raises(LookupError, match="no healthy backend"):
        pool.pick()


def test_bad_pool_arguments_raise() -> None:
    with pytest.raises(ValueError, match="at least one backend"):
        BackendPool([])
    with pytest.raises(ValueError, match="thresholds"):
        BackendPool([("127.0.0.1", 1)], unhealthy_threshold=0)
