"""Struct layout: native ``struct`` formats pad like C, standard ones never pad; order matters.

Why interviewers ask this:
    Binary protocols, file formats and C interop all come down to "how many
    bytes, at which offsets, in which byte order". A candidate who packs a
    wire header with ``struct.pack("HBI", ...)`` ships, on x86-64, 8
    little-endian bytes with a hidden pad byte instead of the 7 big-endian
    bytes the spec says; in a carelessly ordered Go struct, reordering
    the fields saves a third (24 -> 16 bytes on amd64, see below).
    Interviewers probe alignment, padding, field ordering and endianness,
    and the cost of boxing numbers in Python.

Common pitfalls:
    - No prefix means ``@``: native sizes, native byte order and C
      alignment. ``pack_header_native`` (``"HBI"``) puts a pad byte
      before the ``I`` and writes little-endian on x86-64. ``pack_header``
      (``"!HBI"``) is the 7-byte, big-endian (network order) header.
    - Native ``l`` is a C ``long``: 8 bytes on 64-bit Linux and macOS, 4 on
      64-bit Windows (LLP64). Standard ``l`` (``=``, ``<``, ``>``, ``!``) is
      always 4. On the wire, use a prefix and sized codes (``i``, ``q``).
    - Native ``struct`` pads *between* fields, never after the last one:
      ``"@di"`` is 12 bytes on x86-64 while the C struct (and
      ``ctypes.Structure``) is 16, padded to a multiple of its alignment.
      End the format with a zero-count code of the widest alignment
      (``"@di0d"``) to get the C size (``c_format``).
    - Field order changes the size: ``"bdi"`` is 20 bytes native and 24 as
      a C struct; ``"dib"`` is 13 and 16 (measured on x86-64 Linux with
      CPython 3.11-3.13; the tests assert the direction).
      ``best_order`` sorts by decreasing alignment: no padding between
      fields, only at the end.
    - ``sys.getsizeof(a_list)`` counts the list header and its (possibly
      over-allocated) pointer array, not the elements, so a list of floats
      looks as small as an ``array('d')`` (both 8 bytes per element on a
      64-bit build, tested on an exactly sized list).
    - Codes are one character per field here: repeat counts (``"2i"``) and
      unknown codes raise ``ValueError`` naming the code, as does ``""``.

Key takeaways:
    - Padding rule (C, ctypes, native ``struct``): each field starts at a
      multiple of its alignment (``ctypes.alignment``); a C struct's size
      is rounded up to its widest alignment so arrays of it stay aligned.
      ``native_offsets`` derives the offsets from ``ctypes`` and the tests
      check them against ``struct.calcsize`` and ``ctypes`` field offsets.
    - ``_pack_ = 1`` on a ``ctypes.Structure`` removes the padding, like
      ``#pragma pack(1)`` or ``__attribute__((packed))`` in C, at the
      price of unaligned access (slower, or a fault on some CPUs).
      ``_pack_`` follows MSVC's ``#pragma pack`` semantics; since 3.14,
      ``_pack_`` without ``_layout_ = "ms"`` warns off Windows
      (``DeprecationWarning``, an error from 3.19), so ``make_structure``
      sets both (``_layout_`` is an ignored attribute before 3.14).
    - ``!`` is ``>``: big-endian, standard sizes, no padding.
      ``socket.htons``/``htonl`` do the same swap for one integer.
    - ``array('d')`` stores raw 8-byte doubles. A ``list`` of distinct
      floats stores an 8-byte pointer per element to a separate 24-byte
      float object (``sys.getsizeof(0.0)`` on the default, GIL, 64-bit
      build; the free-threaded build's header is larger): 4 times the
      memory by ``tracemalloc`` (``float_storage_bytes``). That counts bytes
      requested; CPython's small-object allocator rounds small requests
      (at most 512 bytes, so each float, not the big pointer array) up to
      a multiple of 16 on 64-bit builds (``ALIGNMENT`` in obmalloc), so
      the real cost is higher still (an implementation detail).
    - Go: the gc compiler keeps declaration order (gc behaviour, not a
      language-spec guarantee) and pads like C;
      ``unsafe.Sizeof(struct{a bool; b int64; c bool}{})`` is 24 on amd64,
      16 with ``b`` first. The ``fieldalignment`` analyzer
      (golang.org/x/tools) reports structs that reordering would shrink.
      ``encoding/binary`` writes fields back to back with an explicit
      ``binary.BigEndian``: Go's ``!``. Java gives no control over field
      layout (the JVM chooses it; JOL shows it); ``ByteBuffer`` is
      big-endian unless you call ``order(ByteOrder.LITTLE_ENDIAN)``, and
      ``slice()``/``duplicate()`` of a little-endian buffer come back
      big-endian (a real bug source: set the order again).

What to look for in an answer:
    Alignment as the reason for padding, the trailing-padding rule, sorting
    fields by size, an explicit byte order and sized types for anything
    that leaves the process. Follow-ups:
    - Why pad at all? (An aligned load is one memory access; a misaligned
      one may span two cache lines or trap. Trailing padding keeps element
      ``k`` of an array aligned.)
    - What is network byte order? (Big-endian, the convention of the
      Internet protocol headers since the early RFCs; ``!`` in ``struct``,
      ``htons``/``ntohs`` in C, ``binary.BigEndian`` in Go.)
    - How would you shrink an array of a million small records in Python?
      (``array``/``numpy`` structured arrays or one ``bytearray`` with
      ``struct.pack_into``; ``__slots__`` shrinks objects but each is still
      a separate allocation with a header.)
    - Is a packed struct always better? (No: smaller, but unaligned fields
      cost cycles, an atomic operation on one is very slow or faults
      depending on the CPU, and a pointer to a packed field is unsafe in C.)
    - What is false sharing, and how do you pad against it? (Two hot
      fields written by different cores in one cache line, 64 bytes on
      most x86-64 and many ARM cores, make the line ping-pong between
      the cores' caches, though no data is shared. Put each on its own
      line: Go ``_ [56]byte`` or ``cpu.CacheLinePad``, Java ``@Contended``
      (needs ``-XX:-RestrictContended`` outside the JDK), C/C++
      ``alignas(64)``. Padding costs memory, so only for measured hot
      spots.)
    - Bit fields? (Their layout is implementation-defined in C; GCC and
      MSVC differ, which ctypes models with ``_layout_`` from 3.14. Never
      use them for a wire format: use explicit shifts and masks.)
    - Read a C struct from a file or socket without copying? (
      ``struct.Struct.unpack_from(buf, offset)``,
      ``ctypes.Structure.from_buffer(a_bytearray)``, or a numpy
      ``dtype(..., align=True)``, whose ``align`` mirrors C padding.)
    - A big-endian C struct in ctypes? (``ctypes.BigEndianStructure``;
      ``LittleEndianStructure`` for the other way.)

Complexity:
    ``native_offsets`` and ``best_order``: O(n) and O(n log n) for n fields.
"""

