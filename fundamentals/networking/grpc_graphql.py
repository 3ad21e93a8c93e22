"""networking.grpc_graphql: protobuf varints, gRPC message framing, GraphQL N+1 and batching.

Holds a hand-written protobuf wire encoder for varint (wire type 0) and
length-delimited (wire type 2) fields, a decoder that also reads the fixed-size
I64 (wire type 1) and I32 (wire type 5) fields and skips field numbers it is
told it does not know, gRPC's 5-byte Length-Prefixed-Message
framing with a reader that reassembles messages from a TCP byte stream, and a
tiny GraphQL-style resolver over sqlite3 that shows the N+1 resolver problem
next to a DataLoader-style batch.
"""

from __future__ import annotations

import socket
import sqlite3
import struct
from collections.abc import Callable, Collection, Iterable, Sequence

VARINT = 0
I64 = 1
LEN = 2
I32 = 5
_FIXED_SIZE = {I64: 8, I32: 4}
_GRPC_HEADER = struct.Struct(">BI")  # flag (1 byte), length (4 bytes, big-endian)
GRPC_HEADER_SIZE = _GRPC_HEADER.size


def encode_varint(n: int) -> bytes:
    """Base-128 varint: 7 bits per byte, least significant group first.

    >>> encode_varint(1).hex(' '), encode_varint(150).hex(' '), encode_varint(300).hex(' ')
    ('01', '96 01', 'ac 02')

    Raises TypeError for a non-int, ValueError outside 0 .. 2**64 - 1.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"varint needs an int, got {type(n).__name__}")
    if not 0 <= n < 1 << 64:
        raise ValueError(f"varint holds 0 .. 2**64 - 1, got {n}")
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)  # break[no-continuation-bit]
        n >>= 7
    out.append(n)
    return bytes(out)


def decode_varint(data: bytes, pos: int = 0) -> tuple[int, int]:
    """Decode one varint at ``pos``; return (value, position after it).

    >>> decode_varint(bytes.fromhex('9601'))
    (150, 2)

    Raises ValueError if the data ends mid-varint or it runs past 10 bytes.
    """
    result = 0
    shift = 0
    for i in range(pos, min(len(data), pos + 10)):
        byte = data[i]
        result |= (byte & 0x7F) << shift
        shift += 7  # break[shift-by-eight]
        if not byte & 0x80:
            return result, i + 1
    if len(data) - pos >= 10:
        raise ValueError("varint longer than 10 bytes")
    raise ValueError(f"truncated varint at offset {pos}")


def int64_as_varint(n: int) -> bytes:
    """An ``int32``/``int64`` field value: negative numbers as 64-bit two's complement.

    >>> len(int64_as_varint(-1))
    10
    """
    if not -(1 << 63) <= n < 1 << 63:
        raise ValueError(f"int64 out of range: {n}")
    return encode_varint(n & 0xFFFF_FFFF_FFFF_FFFF)


def zigzag(n: int) -> int:
    """``sint64`` mapping: 0, -1, 1, -2 become 0, 1, 2, 3, so small negatives stay short.

    >>> [zigzag(n) for n in (0, -1, 1, -2, 2)]
    [0, 1, 2, 3, 4]
    """
    if not -(1 << 63) <= n < 1 << 63:
        raise ValueError(f"sint64 out of range: {n}")
    return ((n << 1) ^ (n >> 63)) & 0xFFFF_FFFF_FFFF_FFFF


def unzigzag(z: int) -> int:
    """Inverse of :func:`zigzag`."""
    return (z >> 1) ^ -(z & 1)


def tag(field_number: int, wire_type: int) -> bytes:
    """The key of a field: ``(field_number << 3) | wire_type`` as a varint."""
    if not 1 <= field_number < 1 << 29:
        raise ValueError(f"field number must be 1 .. 2**29 - 1, got {field_number}")
    return encode_varint(field_number << 3 | wire_type)


def encode_fields(fields: Iterable[tuple[int, int | bytes | str]]) -> bytes:
    """Encode (field number, value) pairs: ints as varints, bytes/str as LEN fields.

    >>> encode_fields([(1, 150)]).hex(' ')
    '08 96 01'
    >>> encode_fields([(2, "testing")]).hex(' ')
    '12 07 74 65 73 74 69 6e 67'
    """
    out = bytearray()
    for number, value in fields:
        if isinstance(value, int):
            out += tag(number, VARINT) + encode_varint(value)
        elif isinstance(value, (bytes, str)):
            raw = value.encode() if isinstance(value, str) else value
            out += tag(number, LEN) + encode_varint(len(raw)) + raw
        else:
            raise TypeError(f"field {number}: unsupported value {type(value).__name__}")
    return bytes(out)


def decode_fields(
    data: bytes, known: Collection[int] | None = None
) -> list[tuple[int, int | bytes]]:
    """Decode a message into (field number, value) pairs, in wire order.

    Varints come back as ints; LEN, I64 and I32 fields as their raw bytes (the
    schema says whether those are a string, a double or a fixed32). With
    ``known``, fields with other numbers are skipped: the wire type alone says
    how many bytes to step over, which is how an old reader survives new fields.

    >>> decode_fields(bytes.fromhex('089601'))
    [(1, 150)]
    >>> decode_fields(bytes.fromhex('0896011d00000000120161'), known={1, 2})
    [(1, 150), (2, b'a')]

    Raises ValueError on field number 0, an unsupported wire type (the
    deprecated groups, 3 and 4, or 6 and 7) or a field running past the end.
    """
    pos = 0
    out: list[tuple[int, int | bytes]] = []
    while pos < len(data):
        key, pos = decode_varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ValueError(f"field number 0 is invalid (key byte at offset {pos - 1})")
        value: int | bytes
        if wire_type == VARINT:
            value, pos = decode_varint(data, pos)
        elif wire_type == LEN or wire_type in _FIXED_SIZE:
            if wire_type == LEN:
                length, pos = decode_varint(data, pos)
            else:
                length = _FIXED_SIZE[wire_type]  # break[fixed-size-wrong]
            if pos + length > len(data):
                raise ValueError(f"field {number}: {length} bytes declared, {len(data) - pos} left")
            value = data[pos : pos + length]
            pos += length
        else:
            raise ValueError(f"field {number}: unsupported wire type {wire_type}")
        if known is None or number in known:
            out.append((number, value))
    return out


def grpc_frame(message: bytes, *, compressed: bool = False) -> bytes:
    """gRPC Length-Prefixed-Message: compressed flag, 4-byte big-endian length, message.

    >>> grpc_frame(bytes.fromhex('089601')).hex(' ')
    '00 00 00 00 03 08 96 01'
    """
    if len(message) >= 1 << 32:
        raise ValueError("gRPC message length must fit in 32 bits")
    return _GRPC_HEADER.pack(int(compressed), len(message)) + message


class GrpcMessageReader:
    """Reassemble gRPC messages from a byte stream that arrives in arbitrary pieces.

    >>> r = GrpcMessageReader()
    >>> r.feed(grpc_frame(b'ab')[:3]), r.feed(grpc_frame(b'ab')[3:] + grpc_frame(b'c'))
    ([], [b'ab', b'c'])
    """

    def __init__(self, max_message: int = 4 * 1024 * 1024) -> None:
        self._buf = bytearray()
        self._max = max_message

    def feed(self, chunk: bytes) -> list[bytes]:
        """Append ``chunk``; return every message now complete (possibly none)."""
        self._buf += chunk
        messages: list[bytes] = []
        while len(self._buf) >= GRPC_HEADER_SIZE:
            flag, length = _GRPC_HEADER.unpack_from(self._buf)
            if flag not in (0, 1):
                raise ValueError(f"compressed flag must be 0 or 1, got {flag}")
            if length > self._max:
                raise ValueError(f"message of {length} bytes exceeds limit {self._max}")
            end = GRPC_HEADER_SIZE + length
            if len(self._buf) < end:  # break[assume-whole-message]
                break
            messages.append(bytes(self._buf[GRPC_HEADER_SIZE:end]))
            del self._buf[:end]
        return messages

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a complete message."""
        return len(self._buf)


