"""networking.tcp_vs_udp: a TCP stream loses message boundaries, UDP keeps them and truncates.

Real sockets on 127.0.0.1, port 0. No test waits on the clock: a TCP receiver
waits in the kernel (``SO_RCVLOWAT`` plus ``select``) until the bytes it expects
are queued, and then asks what a single ``recv`` returns. Linux is the
reference platform; the one test that needs Linux's UDP size limit says so.
"""

from __future__ import annotations

import errno
import random
import socket
import sys
import threading
from collections.abc import Iterator

import pytest

from fundamentals.networking.tcp_vs_udp import (
    MAX_UDP_PAYLOAD_IPV4,
    MAX_UDP_PAYLOAD_IPV6,
    Deframer,
    frame,
    queued_bytes,
    recv_datagram,
    recv_exactly,
    tcp_pair,
    udp_pair,
    wait_readable_bytes,
)


@pytest.fixture
def tcp() -> Iterator[tuple[socket.socket, socket.socket]]:
    client, server = tcp_pair()
    try:
        yield client, server
    finally:
        client.close()
        server.close()


@pytest.fixture
def udp() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = udp_pair()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _closed_udp_port() -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


# --- TCP: a byte stream ---------------------------------------------------------------


def test_two_tcp_sends_come_back_in_one_recv(tcp: tuple[socket.socket, socket.socket]) -> None:
    client, server = tcp
    client.sendall(b"hello")
    client.sendall(b"world")
    wait_readable_bytes(server, 10)
    assert server.recv(4096) == b"helloworld"  # one read, both "messages", no boundary


def test_one_tcp_send_can_take_several_recvs(tcp: tuple[socket.socket, socket.socket]) -> None:
    client, server = tcp
    client.sendall(b"helloworld")
    wait_readable_bytes(server, 10)
    assert server.recv(4) == b"hell"
    assert queued_bytes(server) == 6
    assert server.recv(4096) == b"oworld"


def test_wait_readable_bytes_times_out_on_an_open_peer(
    tcp: tuple[socket.socket, socket.socket],
) -> None:
    client, server = tcp
    client.sendall(b"abc")
    with pytest.raises(TimeoutError, match="only 3 of 10 bytes"):
        wait_readable_bytes(server, 10, timeout=0.05)  # a bound, not a measurement
    client.sendall(b"defghij")
    wait_readable_bytes(server, 10)
    assert queued_bytes(server) == 10  # nothing was consumed while waiting
    assert server.gettimeout() is None  # left blocking, low-water mark reset
    assert server.getsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT) == 1


def test_wait_readable_bytes_waits_for_a_later_send(
    tcp: tuple[socket.socket, socket.socket],
) -> None:
    client, server = tcp
    client.sendall(b"hello")
    outcome: list[BaseException | None] = []

    def waiter() -> None:
        try:
            wait_readable_bytes(server, 10, timeout=5)
            outcome.append(None)
        except BaseException as exc:  # reported to the main thread
            outcome.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    thread.join(0.05)  # a wrong helper returns (EOFError) before the second send
    client.sendall(b"world")
    thread.join(5)
    assert outcome == [None]
    assert queued_bytes(server) == 10


def test_wait_readable_bytes_reports_a_peer_that_closes_early(
    tcp: tuple[socket.socket, socket.socket],
) -> None:
    client, server = tcp
    client.sendall(b"abc")
    client.close()
    with pytest.raises(EOFError, match="peer closed with 3 of 10 bytes"):
        wait_readable_bytes(server, 10)
    with pytest.raises(ValueError, match="count must be >= 1"):
        wait_readable_bytes(server, 0)


def test_length_prefix_framing_restores_messages_over_a_real_stream(
    tcp: tuple[socket.socket, socket.socket],
) -> None:
    client, server = tcp
    messages = [b"a", b"", b"bc" * 50, b"\x00\x00\x00\x07"]
    client.sendall(b"".join(frame(m) for m in messages))
    client.shutdown(socket.SHUT_WR)
    deframer, got = Deframer(), []
    while chunk := server.recv(7):  # small reads: boundaries fall anywhere
        got += deframer.feed(chunk)
    assert got == messages
    assert deframer.pending == 0


def test_deframer_handles_every_split_of_the_stream() -> None:
    rng = random.Random(16)
    messages = [bytes(rng.randrange(256) for _ in range(rng.randrange(40))) for _ in range(30)]
    stream = b"".join(frame(m) for m in messages)
    for _ in range(50):
        cuts = sorted(rng.sample(range(1, len(stream)), 12))
        deframer, got = Deframer(), []
        for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
            got += deframer.feed(stream[start:end])
        assert got == messages


def test_deframer_byte_at_a_time_holds_partial_messages() -> None:
    deframer = Deframer()
    data = frame(b"xyz")
    for i, byte in enumerate(data[:-1]):
        assert deframer.feed(bytes([byte])) == []
        assert deframer.pending == i + 1
    assert deframer.feed(data[-1:]) == [b"xyz"]


