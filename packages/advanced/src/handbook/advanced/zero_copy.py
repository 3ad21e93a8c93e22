"""Zero-copy bytes: ``memoryview`` slices share a buffer, ``bytes`` slices copy it.

Why interviewers ask this:
    A proxy, a parser or a file server that slices a 1 MiB request into
    frames with ``data[i:j]`` copies every byte again for each slice; the
    same code with ``memoryview(data)[i:j]`` copies nothing. Interviewers
    use it to see whether a candidate knows what a slice costs, what
    aliasing means (the Go slice bug in another guise), and why an
    exported buffer cannot grow.

Common pitfalls:
    - ``data[i:j]`` on ``bytes`` or ``bytearray`` allocates a new object of
      ``j - i`` bytes (``copy_slices``). A hundred 10 000-byte slices of a
      1 MB buffer allocate about 1 MB; the same slices of a ``memoryview``
      (``view_slices``) allocate one small view object each, whatever
      the width (the tests measure both with ``tracemalloc``).
    - Aliasing: a write through ``memoryview(ba)[2:5]`` changes ``ba``.
      A view is not a snapshot: take ``bytes(view)`` to keep a value.
    - A ``bytearray`` with a live view cannot be resized: ``append``,
      ``+=`` or a slice assignment that changes the length raises
      ``BufferError: Existing exports of data: object cannot be re-sized``.
      A same-length slice assignment still works.
    - A view left alive by an exception: ``frame_length_leaky`` raises
      while its local view is unreleased, and the traceback keeps that
      frame (and the view) alive, so ``buf += more`` in the caller's
      ``except`` block raises ``BufferError``. ``frame_length`` releases
      in ``finally`` (a ``with memoryview(buf) as view:`` block does the
      same). That the buffer unlocks right after the ``except`` block is
      CPython's reference counting freeing the traceback; on PyPy the
      frame lives until a garbage collection.
    - Releasing the parent view does not unlock the buffer while a slice
      of it lives: the ``bytearray`` sees a single export, held by a
      managed buffer that the parent and every slice reference, so
      ``parent.release()`` succeeds and the lock stays until the last view
      of that managed buffer is released.
    - A small view keeps the whole buffer alive (``tail_view``): hold 4
      bytes of a 5 MB ``bytearray`` and all 5 MB stays allocated.
      ``tail_copy`` copies the 4 bytes so the big buffer can be freed.
    - ``data += chunk`` to assemble a message from reads: each ``+=``
      builds a new ``bytes`` holding everything so far (``bytes`` is
      immutable and has no in-place ``+=``), so at the end two
      nearly full copies are alive at once (``read_copying``).

Key takeaways:
    - ``memoryview(obj)`` works on anything with the buffer protocol
      (``bytes``, ``bytearray``, ``array.array``, ``mmap``); slicing it
      gives another view of the same memory. A view of ``bytes`` is
      read-only (writing raises ``TypeError``).
    - Copy on purpose, at the edge: ``bytes(view)`` or ``view.tobytes()``.
    - Read into a preallocated buffer: ``sock.recv_into(view[got:])`` or
      ``file.readinto(view[got:])`` writes straight into it (``read_into``).
      ``struct.unpack_from(fmt, buf, offset)`` parses without slicing.
    - Release views you do not hold to the end of a function: ``with
      memoryview(buf) as view:`` or ``view.release()``. A released view
      raises ``ValueError`` on use.
    - CPython implementation details (Objects/bytesobject.c; tested on
      3.11-3.13): a full slice of an exact ``bytes`` returns the same
      object (``b[:] is b``, in ``bytes_subscript``), and so does
      ``bytes(b)`` (the constructor's exact-``bytes`` shortcut); a
      ``bytes`` subclass gets a copy, and a ``bytearray`` full slice is
      always a copy. Never rely on ``is`` for bytes.
    - Go: a slice ``b := a[2:5]`` shares ``a``'s backing array, so a write
      through ``b`` shows in ``a``, and ``append(b, x)`` overwrites
      ``a[5]`` while capacity remains (limit it with ``a[2:5:5]``). A small
      slice also pins the big array (copy it with ``bytes.Clone``).
      ``string(b)`` and ``[]byte(s)`` copy (gc elides the copy of
      ``string(b)`` in a map index ``m[string(b)]``, a comparison or a
      concatenation operand); ``unsafe.String(&b[0], len(b))``
      and ``unsafe.Slice(unsafe.StringData(s), len(s))`` (Go 1.20) do not,
      and the bytes must then never change. Java: ``ByteBuffer.slice()``
      and ``duplicate()`` share the content with their own position and
      limit; ``get(byte[])`` copies out. Both come back ``BIG_ENDIAN``
      even when the parent was set to ``LITTLE_ENDIAN``.

What to look for in an answer:
    The candidate says what is copied and what is shared, reaches for
    ``memoryview``/``recv_into``/``unpack_from`` on hot byte paths, and
    knows both costs of sharing: aliasing and a pinned, locked buffer.
    Follow-ups:
    - Why can a ``bytearray`` with a view not grow? (Growing may
      ``realloc`` the memory elsewhere; the view's pointer would dangle,
      so CPython refuses while the export count is non-zero.)
    - Does ``memoryview`` help with ``bytes`` you only read? (Yes for
      slicing; a view of ``bytes`` is read-only, and ``bytes(view)``
      copies when you finally need an object.)
    - How do you decode a view as text? (``str(view, "utf-8")`` or
      ``codecs.decode(view, "utf-8")`` accept any buffer; the text is a
      new object either way, since ``str`` stores its own code points.)
    - The Go version? (Slices alias; ``copy``/``bytes.Clone`` to detach;
      a three-index slice to stop ``append`` writing into the neighbour.)
    - Is ``memoryview`` zero-copy end to end? Sending a file? (No: the
      kernel still copies between user space and the socket.
      ``socket.sendfile``/``os.sendfile`` (and ``splice``) skip the
      user-space copy entirely; ``mmap`` plus a view avoids the read copy.)
    - The length is unknown in advance: what instead of ``bytes +=``? (A
      ``bytearray`` with ``+=``/``extend``, amortized O(1) per byte since
      it over-allocates, or a list of chunks and one ``b"".join``.)
    - How does asyncio avoid the copy? (``asyncio.BufferedProtocol``:
      ``get_buffer()`` hands the loop a buffer to read into and
      ``buffer_updated(n)`` says how much arrived.)
    - Can my own class hand out a buffer? (From 3.12, PEP 688:
      ``__buffer__``/``__release_buffer__``; before that only C types.)
    - Reading typed data? (``view.cast("I")`` reads an array of ints in
      place; ``view.nbytes`` vs ``len(view)``; ``view.readonly``.)

Complexity:
    ``bytes`` slice: O(k) time and memory for k bytes. ``memoryview`` slice:
    O(1) time and memory. ``read_into``: O(n) copied once by the kernel or
    the stream; ``read_copying`` with ``+=``: O(n**2 / chunk) bytes copied.
"""

