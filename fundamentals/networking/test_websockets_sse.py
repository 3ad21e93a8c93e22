"""networking.websockets_sse: RFC 6455 test vectors, a real upgrade on loopback, SSE resume."""

from __future__ import annotations

import base64
import random
import socket
import struct
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import ClassVar

import pytest

from fundamentals.networking.websockets_sse import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    EchoServer,
    Event,
    FrameReader,
    SSEHandler,
    accept_key,
    encode_frame,
    follow,
    parse_frame,
    parse_sse,
)

# RFC 6455 section 5.7 examples.
HELLO_UNMASKED = bytes.fromhex("810548656c6c6f")
HELLO_MASKED = bytes.fromhex("818537fa213d7f9f4d5158")


def test_accept_key_matches_the_rfc_example() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_accept_key_rejects_a_key_that_is_not_16_bytes() -> None:
    with pytest.raises(ValueError, match="16 random bytes"):
        accept_key(base64.b64encode(b"short").decode())


def test_frames_match_the_rfc_examples() -> None:
    assert encode_frame(OP_TEXT, b"Hello") == HELLO_UNMASKED
    assert encode_frame(OP_TEXT, b"Hello", mask=bytes.fromhex("37fa213d")) == HELLO_MASKED
    got = parse_frame(HELLO_MASKED)
    assert got is not None
    frame, used = got
    assert (frame.fin, frame.opcode, frame.masked, frame.payload, used) == (
        True,
        OP_TEXT,
        True,
        b"Hello",
        11,
    )
    # Masking hides the payload bytes on the wire: "Hello" is not in the masked frame.
    assert b"Hello" not in encode_frame(OP_TEXT, b"Hello", mask=bytes.fromhex("37fa213d"))


def test_fin_bit_and_continuation_frames_round_trip() -> None:
    first = encode_frame(OP_TEXT, b"hel", fin=False)
    rest = encode_frame(OP_CONT, b"lo")
    assert (first[0], rest[0]) == (0x01, 0x80)
    got = parse_frame(first + rest)
    assert got is not None
    assert (got[0].fin, got[0].opcode, got[0].payload) == (False, OP_TEXT, b"hel")
    tail = parse_frame((first + rest)[got[1] :])
    assert tail is not None
    assert (tail[0].fin, tail[0].opcode, tail[0].payload) == (True, OP_CONT, b"lo")


def test_rsv_bits_without_an_extension_are_rejected() -> None:
    with pytest.raises(ValueError, match="RSV"):
        parse_frame(b"\xc1\x00")  # RSV1 set: permessage-deflate was never negotiated


def test_length_uses_7_then_16_then_64_bits() -> None:
    rng = random.Random(6455)
    # RFC 6455 5.7: 256 bytes -> 7e 01 00; 65536 bytes -> 7f and 8 bytes.
    assert encode_frame(OP_BINARY, b"\0" * 125)[:2] == bytes([0x82, 125])
    assert encode_frame(OP_BINARY, b"\0" * 256)[:4] == bytes.fromhex("827e0100")
    assert encode_frame(OP_BINARY, b"\0" * 65535)[:4] == bytes.fromhex("827effff")
    assert encode_frame(OP_BINARY, b"\0" * 65536)[:10] == bytes.fromhex("827f0000000000010000")
    for n in (0, 125, 126, 65535, 65536):
        data = rng.randbytes(n)
        wire = encode_frame(OP_BINARY, data, mask=b"\x01\x02\x03\x04")
        got = parse_frame(wire)
        assert got is not None
        assert got[0].payload == data
        assert got[1] == len(wire)


def test_a_partial_frame_parses_as_incomplete_at_every_cut() -> None:
    wire = encode_frame(OP_BINARY, bytes(300), mask=b"abcd")
    assert all(parse_frame(wire[:cut]) is None for cut in range(len(wire)))
    assert parse_frame(wire + b"next") is not None
    # The 64-bit length form (2 + 8 + 4 header bytes) and an unmasked 7-bit frame.
    big = encode_frame(OP_BINARY, bytes(65536), mask=b"abcd")[:20]
    assert all(parse_frame(big[:cut]) is None for cut in range(len(big)))
    small = encode_frame(OP_TEXT, b"Hello")
    assert all(parse_frame(small[:cut]) is None for cut in range(len(small)))


def test_server_rejects_an_unmasked_client_frame() -> None:
    with pytest.raises(ValueError, match="not masked"):
        parse_frame(HELLO_UNMASKED, require_mask=True)


def test_control_frames_are_limited_to_125_bytes() -> None:
    assert encode_frame(OP_PING, bytes(125))[:2] == bytes([0x89, 125])
    with pytest.raises(ValueError, match="125"):
        encode_frame(OP_PING, bytes(126))
    with pytest.raises(ValueError, match="fragmented"):
        encode_frame(OP_PING, b"", fin=False)
    with pytest.raises(ValueError, match="4 bytes"):
        encode_frame(OP_TEXT, b"x", mask=b"abc")


def _upgrade(port: int) -> tuple[socket.socket, dict[str, str], str]:
    rng = random.Random(16)
    key = base64.b64encode(rng.randbytes(16)).decode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        f"GET /chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)  # one byte at a time: frames after the headers stay in the socket
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    return sock, headers, lines[0] + "|" + key


