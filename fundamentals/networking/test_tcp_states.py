"""networking.tcp_states: handshake, backlog, TIME_WAIT, SO_REUSEADDR, half-close and RST.

Real TCP on 127.0.0.1 with port 0. The state of an open socket is read with
``getsockopt(TCP_INFO)``, a closed one with a ``sock_diag`` lookup by its four
addresses; ``/proc/net/tcp``, whose cost grows with the host's sockets, is
read only for the ``TIME_WAIT`` timer and the parser's own test, and ``ss``
once. Every
wait is a bounded poll that fails with ``TimeoutError`` if the kernel never
reaches the state; nothing waits on the clock. Linux is the reference
platform: the tests that need its ``/proc`` or ``TCP_INFO`` say so.
"""

from __future__ import annotations

import asyncio
import errno
import http.server
import os
import select
import shutil
import socket
import socketserver
import subprocess
import sys
import time

import pytest

from fundamentals.networking.tcp_states import (
    STATES,
    abort_with_unsent_data,
    close_sequence,
    fill_backlog,
    half_close_exchange,
    kernel_state,
    rebind_after_time_wait,
    reset_close,
    sockets_on,
    state_of,
    syn_retransmit_timeouts,
    tcp_info,
    wait_for,
    wait_until,
)

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="Linux only: reads /proc/net/tcp, TCP_INFO and sock_diag, which macOS/BSD lack; "
    "run on Linux (CI, or a Linux container) to run it",
)


@linux_only
def test_the_active_closer_ends_in_time_wait_and_the_passive_side_disappears() -> None:
    assert close_sequence() == [
        ("ESTABLISHED", "ESTABLISHED"),
        ("FIN_WAIT2", "CLOSE_WAIT"),  # client's FIN acked; server has not closed yet
        ("TIME_WAIT", None),  # server sent its FIN, got the last ACK: gone at once
    ]


@linux_only
def test_time_wait_runs_a_kernel_timer_of_at_most_sixty_seconds() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        server, _ = listener.accept()
        client_addr, server_addr = client.getsockname(), server.getsockname()
        client.close()
        server.close()
        live = socket.create_connection(("127.0.0.1", port))  # shares the server's port
        try:
            live_addr = live.getsockname()
            entries = wait_for(
                port,
                lambda e: (
                    state_of(client_addr, server_addr, e) == "TIME_WAIT"
                    and state_of(server_addr, live_addr, e) == "ESTABLISHED"
                ),
            )
        finally:
            live.close()
    # The server side of the first connection is gone, although the listener and
    # the live connection have the same local address: state_of matches both ends.
    assert state_of(server_addr, client_addr, entries) is None
    [waiting] = [e for e in entries if (e.local, e.remote) == (client_addr, server_addr)]
    assert waiting.state == "TIME_WAIT"  # on the side that closed first
    assert waiting.timer == 3  # /proc/net/tcp's "TIME_WAIT timer"
    hz = os.sysconf("SC_CLK_TCK")
    assert 30 * hz < waiting.timer_ticks <= 60 * hz  # TCP_TIMEWAIT_LEN: 60 s, just started


@linux_only
@pytest.mark.parametrize(("backlog", "clients"), [(0, 3), (1, 4), (3, 6)])
def test_listen_backlog_completes_backlog_plus_one_handshakes(backlog: int, clients: int) -> None:
    assert fill_backlog(backlog, clients) == {
        "ESTABLISHED": backlog + 1,  # handshake done by the kernel, nobody called accept
        "SYN_SENT": clients - backlog - 1,  # SYN dropped: the accept queue was full
    }


@linux_only
def test_refused_syns_wait_the_initial_one_second_retransmission_timeout() -> None:
    timeouts = syn_retransmit_timeouts(0, 3)
    assert len(timeouts) == 2  # listen(0): one connection fits, two SYNs were dropped
    for rto_us, backoff in timeouts:
        assert rto_us == 1_000_000 << backoff  # 1 s (RFC 6298), doubling per retransmit


def test_fill_backlog_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        fill_backlog(-1, 2)


