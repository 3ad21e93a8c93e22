"""HTTP/1.1 keep-alive and HTTP/2 multiplexing, built by hand for loopback.

Holds a counting ``http.server`` (one accepted TCP connection per
``connections`` tick) for the keep-alive demonstration, the HTTP/2 frame
header (RFC 9113 section 4.1), HPACK prefix integers and literal header
fields without Huffman coding (RFC 7541 sections 5.1, 5.2 and 6.2), and a
tiny HTTP/2 server that runs each stream in its own thread and writes the
frames of several streams interleaved on one connection.
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, SETTINGS, GOAWAY = 0x0, 0x1, 0x4, 0x7
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
MAX_FRAME_SIZE = 16384  # the SETTINGS_MAX_FRAME_SIZE default (RFC 9113 6.5.2)


class CountingHTTPServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that counts the TCP connections it accepts."""

    daemon_threads = True

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.connections = 0
        self.log: list[str] = []

    def process_request(self, request: Any, client_address: Any) -> None:
        self.connections += 1  # one call per accept()
        super().process_request(request, client_address)


class Http11Handler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a short body and a Content-Length."""

    protocol_version = "HTTP/1.1"  # break[http10-server]

    def do_GET(self) -> None:
        server = self.server
        assert isinstance(server, CountingHTTPServer)
        server.log.append(f"start {self.path}")
        body = f"hello from {self.path}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        server.log.append(f"end {self.path}")

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class Http10Handler(Http11Handler):
    """The same handler speaking HTTP/1.0: the server closes after each response."""

    protocol_version = "HTTP/1.0"


# --- HTTP/2 framing ------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One HTTP/2 frame: type, flags, stream id and payload."""

    type: int
    flags: int
    stream_id: int
    payload: bytes = b""


def encode_frame(frame: Frame) -> bytes:
    """The 9-byte header (24-bit length, type, flags, R + 31-bit stream id) + payload.

    >>> encode_frame(Frame(SETTINGS, ACK, 0)).hex(" ")
    '00 00 00 04 01 00 00 00 00'

    Raises ValueError for a payload over 2**24 - 1 bytes or a stream id over 2**31 - 1.
    """
    length = len(frame.payload)
    if length >= 1 << 24:
        raise ValueError(f"payload of {length} bytes does not fit the 24-bit length")
    if not 0 <= frame.stream_id < 1 << 31:
        raise ValueError(f"stream id {frame.stream_id} is not a 31-bit number")
    header = struct.pack(">I", length)[1:]  # break[two-byte-length]
    header += struct.pack(">BBI", frame.type, frame.flags, frame.stream_id)
    return header + frame.payload


def decode_frame_header(header: bytes) -> tuple[int, int, int, int]:
    """(length, type, flags, stream id) from 9 bytes; the reserved bit is ignored.

    >>> decode_frame_header(bytes.fromhex("000004010500000003"))
    (4, 1, 5, 3)
    """
    if len(header) != 9:
        raise ValueError(f"a frame header is 9 bytes, got {len(header)}")
    length = int.from_bytes(header[:3], "big")
    ftype, flags, stream = struct.unpack(">BBI", header[3:])
    return length, ftype, flags, stream & 0x7FFFFFFF


