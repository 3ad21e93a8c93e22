"""``sys.getsizeof`` is shallow; a deep size walks every child once and survives cycles.

Why interviewers ask this:
    "How much memory does this cache use?" is asked in every capacity
    review, and ``sys.getsizeof(cache)`` is the first wrong answer: it
    reports the container's own block (for a list, the pointer array),
    never what the pointers point to. The candidate should know what a deep
    size walker must do (follow children, count each object once, survive
    cycles and deep nesting, decide about shared singletons), and check it
    against ``tracemalloc`` instead of trusting it.

Common pitfalls:
    - ``sys.getsizeof`` of a list of 1,000 strings of 1,000 characters
      reports the list alone, about 8 KB, while the strings take about 1 MB
      (``test_getsizeof_counts_only_the_pointer_array``).
    - A recursive walker without a ``seen`` set (``naive_deep_sizeof``)
      counts a shared object once per reference and never ends on a cycle:
      ``a = []; a.append(a)`` raises ``RecursionError``. Deep nesting
      (a linked list of 3,000 nodes) raises it too, even without a cycle.
    - ``gc.get_referents`` as the child finder: it reports what the type's
      ``tp_traverse`` visits, which is only references that can form a cycle.
      A dict whose keys are all ``str`` reports only its values (the keys
      cannot point back); ``str``, ``int`` and ``bytes`` report nothing; an
      instance reports its class, and from the class a walk reaches its
      module and half the program. Skip types and modules, and add dict keys.
    - Counting shared singletons: ``None``, ``True``, ``False`` and the
      small ints (-5 to 256, an implementation detail of CPython) exist once
      per interpreter, and since 3.12 they are immortal (PEP 683, refcount
      pinned). They cost nothing per structure, so the walker skips them by
      default (``count_shared=True`` adds them).

Key takeaways:
    - ``deep_sizeof`` walks with an explicit stack and a set of ``id``\\s:
      each object once, cycles and 3,000-deep nesting fine. It follows
      dict keys and values, list, tuple, set and frozenset items, instance
      ``__dict__`` and ``__slots__`` values, inherited slots included, and
      private slots under their mangled name (``__slots__ = ("__x",)`` in
      class ``M`` stores the attribute as ``_M__x``; asking for ``__x``
      would silently drop it).
    - Every other container is a leaf: a ``deque``, ``array``, ``ChainMap``
      or a user class that keeps its items in a C-level structure counts
      only its own ``getsizeof``. ``deep_sizeof(deque([10 KB string]))`` is
      the deque's shallow size. Add a branch for each container you rely on.
    - Check it against ``tracemalloc``: for freshly built lists, dicts,
      sets and slotted objects the walker's total is within 10% of the traced
      growth (measured 0.98-1.07 on 3.11-3.13, Linux x86-64, over repeated
      builds in one process: dict 0.98, strings and slotted 1.00, the nested
      build 1.00-1.07; the test prints the ratio when it fails). Both sides
      see a list's spare capacity (it is part of the block ``list_resize``
      asks for). The slack comes from objects that are not new: shared or
      pre-existing ones (small ints, interned keys), blocks reused from
      CPython's free lists (tuples above all, so a build full of small
      tuples traces far less than the walker counts), and temporaries of the
      build that tracemalloc saw but that are gone.
    - Measuring can change the measured: on 3.11+ a plain instance has no
      dict until someone asks for ``__dict__``, and the walker asks. It then
      counts dicts that did not exist before (measured 1.24-1.29 times the
      traced growth for 1,000 two-attribute instances and 1.18-1.23 for the
      test's 300, on 3.11-3.13; the test asserts more than 1.05), and the
      walk itself allocates them (the lesson ``memory.slots`` measures this).
    - For production use there is ``pympler.asizeof``; for "what grew",
      ``tracemalloc`` snapshots beat any walker, because they see every
      allocation, including memory a C extension owns.
    - Go has no ``getsizeof``: ``unsafe.Sizeof`` is shallow too (a slice is
      its 24-byte header); heap profiles (``pprof``) answer "how much".
      Java's equivalent is a heap dump or JOL's ``GraphLayout``, which walk
      the object graph the same way.

What to look for in an answer:
    The candidate says shallow vs deep without prompting, names the three
    traps (shared references, cycles, singletons), and validates with
    ``tracemalloc`` or RSS rather than trusting one number. Follow-ups:
    - Why iterate instead of recurse? (Python's recursion limit, 1000 by
      default, stops a recursive walk of a deep linked list or tree.)
    - Why does ``getsizeof`` of a dict not change when values get bigger?
      (It counts the table of pointers, not the values.)
    - What does a deep size miss? (Memory owned by C code not reported by
      ``__sizeof__``, allocator rounding and free lists, and fragmentation
      that keeps RSS above the sum of live objects.)
    - Count a string shared by two caches once or twice? (Once per walk;
      summing two walks double counts it. Walk both roots in one call.)
    - What about numpy arrays or C-extension objects? (``__sizeof__``
      decides: numpy counts its data buffer when the array owns it, not for
      a view. Use tracemalloc, or the library's own ``nbytes``.)
    - The walker over an ORM object reached half the heap: how do you stop
      it? (Stop at types, modules and functions, as here, plus explicit
      boundaries: a skip predicate for sessions, engines, loggers.)
    - Private ``__slots__`` names? (Name mangling: the slot ``__x`` of
      class ``M`` is the attribute ``_M__x``.)

Complexity:
    O(V + E) time over the reachable objects and references, O(V) memory
    for the ``seen`` set and the stack.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

__all__ = ["children", "deep_sizeof", "is_shared_singleton", "naive_deep_sizeof"]

# Shared program state, not part of one data structure: never followed.
_PROGRAM = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def is_shared_singleton(obj: object) -> bool:
    """True for objects one interpreter holds once: None, bools, small ints, ..., NotImplemented.

    Other per-interpreter objects (``()``, ``''``, ``b''``, one-character
    latin-1 strings) are also shared but are counted: only these are skipped.

    >>> is_shared_singleton(None), is_shared_singleton(256), is_shared_singleton(257)
    (True, True, False)
    """
    if obj is None or obj is True or obj is False or obj is Ellipsis or obj is NotImplemented:
        return True
    return type(obj) is int and -5 <= obj <= 256  # break[small-int-range]


def children(obj: object) -> Iterator[object]:
    """The objects ``obj`` refers to that a deep size should follow.

    Classes, modules, functions and methods yield nothing: a module's
    ``__dict__`` is the whole module, not part of one data structure.

    >>> list(children({"k": [1]}))
    ['k', [1]]
    """
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield key  # break[forget-keys]
            yield value
    elif isinstance(obj, (list, tuple, set, frozenset)):
        yield from obj
    elif not isinstance(obj, _PROGRAM):  # break[follow-modules]
        instance_dict = getattr(obj, "__dict__", None)
        if isinstance(instance_dict, dict):
            yield instance_dict
        for klass in type(obj).__mro__:
            slots = klass.__dict__.get("__slots__", ())
            for name in (slots,) if isinstance(slots, str) else slots:
                if name in ("__dict__", "__weakref__"):
                    continue
                attr = _mangled(klass, name)  # break[forget-mangling]
                if hasattr(obj, attr):
                    yield getattr(obj, attr)


def _mangled(klass: type, name: str) -> str:
    """The attribute a slot ``name`` of ``klass`` is stored under (``__x`` -> ``_Klass__x``).

    >>> class _M:
    ...     __slots__ = ("__big", "__dunder__")
    >>> _mangled(_M, "__big"), _mangled(_M, "__dunder__")
    ('_M__big', '__dunder__')
    """
    stripped = klass.__name__.lstrip("_")
    if name.startswith("__") and not name.endswith("__") and stripped:
        return f"_{stripped}{name}"
    return name


def deep_sizeof(*roots: object, count_shared: bool = False) -> int:
    """Total ``sys.getsizeof`` of everything reachable from ``roots``, each object once.

    >>> s = "x" * 100
    >>> deep_sizeof([s, s]) == sys.getsizeof([s, s]) + sys.getsizeof(s)
    True
    >>> a: list[object] = []
    >>> a.append(a)
    >>> deep_sizeof(a) == sys.getsizeof(a)
    True
    """
    seen: set[int] = set()
    stack = list(roots)
    total = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))  # break[forget-to-mark-seen]
        if not count_shared and is_shared_singleton(obj):
            continue
        total += sys.getsizeof(obj)
        stack.extend(children(obj))
    return total


def naive_deep_sizeof(obj: object) -> int:
    """The pitfall: recursive and without a ``seen`` set. Double counts; cycles recurse forever.

    >>> s = "x" * 100
    >>> naive_deep_sizeof([s, s]) - deep_sizeof([s, s]) == sys.getsizeof(s)
    True
    """
    return sys.getsizeof(obj) + sum(naive_deep_sizeof(child) for child in children(obj))
