"""Interning: the small-int cache, interned identifiers, ``sys.intern`` and why ``is`` lies.

Why interviewers ask this:
    "Why is ``a is b`` True for ``"id"`` but False for ``"ADMIN".lower()``?"
    checks whether a candidate knows *where* shared objects come from: a
    preallocated cache of small ints, strings the compiler and the attribute
    machinery intern, and one-character strings CPython keeps ready. The
    practical half is ``sys.intern``: a parser that reads the same field
    names or status codes a million times can keep one object per distinct
    value instead of a million copies. (The basics lesson ``identity`` covers
    ``is`` versus ``==``; this one is about the caches themselves.)

Common pitfalls:
    - Comparing strings with ``is`` and testing it with short data: the empty
      string and every one-character Latin-1 string made at run time
      (``chr``, indexing, iteration, ``split``) are cached singletons on
      3.11-3.13, so ``find_by_identity`` passes a test with keys ``"a"``,
      ``"b"`` and fails in production on ``"ab"`` (``find`` next to it
      compares with ``==``).
    - Assuming a one-character *literal* is that singleton. A literal is the
      interned string for its character. 3.13's interning returns the Latin-1
      singleton for any one-character Latin-1 string, so there every such
      literal is the singleton. 3.11 and 3.12 keep whichever equal object was
      interned first, and for a few ASCII characters start-up interned a
      separate static copy: on 3.11 one from the deep-frozen start-up
      modules (``_`` and 28 letters on 3.11.7), on 3.12 the one-letter names
      of its static identifier table (``_Py_ID(a)`` and friends in
      ``pycore_global_strings.h``: ``_ a b c d e n p r s x``). So
      ``"b" is chr(98)`` is False on 3.11 and 3.12, while ``"é" is chr(233)``
      is True on all three.
    - Testing interning with literals: equal constants in one code object are
      stored once by the compiler, so ``x = "a b"; y = "a b"; x is y`` is True
      in one function and proves nothing. Build strings at run time
      (``"".join(...)``, ``str.split``, ``int(text)``) to see what a program
      that reads input really gets. Even ``"xb"[1]`` is folded into the
      constant ``"b"`` at compile time (and draws a ``SyntaxWarning`` next to
      ``is``).
    - Interning unbounded input (user ids, request paths). On 3.12 every
      interned string is immortal (PEP 683; ``sys.getrefcount`` reports a
      huge constant) and is never freed; on 3.11 and 3.13 a string interned
      with ``sys.intern`` is freed when its last outside reference goes, but
      the interned table itself does not shrink. Intern a small, bounded
      vocabulary only.

Key takeaways:
    - CPython keeps one preallocated object for each int in -5..256
      (``_PY_NSMALLNEGINTS`` = 5 and ``_PY_NSMALLPOSINTS`` = 257 in its
      internal headers; statically allocated since 3.11, immortal since
      3.12), and parsing or arithmetic that yields one of those values returns
      the shared object: ``int("256") is int("256")`` and
      ``int("257") is int("257")`` is not. An implementation detail: PyPy and
      future CPythons may differ.
    - Identifier-like string constants (only ASCII letters, digits and
      ``_``) are interned when code is compiled, so two separately compiled
      modules share one ``"user_id"`` object; ``"user id"`` (with a space)
      and ``"héllo"`` are not interned.
      Names in ``co_names`` (attributes, globals, methods used by the code)
      are interned too, and so is the name ``setattr`` stores, so instance
      ``__dict__`` keys are interned. ``getattr`` and ``hasattr`` do not
      intern their argument: a name built at run time stays its own object
      (the lookup still works through the hash and ``==``).
    - A string from ``split``, ``decode``, ``str.lower`` or a ``join`` of
      several pieces is a new object (except the cached empty and
      one-character strings); ``sys.intern(s)`` returns the one canonical
      object equal to ``s``.
    - Interning many repeated values saves memory: here 20 000 parsed fields
      with 4 distinct values take about a third of the traced bytes of the
      plain version (``tracemalloc``; 0.32 on 3.11, 0.35 on 3.12/3.13). Both
      keep one 4-slot list per line (``sys.getsizeof`` 88); the plain rows
      also keep four ``str`` objects per line (``sys.getsizeof('GET')`` is 52
      on 3.11 and 44 on 3.12/3.13), the interned rows share 4 in all. The
      saving is exactly the plain rows' string bytes, which the test checks.
      (``str.split`` over-allocates its list, 152 bytes for 4 fields on 3.11
      and 128 on 3.12/3.13, so both versions copy it into a right-sized
      list; otherwise the comparison would also count list slack.)
    - Versions: ``sys._is_interned(s)`` exists from 3.13 (private, for tests);
      interned strings are immortal on 3.12.0-3.12.6 only (3.13 made strings
      interned at run time mortal again, gh-113993, and 3.12.7 got the same
      change): on 3.11 and 3.13 a ``sys.intern`` result
      whose last reference goes is removed from the table, so the next equal
      string becomes the canonical one.
    - Java has the same two ideas: ``String.intern()`` and the
      ``Integer.valueOf`` cache of -128..127 by default (``==`` on boxed 128
      is false).
      Go has no identity on strings (``==`` compares bytes) and since 1.23 a
      ``unique.Make`` handle for canonicalising values.

What to look for in an answer:
    The candidate separates language rules (``==`` for values, ``is`` for
    ``None`` and sentinels) from CPython details (small-int cache, which
    strings are interned), knows that literals in one compilation are shared
    by the compiler, and reaches for ``sys.intern`` for a bounded vocabulary
    of hot dictionary keys, with a measurement. Follow-ups:
    - Why does interning make dict lookups faster? (The key's hash, cached
      on the ``str``, picks the slot; at each slot CPython compares the stored
      key's pointer first, then the stored hash, and only then calls ``==``
      (``unicodekeys_lookup_unicode`` and ``dictkeys_generic_lookup`` in
      ``dictobject.c``). With interned keys the pointer check hits at once and
      the character comparison is skipped; an equal copy costs one
      comparison of the characters.)
    - Does ``sys.intern`` work on a ``str`` subclass? (No: it raises
      ``TypeError``; only exact ``str`` objects can be interned.)
    - Is ``257 is 257`` True? (In one compiled unit yes, the compiler shares
      the constant, with a ``SyntaxWarning`` since 3.8; for two values parsed
      at run time no.)
    - Should a JSON decoder intern keys? (CPython's ``json`` already memoizes
      keys within one document, so repeated keys of one ``loads`` share one
      object; across documents they do not, and an explicit ``sys.intern``
      of the known field names helps.)

Complexity:
    ``sys.intern`` is one hash-table lookup: O(len(s)) to hash, once per string.
    Memory for n fields with k distinct values: O(n) pointers + O(k) strings
    interned, versus O(n) strings plain.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "SMALL_INTS",
    "distinct_objects",
    "find",
    "find_by_identity",
    "is_cached_int",
    "literals_not_singletons",
    "parse_rows",
    "runtime_copy",
    "traced_bytes",
]

SMALL_INTS = range(-5, 257)  # CPython's small-int cache; an implementation detail


def is_cached_int(n: int) -> bool:
    """Parse ``n`` twice at run time; True when both parses give the same object.

    >>> is_cached_int(256), is_cached_int(257), is_cached_int(-5), is_cached_int(-6)
    (True, False, True, False)
    """
    return int(str(n)) is int(str(n))  # break[equal-not-same]


def literals_not_singletons() -> str:
    """The Latin-1 characters whose one-character literal is not the ``chr`` singleton.

    Each literal is compiled on its own, as the compiler would store it in a
    code object. Empty on 3.13; a few ASCII characters on 3.11 and 3.12.
    """
    odd = []
    for code in range(256):
        char = chr(code)  # made at run time: the cached singleton
        literal = compile(ascii(char), "<literal>", "eval").co_consts[0]
        if literal is not char:
            odd.append(char)
    return "".join(odd)


def runtime_copy(s: str) -> str:
    """An equal string built at run time, as a parser would build it.

    >>> s = "status"
    >>> t = runtime_copy(s)
    >>> t == s, t is s, sys.intern(t) is s
    (True, False, True)
    """
    return "".join(list(s))  # break[literal-not-runtime]


def find_by_identity(keys: Sequence[str], wanted: str) -> int:
    """The pitfall: the index of ``wanted`` by ``is``; -1 when "missing".

    >>> find_by_identity("a,b".split(","), chr(98))  # one char: a cached singleton
    1
    >>> find_by_identity(["ab", "cd"], runtime_copy("cd"))
    -1
    """
    for i, key in enumerate(keys):
        if key is wanted:
            return i
    return -1


def find(keys: Sequence[str], wanted: str) -> int:
    """The fix: compare values with ``==``.

    >>> find(["ab", "cd"], runtime_copy("cd"))
    1
    """
    for i, key in enumerate(keys):
        if key == wanted:  # break[identity-compare]
            return i
    return -1


def parse_rows(lines: Iterable[str], *, intern: bool) -> list[list[str]]:
    """Split comma-separated lines; with ``intern=True`` equal fields share one object.

    Both branches store right-sized lists (``str.split`` over-allocates its
    own), so the two results differ only in their strings.

    >>> rows = parse_rows(["ok,GET", "ok,GET"], intern=True)
    >>> rows[0][0] is rows[1][0]
    True
    >>> rows = parse_rows(["ok,GET", "ok,GET"], intern=False)
    >>> rows[0][1] is rows[1][1]
    False
    """
    rows = []
    for line in lines:
        # A right-sized copy: split() over-allocates the list it returns.
        fields = list(line.split(","))  # break[split-slack]
        if intern:
            fields = [sys.intern(field) for field in fields]  # break[no-intern]
        rows.append(fields)
    return rows


def distinct_objects(rows: Iterable[Iterable[object]]) -> int:
    """How many distinct objects (by identity) the rows hold."""
    return len({id(item) for row in rows for item in row})


def traced_bytes(build: Callable[[], object]) -> int:
    """Bytes allocated by ``build()`` and still held while its result is alive.

    Raises RuntimeError if ``tracemalloc`` is already tracing (a nested
    measurement would be wrong).
    """
    if tracemalloc.is_tracing():
        raise RuntimeError("tracemalloc is already tracing")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = build()
        after = tracemalloc.get_traced_memory()[0]
        del result
    finally:
        tracemalloc.stop()
    return after - before
