"""Building a string from parts: ``''.join`` copies once; ``s += part`` may copy every time.

Why interviewers ask this:
    "Why is string concatenation in a loop slow?" checks that a candidate
    knows strings are immutable, can count the copies (1 + 2 + ... + n is
    O(n**2) characters), and knows the standard fixes in each language:
    ``''.join`` in Python, ``strings.Builder`` in Go, ``StringBuilder`` in
    Java. The strong answer also knows why the naive Python loop is often
    *not* slow on CPython, and why you must not rely on that.

Common pitfalls:
    - Trusting a micro-benchmark of ``s += part``. CPython 3.11-3.13 has a
      special case: when ``s`` is a function local and that local is the
      string's only reference, ``s += t`` (or ``s = s + t``) resizes the
      string in place instead of building a new one. Many conditions turn it
      off (see Key takeaways); each step then copies the whole string.
    - ``b += chunk`` on ``bytes``. There is no in-place path for ``bytes``:
      every step makes a new object and copies everything so far, so the
      copied bytes grow with the square of the number of chunks.
    - Storing the partial result somewhere (appending it to a list, keeping
      it in an attribute or a second variable): the extra reference alone
      turns the in-place path off. Passing it to a call that does not keep
      it is harmless: the reference is gone when the call returns.
    - Joining a generator "to save memory": ``str.join`` first turns any
      iterable that is not a list or tuple into a list (``PySequence_Fast``
      in CPython's ``unicode_join``), because it needs the total length
      before it copies. An implementation detail, not tested here.

Key takeaways:
    - ``''.join(parts)`` computes the total length, allocates once and copies
      each part once: O(total length). ``io.StringIO`` and
      ``list.append`` + ``join`` are the incremental forms of the same idea.
    - ``bytearray += chunk`` is amortised O(1) per byte: ``bytearray``
      over-allocates like ``list`` (about an eighth extra), so 10,000 small
      appends see only a few dozen distinct capacities (test below).
    - The CPython ``str`` special case (3.11-3.13, an implementation detail):
      the specializer turns ``BINARY_OP`` ``+``/``+=`` on two exact ``str``
      objects into an in-place add when the next instruction stores the
      result into the same local (``STORE_FAST``). That instruction drops
      the local's reference and calls ``PyUnicode_Append``, which resizes
      in place only if the left string is "modifiable": reference count 1,
      exact ``str``, not interned, hash not yet computed, and the right
      operand an exact ``str`` whose storage kind (1, 2 or 4 bytes per
      character) is not wider than the left's; also never non-ASCII text
      onto an ASCII string, whose shorter header would make every character
      move. The resize is a ``realloc``; whether that copies is up to the
      allocator. Measured on 3.11, 3.12 and 3.13 by the tests below, it
      does not apply when: another reference to the partial string exists;
      either operand is a ``str`` subclass; the string has been hashed (used
      as a dict key or set member) or interned (``sys.intern`` also hashes
      it, so from Python the two conditions cannot be told apart); the step
      appends ``"\xe9"`` to ASCII text, ``"\u20ac"`` to Latin-1 text or an
      emoji to 2-byte text (a new string, after which narrower parts go in
      place again); the loop runs at module
      level (``STORE_NAME``, not ``STORE_FAST``); and, on 3.13, when the
      store is fused with a following load (``STORE_FAST_LOAD_FAST``), as
      in ``s = s + t; n += 1`` on one line. Other Pythons (PyPy, GraalPy)
      owe you none of this.
    - Go: strings are immutable, so ``s += x`` in a loop allocates and copies
      the whole string each time: quadratic. ``strings.Builder`` appends to a
      growing ``[]byte`` (amortised O(1)) and ``String()`` returns it without
      a copy; ``Grow(n)`` reserves up front. ``bytes.Buffer`` is the
      read/write cousin.
    - Java: ``String`` is immutable too; ``s += x`` in a loop builds a new
      string per iteration (via a temporary ``StringBuilder`` or, since
      Java 9, ``StringConcatFactory``), so it is quadratic as well. Use one
      ``StringBuilder`` outside the loop.

What to look for in an answer:
    Immutability, the copy count, the fix, and a sense of when it matters.
    Follow-ups:
    - Why is ``s += x`` fast in my benchmark, then? (CPython's in-place
      resize when the string has no other reference; it is fragile and
      CPython-only, so production code uses ``join``.)
    - Does ``self.s += part`` in a method get the fast path? (No: the
      result is stored with ``STORE_ATTR``, not ``STORE_FAST``, and the
      instance still refers to the old string during the add, so every step
      copies. Build into a local or a list and assign once; tested.)
    - How many bytes does ``b += chunk`` copy for n chunks of size k?
      (k + 2k + ... + nk = k * n * (n + 1) / 2: O(n**2).)
    - What would you use for a large binary payload? (``bytearray`` or
      ``io.BytesIO``, or ``b''.join(chunks)`` at the end; or stream it and
      never hold it whole.)
    - Why does ``bytearray +=`` not have the same problem? (It is mutable
      and over-allocates: appends usually fit in spare capacity and growth is
      geometric, so the total copying is O(n).)
    - What does Go's ``strings.Builder`` forbid, and why? (Copying a
      non-zero Builder panics on the next write: two copies would share one
      buffer that ``String()`` handed out without copying.)

Complexity:
    n parts of total length L: ``join``, ``StringIO``, ``bytearray +=``:
    O(L) characters copied. ``s += part`` without the special case, and
    ``bytes +=`` always: O(n * L) in the worst case, O(L**2 / k) for equal
    parts of size k.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Sequence

__all__ = [
    "build_bytearray",
    "build_bytes_plus",
    "build_join",
    "build_plus",
    "build_stringio",
    "bytearray_capacities",
    "bytes_copied_by_plus",
    "in_place_steps",
    "steps_kept",
]


def build_plus(parts: Iterable[str]) -> str:
    """Concatenate with ``+=``: the pitfall (O(n * L) unless CPython resizes in place).

    >>> build_plus(["ab", "c", "d"])
    'abcd'
    """
    s = ""
    for part in parts:
        s += part
    return s


def build_join(parts: Iterable[str]) -> str:
    """Concatenate with ``''.join``: one allocation, each part copied once.

    >>> build_join(["ab", "c", "d"])
    'abcd'
    """
    return "".join(parts)


def build_stringio(parts: Iterable[str]) -> str:
    """Concatenate through ``io.StringIO``, the incremental form of ``join``.

    >>> build_stringio(["ab", "c", "d"])
    'abcd'
    """
    buf = io.StringIO()
    for part in parts:
        buf.write(part)
    return buf.getvalue()


def build_bytes_plus(chunks: Iterable[bytes]) -> bytes:
    """Concatenate ``bytes`` with ``+=``: always a new object, always a full copy.

    >>> build_bytes_plus([b"ab", b"c"])
    b'abc'
    """
    b = b""
    for chunk in chunks:
        b += chunk
    return b


def build_bytearray(chunks: Iterable[bytes]) -> bytes:
    """Concatenate into a ``bytearray``: amortised O(1) per byte appended.

    >>> build_bytearray([b"ab", b"c"])
    b'abc'
    """
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
    return bytes(buf)


def in_place_steps(parts: Sequence[str], *, keep_alias: bool = False, hashed: bool = False) -> int:
    """Count the ``s += part`` steps after which ``s`` is still the same object.

    A new string is allocated while the old one is still alive, so a step
    that builds a new string always changes ``id(s)``. An unchanged id means
    CPython resized the string in place (and the allocator did not move
    it). ``keep_alias`` holds a second reference to the partial string;
    ``hashed`` hashes it before each step. Both turn the in-place path off.
    """
    s = ""
    alias = s
    same = 0
    for part in parts:
        before = id(s)
        if keep_alias:
            alias = s  # break[alias-is-harmless]
        if hashed:
            hash(s)
        s += part
        same += id(s) == before
    del alias
    return same


def steps_kept(parts: Sequence[str], *, interned: bool = False) -> list[bool]:
    """For each ``s += part`` step, whether ``s`` stayed the same object (see ``in_place_steps``).

    ``interned`` passes the partial string through ``sys.intern`` before each step.

    >>> steps_kept(["ab", "cd"])[0]  # the first step replaces the empty string
    False
    """
    s = ""
    kept = []
    for part in parts:
        if interned:
            s = sys.intern(s)  # break[intern-is-free]
        before = id(s)
        s += part
        kept.append(id(s) == before)
    return kept


def bytes_copied_by_plus(chunks: Sequence[bytes]) -> tuple[int, int]:
    """Run ``b += chunk`` and return (new objects made, bytes in those new objects).

    Each step that changes ``id(b)`` made a new ``bytes`` holding the whole
    result so far, so its length is what that step copied.

    >>> bytes_copied_by_plus([b"ab"] * 3)
    (3, 12)
    """
    b = b""
    new_objects = copied = 0
    for chunk in chunks:
        before = id(b)
        b += chunk
        if id(b) != before:
            new_objects += 1
            copied += len(b)  # break[only-the-chunk-is-copied]
    return new_objects, copied


def bytearray_capacities(chunks: Iterable[bytes]) -> list[int]:
    """``sys.getsizeof`` of a ``bytearray`` after each ``+=``: it tracks the allocation."""
    buf = bytearray()
    sizes = []
    for chunk in chunks:
        buf += chunk  # break[rebind-instead-of-extend]
        sizes.append(sys.getsizeof(buf))
    return sizes
