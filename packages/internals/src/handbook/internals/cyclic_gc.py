"""The cycle collector: generations, thresholds, ``gc.callbacks``, ``gc.freeze`` and when to tune.

Why interviewers ask this:
    "If CPython uses reference counting, why is there a ``gc`` module?" A
    cycle (a parent that points to its child and back, an exception holding
    its traceback's frame) never reaches refcount zero; a separate tracing
    collector finds such groups. Backend interviews then ask about latency
    spikes from collections, why Instagram ran with ``gc.disable()``, what
    ``gc.freeze()`` is for in a pre-fork server, and how to observe a
    collection in production (``gc.callbacks``).

Common pitfalls:
    - Believing ``gc.disable()`` turns off memory management: it only stops
      the *cycle* collector; reference counting still frees acyclic objects at
      once. What leaks with it off is cycles (``make_cycle`` stays alive until
      ``gc.collect()``).
    - Back-pointers as strong references (``child.parent = parent``): every
      tree becomes a cycle that waits for the collector. A ``weakref`` back
      pointer lets refcounting free the tree at once (``WeakParent``).
    - Leaving a callback in ``gc.callbacks`` (or a frozen heap, or changed
      thresholds) behind after a test or a request: they are process-wide.
      ``watch_collections`` removes its callback in ``finally``.
    - Expecting collections on a timer or at a fixed place in your code.
      They follow allocation counts (every container anywhere counts), so a
      latency spike lands on whatever request crosses the threshold; tests
      disable the collector and call ``gc.collect()``, or, to study the
      schedule, freeze the rest of the heap first (``automatic_collections``).
    - Reading ``gc.get_freeze_count()`` as "what I froze": on 3.12 a
      collection moves immortal containers into the permanent generation,
      so the count is above 0 in a fresh process; 3.13 untracks them instead.

Key takeaways:
    - Only containers are tracked (``gc.is_tracked([])`` is True,
      ``gc.is_tracked(1)`` is False); the collector subtracts the references
      tracked objects hold to each other, and whatever is left with no
      outside reference is garbage. ``gc.collect()`` returns the number of
      unreachable objects it found (collected plus uncollectable; here at
      least the two nodes of the cycle).
    - 3.11, 3.12, 3.13: three generations. New containers go to generation
      0; a collection of generation 0 moves its survivors to generation 1
      (``gc.get_objects(generation=1)`` then holds them). Generation 0's
      count is container allocations minus deallocations since its last
      collection; an allocation that takes it above ``threshold0`` (700 by
      default on 3.11/3.12, 2000 on 3.13, checked loosely in the tests)
      starts one: with ``threshold0 = 100`` a loop that keeps new lists sees
      a collection every 101 lists, and ``threshold0 = 0`` turns automatic
      collection off. Generation 1's count is the number of generation-0
      collections since its own last collection, generation 2's the number
      of generation-1 collections; the oldest generation whose count exceeds
      its threshold is collected, with every younger one.
    - The full-collection rule (``gc_collect_generations`` in
      ``Modules/gcmodule.c`` on 3.11 and 3.12; the collector moved to
      ``Python/gc.c`` in 3.13): generation 2 is collected only if, besides
      its count, ``long_lived_pending`` (objects moved into generation 2
      since the last full collection) is at least a quarter of
      ``long_lived_total`` (its size after that collection). Otherwise the
      collector falls back to generation 1. A big old heap therefore makes
      full collections rarer, which keeps their total cost linear in the
      number of objects created.
    - Where it runs: on 3.11 inside the allocation that crossed the
      threshold, even in the middle of building one expression; from 3.12
      (gh-97922) that allocation only sets a flag and the collection runs at
      the next eval-breaker check (a call, a backward jump, function entry),
      like a GIL drop request or a signal handler.
    - ``gc.callbacks`` is a list of ``callback(phase, info)`` called with
      ``"start"`` and ``"stop"``; ``info`` has ``generation``, ``collected``
      and ``uncollectable``. That is how to log GC pauses and their size.
    - ``gc.freeze()`` (3.7+) moves every tracked object to a permanent
      generation the collector ignores: a frozen cycle survives
      ``gc.collect()`` until ``gc.unfreeze()``. Call it in the parent just
      before ``fork`` so collections in the workers do not write GC headers
      of inherited objects (copy-on-write); the ``gc`` docs add
      ``gc.disable()`` early in the parent and ``gc.enable()`` in the child.
    - 3.14 (stated from CPython's docs and issues, not tested here): 3.14.0
      shipped an incremental collector with two generations, young and old,
      where ``gc.collect(1)`` runs one increment (gh-108362, retargeted from
      3.13 before 3.13.0). In 2026 the core developers decided to restore the
      3.13 generational collector for 3.14 and 3.15 (gh-148726); check
      ``gc.get_threshold()`` on the build you run.
    - Tuning is advice, not dogma: raise ``threshold0`` (``gc.set_threshold``)
      for allocation-heavy services that make few cycles, freeze before
      fork, and disable only when you break your cycles yourself and watch
      memory. Java and Go have only a tracing collector (no refcounts); Go
      tunes it with ``GOGC``/``GOMEMLIMIT``, Java by choosing G1/ZGC.

What to look for in an answer:
    Two mechanisms (refcounting frees most objects at once; the collector
    only for cycles), generations and why (most objects die young), how to
    observe (``gc.callbacks``, ``gc.get_stats()``, ``gc.set_debug``), and
    ``freeze`` for pre-fork servers. Follow-ups:
    - Are objects with ``__del__`` in a cycle collected? (Yes since 3.4,
      PEP 442; before, they went to ``gc.garbage`` as uncollectable.)
    - Why does a caught exception stored in a variable cause cycles? (The
      traceback references the frame, which references the variable holding
      the exception; Python deletes ``except ... as e`` names for that reason.)
    - How do you find what keeps an object alive? (``gc.get_referrers``,
      ``objgraph``, or ``tracemalloc`` for where it was allocated.)
    - Does the collector move objects? (No: CPython never compacts;
      addresses, and ``id()``, stay fixed for an object's life.)
    - With millions of long-lived objects, why is the process not spending
      all its time in full collections? (The quarter rule: a full
      collection waits until a quarter as many objects as survived the last
      one have been promoted since, so the bigger the old heap, the rarer.)
    - Can a collection run in the middle of building a list? (On 3.11 yes,
      inside any container allocation; from 3.12 only at an eval-breaker
      check, so not inside one bytecode instruction or C call.)

Complexity:
    A collection of a generation is O(objects in it and younger); a full one
    walks every tracked object, which is why it is rare: the 10, 10 ratios,
    and the quarter rule, which spaces full collections in proportion to
    the size of the old heap (amortized linear in objects created).
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import CodeType
from typing import Any

__all__ = [
    "GC_RUNS_AT_EVAL_BREAKER",
    "NEVER",
    "CollectionLog",
    "Node",
    "StrongParent",
    "WeakParent",
    "automatic_collections",
    "collections_in_one_expression",
    "make_cycle",
    "make_tree",
    "tuple_of_lists",
    "watch_collections",
]

GC_RUNS_AT_EVAL_BREAKER = sys.version_info >= (3, 12)
"""An allocation only schedules an automatic collection (gh-97922, 3.12); before, it ran one."""

NEVER = 1_000_000_000  # a threshold1/threshold2 no test reaches


class Node:
    """A container that can point at another node."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.other: Node | None = None


