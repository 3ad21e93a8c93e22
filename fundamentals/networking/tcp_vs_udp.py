"""TCP streams and UDP datagrams on loopback: the sockets, the framing, the truncation.

The code behind ``tcp_vs_udp.md``: ``tcp_pair`` and ``udp_pair`` make connected
sockets on 127.0.0.1 (port 0, so the kernel picks a free port);
``wait_readable_bytes`` waits, bounded, until the kernel has queued a number of
bytes for a TCP socket (``SO_RCVLOWAT`` and ``select``), so a test can ask
"what does *one* ``recv`` return?" without a sleep; ``frame`` and
``Deframer`` put message boundaries back on a TCP stream with a 4-byte
length prefix; ``recv_exactly`` loops until it has
the bytes it asked for; ``recv_datagram`` reads one UDP datagram and says
whether the kernel cut it short. The behaviour shown is Linux's (the
project's reference platform); the doctests also hold on other Unixes.
"""

from __future__ import annotations

import fcntl
import select
import socket
import struct
import termios

__all__ = [
    "HEADER",
    "MAX_UDP_PAYLOAD_IPV4",
    "MAX_UDP_PAYLOAD_IPV6",
    "Deframer",
    "frame",
    "queued_bytes",
    "recv_datagram",
    "recv_exactly",
    "tcp_pair",
    "udp_pair",
    "wait_readable_bytes",
]

HEADER = struct.Struct("!I")
"""The frame header: a 4-byte big-endian payload length."""

MAX_UDP_PAYLOAD_IPV4 = 65535 - 20 - 8
"""65507: the IPv4 total-length field (16 bits) minus a 20-byte IP and an 8-byte UDP header."""

MAX_UDP_PAYLOAD_IPV6 = 65535 - 8
"""65527: IPv6's payload-length field excludes its 40-byte header; minus the 8-byte UDP header."""


def tcp_pair() -> tuple[socket.socket, socket.socket]:
    """A connected TCP ``(client, server)`` pair on 127.0.0.1; the listener is closed again."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
    return client, server


def udp_pair() -> tuple[socket.socket, socket.socket]:
    """Two UDP sockets on 127.0.0.1, each ``connect``-ed to the other."""
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b.bind(("127.0.0.1", 0))
    a.connect(b.getsockname())
    b.connect(a.getsockname())
    return a, b


def queued_bytes(sock: socket.socket) -> int:
    """Bytes the kernel holds for ``sock`` that no ``recv`` has taken yet (``FIONREAD``)."""
    buf = fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0")
    return int(struct.unpack("i", buf)[0])


def wait_readable_bytes(sock: socket.socket, count: int, timeout: float = 2.0) -> None:
    """Block until at least ``count`` bytes are queued on ``sock``, consuming none of them.

    ``SO_RCVLOWAT`` makes the kernel report the socket readable only once
    ``count`` bytes are queued (or the peer has closed), and ``select`` waits
    for that in the kernel. Raises ``TimeoutError`` if fewer than ``count``
    bytes are queued after ``timeout`` seconds, ``EOFError`` if the peer
    closes first. ``sock`` must be in blocking mode (a socket timeout makes
    CPython wait for *any* data, which is the bug this avoids).
    """
    if count < 1:
        raise ValueError(f"count must be >= 1, got {count}")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, count)  # break[no-rcvlowat]
    try:
        ready, _, _ = select.select([sock], [], [], timeout)
    finally:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 1)
    queued = queued_bytes(sock)
    if not ready:
        raise TimeoutError(f"only {queued} of {count} bytes queued after {timeout}s")
    if queued < count:
        raise EOFError(f"peer closed with {queued} of {count} bytes queued")


def frame(message: bytes | bytearray) -> bytes:
    """``message`` with its length in front, so a stream reader can find where it ends.

    >>> frame(b"hi")
    b'\\x00\\x00\\x00\\x02hi'
    >>> frame("hi")  # type: ignore[arg-type]
    Traceback (most recent call last):
    ...
    TypeError: frame needs bytes, got str
    """
    if not isinstance(message, bytes | bytearray):  # break[bytes-only]
        raise TypeError(f"frame needs bytes, got {type(message).__name__}")
    if len(message) > 0xFFFFFFFF:
        raise ValueError(f"a frame holds at most 2**32 - 1 bytes, got {len(message)}")
    return HEADER.pack(len(message)) + bytes(message)


class Deframer:
    """Turns stream chunks, split or joined anywhere, back into the framed messages.

    >>> d = Deframer()
    >>> d.feed(frame(b"one") + frame(b"two")[:5])
    [b'one']
    >>> d.feed(frame(b"two")[5:])
    [b'two']
    >>> d.pending
    0
    """

    def __init__(self, max_message: int = 1 << 20) -> None:
        self._buffer = bytearray()
        self.max_message = max_message

    @property
    def pending(self) -> int:
        """Bytes held back: the start of a message whose end has not arrived."""
        return len(self._buffer)

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add ``chunk``; return every message it completes, in order.

        Raises ``ValueError`` when a header announces more than ``max_message``
        bytes (a peer that is not speaking this framing, or an attack).
        """
        self._buffer += chunk  # break[forget-partial]
        messages: list[bytes] = []
        while len(self._buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer)
            if length > self.max_message:  # break[max-off-by-one]
                raise ValueError(f"frame of {length} bytes exceeds max_message={self.max_message}")
            end = HEADER.size + length
            if len(self._buffer) < end:  # break[no-length-check]
                break
            messages.append(bytes(self._buffer[HEADER.size : end]))
            del self._buffer[:end]
        return messages


def recv_exactly(sock: socket.socket, count: int) -> bytes:
    """Exactly ``count`` bytes from a stream socket, however many ``recv`` calls it takes.

    Raises ``EOFError`` if the peer closes first, with how many bytes came.
    """
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    got = bytearray()
    while len(got) < count:  # break[one-recv]
        chunk = sock.recv(count - len(got))
        if not chunk:
            raise EOFError(f"peer closed after {len(got)} of {count} bytes")
        got += chunk
    return bytes(got)


def recv_datagram(sock: socket.socket, bufsize: int) -> tuple[bytes, bool]:
    """One datagram, at most ``bufsize`` bytes of it, and whether the kernel truncated it.

    ``recvmsg`` reports the cut in its flags (``MSG_TRUNC``); plain ``recv``
    does not, and the rest of the datagram is gone either way.
    """
    data, _, flags, _ = sock.recvmsg(bufsize)
    return data, bool(flags & socket.MSG_TRUNC)  # break[ignore-trunc-flag]
