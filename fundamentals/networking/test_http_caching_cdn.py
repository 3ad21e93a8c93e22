"""ETag/304 from a real http.server, and a caching proxy honouring the headers."""

from __future__ import annotations

import gzip
import http.client
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fundamentals.networking.http_caching_cdn import (
    CachingProxy,
    Origin,
    Resource,
    etag_for,
    none_match,
    parse_cache_control,
)
from fundamentals.networking.testing import FakeClock

PAGE = b"<h1>hello</h1>\n" * 20


def _start(server: http.server.HTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return thread


@pytest.fixture
def origin() -> Iterator[Origin]:
    server = Origin(
        {
            "/page": Resource(PAGE, "public, max-age=60"),
            "/account": Resource(b"balance: 10\n", "no-store"),
            "/prices": Resource(b"eur 1.00\n", "max-age=60, no-cache"),  # no-cache wins
            "/me": Resource(b"hi alice\n", "private, max-age=60"),
            "/news": Resource(b"today\n", "max-age=600, s-maxage=5"),
            "/styles.css": Resource(b"body{}\n" * 50, "max-age=60", vary_encoding=True),
            "/hot": Resource(b"hot item\n", "max-age=60", gate=threading.Event()),
            "/inbox": Resource(b"alice's inbox\n", "max-age=60"),
            "/feed": Resource(b"public feed\n", "public, max-age=60"),
        }
    )
    thread = _start(server)
    yield server
    gate = server.resources["/hot"].gate
    assert gate is not None
    gate.set()
    server.shutdown()
    server.server_close()
    thread.join()


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers=headers)
        reply = conn.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    finally:
        conn.close()


def _wait_until(predicate: Callable[[], bool], what: str) -> None:
    """Bounded poll: fails the test if the state never comes."""
    tick = threading.Event()
    for _ in range(1000):
        if predicate():
            return
        tick.wait(0.005)
    pytest.fail(f"never reached: {what}")


# --- the origin: validators and 304 ------------------------------------------


def test_if_none_match_gets_304_with_no_body(origin: Origin) -> None:
    status, headers, body = _get(origin.port, "/page", {})
    assert (status, body) == (200, PAGE)
    etag = headers["ETag"]
    assert etag == etag_for(PAGE)
    assert headers["Cache-Control"] == "public, max-age=60"
    status, headers, body = _get(origin.port, "/page", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert headers["ETag"] == etag
    assert _get(origin.port, "/page", {"If-None-Match": "W/" + etag})[0] == 304  # weak compare
    assert _get(origin.port, "/page", {"If-None-Match": '"stale"'})[0] == 200
    assert origin.answers == [("/page", 200), ("/page", 304), ("/page", 304), ("/page", 200)]


def test_simple_http_request_handler_has_no_etag_but_honours_if_modified_since(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_bytes(b"x")
    os.utime(tmp_path / "a.txt", (1_700_000_000, 1_700_000_000))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = _start(server)
    try:
        port = server.server_address[1]
        status, headers, _ = _get(port, "/a.txt", {})
        assert status == 200
        assert "ETag" not in headers
        since = {"If-Modified-Since": headers["Last-Modified"]}
        assert _get(port, "/a.txt", since)[0] == 304
        # with If-None-Match present it ignores If-Modified-Since (RFC 9110 13.1.3)
        assert _get(port, "/a.txt", {**since, "If-None-Match": '"x"'})[0] == 200
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_header_helpers() -> None:
    assert parse_cache_control("Max-Age=5, No-Store") == {"max-age": "5", "no-store": None}
    assert none_match('"a", "b"', '"b"')
    assert not none_match('"a"', 'W/"b"')
    assert none_match('"b"', 'W/"b"')  # a stored weak tag matches too


# --- the proxy ---------------------------------------------------------------


def test_fresh_hit_then_stale_revalidates_with_304(origin: Origin) -> None:
    clock = FakeClock(1000.0)
    proxy = CachingProxy(origin.port, clock)
    assert proxy.get("/page").cache == "MISS"
    clock.advance(59)
    hit = proxy.get("/page")
    assert (hit.cache, hit.body, hit.headers["Age"]) == ("HIT", PAGE, "59")
    clock.advance(2)  # age 61 > max-age 60: stale
    again = proxy.get("/page")
    assert (again.cache, again.body) == ("REVALIDATED", PAGE)
    assert proxy.get("/page").cache == "HIT"  # freshness restarted
    assert origin.answers == [("/page", 200), ("/page", 304)]


def test_a_304_updates_the_stored_headers_and_lifetime(origin: Origin) -> None:
    clock = FakeClock(1000.0)
    proxy = CachingProxy(origin.port, clock)
    proxy.get("/page")
    origin.resources["/page"].cache_control = "public, max-age=300"
    clock.advance(61)
    again = proxy.get("/page")
    assert (again.cache, again.headers["Cache-Control"]) == ("REVALIDATED", "public, max-age=300")
    clock.advance(200)  # stale under the old 60 s, fresh under the new 300 s
    hit = proxy.get("/page")
    assert (hit.cache, hit.headers["Cache-Control"]) == ("HIT", "public, max-age=300")
    assert origin.answers == [("/page", 200), ("/page", 304)]


def test_no_store_and_private_are_never_served_from_a_shared_cache(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0))
    assert [proxy.get("/account").cache for _ in range(2)] == ["BYPASS", "BYPASS"]
    assert [proxy.get("/me").cache for _ in range(2)] == ["BYPASS", "BYPASS"]
    assert origin.full_responses("/account") == 2
    assert origin.full_responses("/me") == 2
    missing = [proxy.get("/missing") for _ in range(2)]
    assert [(r.status, r.cache) for r in missing] == [(404, "BYPASS")] * 2  # only 200s stored


def test_authorization_is_not_cached_unless_public(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0))
    alice = {"Authorization": "Bearer alice"}
    inbox = [proxy.get("/inbox", alice) for _ in range(2)]
    assert [r.cache for r in inbox] == ["BYPASS", "BYPASS"]
    anonymous = proxy.get("/inbox", {})  # its own response, not alice's stored one
    assert anonymous.cache == "MISS"
    assert origin.full_responses("/inbox") == 3
    feed = [proxy.get("/feed", alice).cache, proxy.get("/feed", {}).cache]
    assert feed == ["MISS", "HIT"]  # "public" allows a shared cache to store it
    assert origin.full_responses("/feed") == 1