def make_cycle() -> weakref.ref[Node]:
    """Build a two-node cycle, drop every outside reference, return a weakref to one node.

    Refcounting cannot free it (each node keeps the other at one);
    only the cycle collector can.
    """
    a, b = Node("a"), Node("b")
    a.other = b
    b.other = a  # break[no-cycle]
    return weakref.ref(a)


class StrongParent:
    """The pitfall: the child holds its parent strongly, so every tree is a cycle."""

    def __init__(self) -> None:
        self.children: list[StrongChild] = []


class StrongChild:
    """A child with a strong back-pointer."""

    def __init__(self, parent: StrongParent) -> None:
        self.parent = parent
        parent.children.append(self)


class WeakParent:
    """The fix: children reach the parent through a weakref, so the tree is acyclic."""

    def __init__(self) -> None:
        self.children: list[WeakChild] = []


class WeakChild:
    """A child with a weak back-pointer: ``self.parent()`` is the parent or None."""

    def __init__(self, parent: WeakParent) -> None:
        self.parent = weakref.ref(parent)  # break[strong-back-pointer]
        parent.children.append(self)


def make_tree(parent_cls: type[StrongParent] | type[WeakParent], size: int) -> weakref.ref[Any]:
    """Build a parent with ``size`` children, drop it, return a weakref to the parent."""
    if parent_cls is WeakParent:
        weak = WeakParent()
        for _ in range(size):
            WeakChild(weak)
        return weakref.ref(weak)
    strong = StrongParent()
    for _ in range(size):
        StrongChild(strong)
    return weakref.ref(strong)


