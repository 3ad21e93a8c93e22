"""Generics: bound vs constrained ``TypeVar``, generic Protocols, PEP 695, no run-time checks.

Why interviewers ask this:
    Type hints are everywhere in modern backend code, and "what does a
    ``TypeVar`` give you that ``Any`` does not?" or "does ``list[int]`` check
    anything?" quickly shows whether a candidate knows where the type checker
    ends and the interpreter begins. Engineers from Go or Java are asked to
    compare: Go checks type parameters at compile time, Java erases them,
    Python stores them but never checks them; only a tool such as mypy does.

Common pitfalls:
    - ``def first(xs: Sequence[Any]) -> Any``: the result type is lost.
      ``Sequence[T] -> T`` ties the output to the input, per call (the
      tests pin both with ``typing.assert_type``, checked by mypy).
    - Mixing up the two restricted forms. ``TypeVar("S", int, str)``
      (constrained) is solved to *exactly one* of the listed types: the body
      is checked once per constraint, so ``x + x`` in ``double`` type-checks,
      and a subclass argument is widened (``double(UserId("a"))`` is typed
      ``str``, pinned by an ignore below; ``str.__add__`` returns a plain
      ``str`` at run time too).
      ``TypeVar("B", bound=int | str)`` (bounded) accepts any subtype of the
      bound and keeps it, but the body only knows ``int | str``, so the same
      ``x + x`` is an error (``double_bounded``). One constraint alone is a
      ``TypeError``, and constraints cannot be combined with ``bound=``.
    - Expecting type parameters to be enforced: ``Box[int]("not an int")``
      runs, ``list[int]("abc")`` builds ``['a', 'b', 'c']``, and
      ``isinstance(x, list[int])`` raises ``TypeError`` instead of checking.
    - An invariant ``TypeVar`` in a protocol that only *returns* it: mypy
      rejects it and asks for a covariant one (``Source`` uses ``T_co``,
      declared ``covariant=True``), because a ``Source[bool]`` should be
      usable as a ``Source[int]``.
    - Guarding PEP 695 syntax with ``if sys.version_info >= (3, 12):`` in the
      same file: 3.11 fails to *compile* the whole file with ``SyntaxError``
      before any ``if`` runs. Put it in a module only 3.12+ imports, or (as
      here, to test both) in a string compiled at run time.

Key takeaways:
    - ``TypeVar`` bound: "any T that is a subtype of X, and T is preserved";
      constrained: "T is one of these exact types" (``typing.AnyStr`` is
      the classic one, str or bytes).
    - A generic ``Protocol`` is a structural generic interface: ``Counter``
      is a ``Source[int]`` without inheriting from it, as a Go type
      satisfies an interface by having its methods. ``@runtime_checkable``
      lets ``isinstance`` check only that attributes with those names
      exist: not their types, not even that they can be called (``read =
      5`` passes); ``isinstance(c, Source[int])`` raises ``TypeError``.
    - PEP 695 (3.12+): ``def first[T](xs: list[T]) -> T``, ``class Box[T]``,
      ``type Pair[T] = tuple[T, T]``, bounds ``[T: X]`` and constraints
      ``[S: (int, str)]``. The parameters are created for you, scoped to
      the definition (no module-level ``T``), listed in ``__type_params__``,
      and infer their variance; ``type`` makes a ``TypeAliasType`` whose value is evaluated
      only when ``__value__`` is read. On 3.11 it is a ``SyntaxError``.
    - Nothing is checked at run time: ``Box[int]`` is an alias object that
      calls ``Box``, ``list[int]`` is a ``types.GenericAlias``, and
      ``get_origin``/``get_args`` only *read* the parameters back.
    - mypy catches the misuse cheaply. ``runtime_accepts_what_mypy_rejects``
      holds wrong calls, each marked ``# type: ignore[code]``. The package's
      ``mypy --strict`` run checks this module, and ``--strict`` turns on
      ``warn_unused_ignores``: if mypy stopped reporting one of those errors,
      the ignore would be unused and the type check would fail. So the
      ignores are assertions about mypy, checked on every run without a
      test that starts mypy. (Removing an ignore makes mypy fail with the
      error it hid, e.g. ``Argument 1 to "Box" has incompatible type "str";
      expected "int"  [arg-type]``.) The limit: an ``ignore[code]`` proves
      that *some* error with that code is still on the line, not the same
      error.
    - Go: ``func Double[T ~int | ~string](x T) T { return x + x }`` compiles
      because ``+`` is defined for every type in the type set, like a
      constrained TypeVar, but ``T`` stays the named type (``~int`` admits
      ``type UserID int``), and a wrong type argument is a compile error.
      Java erases type arguments: ``List<Integer>`` and ``List<String>`` are
      one class at run time, and ``obj instanceof List<Integer>`` on an
      ``Object`` does not compile because no run-time check could answer it;
      that is the closest match to Python's run-time behaviour.

What to look for in an answer:
    Generics as a static contract, bound vs constrained stated exactly,
    variance for read-only protocols, PEP 695 with its version, and a clear
    "the interpreter ignores all of it". Follow-ups:
    - Why can a ``list[bool]`` not be passed where ``list[int]`` is
      expected, when ``Sequence[int]`` accepts it? (``list`` is mutable so
      it is invariant: the callee could append an ``int`` to your bools;
      ``Sequence`` is read-only and covariant.)
    - How would you enforce types at run time? (Validate at the boundary,
      with pydantic or ``typing.get_type_hints`` plus ``isinstance`` on
      plain classes, or a run-time checker such as beartype; not inside
      every generic container.)
    - When do you pick constrained over bound? (When the function must work
      on each of a few unrelated types separately and return that exact
      type, like str/bytes; a bound when any subtype will do and should
      be preserved.)
    - What does ``Box[int]`` give you at run time, then? (An alias: calling
      it builds a plain ``Box``, then sets ``__orig_class__ = Box[int]`` on
      the instance, only after ``__init__`` returns, so ``__init__`` cannot
      read it; ``get_args(Box[int]) == (int,)``. Frameworks read those
      arguments, e.g. to pick a deserialiser; for ``class IntBox(Box[int])``
      they read ``__orig_bases__``, ``types.get_original_bases`` on 3.12+.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

__all__ = [
    "PEP695_SOURCE",
    "Box",
    "Counter",
    "Source",
    "SupportsLessThan",
    "UserId",
    "biggest",
    "double",
    "double_bounded",
    "first",
    "keep_bounded",
    "load_pep695",
    "read_n",
    "runtime_accepts_what_mypy_rejects",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)  # break[invariant-protocol]


class SupportsLessThan(Protocol):
    """Anything with ``<``: the bound of ``CT``."""

    def __lt__(self, other: Any, /) -> bool: ...


CT = TypeVar("CT", bound=SupportsLessThan)  # bounded: any subtype, kept as is
S = TypeVar("S", int, str)  # constrained: exactly int or str  # break[bound-not-constraints]
B = TypeVar("B", bound=int | str)  # bounded by a union: not the same thing


def first(xs: Sequence[T]) -> T:
    """The first item, typed as the sequence's item type.

    >>> first(["a", "b"])
    'a'
    """
    return xs[0]


def biggest(xs: Iterable[CT]) -> CT:
    """The largest item by ``<``; ``ValueError`` when empty.

    >>> biggest([3, 9, 4])
    9
    """
    items = iter(xs)
    try:
        best = next(items)
    except StopIteration:
        raise ValueError("biggest() of an empty iterable") from None
    for item in items:
        if best < item:  # break[keeps-smallest]
            best = item
    return best


def double(x: S) -> S:
    """``x + x``, checked by mypy once with ``int`` and once with ``str``.

    >>> double(21), double("ab")
    (42, 'abab')
    """
    return x + x


def double_bounded(x: B) -> B:
    """The same body under a bound: mypy only knows ``int | str`` and rejects ``+``."""
    return x + x  # type: ignore[operator, return-value]


def keep_bounded(x: B) -> B:
    """Identity under a bound: a ``UserId`` argument comes back typed ``UserId``."""
    return x


class UserId(str):
    """A subtype of ``str``, to show what each kind of TypeVar does with it."""


class Box(Generic[T]):
    """A generic container (the 3.11 spelling of ``class Box[T]``)."""

    def __init__(self, item: T) -> None:
        self.item = item  # nothing checks that item is a T

    def get(self) -> T:
        """The item."""
        return self.item


@runtime_checkable  # break[not-runtime-checkable]
class Source(Protocol[T_co]):
    """Anything with ``read() -> T_co``: a generic, structural interface."""

    def read(self) -> T_co: ...


class Counter:
    """A ``Source[int]`` that never mentions ``Source``."""

    def __init__(self) -> None:
        self.n = 0

    def read(self) -> int:
        """The next number, from 1."""
        self.n += 1
        return self.n


def read_n(src: Source[T], n: int) -> list[T]:
    """``n`` reads from any source, typed by what it yields.

    >>> read_n(Counter(), 3)
    [1, 2, 3]
    """
    return [src.read() for _ in range(n)]


def runtime_accepts_what_mypy_rejects() -> list[object]:
    """Wrong calls that run fine. Each ignore names the error mypy must still report.

    ``warn_unused_ignores`` (on under ``--strict``) fails the type check if
    any of these lines stops being an error.
    """
    bools: list[bool] = [True, False]
    uid: UserId = double(UserId("ab"))  # type: ignore[assignment]
    kept: UserId = keep_bounded(UserId("ab"))  # no ignore: the bound keeps UserId
    return [
        Box[int]("not an int").get(),  # type: ignore[arg-type]
        double(1.5),  # type: ignore[type-var]
        _sum_list(bools),  # type: ignore[arg-type]
        _sum_seq(bools),  # fine: Sequence is covariant
        type(uid),
        type(kept),
    ]


def _sum_list(xs: list[int]) -> int:
    return sum(xs)


def _sum_seq(xs: Sequence[int]) -> int:
    return sum(xs)


# PEP 695 spelling of the same ideas. It is a SyntaxError on 3.11, so it lives in a
# string that load_pep695() compiles; the tests call it only on 3.12+ (and check the
# SyntaxError on 3.11).
PEP695_SOURCE = """\
def first[T](xs: list[T]) -> T:
    return xs[0]

def biggest[T: SupportsLessThan](xs: list[T]) -> T:
    return max(xs)

def double[S: (int, str)](x: S) -> S:
    return x + x

class Box[T]:
    def __init__(self, item: T) -> None:
        self.item = item

type Pair[T] = tuple[T, T]
type Later = NotDefinedYet
"""


def load_pep695() -> dict[str, Any]:
    """Compile and run ``PEP695_SOURCE``: its namespace. ``SyntaxError`` before 3.12."""
    namespace: dict[str, Any] = {"SupportsLessThan": SupportsLessThan}
    # dont_inherit: keep this module's `from __future__ import annotations` out of the string
    code = compile(PEP695_SOURCE, "<pep695>", "exec", dont_inherit=True)
    exec(code, namespace)
    return namespace