def encode_int(value: int, prefix_bits: int, first_byte: int = 0) -> bytes:
    """HPACK integer with an N-bit prefix (RFC 7541 5.1); high bits from first_byte.

    >>> encode_int(10, 5).hex(), encode_int(1337, 5).hex(" "), encode_int(42, 8).hex()
    ('0a', '1f 9a 0a', '2a')
    """
    if value < 0 or not 1 <= prefix_bits <= 8:
        raise ValueError(f"cannot encode {value} with a {prefix_bits}-bit prefix")
    limit = (1 << prefix_bits) - 1
    if value < limit:  # break[prefix-off-by-one]
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def decode_int(data: bytes, pos: int, prefix_bits: int) -> tuple[int, int]:
    """(value, next position) of an HPACK integer starting at data[pos].

    >>> decode_int(bytes.fromhex("1f9a0a"), 0, 5)
    (1337, 3)
    """
    limit = (1 << prefix_bits) - 1
    if pos >= len(data):
        raise ValueError("HPACK integer truncated")
    value = data[pos] & limit
    pos += 1
    if value < limit:
        return value, pos
    shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("HPACK integer truncated")
        byte = data[pos]
        pos += 1
        value += (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _string(raw: bytes) -> bytes:
    return encode_int(len(raw), 7) + raw  # H bit 0: no Huffman


def encode_headers(headers: list[tuple[str, str]]) -> bytes:
    """A header block of "literal without indexing, new name" fields (RFC 7541 6.2.2).

    >>> encode_headers([("custom-key", "custom-header")]).hex(" ")
    '00 0a 63 75 73 74 6f 6d 2d 6b 65 79 0d 63 75 73 74 6f 6d 2d 68 65 61 64 65 72'
    """
    out = bytearray()
    for name, value in headers:
        if name != name.lower():
            raise ValueError(f"HTTP/2 field names are lowercase, got {name!r}")
        out += b"\x00" + _string(name.encode()) + _string(value.encode())
    return bytes(out)


def decode_headers(block: bytes) -> list[tuple[str, str]]:
    """Decode literal fields with a new name (0x00, 0x10 or 0x40 first byte), no Huffman.

    Raises ValueError for indexed fields, Huffman strings or truncation: this
    decoder only reads what ``encode_headers`` (and RFC 7541 C.2.1) writes.
    """
    fields, pos = [], 0
    while pos < len(block):
        if block[pos] not in (0x00, 0x10, 0x40):
            raise ValueError(f"unsupported HPACK representation 0x{block[pos]:02x}")
        pos += 1
        pair = []
        for _ in range(2):
            if pos >= len(block):
                raise ValueError("HPACK string truncated")
            if block[pos] & 0x80:
                raise ValueError("Huffman-coded strings are not supported")
            length, pos = decode_int(block, pos, 7)
            if pos + length > len(block):
                raise ValueError("HPACK string truncated")
            pair.append(block[pos : pos + length].decode())
            pos += length
        fields.append((pair[0], pair[1]))
    return fields


def recv_exact(sock: socket.socket, n: int) -> bytes:
    """Read exactly n bytes; ConnectionError if the peer closes first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"peer closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def read_frame(sock: socket.socket) -> Frame:
    """Read one frame from a socket."""
    length, ftype, flags, stream = decode_frame_header(recv_exact(sock, 9))
    return Frame(ftype, flags, stream, recv_exact(sock, length))


Handler = Callable[[str, Callable[[bytes, bool], None]], None]
"""A stream handler: (path, send_data(chunk, last)); it runs in its own thread."""


class H2Server:
    """A minimal prior-knowledge HTTP/2 server (h2c) with one thread per stream.

    It reads the preface and SETTINGS, answers with its own empty SETTINGS and an
    ACK, then for each HEADERS frame (END_STREAM and END_HEADERS set, as for a
    GET) starts ``handler`` in a thread. Frames from all streams share one
    socket; a lock keeps each frame whole. No flow control, priorities, PUSH or
    CONTINUATION: bodies stay under the 65 535-byte initial window.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.connections = 0
        self._write = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _send(self, conn: socket.socket, frame: Frame) -> None:
        with self._write:  # frames of different streams must not mix their bytes
            conn.sendall(encode_frame(frame))

    def _stream(self, conn: socket.socket, stream_id: int, path: str) -> None:
        block = encode_headers([(":status", "200"), ("content-type", "text/plain")])
        self._send(conn, Frame(HEADERS, END_HEADERS, stream_id, block))

        def send_data(chunk: bytes, last: bool) -> None:
            flags = END_STREAM if last else 0
            self._send(conn, Frame(DATA, flags, stream_id, chunk))

        self.handler(path, send_data)

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.connections += 1
        with conn:
            try:
                if recv_exact(conn, len(PREFACE)) != PREFACE:
                    return
                self._send(conn, Frame(SETTINGS, 0, 0))
                workers = []
                while True:
                    frame = read_frame(conn)
                    if frame.type == SETTINGS and not frame.flags & ACK:
                        self._send(conn, Frame(SETTINGS, ACK, 0))
                    elif frame.type == HEADERS:
                        path = dict(decode_headers(frame.payload))[":path"]
                        worker = threading.Thread(
                            target=self._stream, args=(conn, frame.stream_id, path)
                        )
                        worker.start()  # break[one-stream-at-a-time]
                        workers.append(worker)
                    elif frame.type == GOAWAY:
                        break
                for worker in workers:
                    worker.join()
            except (ConnectionError, OSError):
                return

    def close(self) -> None:
        """Stop accepting and wait for the serving thread."""
        self.listener.close()
        self._thread.join(timeout=5)


def request_headers(path: str, authority: str) -> bytes:
    """The HPACK block for a GET of ``path``."""
    return encode_headers(
        [(":method", "GET"), (":scheme", "http"), (":authority", authority), (":path", path)]
    )


def h2_connect(port: int) -> socket.socket:
    """Open a prior-knowledge HTTP/2 connection: preface and empty SETTINGS sent."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(PREFACE + encode_frame(Frame(SETTINGS, 0, 0)))
    return sock