@contextmanager
def watch_collections() -> Iterator[list[tuple[str, dict[str, int]]]]:
    """Record ``(phase, info)`` of every collection inside the block; unhook on exit.

    >>> with watch_collections() as seen:
    ...     _ = gc.collect()
    >>> [phase for phase, _ in seen[-2:]]
    ['start', 'stop']
    >>> seen[-1][1]["generation"]
    2
    """
    seen: list[tuple[str, dict[str, int]]] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        seen.append((phase, dict(info)))

    hook: Callable[[str, dict[str, int]], None] = callback
    gc.callbacks.append(hook)
    try:
        yield seen
    finally:
        gc.callbacks.remove(hook)  # break[leave-callback]


@dataclass(frozen=True)
class CollectionLog:
    """What ``automatic_collections`` saw.

    ``starts`` holds ``(generation, lists kept so far)`` at the start of each
    collection; ``long_lived_total`` is the size of the oldest generation
    after the full collection that opened the experiment.
    """

    starts: list[tuple[int, int]]
    long_lived_total: int

    @property
    def generations(self) -> list[int]:
        """The generation of each collection, in order."""
        return [generation for generation, _ in self.starts]


def automatic_collections(
    allocations: int, threshold: tuple[int, int, int], long_lived: int = 0
) -> CollectionLog:
    """Let the collector run by itself while a loop keeps ``allocations`` new lists.

    The rest of the heap is frozen first, so the collector sees only
    ``long_lived`` old lists (a full collection makes them
    ``long_lived_total``) and the loop's lists. The thresholds, the enabled
    flag and the callback are restored; the heap is unfrozen at the end
    (with whatever the caller had frozen).

    >>> automatic_collections(250, (100, 10, 10)).generations  # one per 101 lists
    [0, 0]
    """
    starts: list[tuple[int, int]] = []
    kept: list[list[int]] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            starts.append((info["generation"], len(kept)))

    was_enabled, previous = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.freeze()  # break[no-freeze]
    try:
        old: list[list[int]] = [[] for _ in range(long_lived)]
        gc.collect()  # counts to 0, long_lived_pending = 0, long_lived_total = len(old) + a few
        total = len(gc.get_objects(generation=2))
        gc.set_threshold(*threshold)  # break[default-threshold0]
        gc.callbacks.append(record)
        gc.enable()
        try:
            for _ in range(allocations):
                kept.append([])
        finally:
            gc.disable()
            gc.callbacks.remove(record)
        del old
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    return CollectionLog(starts, total)


def tuple_of_lists(containers: int) -> CodeType:
    """``([], [], ...)`` compiled: ``BUILD_LIST`` instructions and one ``BUILD_TUPLE``,
    no call and no loop, so no eval-breaker check between its first and last allocation.

    Keep ``containers`` small: above 30 items the compiler builds a list and converts it.
    """
    return compile("(" + "[], " * containers + ")", "<display>", "eval")


def collections_in_one_expression(containers: int = 24, threshold0: int = 5) -> list[int]:
    """Evaluate ``tuple_of_lists(containers)``; return the young count at the start of each
    automatic collection it causes."""
    code = tuple_of_lists(containers)
    namespace: dict[str, Any] = {}  # explicit globals: eval then allocates no locals snapshot
    counts: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            counts.append(gc.get_count()[0])

    was_enabled, previous = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.collect()
    gc.set_threshold(threshold0, NEVER, NEVER)  # break[threshold-above-the-expression]
    gc.callbacks.append(record)
    gc.enable()
    try:
        eval(code, namespace)  # returns through a check: a scheduled collection runs there
    finally:
        gc.disable()
        gc.callbacks.remove(record)
        gc.set_threshold(*previous)
        if was_enabled:
            gc.enable()
    return counts
