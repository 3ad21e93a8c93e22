"""networking.dns: a hand-built query against a UDP server on loopback, parsed back."""

from __future__ import annotations

import random
import socket
import struct
import threading

import pytest

from fundamentals.networking.dns import (
    _HEADER,
    CLASS_IN,
    RCODE_NXDOMAIN,
    TYPE_A,
    CachingResolver,
    ZoneServer,
    build_query,
    build_response,
    encode_name,
    parse_message,
    query,
    read_name,
)
from fundamentals.networking.testing import FakeClock


def test_query_bytes_are_header_then_question_in_network_order() -> None:
    q = build_query("example.com", 0xABCD)
    # id, flags (only RD), QDCOUNT=1, AN/NS/AR=0
    assert q[:12] == bytes.fromhex("abcd 0100 0001 0000 0000 0000")
    assert q[12:] == b"\x07example\x03com\x00" + b"\x00\x01\x00\x01"
    assert len(q) == 12 + 13 + 4


def test_bad_names_and_ids_raise_value_error() -> None:
    with pytest.raises(ValueError, match="over 63"):
        encode_name("a" * 64 + ".com")
    # 3 * 64 + 62 + 1 = 255 bytes encoded is the largest name; one byte more is not.
    assert len(encode_name(".".join(["a" * 63] * 3 + ["a" * 61]))) == 255
    with pytest.raises(ValueError, match="over 255"):
        encode_name(".".join(["a" * 63] * 3 + ["a" * 62]))
    with pytest.raises(ValueError, match="over 255"):
        encode_name(".".join(["a" * 63] * 4))
    with pytest.raises(ValueError, match="empty label"):
        encode_name("a..b")
    with pytest.raises(ValueError, match="16 bits"):
        build_query("a.b", 0x10000)


def test_answer_over_udp_uses_a_compression_pointer_to_the_question() -> None:
    with (
        ZoneServer({"api.example.com": ("10.0.0.7", 30)}) as server,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s,
    ):
        s.settimeout(5)
        s.sendto(build_query("api.example.com", 0x0102), server.address)
        raw = s.recv(512)
    msg = parse_message(raw)
    assert (msg.id, msg.qr, msg.aa, msg.rd, msg.tc, msg.ra, msg.rcode) == (
        0x0102,
        True,
        True,
        True,
        False,
        False,  # RA clear: an authoritative-only server does no recursion
        0,
    )
    assert msg.questions == [("api.example.com", TYPE_A, CLASS_IN)]
    (answer,) = msg.answers
    assert (answer.name, answer.ttl, answer.address) == ("api.example.com", 30, "10.0.0.7")
    # The answer's name is two bytes, c0 0c: "see offset 12", not the 17 bytes again.
    answer_start = 12 + len(encode_name("api.example.com")) + 4
    assert raw[answer_start : answer_start + 2] == b"\xc0\x0c"
    assert len(raw) == answer_start + 2 + 10 + 4


def test_read_name_follows_a_pointer_into_the_middle_of_a_name() -> None:
    # "www.example.com" at 12; then "mail" + pointer to "example.com" at 16.
    buf = bytes(12) + encode_name("www.example.com") + b"\x04mail\xc0\x10"
    second = 12 + len(encode_name("www.example.com"))
    assert read_name(buf, 12) == ("www.example.com", second)
    assert read_name(buf, second) == ("mail.example.com", second + 7)


def test_a_name_reached_through_two_pointers_ends_after_the_first() -> None:
    # example.com at 12, www + pointer at 25, then a bare pointer to 25 at 31.
    buf = bytes(12) + b"\x07example\x03com\x00" + b"\x03www\xc0\x0c" + b"\xc0\x19" + b"XY"
    assert read_name(buf, 25) == ("www.example.com", 31)
    # The name at 31 is two bytes long: the next field starts at 33, not 31.
    assert read_name(buf, 31) == ("www.example.com", 33)


def test_header_flags_are_read_bit_by_bit() -> None:
    every = parse_message(_HEADER.pack(1, 0x8780, 0, 0, 0, 0))  # QR AA TC RD RA
    assert (every.qr, every.aa, every.tc, every.rd, every.ra) == (True,) * 5
    only_qr = parse_message(_HEADER.pack(1, 0x8000, 0, 0, 0, 0))
    assert (only_qr.qr, only_qr.aa, only_qr.tc, only_qr.rd, only_qr.ra) == (
        True,
        False,
        False,
        False,
        False,
    )


