"""Reference counting frees at the last ``del``; a reference cycle waits for the cycle collector.

Why interviewers ask this:
    "Memory grows until something calls ``gc.collect()``" and "why did the
    file close late?" both come from not knowing CPython's two mechanisms.
    The candidate should say that every object has a reference count and is
    freed the moment it reaches zero, that a cycle never reaches zero, and
    that the separate, generational cycle collector finds such garbage
    later. Then: ``__del__`` in cycles (fine since PEP 442), and how a weak
    parent pointer avoids the cycle in the first place.

Common pitfalls:
    - Relying on ``del`` to free an object that sits in a cycle (a child
      with a strong ``parent`` pointer, ``StrongTreeNode``): it lives until
      the collector runs, which may be much later, or never if someone
      called ``gc.disable()``.
    - Believing ``__del__`` stops collection of a cycle. That was true
      before Python 3.4 (such cycles went to ``gc.garbage``); since PEP 442
      they are collected, each ``__del__`` runs once, and ``gc.garbage``
      stays empty.
    - Resurrecting an object from ``__del__`` (storing ``self`` somewhere)
      and expecting ``__del__`` to run again when it dies the second time:
      CPython marks it finalized and never calls it again.
    - Using ``__del__`` or refcount timing to release resources (files,
      sockets, locks). Prompt freeing at ``del`` is a CPython implementation
      detail; PyPy, for one, uses a tracing collector. Use ``with`` or an
      explicit ``close()``.
    - A demonstration of cycles that leaves automatic collection on: an
      allocation elsewhere can trigger a collection at any moment. Pause it
      (``gc_paused``) and restore the previous state afterwards.

Key takeaways:
    - On CPython an object without cycles is freed when its last reference
      goes: a ``weakref.ref`` to it is dead and a ``weakref.finalize``
      callback has run right after ``del`` (an implementation detail of
      CPython, asserted by the tests on 3.11-3.13).
    - Objects in a cycle survive ``del`` and die at a collection of the
      generation they are in, ``gc.collect()`` or automatic (an object that
      survives a collection is promoted, and then only a collection of that
      older generation reclaims it).
    - PEP 442 (3.4): cycles with ``__del__`` are collected, ``__del__`` runs
      exactly once per object even if it resurrects ``self``, and nothing
      lands in ``gc.garbage``.
    - A back pointer held as ``weakref.ref`` (``TreeNode``) keeps the tree
      acyclic: dropping the root frees the whole tree by refcount alone.
    - Go has no reference counts: a tracing, concurrent mark-sweep collector
      handles cycles like anything else, and nothing is freed at a
      particular statement. ``runtime.SetFinalizer`` does not guarantee to
      run finalizers for objects in a cycle; ``runtime.AddCleanup`` (Go 1.24,
      with the ``weak`` package) allows objects in a cycle to be collected,
      but a cleanup is still not guaranteed to run (for example at program
      exit, or if ``ptr`` is reachable from the cleanup's ``arg`` or function).
      Java is the same story: tracing collectors, ``WeakReference``, and
      ``Object.finalize`` deprecated for removal (JEP 421, Java 18) in favour
      of ``java.lang.ref.Cleaner`` (Java 9).

What to look for in an answer:
    The candidate separates refcounting (immediate, cannot see cycles) from
    the cycle collector (generational, finds unreachable groups of
    container objects), and knows how to observe death with weak
    references instead of guessing. Follow-ups:
    - Why does CPython need both? (Refcounting gives prompt, predictable
      freeing with no pauses; it cannot free a cycle because every member
      keeps a count of at least one, so a tracing pass over containers is
      needed for those.)
    - Which objects does the collector track? (Containers that can hold
      references: lists, dicts, instances. Ints and strs cannot form
      cycles and are not tracked: ``gc.is_tracked`` shows it.)
    - What is ``gc.garbage`` for today? (Objects the collector could not
      free; since 3.4 that is mostly C types with old-style ``tp_del``, or
      everything when ``gc.DEBUG_SAVEALL`` is set.)
    - Is ``gc.disable()`` ever reasonable? (Some services disable it or
      ``gc.freeze()`` after start-up to avoid pauses and copy-on-write in
      forked workers; then any cycle is a leak, so they must avoid cycles.)
    - How do you break a parent/child cycle? (A weak parent pointer, or an
      explicit ``close()`` that clears the links.)
    - What triggers an automatic collection? (``gc.get_threshold()``
      returns three numbers whose defaults differ between versions:
      generation 0 is collected when allocations minus deallocations of
      tracked objects exceed the first; an older generation when the
      younger one has been collected that many times. 3.14's incremental
      collector changes this scheme.)
    - How do you find which objects form a leak? (``gc.collect()`` then
      ``gc.get_referrers(obj)`` / ``gc.get_referents``, ``gc.DEBUG_SAVEALL``
      to keep the cycles in ``gc.garbage``, ``tracemalloc`` snapshots to see
      where the growing allocations come from, and ``objgraph`` to draw the
      back-reference chain.)
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Phoenix", "StrongTreeNode", "TreeNode", "gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Turn off automatic collection inside the block; restore the previous state after.

    Explicit ``gc.collect()`` still works inside. The state is restored even
    when the block raises.

    >>> class Box:
    ...     pass
    >>> with gc_paused():
    ...     a, b = Box(), Box()
    ...     a.other, b.other = b, a
    ...     probe = weakref.ref(a)
    ...     del a, b
    ...     print(probe() is not None)
    ...     _ = gc.collect()
    ...     print(probe() is None)
    True
    True
    """
    was_enabled = gc.isenabled()  # break[assume-gc-was-on]
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class StrongTreeNode:
    """The pitfall: each child holds its parent strongly, so parent and child form a cycle."""

    def __init__(self, name: str, parent: StrongTreeNode | None = None) -> None:
        self.name = name
        self.children: list[StrongTreeNode] = []
        self.parent = parent
        if parent is not None:
            parent.children.append(self)


class TreeNode:
    """The fix: children hold their parent through a weak reference; the tree has no cycle."""

    def __init__(self, name: str, parent: TreeNode | None = None) -> None:
        self.name = name
        self.children: list[TreeNode] = []
        self._parent: Callable[[], TreeNode | None] | None = None
        if parent is not None:
            self._parent = weakref.ref(parent)  # break[closure-holds-parent]
            parent.children.append(self)

    @property
    def parent(self) -> TreeNode | None:
        """The parent while it is alive, else ``None`` (the weak reference died with it)."""
        return None if self._parent is None else self._parent()


class Phoenix:
    """An object whose ``__del__`` logs its name and, if given a list, resurrects ``self``.

    >>> log: list[str] = []
    >>> p = Phoenix("p", log)
    >>> del p
    >>> log
    ['p']
    """

    def __init__(self, name: str, log: list[str], keep: list[Phoenix] | None = None) -> None:
        self.name = name
        self.log = log
        self.keep = keep
        self.other: Phoenix | None = None

    def __del__(self) -> None:
        self.log.append(self.name)
        if self.keep is not None:
            self.keep.append(self)  # break[no-resurrection]
