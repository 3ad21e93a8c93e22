"""Tests for networking.grpc_graphql: the spec's bytes, framing over real TCP, N+1 counted."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import threading
from collections.abc import Iterator

import pytest

from fundamentals.networking.grpc_graphql import (
    GrpcMessageReader,
    QueryCounter,
    decode_fields,
    decode_varint,
    encode_fields,
    encode_varint,
    grpc_frame,
    int64_as_varint,
    make_blog,
    read_grpc_messages,
    resolve_posts_batched,
    resolve_posts_naive,
    tag,
    unzigzag,
    zigzag,
)


def test_varints_match_the_encoding_spec_examples() -> None:
    assert encode_varint(1) == bytes.fromhex("01")
    assert encode_varint(150) == bytes.fromhex("9601")
    assert encode_varint(300) == bytes.fromhex("ac02")
    assert decode_varint(bytes.fromhex("9601")) == (150, 2)
    assert decode_varint(bytes.fromhex("ac02")) == (300, 2)


def test_varint_length_grows_one_byte_per_seven_bits() -> None:
    for bits in range(1, 65):
        n = (1 << bits) - 1
        assert len(encode_varint(n)) == -(-bits // 7)
        assert decode_varint(encode_varint(n)) == (n, len(encode_varint(n)))


def test_varints_round_trip_on_seeded_random_values() -> None:
    rng = random.Random(16)
    values = [rng.getrandbits(rng.randint(1, 64)) for _ in range(300)]
    stream = b"".join(encode_varint(v) for v in values)
    pos, out = 0, []
    while pos < len(stream):
        v, pos = decode_varint(stream, pos)
        out.append(v)
    assert out == values


def test_fields_match_the_encoding_spec_examples() -> None:
    assert encode_fields([(1, 150)]) == bytes.fromhex("089601")
    assert encode_fields([(2, "testing")]) == bytes.fromhex("120774657374696e67")
    assert decode_fields(bytes.fromhex("089601120774657374696e67")) == [(1, 150), (2, b"testing")]


def test_negative_int64_takes_ten_bytes_and_zigzag_takes_one() -> None:
    assert len(int64_as_varint(-1)) == 10
    assert encode_varint(zigzag(-1)) == b"\x01"
    assert [unzigzag(zigzag(n)) for n in (-(1 << 63), -2, -1, 0, 1, (1 << 63) - 1)] == [
        -(1 << 63),
        -2,
        -1,
        0,
        1,
        (1 << 63) - 1,
    ]


def test_protobuf_is_smaller_than_the_same_json() -> None:
    pb = encode_fields([(1, 150), (2, "testing")])
    js = json.dumps({"id": 150, "name": "testing"}, separators=(",", ":")).encode()
    assert (len(pb), len(js)) == (12, 27)


def test_bad_input_raises_clear_errors() -> None:
    with pytest.raises(ValueError, match="varint holds 0"):
        encode_varint(-1)
    with pytest.raises(TypeError, match="int"):
        encode_varint(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="truncated"):
        decode_varint(b"\x96")
    with pytest.raises(ValueError, match="longer than 10"):
        decode_varint(b"\xff" * 11)
    with pytest.raises(ValueError, match="longer than 10"):
        decode_varint(b"\xff" * 10 + b"\x01")  # terminated, but in the 11th byte
    with pytest.raises(ValueError, match="declared"):
        decode_fields(bytes.fromhex("1207746573"))
    with pytest.raises(ValueError, match="wire type 3"):
        decode_fields(bytes.fromhex("0b"))  # a deprecated group
    with pytest.raises(ValueError, match="4 bytes declared, 2 left"):
        decode_fields(bytes.fromhex("1d0000"))
    with pytest.raises(ValueError, match="field number 0"):
        decode_fields(bytes.fromhex("009601"))
    with pytest.raises(ValueError, match="field number must be 1"):
        tag(0, 0)
    with pytest.raises(ValueError, match="field number must be 1"):
        tag(1 << 29, 0)
    assert tag((1 << 29) - 1, 0) == encode_varint(((1 << 29) - 1) << 3)
    with pytest.raises(ValueError, match="compressed flag"):
        GrpcMessageReader().feed(b"\x07\x00\x00\x00\x00")
    with pytest.raises(ValueError, match="exceeds limit"):
        GrpcMessageReader(max_message=10).feed(grpc_frame(b"x" * 11))


def test_grpc_frame_is_flag_then_big_endian_length() -> None:
    msg = bytes(300)
    frame = grpc_frame(msg)
    assert frame[:5] == b"\x00\x00\x00\x01\x2c"
    assert grpc_frame(b"z", compressed=True)[:5] == b"\x01\x00\x00\x00\x01"
    assert len(frame) == 5 + 300


def test_a_header_without_its_whole_body_yields_nothing_yet() -> None:
    frame = grpc_frame(b"hello")
    reader = GrpcMessageReader()
    assert reader.feed(frame[:7]) == []
    assert reader.pending == 7
    assert reader.feed(frame[7:]) == [b"hello"]


def test_reader_reassembles_messages_fed_one_byte_at_a_time() -> None:
    msgs = [encode_fields([(1, i), (2, "x" * i)]) for i in range(20)]
    stream = b"".join(grpc_frame(m) for m in msgs)
    reader = GrpcMessageReader()
    got: list[bytes] = []
    for i in range(len(stream)):
        got += reader.feed(stream[i : i + 1])
    assert got == msgs
    assert reader.pending == 0


def test_a_wire_type_says_how_to_skip_a_field_without_the_schema() -> None:
    # field 1 = 150, then an I32 field 3 (key 1d), then field 2 = "a"
    msg = bytes.fromhex("08 96 01 1d 00 00 00 00 12 01 61")
    assert decode_fields(msg) == [(1, 150), (3, bytes(4)), (2, b"a")]
    assert decode_fields(msg, known={1, 2}) == [(1, 150), (2, b"a")]
    # an I64 field 3 (key 19) whose 8 payload bytes look like keys and values:
    # a reader that steps over the wrong number of bytes sees fields that were never sent
    i64 = bytes.fromhex("19 08 01 08 01 08 01 08 01 10 01")
    assert decode_fields(i64, known={1, 2}) == [(2, 1)]


def test_a_stream_socket_has_no_message_boundaries() -> None:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with a, b:
        first, second = encode_fields([(1, 150)]), encode_fields([(2, "testing")])
        a.sendall(grpc_frame(first) + grpc_frame(second))
        chunk = b.recv(65536)
        assert chunk == grpc_frame(first) + grpc_frame(second)


def test_messages_cross_real_loopback_tcp_split_and_coalesced() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    msgs = [encode_fields([(1, n), (2, "payload")]) for n in (1, 150, 300)]
    stream = b"".join(grpc_frame(m) for m in msgs)
    sent = threading.Event()

    def client() -> None:
        with socket.create_connection(listener.getsockname()) as c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            c.sendall(stream[:3])  # half a header
            sent.wait(5)
            c.sendall(stream[3:])  # the rest, two and a half messages at once

    t = threading.Thread(target=client)
    t.start()
    with listener, listener.accept()[0] as conn:
        reader = GrpcMessageReader()
        assert reader.feed(conn.recv(65536)) == []
        assert reader.pending == 3
        sent.set()
        got: list[bytes] = []
        while len(got) < 3:
            chunk = conn.recv(65536)
            assert chunk, "peer closed early"
            got += reader.feed(chunk)
    t.join(5)
    assert got == msgs
    assert [decode_fields(m)[0] for m in got] == [(1, 1), (1, 150), (1, 300)]


def test_read_grpc_messages_over_a_socketpair_counts_recvs() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"".join(grpc_frame(bytes([i])) for i in range(5)))
        msgs, recvs = read_grpc_messages(b, 5)
        assert msgs == [bytes([i]) for i in range(5)]
        assert recvs == 1
        a.close()
        with pytest.raises(ConnectionError, match="0 of 1"):
            read_grpc_messages(b, 1)


@pytest.fixture
def blog() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    make_blog(conn, authors=5, posts_per_author=4)
    yield conn
    conn.close()


def test_naive_resolvers_issue_one_query_per_post(blog: sqlite3.Connection) -> None:
    counter = QueryCounter(blog)
    result = resolve_posts_naive(blog)
    assert len(result) == 20
    assert len(counter.statements) == 1 + 20


def test_batched_resolver_issues_two_queries_for_any_number_of_posts(
    blog: sqlite3.Connection,
) -> None:
    counter = QueryCounter(blog)
    result = resolve_posts_batched(blog)
    assert len(counter.statements) == 2
    assert result == resolve_posts_naive(blog)
    assert result[0] == {"title": "post1.0", "author": "author1"}


def test_batch_query_asks_for_each_author_once(blog: sqlite3.Connection) -> None:
    counter = QueryCounter(blog)
    resolve_posts_batched(blog)
    assert "IN (1,2,3,4,5)" in counter.statements[1].replace(" ", "").replace("IN(", "IN (")