def read_grpc_messages(sock: socket.socket, count: int) -> tuple[list[bytes], int]:
    """Read ``count`` messages from a connected socket; return them and the recv calls made."""
    reader = GrpcMessageReader()
    messages: list[bytes] = []
    recvs = 0
    while len(messages) < count:
        chunk = sock.recv(65536)
        recvs += 1
        if not chunk:
            raise ConnectionError(f"peer closed after {len(messages)} of {count} messages")
        messages += reader.feed(chunk)
    return messages, recvs


# --- GraphQL: resolvers per field, and the N+1 they cause -------------------------


def make_blog(conn: sqlite3.Connection, authors: int, posts_per_author: int) -> None:
    """Create authors and posts tables with deterministic rows."""
    conn.executescript(
        "CREATE TABLE author(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE post(id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
        " author_id INTEGER NOT NULL REFERENCES author(id));"
    )
    conn.executemany(
        "INSERT INTO author VALUES (?, ?)", [(a, f"author{a}") for a in range(1, authors + 1)]
    )
    conn.executemany(
        "INSERT INTO post(title, author_id) VALUES (?, ?)",
        [(f"post{a}.{p}", a) for p in range(posts_per_author) for a in range(1, authors + 1)],
    )


class QueryCounter:
    """Count the SQL statements a connection runs (sqlite3's trace callback)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.statements: list[str] = []
        conn.set_trace_callback(self.statements.append)


AuthorLoader = Callable[[Sequence[int]], dict[int, str]]


def naive_author_loader(conn: sqlite3.Connection) -> Callable[[int], str]:
    """What a per-field resolver does: one query per author id it is asked for."""

    def load(author_id: int) -> str:
        row = conn.execute("SELECT name FROM author WHERE id = ?", (author_id,)).fetchone()
        if row is None:
            raise KeyError(author_id)
        return str(row[0])

    return load


def batch_author_loader(conn: sqlite3.Connection) -> AuthorLoader:
    """DataLoader-style: every id requested in one pass resolved by a single ``IN`` query."""

    def load_many(author_ids: Sequence[int]) -> dict[int, str]:
        unique = sorted(set(author_ids))
        if not unique:
            return {}
        marks = ",".join("?" * len(unique))
        rows = conn.execute(f"SELECT id, name FROM author WHERE id IN ({marks})", unique)
        return {int(i): str(n) for i, n in rows}

    return load_many


def resolve_posts_naive(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """``{ posts { title author { name } } }`` resolved field by field: 1 + N queries."""
    author_name = naive_author_loader(conn)
    posts = conn.execute("SELECT title, author_id FROM post ORDER BY id").fetchall()
    return [{"title": t, "author": author_name(a)} for t, a in posts]


def resolve_posts_batched(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """The same query with the author field deferred and batched: 2 queries for any N."""
    load_many = batch_author_loader(conn)
    posts = conn.execute("SELECT title, author_id FROM post ORDER BY id").fetchall()
    names = load_many([a for _, a in posts])  # break[load-per-post]
    return [{"title": t, "author": names[a]} for t, a in posts]