def test_deframer_refuses_an_oversized_header() -> None:
    with pytest.raises(ValueError, match="exceeds max_message=16"):
        Deframer(max_message=16).feed(frame(b"x" * 17))
    assert Deframer(max_message=3).feed(frame(b"abc")) == [b"abc"]  # the cap itself is allowed


class _SendsMoreAfterEachRecv(socket.socket):
    """A receiving socket whose peer sends the next piece only after each ``recv``."""

    def setup(self, peer: socket.socket, pieces: list[bytes]) -> None:
        self.peer, self.pieces, self.calls = peer, pieces, 0

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data = super().recv(bufsize, flags)
        if not flags & socket.MSG_PEEK:  # a peek consumes nothing: not a read
            self.calls += 1
            if self.pieces:
                self.peer.sendall(self.pieces.pop(0))
        return data


def test_recv_exactly_loops_over_short_reads(tcp: tuple[socket.socket, socket.socket]) -> None:
    client, server = tcp
    receiver = _SendsMoreAfterEachRecv(fileno=server.detach())
    try:
        receiver.setup(client, [b"defgh"])
        client.sendall(b"abc")
        wait_readable_bytes(receiver, 3)
        assert recv_exactly(receiver, 8) == b"abcdefgh"  # 3 bytes queued at the first recv
        assert receiver.calls == 2
    finally:
        receiver.close()


def test_recv_exactly_reports_a_peer_that_closes_early(
    tcp: tuple[socket.socket, socket.socket],
) -> None:
    client, server = tcp
    client.sendall(b"abc")
    client.close()
    with pytest.raises(EOFError, match="after 3 of 8 bytes"):
        recv_exactly(server, 8)
    with pytest.raises(ValueError, match="count must be >= 0"):
        recv_exactly(server, -1)


def test_frame_refuses_text_and_accepts_bytearray() -> None:
    with pytest.raises(TypeError, match="frame needs bytes, got str"):
        frame("text")  # type: ignore[arg-type]
    assert frame(bytearray(b"ab")) == b"\x00\x00\x00\x02ab"


def test_tcp_connect_to_a_closed_port_is_refused_at_once() -> None:
    # Bound but not listening: the socket holds the port (no other test can take
    # it), and the kernel still answers a SYN to it with RST.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(holder.getsockname(), timeout=2).close()


# --- UDP: datagrams -------------------------------------------------------------------


def test_udp_keeps_each_datagram_separate(udp: tuple[socket.socket, socket.socket]) -> None:
    a, b = udp
    a.send(b"hello")
    a.send(b"world")
    assert b.recv(4096) == b"hello"
    assert b.recv(4096) == b"world"


def test_udp_read_too_small_truncates_and_the_rest_is_lost(
    udp: tuple[socket.socket, socket.socket],
) -> None:
    a, b = udp
    a.send(b"0123456789")
    a.send(b"next")
    assert recv_datagram(b, 4) == (b"0123", True)
    assert recv_datagram(b, 4) == (b"next", False)  # "456789" is gone, not queued


def test_udp_empty_datagram_is_a_message(udp: tuple[socket.socket, socket.socket]) -> None:
    a, b = udp
    a.send(b"")
    assert recv_datagram(b, 10) == (b"", False)  # zero bytes, and not end-of-file


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="Linux only: macOS/BSD cap a UDP datagram lower (net.inet.udp.maxdgram, 9216 "
    "by default); run on Linux to check the IPv4 limit",
)
def test_udp_payload_limit_on_ipv4(udp: tuple[socket.socket, socket.socket]) -> None:
    a, b = udp
    assert MAX_UDP_PAYLOAD_IPV4 == 65507
    assert MAX_UDP_PAYLOAD_IPV6 == 65527
    a.send(b"x" * MAX_UDP_PAYLOAD_IPV4)
    assert len(b.recv(1 << 17)) == MAX_UDP_PAYLOAD_IPV4
    with pytest.raises(OSError, match="Message too long") as caught:
        a.send(b"x" * (MAX_UDP_PAYLOAD_IPV4 + 1))
    assert caught.value.errno == errno.EMSGSIZE


def test_udp_to_a_closed_port_errors_only_on_a_connected_socket() -> None:
    port = _closed_udp_port()
    unconnected = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    connected = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        unconnected.sendto(b"hi", ("127.0.0.1", port))  # "succeeds": nothing checks
        connected.connect(("127.0.0.1", port))
        connected.send(b"hi")  # also accepted by the kernel
        connected.settimeout(2)
        with pytest.raises(ConnectionRefusedError):
            connected.recv(10)  # the ICMP port-unreachable, reported on the next call
        # Both ICMP errors have come back by now; the unconnected socket heard nothing.
        unconnected.setblocking(False)
        with pytest.raises(BlockingIOError):
            unconnected.recv(10)
    finally:
        unconnected.close()
        connected.close()
