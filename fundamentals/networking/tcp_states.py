"""TCP connection states on loopback, read from the kernel (Linux).

The code behind ``tcp_states.md``: ``tcp_info`` reads the state of a socket
that is still open with ``getsockopt(TCP_INFO)`` (cheap, one socket);
a socket whose descriptor is gone (``FIN_WAIT2`` after ``close``,
``TIME_WAIT``) has nothing to ask, so ``kernel_state`` looks one connection
up by its four addresses with a ``sock_diag`` netlink request (what ``ss``
uses). ``sockets_on`` parses ``/proc/net/tcp`` (IPv4) into ``Entry`` rows
with their timers; the kernel formats a line for every TCP socket on the
host, so its cost grows with the host and the code reads it only for the
timers. ``wait_for`` polls it, ``wait_until`` polls any probe, and
``wait_state`` an open socket: bounded, backing off, and raising
``TimeoutError`` with what was seen.

The demonstrations: ``close_sequence`` (who ends in ``TIME_WAIT``),
``fill_backlog`` and ``syn_retransmit_timeouts`` (how many handshakes a
listener completes before anyone calls ``accept``, and the 1 s initial SYN
timeout of the rest), ``rebind_after_time_wait`` (``SO_REUSEADDR``),
``half_close_exchange`` (``shutdown(SHUT_WR)``), ``reset_close`` and
``abort_with_unsent_data`` (``SO_LINGER`` with a zero timeout). Linux only.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

__all__ = [
    "STATES",
    "Entry",
    "TcpInfo",
    "abort_with_unsent_data",
    "close_sequence",
    "fill_backlog",
    "half_close_exchange",
    "kernel_state",
    "rebind_after_time_wait",
    "reset_close",
    "sockets_on",
    "state_of",
    "syn_retransmit_timeouts",
    "tcp_info",
    "wait_for",
    "wait_state",
    "wait_until",
]

STATES = {
    1: "ESTABLISHED",
    2: "SYN_SENT",
    3: "SYN_RECV",
    4: "FIN_WAIT1",
    5: "FIN_WAIT2",
    6: "TIME_WAIT",
    7: "CLOSE",
    8: "CLOSE_WAIT",
    9: "LAST_ACK",
    10: "LISTEN",
    11: "CLOSING",
    12: "NEW_SYN_RECV",
}
"""The ``st`` column's codes, as numbered in Linux's ``include/net/tcp_states.h``."""

Address = tuple[str, int]


@dataclass(frozen=True)
class Entry:
    """One row of ``/proc/net/tcp``: addresses, state, and the timer the kernel runs."""

    local: Address
    remote: Address
    state: str
    timer: int  # 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe
    timer_ticks: int  # time left on that timer, in clock ticks (os.sysconf("SC_CLK_TCK"))


@dataclass(frozen=True)
class TcpInfo:
    """The first fields of Linux's ``struct tcp_info`` for one open socket."""

    state: str  # tcpi_state, same codes as STATES
    rto_us: int  # tcpi_rto: the current retransmission timeout, microseconds
    backoff: int  # tcpi_backoff: how many times that timeout has doubled
    unacked: int  # tcpi_unacked; on a LISTEN socket: connections waiting for accept
    sacked: int  # tcpi_sacked; on a LISTEN socket: the accept queue's limit (backlog)


_TCP_INFO_HEAD = struct.Struct("=8B5I")  # 8 one-byte fields, rto ato snd_mss rcv_mss unacked


def tcp_info(sock: socket.socket) -> TcpInfo:
    """``getsockopt(IPPROTO_TCP, TCP_INFO)`` of ``sock``: its state without reading any table."""
    raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_HEAD.size + 4)
    fields = _TCP_INFO_HEAD.unpack_from(raw)
    (sacked,) = struct.unpack_from("=I", raw, _TCP_INFO_HEAD.size)
    return TcpInfo(STATES[fields[0]], fields[8], fields[4], fields[12], sacked)


def _pause(attempt: int) -> None:
    """Back off between polls: 1 ms, doubling, at most 20 ms."""
    select.select([], [], [], min(0.001 * 2**attempt, 0.02))


