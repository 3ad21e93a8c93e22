"""``__slots__``: fixed attributes stored in the object, no per-instance ``__dict__``, less memory.

Why interviewers ask this:
    "We hold ten million small objects and the process is out of memory"
    is a real backend incident (cache entries, graph nodes, ORM rows). The
    candidate should know where a plain instance keeps its attributes, what
    ``__slots__`` changes, how to *measure* the saving instead of guessing,
    and the traps: inheritance, defaults, weak references and pickling.

Common pitfalls:
    - Measuring with ``sys.getsizeof``: it counts a plain instance without
      the storage for its attribute values, so on 3.12 and 3.13 it reports a
      plain instance *smaller* than a slotted one. Measure many instances
      with ``tracemalloc`` (``traced_bytes_per_instance``).
    - The inheritance trap: a subclass without its own ``__slots__`` gets a
      ``__dict__`` again (``LeakyChild``); give it ``__slots__ = ()`` or its
      new names (``TightChild``). Slots on a class whose base has no slots
      (``SlotsOnDictBase``) save little: the base still gives every instance
      a ``__dict__`` and a ``__weakref__``. Measured per instance: the same
      as a plain instance on 3.11.7 and 3.12.1; on 3.13.0, 72 bytes against
      96 for plain and 56 for fully slotted.
    - A class attribute as a default for a slot: ``x = 0`` next to
      ``__slots__ = ("x",)`` raises ``ValueError`` when the class is created.
      Set defaults in ``__init__``, or let ``@dataclass(slots=True)`` (3.10+)
      handle ``x: int = 0``.
    - Reading ``obj.__dict__`` or ``vars(obj)`` on plain instances (a
      serializer, a debug helper): since 3.11 the dict is created only when
      asked for, so touching it builds a real dict per instance: measured
      about 64 bytes more each on 3.11-3.13, more than a whole slotted
      instance.
    - Forgetting weak references: a slotted class has no ``__weakref__``
      unless listed, so ``weakref.ref(obj)`` (and ``WeakValueDictionary``
      caches) raise ``TypeError``.

Key takeaways:
    - ``__slots__ = ("x", "y")`` makes each name a descriptor on the class
      and a fixed field in the object: no ``__dict__``, no ``__weakref__``,
      and assigning any other name raises ``AttributeError``.
    - The saving is measured, not assumed: for a three-attribute class over
      5,000 instances (``traced_bytes_per_instance``, Linux x86-64), a plain
      instance took 96 traced bytes on 3.11.7, 88 on 3.12.1 and 96 on 3.13.0;
      a slotted one 56 on all three: ratios of 1.7, 1.6 and 1.7. The tests
      assert only that plain is at least 1.4 times slotted. The values were
      small cached ints, so they cost nothing; real field values (distinct
      ints of 28+ bytes, strings, datetimes) cost the same with or without
      slots, so the ratio for real records is lower: slots save the
      container, not the data.
    - Why plain instances are already lean on 3.11+: CPython no longer makes
      a dict per instance up front. 3.11 keeps the values in a separate
      array, pointed to from just before the object, where the dict pointer
      also sits ("managed dict"); 3.12 merges those two pointers into one
      and moves ``__weakref__`` there too; 3.13 stores the values inline,
      in the object's own memory.
      These are implementation details (the type flags ``MANAGED_DICT``,
      ``MANAGED_WEAKREF`` and ``INLINE_VALUES`` show them; a test reads them).
    - ``@dataclass(slots=True)`` builds the slotted class for you, defaults
      included; ``weakref_slot=True`` (3.11+) adds ``__weakref__``.
    - Pickling works with the default protocol (2 and above) and copies the
      slot values; protocols 0 and 1 refuse a slotted class without its own
      ``__getstate__``.
    - Go: a struct is already this: fixed fields at fixed offsets, no
      per-instance map, and setting an undeclared field is a compile error.
      Java objects are the same (a header plus fields); a ``HashMap`` per
      object would be the Python ``__dict__``.

What to look for in an answer:
    The candidate says a plain instance stores attributes in a (possibly
    lazy) dict, slots replace that with fixed fields, the saving matters only
    with many instances, and proves it with ``tracemalloc``. Follow-ups:
    - When are slots not worth it? (Few instances; classes that need dynamic
      attributes, ``functools.cached_property`` (it writes to ``__dict__``)
      or monkey-patching in tests; libraries whose users subclass freely.)
    - Why did 3.11 shrink the gap? (Key-sharing dicts (PEP 412, 3.3) shared
      the keys; 3.11+ also avoids creating the dict until it is asked for.)
    - What else saves memory for millions of records? (Tuples or
      ``NamedTuple``, columns in ``array``/NumPy, or not holding them: stream.)
    - Multiple inheritance with slots? (Two unrelated bases that each add slot
      fields cannot be combined, a layout conflict: "multiple bases have instance lay-out
      conflict". Use ``__slots__ = ()`` in mixins.)

Complexity:
    Attribute access is O(1) either way; memory per instance drops by a
    constant factor (measured above), not asymptotically.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "LeakyChild",
    "PointDC",
    "PointDict",
    "PointSlots",
    "SlotsOnDictBase",
    "TightChild",
    "WeakPoint",
    "traced_bytes_per_instance",
]


class PointDict:
    """A plain class: attributes live in a per-instance (managed) dict."""

    def __init__(self, x: int, y: int, z: int) -> None:
        self.x, self.y, self.z = x, y, z


class PointSlots:
    """The fix: three fixed fields inside the object, nothing else."""

    __slots__ = ("x", "y", "z")  # break[slots-plus-dict]

    def __init__(self, x: int, y: int, z: int) -> None:
        self.x, self.y, self.z = x, y, z


class LeakyChild(PointSlots):
    """The trap: no ``__slots__`` here, so instances get a ``__dict__`` again."""


class TightChild(PointSlots):
    """The fix: declare slots in every subclass, empty when it adds nothing."""

    __slots__ = ()  # break[child-forgets-slots]


class _DictBase:
    """A base without ``__slots__``: subclass slots cannot remove its dict and weakref."""


class SlotsOnDictBase(_DictBase):
    """Slots on top of a slot-less base: instances still get ``__dict__``."""

    __slots__ = ("x", "y", "z")

    def __init__(self, x: int, y: int, z: int) -> None:
        self.x, self.y, self.z = x, y, z


class WeakPoint:
    """Slotted and weak-referenceable: ``__weakref__`` is listed explicitly."""

    __slots__ = ("__weakref__", "x", "y")  # break[no-weakref-slot]

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


@dataclass(slots=True)  # break[dataclass-without-slots]
class PointDC:
    """``@dataclass(slots=True)``: a slotted class with a default that works."""

    x: int
    y: int
    z: int = 0


def traced_bytes_per_instance(
    factory: Callable[[], object], n: int = 5_000, *, touch_dict: bool = False
) -> float:
    """Average bytes ``tracemalloc`` sees per object for ``n`` objects from ``factory``.

    The list that holds them is subtracted. With ``touch_dict``, each object's
    ``__dict__`` is read once, as a serializer would.

    Raises ``ValueError`` if ``n`` is not positive.

    >>> traced_bytes_per_instance(lambda: PointDict(1, 2, 3), 1000) > 0
    True
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    was_enabled = gc.isenabled()
    gc.disable()  # no collection frees unrelated garbage in the middle of the count
    started = not tracemalloc.is_tracing()  # leave a -X tracemalloc run tracing
    if started:
        tracemalloc.start()
    try:
        holder: list[object] = [None] * n  # allocated before the baseline
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            holder[i] = factory()
        if touch_dict:
            for obj in holder:
                vars(obj)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        if started:
            tracemalloc.stop()
        if was_enabled:
            gc.enable()
    return (after - before) / n