def test_the_reply_copies_rd_from_the_query() -> None:
    with (
        ZoneServer({"a.example": ("10.0.0.9", 5)}) as server,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s,
    ):
        s.settimeout(5)
        s.sendto(build_query("a.example", 5, rd=False), server.address)
        no_rd = parse_message(s.recv(512))
    assert (no_rd.rd, no_rd.answers[0].address) == (False, "10.0.0.9")


def test_pointer_loop_and_truncation_raise_instead_of_hanging() -> None:
    with pytest.raises(ValueError, match="loop"):
        read_name(bytes(12) + b"\xc0\x0c", 12)
    with pytest.raises(ValueError, match="past the end"):
        read_name(b"\x05ab", 0)
    with pytest.raises(ValueError, match="header needs 12"):
        parse_message(b"\x00" * 11)
    with pytest.raises(ValueError, match="question truncated"):
        parse_message(build_query("a.io", 1)[:-2])
    with pytest.raises(ValueError, match="reserved"):
        read_name(b"\x40" + bytes(64), 0)  # top bits 01: neither a label nor a pointer


def test_unknown_name_is_nxdomain_with_no_answers() -> None:
    with ZoneServer({}) as server:
        reply = query(server.address, "missing.example.com", 9)
    assert (reply.rcode, reply.answers) == (RCODE_NXDOMAIN, [])


def test_a_reply_with_another_id_is_rejected() -> None:
    # A server (or an off-path spoofer) answering with the wrong id: the stub must drop it.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as fake:
        fake.bind(("127.0.0.1", 0))

        def answer_wrong_id() -> None:
            data, peer = fake.recvfrom(512)
            reply = bytearray(build_response(data, {"bank.example": ("6.6.6.6", 300)}))
            struct.pack_into("!H", reply, 0, (struct.unpack_from("!H", data)[0] + 1) & 0xFFFF)
            fake.sendto(bytes(reply), peer)

        t = threading.Thread(target=answer_wrong_id)
        t.start()
        with pytest.raises(ValueError, match="does not match query id"):
            query(fake.getsockname(), "bank.example", 0x4242)
        t.join(5)


def test_a_truncated_query_does_not_kill_the_server() -> None:
    with (
        ZoneServer({"a.io": ("10.0.0.3", 5)}) as server,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s,
    ):
        s.sendto(build_query("a.io", 1)[:-2], server.address)
        assert query(server.address, "a.io", 2).answers[0].address == "10.0.0.3"
    assert (server.malformed, server.queries) == (1, 1)


def test_query_ids_are_random_not_sequential() -> None:
    with ZoneServer({"a.example": ("10.0.0.1", 60), "b.example": ("10.0.0.2", 60)}) as server:
        r = CachingResolver(server.address, clock=FakeClock(1000.0), rng=random.Random(5452))
        r.resolve("a.example")
        r.resolve("b.example")
    expected = random.Random(5452)
    assert server.ids == [expected.getrandbits(16), expected.getrandbits(16)]
    assert server.ids[1] != server.ids[0] + 1


def test_cache_serves_until_ttl_then_asks_again() -> None:
    clock = FakeClock(1000.0)
    with ZoneServer({"api.example.com": ("10.0.0.1", 60)}) as server:
        r = CachingResolver(server.address, clock=clock)
        assert [r.resolve("api.example.com") for _ in range(3)] == ["10.0.0.1"] * 3
        assert (r.upstream_queries, server.queries) == (1, 1)
        clock.advance(60)
        assert r.resolve("api.example.com") == "10.0.0.1"
        assert (r.upstream_queries, server.queries) == (2, 2)


def test_failover_reaches_a_cached_client_only_after_the_old_ttl() -> None:
    clock = FakeClock(1000.0)
    zone = {"db.example.com": ("10.0.0.1", 300)}
    with ZoneServer(zone) as server:
        r = CachingResolver(server.address, clock=clock)
        assert r.resolve("db.example.com") == "10.0.0.1"
        # The primary dies; the operator repoints the record with a short TTL.
        zone["db.example.com"] = ("10.0.0.2", 5)
        clock.advance(299)
        assert r.resolve("db.example.com") == "10.0.0.1"  # still the dead primary
        clock.advance(1)
        assert r.resolve("db.example.com") == "10.0.0.2"
        assert server.queries == 2