_NETLINK_SOCK_DIAG = 4  # linux/netlink.h
_SOCK_DIAG_BY_FAMILY = 20  # linux/sock_diag.h
_NLMSG_ERROR = 2
_NLM_F_REQUEST = 1
_NO_COOKIE = 0xFFFFFFFF  # INET_DIAG_NOCOOKIE: match any socket with these addresses


def kernel_state(local: Address, remote: Address) -> str | None:
    """The state of the IPv4 TCP connection ``local`` to ``remote``, or None if there is none.

    One ``sock_diag`` request (``inet_diag_req_v2`` without ``NLM_F_DUMP``):
    the kernel looks the four-tuple up in its hash tables, ``TIME_WAIT``
    included, so the cost does not grow with the sockets on the host.
    """
    sockid = (
        struct.pack("!HH", local[1], remote[1])
        + socket.inet_aton(local[0])
        + bytes(12)
        + socket.inet_aton(remote[0])
        + bytes(12)
        + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE)
    )
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + sockid
    header = struct.pack(
        "=IHHII", 16 + len(request), _SOCK_DIAG_BY_FAMILY, 1, 1, 0
    )  # NLM_F_REQUEST
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, _NETLINK_SOCK_DIAG) as netlink:
        netlink.sendall(header + request)
        reply = netlink.recv(8192)
    (kind,) = struct.unpack_from("=H", reply, 4)
    if kind == _NLMSG_ERROR:
        (error,) = struct.unpack_from("=i", reply, 16)
        if -error == errno.ENOENT:
            return None
        raise OSError(-error, f"sock_diag lookup of {local} -> {remote}: {os.strerror(-error)}")
    # inet_diag_msg: family, state, timer, retrans, then the sockid as sent.
    state = STATES[reply[17]]
    (dport,) = struct.unpack_from("!H", reply, 22)
    if (socket.inet_ntoa(reply[40:44]), dport) != remote:  # break[listener-fallback]
        return None  # no connection; the lookup fell back to a listener on the port
    return state


def wait_until(probe: Callable[[], T], done: Callable[[T], bool], timeout: float = 2.0) -> T:
    """Call ``probe()`` until ``done`` holds for its result; return it. Bounded, backing off."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while not done(seen := probe()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"never reached the state wanted; last seen: {seen!r}")
        _pause(attempt)
        attempt += 1
    return seen


def wait_state(sock: socket.socket, want: str, timeout: float = 2.0) -> str:
    """Poll ``tcp_info(sock).state`` until it is ``want``; ``TimeoutError`` if it never is."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while (state := tcp_info(sock).state) != want:
        if time.monotonic() > deadline:
            raise TimeoutError(f"socket stayed {state}, never reached {want}")
        _pause(attempt)
        attempt += 1
    return state


def _address(field: str) -> Address:
    host, port = field.split(":")
    # The kernel prints the network-order 32-bit address as a native integer.
    packed = struct.pack("=I", int(host, 16))
    return socket.inet_ntoa(packed), int(port, 16)


def sockets_on(port: int, path: str = "/proc/net/tcp") -> list[Entry]:
    """Every IPv4 TCP socket whose local or remote port is ``port``.

    Raises ``ValueError`` for a port outside 1-65535.
    """
    if not 0 < port < 65536:
        raise ValueError(f"port must be in 1..65535, got {port}")
    entries = []
    with open(path) as table:
        next(table)  # header
        needle = f":{port:04X} "  # cheap filter: the table holds every socket on the host
        for line in table:
            if needle not in line:
                continue
            fields = line.split()
            local, remote = _address(fields[1]), _address(fields[2])
            if port not in (local[1], remote[1]):
                continue
            timer, ticks = fields[5].split(":")
            entries.append(
                Entry(local, remote, STATES[int(fields[3], 16)], int(timer, 16), int(ticks, 16))
            )
    return entries


def state_of(local: Address, remote: Address, entries: list[Entry]) -> str | None:
    """The state of the connection ``local`` to ``remote`` among ``entries``, or None.

    Both ends are matched: an older connection that used the same local port
    (now in ``TIME_WAIT``, say) must not be mistaken for this one.
    """
    for entry in entries:
        if entry.local == local and entry.remote == remote:
            return entry.state
    return None


