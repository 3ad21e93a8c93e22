"""Class attributes: shared by every instance, shadowed by assignment through ``self``.

Why interviewers ask this:
    "Why does every user see the other users' cart items?" is the class-level
    ``items = []`` bug, the class-body cousin of the mutable default argument.
    Explaining it needs the attribute lookup rule (instance ``__dict__``
    first, then the class and its bases) and what assignment does (always
    writes to the instance). ``+=`` is the trick question: it reads from the
    class and always assigns the result to the instance; if the object's type
    has an in-place operator (``list +=``, ``set |=``, ``dict |=``), it first
    mutates the shared object too. Mutability alone does not decide it.

Common pitfalls:
    - ``items = []`` (or ``{}``, a set) in the class body: one object, shared
      by every instance, so ``self.items.append(x)`` is visible to all.
    - Copying a class-level default without copying it:
      ``self.tags = self.DEFAULT_TAGS`` aliases the class's list.
    - ``self.count += 1`` to bump a class-wide counter: it reads the class
      value and writes an *instance* attribute; the class counter never moves.
    - ``self.seen += [x]`` on a class-level list: ``list.__iadd__`` mutates the
      shared list in place, *and* the assignment then creates an instance
      attribute pointing at that same list. ``self.tags |= {x}`` on a
      class-level set does the same; on a tuple (no ``__iadd__``) ``+=``
      builds a new tuple and only the instance attribute changes.
    - Reading a constant as ``Base.LIMIT`` inside a method: a subclass that
      overrides ``LIMIT`` is ignored. Use ``self.LIMIT`` (or ``type(self)``).

Key takeaways:
    - Lookup on ``obj.x``: ``obj.__dict__`` first, then ``type(obj)`` and its
      MRO (data descriptors such as properties come before the instance dict).
      Assignment ``obj.x = v`` always writes ``obj.__dict__`` (unless a
      descriptor intercepts it); ``del obj.x`` uncovers the class value again.
    - Mutable per-instance state belongs in ``__init__`` (or a dataclass
      ``field(default_factory=list)``); class attributes are for constants and
      for state that is meant to be shared, updated through the class.
    - Immutable class attributes are safe defaults: assigning through ``self``
      shadows them per instance without touching the class.
    - Java's ``static`` fields are declared shared, and ``this.count++`` on
      one updates the shared value: the opposite of Python's ``self.count +=
      1``. Go has no class attributes: a package-level variable, or a field in
      every struct value.

What to look for in an answer:
    A strong candidate explains the lookup order and the "assignment writes
    to the instance" rule, predicts both ``+=`` cases, and fixes the shared
    list in ``__init__``. Follow-ups:
    - Why doesn't a ``@dataclass`` let you write ``items: list[int] = []``?
      (It raises ValueError at class creation for an unhashable default such
      as a list, dict or set; use ``field(default_factory=list)``.)
    - How do you count instances correctly? (``Widget.created += 1``, as
      ``Widget`` does, counts every instance, subclasses included.
      ``type(self).created += 1`` on a subclass instance creates
      ``Sub.created`` on first use, starting from the base's count at that
      moment, and from then on the two diverge; for per-class counts, set
      ``cls.created = 0`` in ``__init_subclass__`` so each class starts at 0.)
    - What does ``__slots__`` change? (No per-instance ``__dict__``, which is
      the main reason to use it: less memory per instance. Assigning an
      attribute that is not a slot raises AttributeError, which catches typos;
      a class attribute with the same name as a slot is a ValueError. Only if
      every class in the MRO declares ``__slots__``: a base without them
      brings the ``__dict__``, and the typos, back.)
    - ``ys = [x * i for i in range(3)]`` in a class body with ``x = 2``
      above it? (NameError on 3.11-3.13: class scope is not visible inside a
      comprehension or nested function; PEP 709's inlining in 3.12 kept that
      on purpose. Only the outermost iterable is evaluated in the class
      scope, so ``[i for i in range(x)]`` works.)
    - ``created_at = datetime.now()`` in a class body? (The class body runs
      once, at class creation, so every instance shares one timestamp: the
      mutable-default bug again. Compute it in ``__init__``.)
    - In a dataclass, what is ``x: ClassVar[int] = 0``? (A class attribute,
      not a field: not in ``__init__``, ``fields()`` or ``repr``. Without
      ``ClassVar`` it is a per-instance field with default 0.)
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "Basket",
    "Limiter",
    "SharedBasket",
    "StrictLimiter",
    "Tagged",
    "Tally",
    "Widget",
]


class SharedBasket:
    """The pitfall: ``items`` lives on the class, so every basket shares one list.

    >>> a, b = SharedBasket(), SharedBasket()
    >>> a.add("apple")
    >>> "apple" in b.items, a.items is b.items
    (True, True)
    """

    items: ClassVar[list[str]] = []

    def add(self, item: str) -> None:
        """Append to what looks like this basket's list."""
        self.items.append(item)


class Basket:
    """The fix: each instance gets its own list in ``__init__``.

    >>> a, b = Basket(), Basket()
    >>> a.add("apple")
    >>> b.items
    []
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, item: str) -> None:
        """Append to this basket's own list."""
        self.items.append(item)


class Tagged:
    """A class-level default list, copied per instance so tagging one leaves the rest alone."""

    DEFAULT_TAGS: ClassVar[list[str]] = ["new"]

    def __init__(self) -> None:
        self.tags = list(self.DEFAULT_TAGS)  # break[alias-default]

    def tag(self, label: str) -> None:
        """Add a tag to this object only."""
        self.tags.append(label)


class Widget:
    """Counts instances on the class; ``hits`` shows ``+=`` through ``self`` shadowing.

    >>> w = Widget()
    >>> w.hit(); w.hit()
    >>> w.hits, Widget.hits, "hits" in vars(w)
    (2, 0, True)
    """

    created: ClassVar[int] = 0
    hits: int = 0  # an immutable default, read through self until first assigned

    def __init__(self) -> None:
        Widget.created += 1  # break[count-on-instance]  # break[type-self-counter]

    def hit(self) -> None:
        """``+=`` reads the class's 0, then writes an instance attribute."""
        self.hits += 1


class Tally:
    """The trap: ``+=`` on a mutable class attribute mutates the shared object.

    >>> a, b = Tally(), Tally()
    >>> a.record("x")
    >>> "x" in b.seen, "seen" in vars(a), a.seen is Tally.seen
    (True, True, True)
    """

    seen: ClassVar[list[str]] = []

    def record(self, item: str) -> None:
        """``list.__iadd__`` extends the class's list, then binds it on the instance too."""
        self.seen += [item]  # type: ignore[misc]


class Limiter:
    """A class constant that subclasses override; methods must read it through ``self``."""

    LIMIT: ClassVar[int] = 10

    def allowed(self, requests: int) -> bool:
        """True while ``requests`` is within this class's limit."""
        return requests <= self.LIMIT  # break[constant-via-base]


class StrictLimiter(Limiter):
    """Overrides only the constant.

    >>> Limiter().allowed(5), StrictLimiter().allowed(5)
    (True, False)
    """

    LIMIT: ClassVar[int] = 3