from __future__ import annotations

import array
import ctypes
import struct
import tracemalloc
from typing import Any

__all__ = [
    "C_TYPES",
    "best_order",
    "c_format",
    "float_storage_bytes",
    "make_structure",
    "native_offsets",
    "pack_header",
    "pack_header_native",
]

# struct codes and the C types they mean in native mode.
C_TYPES: dict[str, type[ctypes._SimpleCData[Any]]] = {
    "?": ctypes.c_bool,
    "b": ctypes.c_byte,
    "B": ctypes.c_ubyte,
    "h": ctypes.c_short,
    "H": ctypes.c_ushort,
    "i": ctypes.c_int,
    "I": ctypes.c_uint,
    "l": ctypes.c_long,
    "L": ctypes.c_ulong,
    "q": ctypes.c_longlong,
    "Q": ctypes.c_ulonglong,
    "f": ctypes.c_float,
    "d": ctypes.c_double,
    "P": ctypes.c_void_p,
}

_WIRE = struct.Struct("!HBI")  # break[native-wire]
_NATIVE = struct.Struct("HBI")  # no prefix: '@', the pitfall


def pack_header(version: int, flags: int, length: int) -> bytes:
    """The fix: a 7-byte big-endian header, the same on every platform.

    >>> pack_header(1, 0x80, 258).hex(" ")
    '00 01 80 00 00 01 02'
    """
    return _WIRE.pack(version, flags, length)


