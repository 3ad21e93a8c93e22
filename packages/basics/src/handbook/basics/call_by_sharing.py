"""Call by sharing: a parameter names the caller's object; mutate it and the caller sees it.

Why interviewers ask this:
    "Is Python pass-by-value or pass-by-reference?" has a precise answer:
    neither. The function receives a reference to the caller's object, passed
    by value ("call by sharing"; the Python FAQ says arguments are "passed by
    assignment").
    Mutating that object is visible to the caller; rebinding the parameter
    name is not. Interviewers probe it with ``+=`` on a list (mutates) versus
    ``+=`` on a tuple or int (rebinds), and with functions that surprise
    their callers by changing a dict they were given.

Common pitfalls:
    - Expecting rebinding to reach the caller: ``tags = []`` inside the
      function points the local name at a new list; the caller's list is
      untouched. Mutate instead (``tags.clear()``, ``tags[:] = ...``), or
      return the new value.
    - Treating ``x += y`` and ``x = x + y`` as the same. For a list, ``+=``
      calls ``list.__iadd__``, which extends the list in place (the caller
      sees it); ``x + y`` builds a new list bound only to the local name. For
      a tuple, int or str there is no in-place version, so ``+=`` rebinds.
    - Mutating an argument you were only meant to read (filling defaults into
      a caller's config dict): every other holder of that dict sees the
      change. Copy first, or build a new object.
    - Thinking ``merged = config`` copies: assignment never copies, it binds a
      second name to the same object.

Key takeaways:
    - Passing an argument to an ordinary parameter binds it to the same
      object: no copy is made, whatever its size (``received is original``
      inside the call). The exception is packing: ``*args`` receives a new
      tuple and ``**kwargs`` a new dict, built from what the caller unpacked
      (shallow: the elements are still the caller's objects), so
      ``f(**options)`` cannot add keys to ``options``.
    - Whether the caller can observe a change depends on the object, not on
      the call: mutable objects (list, dict, set, most class instances) can
      be changed in place; immutable ones (int, str, tuple, frozenset) cannot.
    - Python has no out-parameters: return a value (a tuple for several).
    - Go copies the value it is given: an array (``[3]int``) or a struct is
      copied whole, so changes inside the function are lost unless you pass a
      pointer. A slice is a small header (pointer, length, capacity) copied by
      value: element writes reach the caller's backing array, but an
      ``append`` changes only the callee's length (and may move to a new
      array). Maps and channels behave like Python's shared objects.
    - Java is call by sharing for objects too (the reference is passed by
      value) and passes primitives by value; ``String`` and ``Integer`` are
      immutable, like Python's ``str`` and ``int``.

What to look for in an answer:
    A strong candidate says "references passed by value", separates mutation
    from rebinding, predicts ``+=`` on a list versus a tuple, and writes
    functions that either mutate (and return ``None``, like ``list.sort``) or
    return a new object (like ``sorted``), never both silently. Follow-ups:
    - Why does ``list.sort()`` return ``None``? (To signal that it mutated in
      place; ``sorted()`` returns a new list. A method that mutates and also
      returns the object invites callers to miss the mutation.)
    - A Go function appends to a slice parameter; does the caller see the new
      element? (Not through its own slice: the caller's length is unchanged.
      If capacity allowed, the element was written into the shared array and
      shows up if the caller re-slices; otherwise it went to a new array.
      Return the slice, as ``append`` does.)
    - How do you protect a function's input from being changed by the
      function? (Accept immutable types (``tuple``, ``frozenset``); declare
      ``Mapping`` or ``Sequence`` in the signature, which mypy enforces but
      the run time does not (the ``dict`` passed in is still mutable); or
      copy on entry. ``types.MappingProxyType`` gives a view that refuses
      writes at run time. Frozen dataclasses are only shallowly frozen.)
    - Why does ``xs += "ab"`` work on a list when ``xs + "ab"`` raises
      ``TypeError``? (``list.__iadd__`` is ``extend`` and accepts any
      iterable, giving ``['a', 'b']``; ``list.__add__`` accepts only a list.
      One more sign that ``+=`` is not ``x = x + y``.)

Complexity:
    Passing an argument to an ordinary parameter is O(1) for any object:
    only a reference moves. ``f(*items)`` into ``*args`` and ``f(**options)``
    into ``**kwargs`` are O(n): a new tuple or dict is built. A defensive copy
    costs O(n) in the size of what is copied.
"""

