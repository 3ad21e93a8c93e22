"""os.epoll_lt_et: level-triggered epoll re-reports unread data; edge-triggered waits for more.

Everything here is one process and a ``socketpair``: data written on one end
is readable on the other before ``sendall`` returns, so ``poll(0)`` (do not
wait at all) gives a deterministic answer. The readers and helpers under test
live in ``epoll_lt_et.py``.
"""

from __future__ import annotations

import asyncio
import errno
import os
import select
import selectors
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from fundamentals.os.epoll_lt_et import (
    EDGE,
    LEVEL,
    drain_per_event,
    interest_list_after_fork,
    read_once_per_event,
    ready,
    reuseport_listeners,
    select_and_poll_at,
    watch,
)
from fundamentals.os.processes import call_in_subprocess

pytestmark = pytest.mark.skipif(
    not hasattr(select, "epoll"), reason="epoll is Linux-only (macOS/BSD have kqueue)"
)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected pair (writer, reader); the reader is non-blocking, as epoll code needs."""
    writer, reader = socket.socketpair()
    reader.setblocking(False)
    try:
        yield writer, reader
    finally:
        writer.close()
        reader.close()


def test_level_triggered_reports_unread_data_on_every_poll(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, LEVEL) as ep:
        assert ready(ep) == []
        writer.sendall(b"hello")
        fd = reader.fileno()
        assert ready(ep) == [(fd, select.EPOLLIN)]
        assert ready(ep) == [(fd, select.EPOLLIN)]  # nothing read: reported again
        assert reader.recv(2) == b"he"
        assert ready(ep) == [(fd, select.EPOLLIN)]  # 3 bytes left: still reported
        assert reader.recv(10) == b"llo"
        assert ready(ep) == []  # drained: quiet


def test_edge_triggered_reports_once_until_new_data_arrives(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        fd = reader.fileno()
        writer.sendall(b"hello")
        assert ready(ep) == [(fd, select.EPOLLIN)]  # an arrival: one event
        assert ready(ep) == []  # same data, no new event
        assert reader.recv(2) == b"he"
        assert ready(ep) == []  # 3 bytes still unread, and epoll says nothing
        writer.sendall(b"!")
        assert ready(ep) == [(fd, select.EPOLLIN)]  # new data is a new edge
        assert reader.recv(10) == b"llo!"


def test_edge_triggered_reports_every_arrival_not_only_empty_to_non_empty(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        fd = reader.fileno()
        for piece in (b"a", b"b", b"c"):
            writer.sendall(piece)  # after the first, the buffer is never empty
            assert ready(ep) == [(fd, select.EPOLLIN)]  # still a new event
            assert ready(ep) == []  # and only one per arrival
        assert reader.recv(10) == b"abc"


def test_edge_triggered_arrivals_between_two_waits_make_one_event(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        for piece in (b"a", b"b", b"c"):
            writer.sendall(piece)  # three arrivals, no wait in between
        assert ready(ep) == [(reader.fileno(), select.EPOLLIN)]  # one event for all three
        assert ready(ep) == []
        assert reader.recv(10) == b"abc"


def test_edge_triggered_read_before_any_wait_leaves_the_edge_pending(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    # The wait, not the read, consumes the edge: read part of the data before anyone
    # waited, and the next wait still reports the fd, once.
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        writer.sendall(b"hello")
        assert reader.recv(2) == b"he"
        assert ready(ep) == [(reader.fileno(), select.EPOLLIN)]
        assert ready(ep) == []  # now it is consumed; "llo" sits unreported
        assert reader.recv(10) == b"llo"


def test_edge_triggered_wait_drops_an_edge_whose_data_is_gone(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    # epoll_wait asks the socket again before it reports a queued fd: data that
    # arrived and was drained before the wait leaves no event behind.
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        writer.sendall(b"hello")
        assert reader.recv(10) == b"hello"
        assert ready(ep) == []


def test_edge_triggered_reader_that_does_not_drain_strands_data(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        writer.sendall(b"0123456789")
        assert read_once_per_event(ep, reader, 4) == b"0123"  # 6 bytes stranded
        assert reader.recv(100) == b"456789"  # they were there all along


def test_edge_triggered_reader_that_drains_gets_everything(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE) as ep:
        writer.sendall(b"0123456789")
        assert drain_per_event(ep, reader, 4) == b"0123456789"


def test_level_triggered_reader_may_read_one_chunk_per_event(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, LEVEL) as ep:
        writer.sendall(b"0123456789")
        assert read_once_per_event(ep, reader, 4) == b"0123456789"


def test_peer_close_is_reported_as_readable_and_hangup(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, LEVEL | select.EPOLLRDHUP) as ep:
        writer.close()
        [(_, events)] = ready(ep)
        assert events & select.EPOLLIN  # EOF is "readable": recv returns b""
        assert events & select.EPOLLRDHUP
        assert reader.recv(10) == b""


def test_oneshot_disarms_after_one_event_until_rearmed(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, LEVEL | select.EPOLLONESHOT) as ep:
        writer.sendall(b"job")
        assert len(ready(ep)) == 1
        assert ready(ep) == []  # disarmed, even though "job" is unread
        ep.modify(reader.fileno(), LEVEL | select.EPOLLONESHOT)  # re-arm
        assert len(ready(ep)) == 1


def test_oneshot_is_a_flag_that_combines_with_edge_triggering(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, EDGE | select.EPOLLONESHOT) as ep:
        writer.sendall(b"a")
        assert len(ready(ep)) == 1
        writer.sendall(b"b")
        assert ready(ep) == []  # a new arrival, and still nothing: disarmed
        ep.modify(reader.fileno(), EDGE | select.EPOLLONESHOT)
        # Re-arming looks at the socket as it is now: unread data, so one event.
        assert len(ready(ep)) == 1
        assert ready(ep) == []
        assert reader.recv(10) == b"ab"


def test_epollexclusive_cannot_be_oneshot(pair: tuple[socket.socket, socket.socket]) -> None:
    _, reader = pair
    with pytest.raises(OSError, match="Invalid argument") as caught:
        watch(reader, LEVEL | select.EPOLLEXCLUSIVE | select.EPOLLONESHOT)
    assert caught.value.errno == errno.EINVAL


def test_epollexclusive_is_set_once_with_add_and_never_modified(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    _, reader = pair
    with watch(reader, LEVEL | select.EPOLLEXCLUSIVE) as ep:  # EPOLL_CTL_ADD: allowed
        with pytest.raises(OSError, match="Invalid argument") as caught:
            ep.modify(reader.fileno(), LEVEL)  # EPOLL_CTL_MOD of an exclusive entry
        assert caught.value.errno == errno.EINVAL


def test_level_triggered_epollout_is_reported_on_every_poll(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    # An idle socket is writable, so a loop that keeps EPOLLOUT registered spins.
    _, reader = pair
    with watch(reader, select.EPOLLOUT) as ep:
        for _ in range(3):
            assert ready(ep) == [(reader.fileno(), select.EPOLLOUT)]


def test_epoll_watches_the_open_file_not_the_fd_number(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    writer, reader = pair
    with watch(reader, LEVEL) as ep:
        number = reader.fileno()
        duplicate = reader.dup()  # a second fd for the same open file description
        try:
            reader.close()  # closes the *number* we registered, not the socket
            writer.sendall(b"x")
            # Still reported, under an fd number that is no longer open.
            assert ready(ep) == [(number, select.EPOLLIN)]
            assert duplicate.recv(1) == b"x"
        finally:
            duplicate.close()  # the last fd for it: now the registration goes away


# --- regular files: no readiness to wait for ---------------------------------------


@pytest.fixture
def regular_file(tmp_path: Path) -> Iterator[int]:
    fd = os.open(tmp_path / "data", os.O_RDWR | os.O_CREAT)
    try:
        yield fd
    finally:
        os.close(fd)


def test_epoll_refuses_a_regular_file(regular_file: int) -> None:
    with pytest.raises(PermissionError) as caught:
        watch(regular_file, LEVEL)
    assert caught.value.errno == errno.EPERM


def test_poll_calls_a_regular_file_always_ready(regular_file: int) -> None:
    # Empty, and nothing will ever "arrive", yet readable and writable at once:
    # for a file, readiness cannot mean "a read will not wait for the disk".
    poller = select.poll()
    poller.register(regular_file, select.POLLIN | select.POLLOUT)
    assert poller.poll(0) == [(regular_file, select.POLLIN | select.POLLOUT)]
    assert select.select([regular_file], [regular_file], [], 0) == (
        [regular_file],
        [regular_file],
        [],
    )


def test_selectors_and_asyncio_refuse_a_regular_file_too(regular_file: int) -> None:
    with selectors.DefaultSelector() as selector, pytest.raises(PermissionError):
        selector.register(regular_file, selectors.EVENT_READ)
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(PermissionError):
            loop.add_reader(regular_file, lambda: None)
    finally:
        loop.close()


# --- beyond one epoll: fork, SO_REUSEPORT, select's FD_SETSIZE ------------------------


def test_a_forked_child_shares_the_parents_interest_list() -> None:
    report = call_in_subprocess(interest_list_after_fork)
    assert report["child_exit"] == 0
    # The parent never registered the pipe; its child did, on the inherited epoll fd.
    assert report["parent_sees"] == [[report["pipe_fd"], select.EPOLLIN]]


def test_so_reuseport_lets_several_sockets_listen_on_one_port() -> None:
    listeners = reuseport_listeners(2, reuse_port=True)
    try:
        assert listeners[0].getsockname() == listeners[1].getsockname()
    finally:
        for s in listeners:
            s.close()
    with pytest.raises(OSError, match="Address already in use") as caught:
        reuseport_listeners(2, reuse_port=False)
    assert caught.value.errno == errno.EADDRINUSE


@pytest.mark.parametrize("number", [1023, 1024])
def test_select_refuses_an_fd_from_fd_setsize_on_poll_does_not(number: int) -> None:
    report = call_in_subprocess(select_and_poll_at, number)
    if "hard_limit" in report:
        pytest.skip(f"RLIMIT_NOFILE's hard limit is {report['hard_limit']}: no fd {number}")
    if number < 1024:  # FD_SETSIZE: the last number an fd_set holds is 1023
        assert report["select"] == "ready"
    else:
        assert report["select"] == "ValueError: filedescriptor out of range in select()"
    assert report["poll"] == [[number, select.POLLIN]]  # poll and epoll take any number
