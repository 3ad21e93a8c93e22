"""Level- and edge-triggered epoll on a ``socketpair``: the readers the page compares.

The code behind ``epoll_lt_et.md``. Everything is one process: data written on
one end of a ``socketpair`` is readable on the other before ``sendall``
returns, so ``ready`` (``epoll_wait`` with a zero timeout) answers
deterministically. Linux only: elsewhere the module imports, but ``LEVEL``
and ``EDGE`` are 0 and ``watch`` raises ``OSError``.
"""

from __future__ import annotations

import select
import socket
from typing import Protocol

__all__ = ["EDGE", "LEVEL", "HasFileno", "drain_per_event", "read_once_per_event", "ready", "watch"]

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
