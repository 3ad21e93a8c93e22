"""networking.websockets_sse: the WebSocket handshake and frames by hand, and SSE with resume.

``accept_key`` is the RFC 6455 handshake answer. ``encode_frame`` and
``parse_frame`` build and read base-framing frames (section 5.2), masking
included; ``FrameReader`` keeps the bytes after one frame for the next, since
one ``recv`` may hold several frames or part of one. ``EchoServer``
upgrades one loopback HTTP connection and echoes text frames.
``SSEHandler`` streams Server-Sent Events from ``http.server`` and resumes
after the ``Last-Event-ID`` a reconnecting client sends;
``parse_sse`` reads a complete body the way the HTML standard's parser
does for ``data``, ``event``, ``id`` and ``retry``: an event the stream ends
in the middle of is discarded.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # break[wrong-guid]
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def accept_key(client_key: str) -> str:
    """Sec-WebSocket-Accept: base64(SHA-1(key + GUID)).

    >>> accept_key("dGhlIHNhbXBsZSBub25jZQ==")
    's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
    """
    if len(base64.b64decode(client_key, validate=True)) != 16:
        raise ValueError("Sec-WebSocket-Key must be 16 random bytes, base64-encoded")
    return base64.b64encode(hashlib.sha1((client_key + GUID).encode("ascii")).digest()).decode(
        "ascii"
    )


@dataclass(frozen=True)
class Frame:
    """One parsed frame, payload already unmasked."""

    fin: bool
    opcode: int
    masked: bool
    payload: bytes


def _xor(data: bytes, mask: bytes) -> bytes:
    return bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def encode_frame(opcode: int, payload: bytes, mask: bytes | None = None, fin: bool = True) -> bytes:
    """One frame; a client passes a 4-byte ``mask``, a server passes none.

    >>> encode_frame(OP_TEXT, b"Hello").hex(" ")
    '81 05 48 65 6c 6c 6f'
    """
    if not 0 <= opcode <= 0xF:
        raise ValueError(f"opcode {opcode} does not fit in 4 bits")
    if mask is not None and len(mask) != 4:
        raise ValueError(f"masking key must be 4 bytes, got {len(mask)}")
    if opcode >= 0x8 and (len(payload) > 125 or not fin):
        raise ValueError("control frames carry at most 125 bytes and cannot be fragmented")
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if mask is not None else 0
    n = len(payload)
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:  # break[two-byte-length-too-far]
        head += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", n)
    if mask is None:
        return head + payload
    return head + mask + _xor(payload, mask)


def parse_frame(buf: bytes, require_mask: bool = False) -> tuple[Frame, int] | None:
    """Parse one frame from the start of ``buf``: (frame, bytes used), or None if incomplete.

    A server passes ``require_mask=True``: RFC 6455 section 5.1 has it close
    the connection on an unmasked client frame; here that is a ValueError.
    """
    if len(buf) < 2:
        return None
    b0, b1 = buf[0], buf[1]
    if b0 & 0x70:
        raise ValueError("RSV bits set without a negotiated extension")
    masked, n, pos = bool(b1 & 0x80), b1 & 0x7F, 2
    if require_mask and not masked:
        raise ValueError("client frame is not masked")
    if n == 126:
        if len(buf) < 4:
            return None
        n, pos = struct.unpack_from("!H", buf, 2)[0], 4
    elif n == 127:
        if len(buf) < 10:
            return None
        n, pos = struct.unpack_from("!Q", buf, 2)[0], 10
    mask = b""
    if masked:
        if len(buf) < pos + 4:
            return None
        mask, pos = buf[pos : pos + 4], pos + 4
    if len(buf) < pos + n:
        return None
    payload = buf[pos : pos + n]
    if masked:
        payload = _xor(payload, mask)  # break[no-unmask]
    return Frame(bool(b0 & 0x80), b0 & 0x0F, masked, payload), pos + n


class FrameReader:
    """Reads frames from a blocking socket, keeping leftover bytes for the next frame."""

    def __init__(self, sock: socket.socket, require_mask: bool = False) -> None:
        self.sock = sock
        self.require_mask = require_mask
        self.buf = b""

    def read(self) -> Frame:
        """The next frame: from bytes already received, else after more ``recv`` calls."""
        while True:
            got = parse_frame(self.buf, self.require_mask)
            if got is not None:
                frame, used = got
                self.buf = self.buf[used:]  # break[drop-leftover-bytes]
                return frame
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("peer closed mid-frame")
            self.buf += chunk


class EchoServer:
    """Accepts one WebSocket client on 127.0.0.1, echoes text frames until a close frame."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.received: list[Frame] = []
        self._thread = threading.Thread(target=self._serve)

    def __enter__(self) -> EchoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            headers = {}
            for line in request.decode("latin-1").split("\r\n")[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            accept = accept_key(headers["sec-websocket-key"])
            conn.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n".encode()
            )
            reader = FrameReader(conn, require_mask=True)
            reader.buf = request[request.index(b"\r\n\r\n") + 4 :]
            while True:
                try:
                    frame = reader.read()
                except ValueError:
                    # 1002: protocol error (RFC 6455 section 7.4.1).
                    conn.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1002)))
                    return
                self.received.append(frame)
                if frame.opcode == OP_CLOSE:
                    conn.sendall(encode_frame(OP_CLOSE, frame.payload[:2]))
                    return
                if frame.opcode == OP_PING:
                    conn.sendall(encode_frame(OP_PONG, frame.payload))  # break[empty-pong]
                else:
                    conn.sendall(encode_frame(frame.opcode, frame.payload))