def wait_for(port: int, done: Callable[[list[Entry]], bool], timeout: float = 2.0) -> list[Entry]:
    """Poll ``sockets_on(port)`` until ``done(entries)``; return them.

    The kernel moves states in its own context (a FIN and its ACK are
    processed in softirq), so a test observes instead of guessing: reads of
    ``/proc/net/tcp`` 1 ms apart, doubling to 20 ms, bounded by ``timeout``.
    """
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        entries = sockets_on(port)
        if done(entries):
            return entries
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} never reached the state wanted: {entries}")
        _pause(attempt)
        attempt += 1


def close_sequence() -> list[tuple[str | None, str | None]]:
    """(client state, server state) after connect, after the client's close, after the server's.

    The client closes first (the *active* close). Each snapshot after a
    close waits only until the pair has left the transient states (``SYN_*``,
    ``FIN_WAIT1``, ``LAST_ACK``, ``CLOSING``) and reports what the kernel then
    shows: open sockets through ``TCP_INFO``, closed ones through
    ``kernel_state``; ``None`` means the kernel no longer has the socket.
    """
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        server, _ = listener.accept()
    c_addr, s_addr = client.getsockname(), server.getsockname()
    seen: list[tuple[str | None, str | None]] = []

    def pair() -> tuple[str | None, str | None]:
        return kernel_state(c_addr, s_addr), kernel_state(s_addr, c_addr)

    def snapshot() -> None:
        seen.append(wait_until(pair, lambda states: not set(states) & _TRANSIENT))

    try:
        seen.append((tcp_info(client).state, tcp_info(server).state))  # both still open
        first, second = client, server  # break[server-closes-first]
        first.close()
        snapshot()
        second.close()
        snapshot()
    finally:
        client.close()
        server.close()
    return seen


_TRANSIENT = {"SYN_SENT", "SYN_RECV", "NEW_SYN_RECV", "FIN_WAIT1", "LAST_ACK", "CLOSING"}


def fill_backlog(backlog: int, clients: int) -> dict[str, int]:
    """Connect ``clients`` non-blocking clients to a listener that never accepts.

    Returns how many client sockets the kernel left in each state once every
    handshake that can complete has. Linux completes a connection while its
    listener's accept queue holds at most ``backlog`` (so ``backlog + 1`` fit)
    and drops the SYNs of the rest, which stay ``SYN_SENT``. Every socket here
    is open, so all of it is read with ``TCP_INFO``: the clients' states, and
    the listener's accept queue (``tcpi_unacked`` of a ``LISTEN`` socket).
    """
    return _fill_backlog(backlog, clients)[0]


def syn_retransmit_timeouts(backlog: int, clients: int) -> list[tuple[int, int]]:
    """``(rto_us, backoff)`` of each client that ``fill_backlog`` leaves in ``SYN_SENT``."""
    return _fill_backlog(backlog, clients)[1]


def _fill_backlog(backlog: int, clients: int) -> tuple[dict[str, int], list[tuple[int, int]]]:
    if backlog < 0 or clients < 0:
        raise ValueError(f"backlog and clients must be >= 0, got {backlog}, {clients}")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    made: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(backlog)  # break[bigger-backlog]
        port = listener.getsockname()[1]
        for _ in range(clients):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            made.append(c)
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", port))
        deadline = time.monotonic() + 2.0
        attempt = 0
        while True:
            # Settled: the listener has queued exactly the clients that are established.
            infos = [tcp_info(c) for c in made]
            queued = tcp_info(listener).unacked
            counts: dict[str, int] = {}
            for info in infos:
                counts[info.state] = counts.get(info.state, 0) + 1
            established = counts.get("ESTABLISHED", 0)
            if set(counts) <= {"ESTABLISHED", "SYN_SENT"} and queued == established:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"backlog never settled: {counts}, {queued} queued")
            _pause(attempt)
            attempt += 1
        rtos = [(i.rto_us, i.backoff) for i in infos if i.state == "SYN_SENT"]
        return counts, rtos
    finally:
        for c in made:
            c.close()
        listener.close()