from __future__ import annotations

import struct
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

__all__ = [
    "copy_slices",
    "frame_length",
    "frame_length_leaky",
    "read_copying",
    "read_into",
    "tail_copy",
    "tail_view",
    "traced",
    "view_slices",
]

T = TypeVar("T")
_HEADER = struct.Struct("!I")  # a frame: 4-byte big-endian length, then the payload


def _check_slices(size: int, width: int, count: int) -> None:
    if width < 0 or count < 0:
        raise ValueError(f"width and count must be >= 0, got {width} and {count}")
    if count and count - 1 + width > size:
        raise ValueError(f"{count} slices of {width} bytes run past the end of {size} bytes")


def _check_keep(size: int, keep: int) -> None:
    if not 0 <= keep <= size:
        raise ValueError(f"keep must be in 0..{size}, got {keep}")


def copy_slices(data: bytes, width: int, count: int) -> list[bytes]:
    """The pitfall: ``count`` slices of ``width`` bytes, each a fresh copy.

    Slice ``i`` is ``data[i : i + width]``. Raises ``ValueError`` for a
    negative ``width`` or ``count``, or if the last slice would run past
    the end (a short slice would hide the bug).

    >>> copy_slices(b"abcdef", 2, 3)
    [b'ab', b'bc', b'cd']
    >>> copy_slices(b"abc", 2, 3)
    Traceback (most recent call last):
    ...
    ValueError: 3 slices of 2 bytes run past the end of 3 bytes
    """
    _check_slices(len(data), width, count)
    return [data[i : i + width] for i in range(count)]