def test_upgrade_then_masked_frames_echo_over_a_real_socket() -> None:
    rng = random.Random(6455)
    with EchoServer() as server:
        sock, headers, status_key = _upgrade(server.port)
        status, key = status_key.split("|")
        with sock:
            assert status == "HTTP/1.1 101 Switching Protocols"
            assert headers["sec-websocket-accept"] == accept_key(key)
            reader = FrameReader(sock)
            sock.sendall(encode_frame(OP_TEXT, "héllo".encode(), mask=rng.randbytes(4)))
            echo = reader.read()
            assert (echo.opcode, echo.masked, echo.payload) == (OP_TEXT, False, "héllo".encode())
            sock.sendall(encode_frame(OP_PING, b"p", mask=rng.randbytes(4)))
            pong = reader.read()
            assert (pong.opcode, pong.payload) == (OP_PONG, b"p")  # same data as the ping
            # 1001 "going away": the server echoes the client's code, not a fixed 1000.
            sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1001), mask=rng.randbytes(4)))
            reply = reader.read()
            assert (reply.opcode, reply.payload) == (OP_CLOSE, struct.pack("!H", 1001))
    assert [f.opcode for f in server.received] == [OP_TEXT, OP_PING, OP_CLOSE]
    assert all(f.masked for f in server.received)


def test_server_closes_with_1002_on_an_unmasked_frame() -> None:
    with EchoServer() as server:
        sock, _headers, _ = _upgrade(server.port)
        with sock:
            sock.sendall(HELLO_UNMASKED)
            close = FrameReader(sock).read()
    assert close.opcode == OP_CLOSE
    assert struct.unpack("!H", close.payload)[0] == 1002
    assert server.received == []


def test_two_frames_in_one_send_are_both_echoed_in_order() -> None:
    rng = random.Random(2)
    with EchoServer() as server:
        sock, _headers, _ = _upgrade(server.port)
        with sock:
            reader = FrameReader(sock)
            sock.sendall(
                encode_frame(OP_TEXT, b"one", mask=rng.randbytes(4))
                + encode_frame(OP_TEXT, b"two", mask=rng.randbytes(4))
            )
            assert [reader.read().payload, reader.read().payload] == [b"one", b"two"]
            sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1000), mask=rng.randbytes(4)))
            assert reader.read().opcode == OP_CLOSE
    assert [f.payload for f in server.received] == [b"one", b"two", struct.pack("!H", 1000)]


def test_a_frame_sent_one_byte_at_a_time_is_read_whole() -> None:
    rng = random.Random(3)
    with EchoServer() as server:
        sock, _headers, _ = _upgrade(server.port)
        with sock:
            reader = FrameReader(sock)
            for byte in encode_frame(OP_TEXT, b"slow", mask=rng.randbytes(4)):
                sock.sendall(bytes([byte]))
            assert reader.read().payload == b"slow"
            sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1000), mask=rng.randbytes(4)))
            assert reader.read().opcode == OP_CLOSE
    assert [f.payload for f in server.received] == [b"slow", struct.pack("!H", 1000)]


def test_parse_sse_fields() -> None:
    text = (
        'retry: 3000\nevent: price\nid: 7\ndata:{\ndata: "x": 1}\n\n'
        ": keep-alive\n\ndata: no id line\n\n"
    )
    events, retry = parse_sse(text)
    assert retry == 3000
    assert events == [Event("7", "price", '{\n"x": 1}'), Event("7", "message", "no id line")]


def test_parse_sse_line_endings_and_bad_retry() -> None:
    assert parse_sse("data: a\r\rdata: b\r\n\r\ndata: c\n\n")[0] == [
        Event(None, "message", "a"),
        Event(None, "message", "b"),
        Event(None, "message", "c"),
    ]
    assert parse_sse("retry: \u00b2\n\n") == ([], None)  # "²".isdigit() is True


def test_an_event_cut_before_its_blank_line_is_not_dispatched() -> None:
    events, _ = parse_sse("id: 1\ndata: complete\n\nid: 2\ndata: cut by proxy\n")
    assert events == [Event("1", "message", "complete")]


@pytest.fixture
def sse_server() -> Iterator[tuple[int, type[SSEHandler]]]:
    class Handler(SSEHandler):
        events: ClassVar[list[str]] = ["a", "b", "c", "d", "e"]
        per_connection = 2
        connections: ClassVar[list[str | None]] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield server.server_address[1], Handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_sse_client_resumes_with_last_event_id_and_sees_each_event_once(
    sse_server: tuple[int, type[SSEHandler]],
) -> None:
    port, handler = sse_server
    events = follow(port, max_connections=10)
    assert [(e.id, e.data) for e in events] == [
        ("1", "a"),
        ("2", "b"),
        ("3", "c"),
        ("4", "d"),
        ("5", "e"),
    ]
    # Three streams carried events, a fourth found nothing new; each reconnect said where it was.
    assert handler.connections == [None, "2", "4", "5"]


def test_sse_client_resumes_before_an_event_cut_mid_stream(
    sse_server: tuple[int, type[SSEHandler]],
) -> None:
    port, handler = sse_server
    handler.events = ["alpha", "bravo", "charlie", "delta", "echo"]
    handler.cut_mid_event = True  # each response ends with half of the next event
    events = follow(port, max_connections=10)
    assert [e.data for e in events] == ["alpha", "bravo", "charlie", "delta", "echo"]
    assert handler.connections == [None, "2", "4", "5"]