from __future__ import annotations

__all__ = [
    "DEFAULTS",
    "add_tag",
    "bump_count",
    "extend_tuple",
    "received",
    "received_packed",
    "record",
    "record_by_rebinding",
    "reset_by_rebinding",
    "reset_in_place",
    "with_defaults",
    "with_defaults_in_place",
]

DEFAULTS: dict[str, int] = {"timeout": 30, "retries": 3}


def received(value: object) -> object:
    """Return the parameter itself: the caller's object, not a copy.

    >>> data = [1, 2, 3]
    >>> received(data) is data
    True
    """
    return value


def received_packed(
    *args: object, **kwargs: object
) -> tuple[tuple[object, ...], dict[str, object]]:
    """Return what ``*args`` and ``**kwargs`` were given: a new tuple and a new dict.

    >>> items, options = [1, 2], {"timeout": 5}
    >>> args, kwargs = received_packed(*items, **options)
    >>> args is items, kwargs is options, args == (1, 2), kwargs == options
    (False, False, True, True)
    """
    return args, kwargs


def add_tag(tags: list[str], tag: str) -> None:
    """Mutation through the parameter: the caller's list grows.

    >>> tags = ["a"]
    >>> add_tag(tags, "b")
    >>> tags
    ['a', 'b']
    """
    tags.append(tag)


def reset_by_rebinding(tags: list[str]) -> None:
    """The pitfall: rebinding the local name; the caller's list is untouched.

    >>> tags = ["a", "b"]
    >>> reset_by_rebinding(tags)
    >>> tags
    ['a', 'b']
    """
    tags = []  # noqa: F841 (the pitfall on show: the new list is bound to the local name only)


def reset_in_place(tags: list[str]) -> None:
    """The fix: mutate the object the caller holds.

    >>> tags = ["a", "b"]
    >>> reset_in_place(tags)
    >>> tags
    []
    """
    tags.clear()  # break[rebind-to-reset]


def record(history: list[int], value: int) -> None:
    """``+=`` on a list parameter extends the caller's list (``list.__iadd__``).

    >>> history = [1]
    >>> record(history, 2)
    >>> history
    [1, 2]
    """
    history += [value]  # break[plus-not-plus-equals]


def record_by_rebinding(history: list[int], value: int) -> None:
    """``x = x + y`` builds a new list; the caller never sees it.

    >>> history = [1]
    >>> record_by_rebinding(history, 2)
    >>> history
    [1]
    """
    history = history + [value]  # noqa: RUF005 (the contrast on show)


def extend_tuple(items: tuple[int, ...], value: int) -> tuple[int, ...]:
    """``+=`` on a tuple rebinds the local name: the caller's tuple is unchanged.

    >>> items = (1,)
    >>> extend_tuple(items, 2), items
    ((1, 2), (1,))
    """
    items += (value,)
    return items


def bump_count(count: int) -> int:
    """``+=`` on an int rebinds too; return the new value to hand it back.

    >>> count = 1
    >>> bump_count(count), count
    (2, 1)
    """
    count += 1
    return count


def with_defaults_in_place(config: dict[str, int]) -> dict[str, int]:
    """The pitfall: fill defaults into the caller's dict and return it.

    >>> mine = {"timeout": 5}
    >>> merged = with_defaults_in_place(mine)
    >>> mine  # changed behind the caller's back
    {'timeout': 5, 'retries': 3}
    """
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
    return config


def with_defaults(config: dict[str, int]) -> dict[str, int]:
    """The fix: copy first, then fill in; the caller's dict is left as it was.

    >>> mine = {"timeout": 5}
    >>> with_defaults(mine), mine
    ({'timeout': 5, 'retries': 3}, {'timeout': 5})
    """
    merged = dict(config)  # break[alias-not-copy]
    for key, value in DEFAULTS.items():
        merged.setdefault(key, value)
    return merged
