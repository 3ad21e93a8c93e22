"""Keep-alive counted, head-of-line order on HTTP/1.1, HTTP/2 streams interleaved."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from fundamentals.networking.http_evolution import (
    DATA,
    END_HEADERS,
    END_STREAM,
    GOAWAY,
    HEADERS,
    MAX_FRAME_SIZE,
    SETTINGS,
    CountingHTTPServer,
    Frame,
    H2Server,
    Http10Handler,
    Http11Handler,
    decode_frame_header,
    decode_headers,
    decode_int,
    encode_frame,
    encode_headers,
    encode_int,
    h2_connect,
    read_frame,
    request_headers,
)


def _serve(handler: type[Http11Handler]) -> Iterator[CountingHTTPServer]:
    server = CountingHTTPServer(handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def http11() -> Iterator[CountingHTTPServer]:
    yield from _serve(Http11Handler)


@pytest.fixture
def http10() -> Iterator[CountingHTTPServer]:
    yield from _serve(Http10Handler)


def _get_three(server: CountingHTTPServer) -> list[bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    bodies = []
    for path in ("/a", "/b", "/c"):
        conn.request("GET", path)
        bodies.append(conn.getresponse().read())
    conn.close()
    return bodies


def test_keep_alive_serves_three_requests_on_one_connection(http11: CountingHTTPServer) -> None:
    assert _get_three(http11) == [b"hello from /a\n", b"hello from /b\n", b"hello from /c\n"]
    assert http11.connections == 1


def test_http10_opens_a_connection_per_request(http10: CountingHTTPServer) -> None:
    assert _get_three(http10) == [b"hello from /a\n", b"hello from /b\n", b"hello from /c\n"]
    assert http10.connections == 3


def test_pipelined_http11_answers_in_request_order(http11: CountingHTTPServer) -> None:
    with socket.create_connection(("127.0.0.1", http11.server_address[1]), timeout=5) as sock:
        sock.sendall(
            b"GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        data = b""
        while data.count(b"hello from") < 2:
            chunk = sock.recv(4096)
            assert chunk, "server closed early"
            data += chunk
    assert data.index(b"/first") < data.index(b"/second")
    # The second request is not even started until the first response is written.
    assert http11.log[:3] == ["start /first", "end /first", "start /second"]


# --- HTTP/2 framing vectors ------------------------------------------------


def test_hpack_integers_match_rfc7541_c1() -> None:
    assert encode_int(10, 5) == bytes([0b01010])
    assert encode_int(1337, 5) == bytes([0x1F, 0x9A, 0x0A])
    assert encode_int(42, 8) == bytes([0x2A])
    assert encode_int(31, 5) == bytes([0x1F, 0x00])  # exactly the prefix limit
    for value in (0, 30, 31, 127, 128, 1337, 2**20):
        for bits in (4, 5, 7, 8):
            assert decode_int(encode_int(value, bits), 0, bits) == (
                value,
                len(encode_int(value, bits)),
            )


def test_literal_header_matches_rfc7541_c2_1_without_indexing() -> None:
    # RFC 7541 C.2.1 with the first byte 0x00 (literal without indexing, new name)
    block = encode_headers([("custom-key", "custom-header")])
    assert block == bytes.fromhex("000a637573746f6d2d6b65790d637573746f6d2d686561646572")
    assert decode_headers(block) == [("custom-key", "custom-header")]
    # the RFC's C.2.1 block (0x40: with incremental indexing) decodes too
    c21 = bytes.fromhex("400a637573746f6d2d6b65790d637573746f6d2d686561646572")
    assert decode_headers(c21) == [("custom-key", "custom-header")]
    # C.2.3: never indexed (0x10), the form for secrets such as cookies and tokens
    c23 = bytes.fromhex("100870617373776f726406736563726574")
    assert decode_headers(c23) == [("password", "secret")]


def test_frame_header_is_nine_bytes_with_24_bit_length() -> None:
    # 70 000 > MAX_FRAME_SIZE (16 384): legal on the wire only after the peer
    # raised SETTINGS_MAX_FRAME_SIZE; the 24-bit field itself allows it
    assert MAX_FRAME_SIZE < 70000
    raw = encode_frame(Frame(DATA, END_STREAM, 3, b"x" * 70000))
    assert raw[:9] == bytes.fromhex("011170000100000003")
    assert decode_frame_header(raw[:9]) == (70000, DATA, END_STREAM, 3)
    assert decode_frame_header(bytes.fromhex("000000000080000005"))[3] == 5  # R bit dropped


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: encode_frame(Frame(DATA, 0, 2**31)), "31-bit"),
        (lambda: encode_frame(Frame(DATA, 0, 1, b"x" * 2**24)), "24-bit"),
        (lambda: decode_frame_header(b"\x00" * 8), "9 bytes"),
        (lambda: encode_headers([("Host", "x")]), "lowercase"),
        (lambda: decode_headers(b"\x82"), "unsupported"),
        (lambda: decode_headers(b"\x00\x85hello"), "Huffman"),
        (lambda: decode_headers(b"\x00\x05hel"), "truncated"),
        (lambda: encode_int(-1, 5), "cannot encode"),
    ],
)
def test_bad_input_raises_value_error(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- HTTP/2 on the wire ----------------------------------------------------


def test_two_streams_interleave_on_one_connection() -> None:
    release = threading.Event()

    def handler(path: str, send: Callable[[bytes, bool], None]) -> None:
        if path == "/slow":
            send(b"slow part 1;", False)
            release.wait(5)
            send(b"slow part 2", True)
        else:
            send(b"fast", True)

    server = H2Server(handler)
    sock = h2_connect(server.port)
    authority = f"127.0.0.1:{server.port}"
    seen: list[tuple[int, int, int]] = []
    bodies: dict[int, bytes] = {1: b"", 3: b""}

    def until(stop: Callable[[Frame], bool]) -> None:
        while True:
            frame = read_frame(sock)
            if frame.type in (HEADERS, DATA):
                seen.append((frame.type, frame.stream_id, frame.flags & END_STREAM))
            if frame.type == DATA:
                bodies[frame.stream_id] += frame.payload
            if frame.type == HEADERS:
                assert dict(decode_headers(frame.payload))[":status"] == "200"
            if stop(frame):
                return

    try:
        flags = END_STREAM | END_HEADERS
        sock.sendall(encode_frame(Frame(HEADERS, flags, 1, request_headers("/slow", authority))))
        until(lambda f: f.type == DATA and f.stream_id == 1)
        # stream 1 is now stuck in its handler; stream 3 still gets through
        sock.sendall(encode_frame(Frame(HEADERS, flags, 3, request_headers("/fast", authority))))
        sock.settimeout(2)
        try:
            until(lambda f: f.type == DATA and f.stream_id == 3 and bool(f.flags & END_STREAM))
        except TimeoutError:
            pytest.fail("stream 3 never answered while stream 1 was open")
        release.set()
        until(lambda f: f.type == DATA and f.stream_id == 1 and bool(f.flags & END_STREAM))
        sock.sendall(encode_frame(Frame(GOAWAY, 0, 0, bytes(8))))
    finally:
        release.set()
        sock.close()
        server.close()
    assert seen == [
        (HEADERS, 1, 0),
        (DATA, 1, 0),
        (HEADERS, 3, 0),
        (DATA, 3, END_STREAM),
        (DATA, 1, END_STREAM),
    ]
    assert bodies == {1: b"slow part 1;slow part 2", 3: b"fast"}
    assert server.connections == 1


def test_server_sends_settings_first() -> None:
    server = H2Server(lambda path, send: send(b"", True))
    sock = h2_connect(server.port)
    try:
        first = read_frame(sock)
        second = read_frame(sock)
    finally:
        sock.close()
        server.close()
    assert (first.type, first.flags, first.stream_id) == (SETTINGS, 0, 0)
    assert (second.type, second.flags) == (SETTINGS, 1)  # ACK of our SETTINGS