def view_slices(data: bytes | bytearray, width: int, count: int) -> list[memoryview]:
    """The fix: the same slices as views of ``data``; no byte is copied.

    Raises ``ValueError`` like ``copy_slices``.

    >>> [bytes(v) for v in view_slices(b"abcdef", 2, 3)]
    [b'ab', b'bc', b'cd']
    """
    _check_slices(len(data), width, count)
    view = memoryview(data)  # break[copy-instead-of-view]
    return [view[i : i + width] for i in range(count)]


def traced(make: Callable[[], T]) -> tuple[T, int, int]:
    """Call ``make()``; return its result, the bytes it left allocated, and its peak.

    Both counts are relative to the moment before the call, measured with
    ``tracemalloc`` (started here if it was not already tracing). If the
    caller was already tracing, its peak is reset: read your own peak
    before calling this.
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        current, peak = tracemalloc.get_traced_memory()
        return result, current - before, peak - before
    finally:
        if started:
            tracemalloc.stop()


def read_copying(read: Callable[[int], bytes], n: int) -> bytes:
    """The pitfall: grow a ``bytes`` with ``+=`` until ``n`` bytes arrived.

    Raises ``EOFError`` if the stream ends first.
    """
    data = b""
    while len(data) < n:
        chunk = read(n - len(data))
        if not chunk:
            raise EOFError(f"stream ended after {len(data)} of {n} bytes")
        data += chunk
    return data


def read_into(readinto: Callable[[memoryview], int], buf: bytearray) -> None:
    """The fix: fill the preallocated ``buf`` with ``readinto(view[got:])`` calls.

    ``readinto`` is ``sock.recv_into`` or ``file.readinto``: it writes up to
    ``len(view)`` bytes into the view and returns how many (0 at the end).
    Raises ``EOFError`` if the stream ends first; the view is released
    before the error leaves, so the caller may resize ``buf`` at once.

    >>> import io
    >>> buf = bytearray(3)
    >>> read_into(io.BytesIO(b"abcd").readinto, buf)
    >>> buf
    bytearray(b'abc')
    """
    with memoryview(buf) as view:
        got = 0
        while got < len(buf):
            k = readinto(view[got:])  # break[no-offset]
            if k == 0:  # break[ignore-eof]
                raise EOFError(f"stream ended after {got} of {len(buf)} bytes")
            got += k


def _parse_length(view: memoryview) -> int:
    if len(view) < _HEADER.size:
        raise ValueError("incomplete header")
    (length,) = _HEADER.unpack_from(view)  # parses in place: no slice, no copy
    if len(view) < _HEADER.size + length:
        raise ValueError("incomplete frame")
    return int(length)


def frame_length_leaky(buf: bytearray) -> int:
    """The pitfall: the view lives as long as this frame, which a traceback keeps alive."""
    view = memoryview(buf)
    return _parse_length(view)


def frame_length(buf: bytearray) -> int:
    """The payload length of the frame at the start of ``buf``.

    Raises ``ValueError`` if ``buf`` does not hold a whole frame yet; the
    view is released first, so the caller can append more bytes.

    >>> frame_length(bytearray(b"\\x00\\x00\\x00\\x02hi"))
    2
    """
    view = memoryview(buf)
    try:
        return _parse_length(view)
    finally:
        view.release()  # break[no-release]


def tail_view(buf: bytearray, keep: int) -> memoryview:
    """The pitfall: the last ``keep`` bytes as a view, which pins all of ``buf``.

    Raises ``ValueError`` unless ``0 <= keep <= len(buf)``.
    """
    _check_keep(len(buf), keep)
    return memoryview(buf)[len(buf) - keep :]


def tail_copy(buf: bytearray, keep: int) -> bytes:
    """The fix: copy the last ``keep`` bytes so ``buf`` can be freed.

    Raises ``ValueError`` unless ``0 <= keep <= len(buf)``.

    >>> tail_copy(bytearray(b"header+body"), 4)
    b'body'
    >>> tail_copy(bytearray(b"abc"), 5)
    Traceback (most recent call last):
    ...
    ValueError: keep must be in 0..3, got 5
    """
    _check_keep(len(buf), keep)
    with memoryview(buf) as view:
        return bytes(view[len(buf) - keep :])  # break[return-the-view]
