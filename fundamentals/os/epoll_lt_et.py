"""Level- and edge-triggered epoll on a ``socketpair``: the readers the page compares.

The code behind ``epoll_lt_et.md``. Everything is one process: data written on
one end of a ``socketpair`` is readable on the other before ``sendall``
returns, so ``ready`` (``epoll_wait`` with a zero timeout) answers
deterministically. Linux only: elsewhere the module imports, but ``LEVEL``
and ``EDGE`` are 0 and ``watch`` raises ``OSError``. ``interest_list_after_fork``
forks, so it runs in a fresh interpreter.
"""

from __future__ import annotations

import os
import select
import socket
from typing import Any, Protocol

from fundamentals.os.processes import exit_code, fork_child

__all__ = [
    "EDGE",
    "LEVEL",
    "HasFileno",
    "drain_per_event",
    "interest_list_after_fork",
    "read_once_per_event",
    "ready",
    "reuseport_listeners",
    "select_and_poll_at",
    "watch",
]

if hasattr(select, "epoll"):
    LEVEL = select.EPOLLIN
    """Level-triggered readability: the default mode."""
    EDGE = select.EPOLLIN | select.EPOLLET  # break[no-edge-flag]
    """Edge-triggered readability: ``EPOLLET`` added."""
else:  # not Linux
    LEVEL = EDGE = 0


class HasFileno(Protocol):
    """Anything with a file descriptor: a socket, a file object."""

    def fileno(self) -> int:
        """The descriptor."""
        ...


def watch(source: int | HasFileno, mask: int) -> select.epoll:
    """A new epoll instance watching ``source`` (an fd or an object with one) for ``mask``.

    ``mask`` is ``LEVEL``, ``EDGE`` or any ``EPOLL*`` combination. A regular
    file raises ``PermissionError`` (EPERM): its file system gives it no poll
    method, so there is no readiness for epoll to watch.

    >>> import pytest
    >>> if not hasattr(select, "epoll"):
    ...     pytest.skip("epoll is Linux-only")
    >>> a, b = socket.socketpair()
    >>> with watch(b, LEVEL) as ep:
    ...     ready(ep)
    []
    >>> a.close(); b.close()
    """
    if not hasattr(select, "epoll"):
        raise OSError("epoll is Linux-only (macOS and the BSDs have kqueue)")
    ep = select.epoll()
    try:
        ep.register(source if isinstance(source, int) else source.fileno(), mask)
    except BaseException:
        ep.close()
        raise
    return ep


def ready(ep: select.epoll) -> list[tuple[int, int]]:
    """What ``ep`` reports right now, without waiting: ``(fd, events)`` pairs."""
    return ep.poll(0)


def read_once_per_event(ep: select.epoll, reader: socket.socket, size: int) -> bytes:
    """The edge-triggered bug: one ``recv`` of ``size`` bytes per event, then wait again.

    Fine under level-triggering, which reports the leftover on the next poll;
    under edge-triggering the leftover is never reported until more arrives.
    """
    got = b""
    while ready(ep):
        got += reader.recv(size)
    return got


def drain_per_event(ep: select.epoll, reader: socket.socket, size: int) -> bytes:
    """The edge-triggered rule: on each event, ``recv`` until EAGAIN (or end of file).

    ``reader`` must be non-blocking, or the read after the last byte would
    block the whole loop instead of raising ``BlockingIOError``.
    """
    got = b""
    while ready(ep):
        while True:  # break[read-once-in-drain]
            try:
                chunk = reader.recv(size)
            except BlockingIOError:  # EAGAIN: drained; the next arrival is a new event
                break
            if not chunk:
                return got
            got += chunk
    return got


def interest_list_after_fork() -> dict[str, Any]:
    """Fork after creating an epoll; the child registers a pipe; does the parent see it?

    The child inherits the epoll *file descriptor*, which refers to the same
    kernel epoll object as the parent's: one interest list, one ready list.
    The child registers the read end of a pipe (created before the fork, so
    the parent has it too) and exits; the parent, which never registered it,
    then writes to the pipe and polls. Forks: run it in a fresh interpreter.
    """
    r, w = os.pipe()
    ep = select.epoll()
    try:

        def child() -> int:
            ep.register(r, select.EPOLLIN)  # break[child-registers-its-own-epoll]
            return 0

        status = exit_code(fork_child(child))
        os.write(w, b"x")
        return {"child_exit": status, "parent_sees": ep.poll(0), "pipe_fd": r}
    finally:
        ep.close()
        os.close(r)
        os.close(w)


def reuseport_listeners(count: int, *, reuse_port: bool) -> list[socket.socket]:
    """``count`` TCP sockets listening on one loopback port, with ``SO_REUSEPORT`` or not.

    With the option on every socket, the kernel lets them all bind the same
    address and spreads incoming connections across them, so each worker can
    own a listening socket (and its own epoll) instead of all waiting on one.
    Without it the second ``bind`` fails with ``EADDRINUSE`` (``OSError``);
    the sockets made so far are closed then.
    """
    made: list[socket.socket] = []
    try:
        port = 0
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            made.append(s)
            if reuse_port:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            s.bind(("127.0.0.1", port))
            port = s.getsockname()[1]
            s.listen()
    except BaseException:
        for s in made:
            s.close()
        raise
    return made


def select_and_poll_at(number: int) -> dict[str, Any]:
    """Put a readable pipe at fd ``number``; ask ``select`` and ``poll`` about it.

    Raises this process's soft ``RLIMIT_NOFILE`` to reach ``number`` if the hard
    limit allows (``{"hard_limit": ...}`` alone is returned if it does not), so
    run it in a fresh interpreter. ``select`` is ``"ready"``, ``"not ready"`` or
    the ``ValueError`` it raised: an ``fd_set`` is a bitmap of ``FD_SETSIZE``
    (1024) bits, and CPython refuses a number it cannot hold.
    """
    import resource  # Unix only; imported here so the module imports everywhere

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if number >= soft:
        if hard != resource.RLIM_INFINITY and number >= hard:
            return {"hard_limit": hard}
        resource.setrlimit(resource.RLIMIT_NOFILE, (number + 1, hard))
    r, w = os.pipe()
    high = os.dup2(r, number)
    try:
        os.write(w, b"x")
        try:
            readable, _, _ = select.select([high], [], [], 0)
            answer = "ready" if readable else "not ready"
        except ValueError as error:
            answer = f"ValueError: {error}"
        poller = select.poll()
        poller.register(high, select.POLLIN)
        return {"select": answer, "poll": poller.poll(0), "fd": high}
    finally:
        os.close(high)
        os.close(r)
        os.close(w)