@dataclass(frozen=True)
class Event:
    """One Server-Sent Event."""

    id: str | None
    event: str
    data: str


def parse_sse(text: str) -> tuple[list[Event], int | None]:
    """Events in a ``text/event-stream`` body, and the last ``retry:`` value (ms).

    A blank line dispatches; ``data:`` lines join with newlines; a line
    starting with ``:`` is a comment; one space after the colon is dropped.
    Lines end in CRLF, LF or CR. Text after the last line ending is not a
    line, so an event without its closing blank line is never dispatched.
    Only events with data are returned (an ``id:``-only block still sets
    the id later events carry).

    >>> parse_sse("id: 1\\ndata: a\\ndata: b\\n\\n: ping\\n\\n")
    ([Event(id='1', event='message', data='a\\nb')], None)
    """
    events: list[Event] = []
    retry: int | None = None
    last_id: str | None = None
    data: list[str] = []
    event = ""
    lines = re.split(r"\r\n|\r|\n", text)
    for line in lines[:-1]:  # break[dispatch-unterminated]
        if line == "":
            if data:
                events.append(Event(last_id, event or "message", "\n".join(data)))
            data, event = [], ""
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id":
            last_id = value  # the id persists across events until changed
        elif name == "retry" and value.isascii() and value.isdigit():
            retry = int(value)
    return events, retry


class SSEHandler(BaseHTTPRequestHandler):
    """Streams ``events`` after the client's Last-Event-ID, at most ``per_connection`` per response.

    Then it ends the response, like a proxy timing out a long stream, so the
    client has to reconnect to get the rest. With ``cut_mid_event`` the
    response ends halfway through the next event (its blank line never sent).
    """

    events: ClassVar[list[str]] = []
    per_connection = 2
    cut_mid_event = False
    connections: ClassVar[list[str | None]] = []
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        last = self.headers.get("Last-Event-ID")
        self.connections.append(last)
        start = int(last) if last is not None else 0  # break[ignore-last-event-id]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(b"retry: 10\n\n")
        for i in range(start, min(start + self.per_connection, len(self.events))):
            self.wfile.write(f"id: {i + 1}\ndata: {self.events[i]}\n\n".encode())
        nxt = start + self.per_connection
        if self.cut_mid_event and nxt < len(self.events):
            self.wfile.write(
                f"id: {nxt + 1}\ndata: {self.events[nxt][: len(self.events[nxt]) // 2]}\n".encode()
            )

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


def follow(port: int, max_connections: int) -> list[Event]:
    """Read the stream on 127.0.0.1:``port``, reconnecting with Last-Event-ID after each end.

    Stops after a connection that brings no new event, or after
    ``max_connections`` connections.
    """
    seen: list[Event] = []
    last_id: str | None = None
    for _ in range(max_connections):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        headers = {"Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = last_id  # break[forget-last-id]
        conn.request("GET", "/events", headers=headers)
        body = conn.getresponse().read().decode()
        conn.close()
        events, _retry = parse_sse(body)
        if not events:
            break
        seen += events
        last_id = events[-1].id
    return seen