def pack_header_native(version: int, flags: int, length: int) -> bytes:
    """The pitfall: native order and alignment, so a pad byte and host endianness."""
    return _NATIVE.pack(version, flags, length)


def _check_codes(codes: str) -> None:
    """Raise ``ValueError`` unless ``codes`` is one or more supported codes, no counts."""
    if not codes:
        raise ValueError("codes must name at least one field")
    for code in codes:
        if code not in C_TYPES:  # break[no-validation]
            supported = "".join(C_TYPES)
            raise ValueError(
                f"unsupported code {code!r} in {codes!r}: one of {supported!r} per field,"
                " no repeat counts or prefixes"
            )


def _alignment(code: str) -> int:
    return ctypes.alignment(C_TYPES[code])


def native_offsets(codes: str) -> tuple[list[int], int]:
    """Each field's offset under C alignment, and the end of the last field.

    The end is what ``struct.calcsize("@" + codes)`` returns: no trailing pad.
    Raises ``ValueError`` for an empty string, an unknown code or a repeat count.

    >>> native_offsets("bi")
    ([0, 4], 8)
    """
    _check_codes(codes)
    offsets: list[int] = []
    end = 0
    for code in codes:
        align = _alignment(code)
        end = (end + align - 1) // align * align  # round up to the alignment  # break[no-align]
        offsets.append(end)
        end += ctypes.sizeof(C_TYPES[code])
    return offsets, end


def c_format(codes: str) -> str:
    """A native format whose size matches the C struct: end with a zero-count widest code.

    Raises ``ValueError`` like ``native_offsets``.

    >>> c_format("di")
    '@di0d'
    """
    _check_codes(codes)
    widest = max(codes, key=_alignment)
    return f"@{codes}0{widest}"  # break[no-trailing-code]


def best_order(codes: str) -> str:
    """The fields sorted by decreasing alignment: no padding between fields.

    Raises ``ValueError`` like ``native_offsets``.

    >>> best_order("bdi")
    'dib'
    """
    _check_codes(codes)
    return "".join(sorted(codes, key=_alignment, reverse=True))  # break[ascending]


def make_structure(codes: str, pack: int | None = None) -> type[ctypes.Structure]:
    """A ``ctypes.Structure`` with fields ``f0, f1, ...`` of the given codes.

    ``pack`` sets ``_pack_`` (MSVC ``#pragma pack`` semantics) with ``_layout_ = "ms"``,
    which 3.14+ requires to avoid a ``DeprecationWarning`` off Windows.
    Raises ``ValueError`` like ``native_offsets``.
    """
    _check_codes(codes)
    namespace: dict[str, object] = {}
    if pack is not None:
        namespace["_pack_"] = pack
        namespace["_layout_"] = "ms"  # break[no-layout]
    namespace["_fields_"] = [(f"f{i}", C_TYPES[c]) for i, c in enumerate(codes)]
    return type(f"Struct_{codes}", (ctypes.Structure,), namespace)


def float_storage_bytes(n: int) -> tuple[int, int]:
    """Bytes ``tracemalloc`` sees for ``n`` distinct floats: as a list, as ``array('d')``."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        floats = [float(i) for i in range(n)]  # break[shared-float]
        as_list = tracemalloc.get_traced_memory()[0] - start
        start = tracemalloc.get_traced_memory()[0]
        doubles = array.array("d", floats)
        as_array = tracemalloc.get_traced_memory()[0] - start
        assert len(doubles) == len(floats) == n
        return as_list, as_array
    finally:
        if not was_tracing:
            tracemalloc.stop()