def rebind_after_time_wait(*, old_reuse: bool, new_reuse: bool) -> int:
    """Leave a ``TIME_WAIT`` on a server's port, then bind a new listener to that port.

    The old listener (``SO_REUSEADDR`` = ``old_reuse``, which its accepted
    socket inherits) closes its connection first, so the server side of it
    (local address = the listening port) waits in ``TIME_WAIT``. The new
    socket sets ``SO_REUSEADDR`` = ``new_reuse`` and binds the same port.
    Returns that port; Linux refuses the bind with ``EADDRINUSE`` (``OSError``)
    unless *both* sockets set the option.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, int(old_reuse))
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = int(listener.getsockname()[1])
    client = socket.create_connection(("127.0.0.1", port))
    server, peer = listener.accept()
    listener.close()
    server.close()  # active close on the server side
    client.close()
    here = ("127.0.0.1", port)
    wait_until(lambda: kernel_state(here, peer), lambda state: state == "TIME_WAIT")
    again = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        reuse = int(new_reuse)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, reuse)  # break[no-reuseaddr]
        again.bind(("127.0.0.1", port))
        again.listen()
        return int(again.getsockname()[1])
    finally:
        again.close()


def half_close_exchange(request: bytes) -> dict[str, object]:
    """The client sends ``request`` and half-closes; the server reads to EOF, then replies.

    Returns what the server read, what the client read back, and the two
    states while the server was writing its reply (client ``FIN_WAIT2``,
    server ``CLOSE_WAIT``: the client's direction is closed, the server's open).
    """
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        server, _ = listener.accept()
    try:
        client.sendall(request)
        client.shutdown(socket.SHUT_WR)  # break[close-not-shutdown]
        received = b""
        while chunk := server.recv(4096):  # b"": the client's FIN
            received += chunk
        states = (wait_state(client, "FIN_WAIT2"), tcp_info(server).state)
        server.sendall(b"got %d bytes" % len(received))
        server.close()
        reply = b""
        while chunk := client.recv(4096):
            reply += chunk
        return {"server_read": received, "client_read": reply, "states": states}
    finally:
        client.close()
        server.close()


def reset_close() -> dict[str, object]:
    """Close a connection with ``SO_LINGER`` on and a zero timeout: an RST instead of a FIN.

    Returns the exception the peer's ``recv`` raised (its class name) and
    the closer's connection's state in the kernel afterwards (None: an
    aborted connection skips ``TIME_WAIT``).
    """
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        server, _ = listener.accept()
    try:
        c_addr, s_addr = client.getsockname(), server.getsockname()
        linger = struct.pack("ii", 1, 0)  # l_onoff 1, l_linger 0  # break[linger-off]
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        client.close()
        server.settimeout(2)
        try:
            data = server.recv(10)
            outcome = f"read {data!r}"
        except ConnectionResetError as error:
            outcome = type(error).__name__
        return {
            "peer_recv": outcome,
            "closer_state": kernel_state(c_addr, s_addr),
        }
    finally:
        server.close()


_SIOCOUTQNSD = 0x894B  # linux/sockios.h: bytes in the send queue not yet sent


def abort_with_unsent_data() -> dict[str, int]:
    """Fill a connection until ``send`` would block, then close it with ``SO_LINGER`` 0.

    Small buffers keep it to some KiB. Returns the bytes the sender's
    ``send`` accepted, the bytes of those the kernel had not yet transmitted
    at ``close`` (``SIOCOUTQNSD``; ``TIOCOUTQ`` would also count bytes sent
    but not yet acknowledged) and the bytes the peer could read before its
    ``recv`` raised ``ConnectionResetError``.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited by accept
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    sender = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    try:
        sender.connect(listener.getsockname())
        peer, _ = listener.accept()
    finally:
        listener.close()
    try:
        sender.setblocking(False)
        sent = 0
        while True:
            try:
                sent += sender.send(b"x" * 4096)
            except BlockingIOError:
                break
        notsent = fcntl.ioctl(sender.fileno(), _SIOCOUTQNSD, b"\0\0\0\0")
        unsent = int(struct.unpack("i", notsent)[0])
        linger = struct.pack("ii", 1, 0)  # break[abort-linger-off]
        sender.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        sender.close()
        peer.settimeout(2)
        read = 0
        try:
            while chunk := peer.recv(65536):
                read += len(chunk)
        except ConnectionResetError:
            pass
        return {"sent": sent, "unsent": unsent, "peer_read": read}
    finally:
        sender.close()
        peer.close()
