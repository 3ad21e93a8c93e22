"""networking.dns: a DNS message built and parsed by hand, a loopback server, a TTL cache.

``build_query`` packs an RFC 1035 query with ``struct``; ``parse_message``
reads a response back, following compression pointers (RFC 1035 section
4.1.4). ``ZoneServer`` answers A queries over UDP from a dict and compresses
each answer's owner name into a pointer to the question. ``CachingResolver``
keeps answers for their TTL on an injected clock, which is why a changed
record reaches clients only after the old TTL runs out; it draws each query
id at random (seeded in tests), since a predictable id helps a spoofer.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TYPE_A = 1
CLASS_IN = 1
RCODE_NXDOMAIN = 3
_HEADER = struct.Struct("!HHHHHH")  # break[little-endian-header]
_POINTER = 0xC0


@dataclass(frozen=True)
class Record:
    """One resource record from the answer section."""

    name: str
    rtype: int
    rclass: int
    ttl: int
    rdata: bytes

    @property
    def address(self) -> str:
        """The IPv4 address of an A record, dotted."""
        if self.rtype != TYPE_A or len(self.rdata) != 4:
            raise ValueError(f"not an A record: type {self.rtype}, {len(self.rdata)} bytes")
        return socket.inet_ntoa(self.rdata)


@dataclass(frozen=True)
class Message:
    """A parsed DNS message: header fields, flags, question and answers."""

    id: int
    qr: bool
    opcode: int
    aa: bool
    tc: bool
    rd: bool
    ra: bool
    rcode: int
    questions: list[tuple[str, int, int]] = field(default_factory=list)
    answers: list[Record] = field(default_factory=list)


def encode_name(name: str) -> bytes:
    """Encode ``www.example.com`` as length-prefixed labels ending in a zero byte.

    >>> encode_name("www.example.com")
    b'\\x03www\\x07example\\x03com\\x00'

    Raises ValueError for an empty label, a label over 63 bytes or a name
    over 255 bytes (RFC 1035 section 2.3.4).
    """
    out = bytearray()
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        if not raw:
            raise ValueError(f"empty label in {name!r}")
        if len(raw) > 63:
            raise ValueError(f"label {label[:10]!r}... is {len(raw)} bytes, over 63")
        out += bytes([len(raw)]) + raw
    out += b"\x00"
    if len(out) > 255:
        raise ValueError(f"name is {len(out)} bytes encoded, over 255")
    return bytes(out)


def build_query(name: str, query_id: int, qtype: int = TYPE_A, rd: bool = True) -> bytes:
    """A query: 12-byte header (one question, RD set), then QNAME, QTYPE, QCLASS.

    >>> build_query("a.io", 0x1234).hex(" ")
    '12 34 01 00 00 01 00 00 00 00 00 00 01 61 02 69 6f 00 00 01 00 01'
    """
    if not 0 <= query_id <= 0xFFFF:
        raise ValueError(f"query id {query_id} does not fit in 16 bits")
    flags = 0x0100 if rd else 0
    return (
        _HEADER.pack(query_id, flags, 1, 0, 0, 0)
        + encode_name(name)
        + struct.pack("!HH", qtype, CLASS_IN)
    )


def read_name(buf: bytes, offset: int) -> tuple[str, int]:
    """Read a possibly compressed name at ``offset``; return it and the offset after it.

    A length byte with the top two bits set starts a 2-byte pointer to an
    earlier name. Raises ValueError on a truncated name or a pointer loop.
    """
    labels: list[str] = []
    end: int | None = None
    seen: set[int] = set()
    while True:
        if offset >= len(buf):
            raise ValueError(f"name runs past the end of the message at {offset}")
        length = buf[offset]
        if length & _POINTER == _POINTER:  # break[pointer-read-as-label]
            if offset + 1 >= len(buf):
                raise ValueError("truncated compression pointer")
            target = struct.unpack_from("!H", buf, offset)[0] & 0x3FFF
            if target in seen:  # break[no-loop-detection]
                raise ValueError(f"compression pointer loop at {target}")
            seen.add(target)
            if end is None:  # break[end-set-by-last-pointer]
                end = offset + 2
            offset = target
            continue
        if length & _POINTER:
            raise ValueError(f"reserved label type {length:#x} at {offset}")
        if length == 0:
            return ".".join(labels), (offset + 1 if end is None else end)
        label = buf[offset + 1 : offset + 1 + length]
        if len(label) != length:
            raise ValueError("label runs past the end of the message")
        labels.append(label.decode("ascii"))
        offset += 1 + length


def parse_message(buf: bytes) -> Message:
    """Parse the header, question and answer sections of a DNS message."""
    if len(buf) < _HEADER.size:
        raise ValueError(f"message is {len(buf)} bytes, a header needs {_HEADER.size}")
    qid, flags, qd, an, _ns, _ar = _HEADER.unpack_from(buf)
    offset = _HEADER.size
    questions = []
    for _ in range(qd):
        name, offset = read_name(buf, offset)
        if offset + 4 > len(buf):
            raise ValueError("question truncated: QTYPE/QCLASS missing")
        qtype, qclass = struct.unpack_from("!HH", buf, offset)
        offset += 4
        questions.append((name, qtype, qclass))
    answers = []
    for _ in range(an):
        name, offset = read_name(buf, offset)
        if offset + 10 > len(buf):
            raise ValueError("answer record header truncated")
        rtype, rclass, ttl, rdlen = struct.unpack_from("!HHIH", buf, offset)
        offset += 10
        rdata = buf[offset : offset + rdlen]
        if len(rdata) != rdlen:
            raise ValueError("rdata truncated")
        offset += rdlen
        answers.append(Record(name, rtype, rclass, ttl, rdata))
    return Message(
        id=qid,
        qr=bool(flags & 0x8000),
        opcode=(flags >> 11) & 0xF,
        aa=bool(flags & 0x0400),
        tc=bool(flags & 0x0200),
        rd=bool(flags & 0x0100),
        ra=bool(flags & 0x0080),
        rcode=flags & 0xF,
        questions=questions,
        answers=answers,
    )


def build_response(query: bytes, zone: dict[str, tuple[str, int]]) -> bytes:
    """Answer an A query from ``zone`` (name -> (address, ttl)); NXDOMAIN otherwise.

    The answer's owner name is the pointer ``c0 0c``: offset 12, where the
    question's name starts right after the header.
    """
    q = parse_message(query)
    if len(q.questions) != 1:
        raise ValueError(f"expected one question, got {len(q.questions)}")
    name, _qtype, _qclass = q.questions[0]
    question_end = _HEADER.size + len(encode_name(name)) + 4
    hit = zone.get(name.lower())
    flags = 0x8000 | 0x0400 | (0x0100 if q.rd else 0)
    if hit is None:
        return (
            _HEADER.pack(q.id, flags | RCODE_NXDOMAIN, 1, 0, 0, 0)
            + query[_HEADER.size : question_end]
        )
    address, ttl = hit
    answer = struct.pack("!HHHIH", _POINTER << 8 | _HEADER.size, TYPE_A, CLASS_IN, ttl, 4)
    return (
        _HEADER.pack(q.id, flags, 1, 1, 0, 0)
        + query[_HEADER.size : question_end]
        + answer
        + socket.inet_aton(address)
    )


class ZoneServer:
    """An authoritative UDP DNS server on 127.0.0.1 answering from a dict, in a thread.

    It counts the queries it answers, records their ids, and drops (and
    counts) a datagram it cannot parse.
    """

    def __init__(self, zone: dict[str, tuple[str, int]]) -> None:
        self.zone = zone
        self.queries = 0
        self.ids: list[int] = []
        self.malformed = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address: tuple[str, int] = self.sock.getsockname()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ZoneServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # An empty datagram tells the loop to stop; no timeout polling needed.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"", self.address)
        self._thread.join(5)
        self.sock.close()

    def _serve(self) -> None:
        while True:
            data, peer = self.sock.recvfrom(512)
            if not data:
                return
            try:
                reply = build_response(data, self.zone)
            except ValueError:
                self.malformed += 1  # drop it; one bad datagram must not stop the server
                continue
            self.queries += 1
            self.ids.append(struct.unpack_from("!H", data)[0])
            self.sock.sendto(reply, peer)


def query(server: tuple[str, int], name: str, query_id: int, timeout: float = 2.0) -> Message:
    """Send one A query over UDP and parse the reply; reject a reply with another id."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect(server)
        s.send(build_query(name, query_id))
        reply = parse_message(s.recv(512))
    if reply.id != query_id:  # break[accept-any-id]
        raise ValueError(f"reply id {reply.id:#06x} does not match query id {query_id:#06x}")
    return reply


class CachingResolver:
    """A stub resolver that caches A answers for their TTL (seconds on ``clock``).

    Query ids come from ``rng`` (default: the OS's ``SystemRandom``), never a
    counter: RFC 5452 asks for an unpredictable id and source port.
    """

    def __init__(
        self,
        server: tuple[str, int],
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.server = server
        self.clock = clock
        self.upstream_queries = 0
        self._cache: dict[str, tuple[str, float]] = {}
        self._rng = rng if rng is not None else random.SystemRandom()

    def resolve(self, name: str) -> str:
        """The address for ``name``, from cache while its TTL lasts; LookupError on NXDOMAIN."""
        now = self.clock()
        cached = self._cache.get(name)
        if cached is not None and now < cached[1]:  # break[cache-forever]
            return cached[0]
        self.upstream_queries += 1
        query_id = self._rng.getrandbits(16)  # break[sequential-ids]
        reply = query(self.server, name, query_id)
        if reply.rcode == RCODE_NXDOMAIN or not reply.answers:
            raise LookupError(f"{name}: NXDOMAIN")
        record = reply.answers[0]
        self._cache[name] = (record.address, now + record.ttl)
        return record.address