def test_no_cache_is_stored_but_revalidated_before_every_use(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0))
    assert [proxy.get("/prices").cache for _ in range(3)] == ["MISS", "REVALIDATED", "REVALIDATED"]
    assert origin.answers == [("/prices", 200), ("/prices", 304), ("/prices", 304)]


def test_s_maxage_overrides_max_age_for_a_shared_cache(origin: Origin) -> None:
    clock = FakeClock(1000.0)
    proxy = CachingProxy(origin.port, clock)
    proxy.get("/news")
    clock.advance(6)
    assert proxy.get("/news").cache == "REVALIDATED"


def test_vary_keeps_gzip_and_identity_variants_apart(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0))
    zipped = proxy.get("/styles.css", {"Accept-Encoding": "gzip"})
    plain = proxy.get("/styles.css", {})
    assert (zipped.cache, plain.cache) == ("MISS", "MISS")
    assert gzip.decompress(zipped.body) == plain.body == b"body{}\n" * 50
    assert "Content-Encoding" not in plain.headers
    assert proxy.get("/styles.css", {"accept-encoding": "gzip"}).cache == "HIT"
    assert proxy.get("/styles.css", {}).body == plain.body


def _stampede(origin: Origin, proxy: CachingProxy, clients: int) -> list[bytes]:
    bodies: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: bodies.append(proxy.get("/hot").body))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    # every client is either at the origin or parked behind the one that is
    _wait_until(lambda: origin.in_flight + proxy.waiting == clients, "all clients waiting")
    in_flight, parked = origin.in_flight, proxy.waiting
    gate = origin.resources["/hot"].gate
    assert gate is not None
    gate.set()
    for t in threads:
        t.join()
    assert (in_flight, parked) == ((1, clients - 1) if proxy.coalesce else (clients, 0))
    return bodies


def test_without_coalescing_a_cold_key_stampedes_the_origin(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0), coalesce=False)
    assert _stampede(origin, proxy, 5) == [b"hot item\n"] * 5
    assert origin.full_responses("/hot") == 5


def test_coalescing_sends_one_request_for_a_stampede(origin: Origin) -> None:
    proxy = CachingProxy(origin.port, FakeClock(1000.0))
    assert _stampede(origin, proxy, 5) == [b"hot item\n"] * 5
    assert origin.full_responses("/hot") == 1


def test_bad_path_raises(origin: Origin) -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        CachingProxy(origin.port).get("page")
