"""Identity: ``is`` asks "the same object?", ``==`` asks "equal values?"; caches are no contract.

Why interviewers ask this:
    "What does ``a is b`` print for two equal numbers?" separates candidates
    who know the object model from those who learned Python by trying things
    in a REPL. The honest answer is "it depends on how the values were made,
    and you must not depend on it": equal ints and strings are sometimes the
    same object (a cache, interning, the compiler reusing one constant) and
    sometimes not. Interviewers then check that you reach for ``==`` for
    values and keep ``is`` for singletons such as ``None``.

Common pitfalls:
    - Comparing numbers or strings with ``is``. It seems to work because
      CPython keeps one object per int in -5..256 (the small-int cache) and
      interns identifier-like string literals; it fails for ``int("8080")``
      or ``"ADMIN".lower()``, values built at run time. Both caches are CPython
      implementation details, not language rules.
    - Trusting a quick experiment: literals compiled together become one
      constant object, so ``a = 1000; b = 1000; a is b`` is True inside one
      function or module, yet False for the same two lines typed separately
      into a REPL (each line is its own compilation).
    - ``x == None``: ``==`` calls ``__eq__``, which any class may override
      (an object that equals everything says it equals ``None``).
      ``x is None`` cannot be overridden.
    - ``None`` as "not found" when ``None`` is a value you store: a cache
      that remembers "this user has no avatar" as ``None`` reads that entry
      as a miss (``cache.get(key) is None``) and reloads it on every call.
      A private sentinel (``_MISSING = object()``) is the one value no
      caller can store.
    - Reading reference counts to reason about sharing: from 3.12, ``None``,
      ``True``, ``False`` and the small ints are immortal (PEP 683) and
      ``sys.getrefcount`` on them stays fixed however many references exist;
      on 3.11 it counts them.

Key takeaways:
    - ``a is b`` compares object identity (for two live objects, ``id(a) ==
      id(b)``) and cannot be overloaded; ``a == b`` calls ``__eq__``, whose
      default (``object.__eq__``) is identity.
    - Use ``is`` for singletons: ``None`` above all, and sentinels you create
      (``_MISSING = object()``, ``cache.get(key, _MISSING) is _MISSING``).
      Everything else is compared with ``==``.
    - The compiler warns about ``x is 1000`` (a ``SyntaxWarning``, since
      3.8): a literal on one side of ``is`` is almost always a bug.
    - The built-in containers (list, tuple, dict, set; in C,
      ``PyObject_RichCompareBool``) test identity before ``==`` when comparing
      elements, so ``nan in [nan]`` is True though ``nan == nan`` is False.
      Not every container does: ``array.array('d', [nan])`` stores raw
      doubles and makes a new float per read, so ``nan in`` it is False.
    - Go has no ``is``: ``==`` compares values of comparable types, and
      pointers (``p == q``) compare addresses; operators cannot be
      overloaded. Java has Python's trap in reverse: ``==`` on references is
      identity, ``equals`` is value, and boxed ``Integer`` values from -128 to
      127 are cached by default, so ``Integer.valueOf(127) ==
      Integer.valueOf(127)`` is true and the same for 128 is false.

What to look for in an answer:
    A strong candidate says ``is`` is identity and ``==`` is equality, names
    the small-int cache and string interning as CPython implementation
    details, explains why a REPL experiment can mislead (constants shared
    within one compilation), and uses ``is`` only for ``None`` and sentinels.
    Follow-ups:
    - Why is ``x is None`` preferred over ``x == None``? (``__eq__`` can be
      overridden and may even return a non-bool, as NumPy arrays do; identity
      cannot be faked, and it is a single pointer comparison.)
    - And ``x == True`` or ``x is True`` instead of ``if x:``? (Neither; PEP 8
      and ruff's E712 flag them. ``1 == True`` holds because ``bool`` is an
      ``int``, so ``== True`` accepts 1; ``is True`` rejects every truthy value
      that is not the ``True`` object, such as NumPy's ``np.True_``. Write
      ``if x:``, or ``isinstance(x, bool)`` when the type matters.)
    - What does ``a == b`` do when ``__eq__`` returns ``NotImplemented``?
      (Python tries the reflected ``b.__eq__(a)``, and tries it first when
      ``type(b)`` is a subclass of ``type(a)`` that overrides ``__eq__``; if
      both decline, ``==`` falls back to identity. That fallback is what
      "the default ``__eq__`` is identity" means.)
    - Why can ``id(a) == id(b)`` be True for objects that were never the same
      object? (An id is only unique among objects alive at the same time;
      CPython reuses the memory, hence the id, of a freed object:
      ``id([]) == id([])`` is usually True there, but nothing promises it.)
    - When would you call ``sys.intern``? (Many repeated strings used as dict
      keys or compared often, such as parsed field names: interning saves
      memory and lets equal strings share one object; ``==`` still works and
      is still what you write.)

Complexity:
    ``is`` is O(1), a pointer comparison. ``==`` costs whatever ``__eq__``
    does: O(n) for strings, lists and tuples of length n.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "ADMIN",
    "DEFAULT_PORT",
    "AlwaysEqual",
    "built_at_run_time",
    "cached_or_load",
    "cached_or_load_none_as_missing",
    "compiled_together",
    "has_role",
    "has_role_by_identity",
    "is_default_port",
    "is_default_port_by_identity",
    "is_missing",
    "is_missing_by_equality",
]

DEFAULT_PORT = 8080
ADMIN = "admin"
_MISSING = object()  # a sentinel: private, so no caller can ever store it


def is_default_port_by_identity(port: int) -> bool:
    """The pitfall: ``is`` on ints; True only when ``port`` is the very same object.

    >>> is_default_port_by_identity(DEFAULT_PORT)
    True
    >>> is_default_port_by_identity(int("8080"))  # parsed from a config file
    False
    """
    return port is DEFAULT_PORT


def is_default_port(port: int) -> bool:
    """The fix: compare the value, however the int was made.

    >>> is_default_port(int("8080"))
    True
    """
    return port == DEFAULT_PORT  # break[identity-on-ints]


def has_role_by_identity(role: str) -> bool:
    """The pitfall: ``is`` on strings; a string built at run time is a new object.

    >>> has_role_by_identity("admin")  # a literal: interned, so the same object
    True
    >>> has_role_by_identity("ADMIN".lower())
    False
    """
    return role is ADMIN


def has_role(role: str) -> bool:
    """The fix: ``==`` compares the characters.

    >>> has_role("ADMIN".lower())
    True
    """
    return role == ADMIN  # break[identity-on-strings]


class AlwaysEqual:
    """An object whose ``__eq__`` says yes to everything (a mock, a NumPy-like value)."""

    def __eq__(self, other: object) -> bool:
        """Claim equality with any object."""
        return True

    __hash__ = object.__hash__


def is_missing_by_equality(value: object) -> bool:
    """The pitfall: ``== None`` asks the object, which may lie.

    >>> is_missing_by_equality(AlwaysEqual())
    True
    """
    return value == None  # noqa: E711 (the pitfall on show)


def is_missing(value: object) -> bool:
    """The fix: ``is None``, which no class can override.

    >>> is_missing(AlwaysEqual()), is_missing(None)
    (False, True)
    """
    return value is None  # break[eq-none]


def built_at_run_time(n: int) -> tuple[int, int]:
    """Two equal ints, each parsed at run time, as from a request or a file.

    Outside CPython's small-int cache (-5..256) each parse makes a new object.

    >>> a, b = built_at_run_time(1000)
    >>> a == b, a is b
    (True, False)
    >>> a, b = built_at_run_time(100)  # inside the cache: one object (a CPython detail)
    >>> a is b
    True
    """
    return int(str(n)), int(str(n))


def compiled_together() -> tuple[int, int]:
    """Two equal literals in one function: the compiler stores one constant.

    This is why ``a = 1000; b = 1000; a is b`` is True in a script and False on
    two REPL lines. It is a CPython compiler detail, like the caches.

    >>> a, b = compiled_together()
    >>> a is b
    True
    """
    a = 1000
    b = 1000
    return a, b


def cached_or_load_none_as_missing(
    cache: dict[str, object], key: str, load: Callable[[str], object]
) -> object:
    """The pitfall: ``None`` means "not cached", so a cached ``None`` is loaded again.

    >>> calls = []
    >>> cache = {"ann": None}  # looked up before: Ann has no avatar
    >>> cached_or_load_none_as_missing(cache, "ann", calls.append), calls
    (None, ['ann'])
    """
    if (value := cache.get(key)) is None:
        value = cache[key] = load(key)
    return value


def cached_or_load(cache: dict[str, object], key: str, load: Callable[[str], object]) -> object:
    """The fix: a private sentinel tells "not cached" apart from a cached ``None``.

    >>> calls = []
    >>> cached_or_load({"ann": None}, "ann", calls.append), calls
    (None, [])
    """
    if (value := cache.get(key, _MISSING)) is _MISSING:  # break[none-as-missing]
        value = cache[key] = load(key)
    return value
