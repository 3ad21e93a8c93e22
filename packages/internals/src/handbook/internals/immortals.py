"""Reference counts and immortal objects: ``sys.getrefcount``, PEP 683 (3.12+) and fork.

Why interviewers ask this:
    "How does CPython free memory?" starts with reference counting, and the
    follow-up separates people who have run it from people who have read
    about it: what ``sys.getrefcount`` really reports, and why on 3.12 the
    refcount of ``None`` no longer moves. The backend angle is pre-fork
    servers (gunicorn, uWSGI, Celery prefork): a forked worker shares the
    parent's pages copy-on-write, and every refcount change is a *write* to
    the object's header, so merely reading shared objects can copy pages.
    That is one of the motivations PEP 683 gives for immortal objects.

Common pitfalls:
    - Reading ``sys.getrefcount(x)`` as "the number of names for x": the
      call's own argument is a temporary reference, so an object held by one
      local reports at least 2, and an object made in the call reports less
      than one held by a name.
    - Using refcounts to detect leaks of ``None``, ``True``, small ints or
      ``()`` on 3.12+: those objects are immortal (PEP 683), their count is a
      fixed value that never moves, so a leak test on them proves nothing.
      Measure movement on an ordinary object you made (``refcount_growth``).
    - Asserting an exact refcount copied from a run: it depends on the
      version, the interpreter's caches and even the test runner. Assert
      *movement* (a difference you caused) instead.
    - Taking a big count for immortality: an object held by 5000 lists has
      a large count and is perfectly mortal. And "interned" is not
      "immortal" either, except on 3.12.0 to 3.12.6 (see the takeaways).

Key takeaways:
    - Every new reference increments ``ob_refcnt`` in the object's header and
      every dropped one decrements it; at zero the object is freed at once
      (CPython detail; PyPy and Java use tracing collectors instead).
    - 3.12+ (PEP 683): ``None``, ``True``/``False``, the small ints -5..256,
      ``()``, the empty string and the one-character Latin-1 strings, and
      other statically allocated objects are immortal: incref and decref
      leave the count alone, so ``refcount_growth(None)`` is 0 while an
      ordinary object grows by exactly the references added. On 3.11 every
      object's count moves.
    - Interned strings are a version trap. ``sys.intern`` of a string built
      at run time is immortal on 3.12.0 to 3.12.6 (measured on 3.12.1:
      every interned string was made immortal), mortal again on 3.13
      (measured on 3.13.0: ``sys.intern`` interns it *mortal*, so it is
      freed once unused; ``sys._is_interned`` still says True) and on
      3.12.7+ (the gh-113993 change, backported to 3.12 in September 2024),
      and mortal on 3.11. Free-threaded builds keep interned strings
      immortal (per gh-113993; no free-threaded build was measured here).
    - How to tell an immortal object, on 3.12 and 3.13: its count does not
      move when you add references (``is_immortal``, which works on every
      version), and ``sys.getrefcount`` reports one fixed value for all of
      them whatever you do (``IMMORTAL_REFCNT``: ``2**32 - 1`` on 64-bit
      builds of 3.12 and 3.13 with the GIL: CPython's
      ``_Py_IMMORTAL_REFCNT``). 3.14 adds ``sys._is_immortal``; none of these
      three interpreters has it. A count that is merely large is no sign.
    - After ``fork`` the child shares the parent's pages until one side
      writes, and taking a reference *is* a write to the object's header.
      Measured with Linux's ``/proc/self/pagemap`` (``header_page_after_fork``):
      a child that only takes a reference to an ordinary object turns the
      page holding its header private (copied) on 3.11, 3.12 and 3.13; a
      child that takes references to small ints leaves their page shared on
      3.12 and 3.13 and copies it on 3.11. Immortality removes those writes
      for the singletons only; for your own objects the write still happens
      (and the cyclic collector writes GC headers too: see ``gc.freeze`` in
      the ``cyclic_gc`` lesson).
    - Go and Java have no refcounts: their tracing collectors do not write
      to an object just because it was read (a marking pass writes mark bits
      or headers, but not on every access), and neither runtime forks
      workers the way gunicorn does.

What to look for in an answer:
    The candidate explains refcounting plus the cycle collector as two
    mechanisms, knows the ``getrefcount`` off-by-one, names PEP 683 with the
    version, and connects refcount writes to copy-on-write memory growth in
    pre-fork servers (and measures it with PSS or private-dirty memory, not
    RSS). Follow-ups:
    - Why were immortal objects needed for a per-interpreter GIL and
      free threading? (Shared singletons would otherwise need atomic
      refcount updates from every thread or interpreter; an immortal object's
      count is never written, so it can be shared safely.)
    - Does an immortal object's count overflow if you add 2**32 references?
      (No: incref on an immortal is a no-op; the value is chosen so stray
      updates from old C extensions cannot make it reach zero.)
    - Is ``del x`` a free? (No: it drops one reference; the object is freed
      only when the count reaches zero, or by the cycle collector if it is
      part of a cycle.)
    - Are interned strings immortal? (Depends on the version: only on 3.12.0
      to 3.12.6 and on free-threaded builds; 3.13 interns ``sys.intern``
      strings mortal, so an interned key you stop using is freed.)
    - How would you shrink copy-on-write growth in a gunicorn app? (Load
      everything before fork with ``--preload``, call ``gc.freeze()`` just
      before forking, and measure per-worker PSS.)

Complexity:
    incref/decref: O(1) each; freeing at zero cascades through what the object
    held, O(size of the freed graph).
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
import sysconfig
import warnings
from typing import Final

__all__ = [
    "IMMORTAL_OBJECTS",
    "IMMORTAL_REFCNT",
    "INTERNED_STRINGS_IMMORTAL",
    "expected_growth",
    "header_page_after_fork",
    "is_immortal",
    "pagemap_readable",
    "refcount_growth",
]

#: PEP 683 landed in 3.12: from then on the static singletons are immortal.
IMMORTAL_OBJECTS: Final[bool] = sys.version_info >= (3, 12)

_FREE_THREADED: Final[bool] = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))

#: What ``sys.getrefcount`` reports for every immortal object, where this
#: lesson knows it: CPython 3.12/3.13 define ``_Py_IMMORTAL_REFCNT`` as
#: ``UINT_MAX`` on 64-bit builds (``UINT_MAX >> 2`` on 32-bit ones).
#: None elsewhere: 3.11 has no immortals, 3.14 and free-threaded builds
#: use other values.
IMMORTAL_REFCNT: Final[int | None] = (
    (2**32 - 1 if sys.maxsize > 2**32 else 2**30 - 1)
    if (3, 12) <= sys.version_info < (3, 14) and not _FREE_THREADED
    else None
)

#: ``sys.intern`` made every interned string immortal from 3.12.0 until
#: gh-113993 made them mortal again (3.13.0, and 3.12.7 by the backport's
#: date); free-threaded builds still immortalize them.
INTERNED_STRINGS_IMMORTAL: Final[bool] = (3, 12) <= sys.version_info < (3, 12, 7) or (
    sys.version_info >= (3, 13) and _FREE_THREADED
)

_PAGE: Final[int] = mmap.PAGESIZE
_PM_MMAP_EXCLUSIVE: Final[int] = 1 << 56  # Documentation/admin-guide/mm/pagemap.rst
_PM_PRESENT: Final[int] = 1 << 63


def refcount_growth(obj: object, extra: int = 100) -> int:
    """How much ``sys.getrefcount(obj)`` grows while ``extra`` new references exist.

    The difference cancels the call's own temporary reference and every
    reference that existed before, so it is a claim you can assert exactly:
    ``extra`` for an ordinary object, 0 for an immortal one.

    >>> refcount_growth(object(), extra=10)
    10
    """
    before = sys.getrefcount(obj)
    holders = [obj] * extra  # break[one-holder]
    after = sys.getrefcount(obj)
    del holders
    return after - before


def is_immortal(obj: object) -> bool:
    """True when adding references leaves ``obj``'s count unchanged (3.12+ singletons).

    >>> is_immortal(object())
    False
    """
    return refcount_growth(obj) == 0  # break[any-growth-is-mortal]


def expected_growth(extra: int, *, singleton: bool) -> int:
    """The growth this interpreter should show for ``extra`` new references.

    >>> expected_growth(5, singleton=False)
    5
    """
    return 0 if singleton and IMMORTAL_OBJECTS else extra


def _pagemap_entry(address: int) -> int:
    """This process's ``/proc/self/pagemap`` entry for the page holding ``address``."""
    with open("/proc/self/pagemap", "rb", buffering=0) as pagemap:
        pagemap.seek(address // _PAGE * 8)
        (entry,) = struct.unpack("<Q", pagemap.read(8))
    return int(entry)


def pagemap_readable() -> bool:
    """Whether Linux's pagemap can tell this process which of its pages are shared."""
    probe = object()
    try:
        return bool(_pagemap_entry(id(probe)) & _PM_PRESENT)
    except (OSError, struct.error):
        return False


def header_page_after_fork(obj: object, *, take_reference: bool) -> tuple[bool, bool]:
    """Fork; in the child, is the page holding ``obj``'s header private, before and after?

    The child reads its pagemap entry for that page (``PM_MMAP_EXCLUSIVE``:
    mapped only by this process, i.e. no longer shared with the parent),
    then, if ``take_reference``, binds one new name to ``obj`` (an incref,
    nothing else), and reads the entry again. The parent only waits, so it
    writes nothing in between. Linux only: check ``pagemap_readable()``.
    CPython detail: ``id(obj)`` is the header's address.
    """
    address = id(obj)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # 3.12+ warn when forking with other threads alive; this child only
        # reads its pagemap and exits, it takes no lock another thread holds.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            before = bool(_pagemap_entry(address) & _PM_MMAP_EXCLUSIVE)  # break[rss-not-private]
            held = obj if take_reference else None  # break[no-reference-taken]
            after = bool(_pagemap_entry(address) & _PM_MMAP_EXCLUSIVE)
            del held
            os.write(write_end, bytes([before, after]))
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        answer = os.read(read_end, 2)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if len(answer) != 2:
        raise RuntimeError("the child did not report its pagemap entries")
    return bool(answer[0]), bool(answer[1])