@linux_only
@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss: install iproute2 to run it")
def test_ss_shows_the_accept_queue_and_the_backlog() -> None:
    listener = socket.create_server(("127.0.0.1", 0), backlog=5)
    clients: list[socket.socket] = []
    try:
        port = listener.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        deadline = time.monotonic() + 2
        while tcp_info(listener).unacked < 2:  # both handshakes queued for accept
            assert time.monotonic() < deadline, "the listener never queued both clients"
            select.select([], [], [], 0.002)
        assert tcp_info(listener).sacked == 5  # the backlog, as TCP_INFO reports it
        out = subprocess.run(
            ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True
        ).stdout.split()
        assert out[:3] == ["LISTEN", "2", "5"]  # Recv-Q: waiting for accept; Send-Q: backlog
    finally:
        for c in clients:
            c.close()
        listener.close()


@linux_only
def test_rebinding_a_port_in_time_wait_needs_so_reuseaddr_on_both_sockets() -> None:
    assert rebind_after_time_wait(old_reuse=True, new_reuse=True) > 0
    for old, new in [(True, False), (False, True), (False, False)]:
        with pytest.raises(OSError, match="Address already in use") as caught:
            rebind_after_time_wait(old_reuse=old, new_reuse=new)
        assert caught.value.errno == errno.EADDRINUSE


def test_so_reuseaddr_does_not_let_two_sockets_listen_on_one_port() -> None:
    first = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    second = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        for s in (first, second):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        first.bind(("127.0.0.1", 0))
        first.listen()
        with pytest.raises(OSError, match="Address already in use") as caught:
            second.bind(first.getsockname())  # refused at bind: a listener holds the port
        assert caught.value.errno == errno.EADDRINUSE
    finally:
        first.close()
        second.close()


def _reuseaddr(sock: socket.socket) -> int:
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)


@pytest.mark.skipif(sys.platform == "win32", reason="SO_REUSEADDR means something else on Windows")
def test_which_python_servers_set_so_reuseaddr() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        assert _reuseaddr(listener) == 1
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as plain:
        assert _reuseaddr(plain.socket) == 0  # allow_reuse_address is False here
    with http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler) as web:
        assert _reuseaddr(web.socket) == 1  # HTTPServer sets allow_reuse_address = True

    async def asyncio_server() -> int:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        async with server:
            return _reuseaddr(server.sockets[0])

    assert asyncio.run(asyncio_server()) == 1


@linux_only
def test_half_close_lets_the_server_reply_after_the_clients_eof() -> None:
    report = half_close_exchange(b"request body")
    assert report["server_read"] == b"request body"  # read until b"": the client's FIN
    assert report["states"] == ("FIN_WAIT2", "CLOSE_WAIT")  # one direction closed
    assert report["client_read"] == b"got 12 bytes"  # the other still carried the reply


@linux_only
def test_so_linger_zero_resets_the_connection_and_skips_time_wait() -> None:
    report = reset_close()
    assert report["peer_recv"] == "ConnectionResetError"  # an RST, not a FIN (b"")
    assert report["closer_state"] is None  # no TIME_WAIT for the aborting side


@linux_only
def test_so_linger_zero_throws_away_unsent_data() -> None:
    report = abort_with_unsent_data()
    sent, unsent, read = report["sent"], report["unsent"], report["peer_read"]
    assert 0 < unsent < sent  # send() accepted it all; part was still queued locally
    assert read == sent - unsent  # the peer gets what had arrived, then the RST; the rest is lost


@linux_only
def test_kernel_state_finds_one_connection_by_its_four_addresses() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        c_addr, s_addr = client.getsockname(), server.getsockname()
        assert kernel_state(c_addr, s_addr) == kernel_state(s_addr, c_addr) == "ESTABLISHED"
        client.close()
        server.close()
        assert wait_until(lambda: kernel_state(c_addr, s_addr), lambda st: st == "TIME_WAIT")
        # The server's side is gone; the lookup must not answer with the listener
        # that shares its local address.
        assert kernel_state(s_addr, c_addr) is None
    assert kernel_state(c_addr, ("127.0.0.1", 1)) is None


@linux_only
def test_sockets_on_parses_states_and_refuses_bad_ports() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        [entry] = [e for e in sockets_on(port) if e.remote == ("0.0.0.0", 0)]
        assert (entry.local, entry.remote, entry.state) == (
            ("127.0.0.1", port),
            ("0.0.0.0", 0),
            "LISTEN",
        )
    assert STATES[6] == "TIME_WAIT"
    with pytest.raises(ValueError, match=r"port must be in 1\.\.65535"):
        sockets_on(0)
