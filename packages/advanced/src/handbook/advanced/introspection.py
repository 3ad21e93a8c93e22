"""Introspection: check a call with ``bind``, validate it from type hints and ``Annotated`` tags.

Why interviewers ask this:
    Much of what a backend engineer uses (FastAPI, pydantic, click,
    dependency injectors, ORMs) reads function signatures and annotations at
    run time. "How does FastAPI know ``user_id: int`` is a query parameter and
    turn ``"abc"`` into a 422?" tests whether the candidate knows the three
    tools underneath: ``inspect.signature``, ``typing.get_type_hints`` and
    ``typing.Annotated`` metadata, and where each one bites.

Common pitfalls:
    - Reading ``f.__annotations__`` directly (``naive_validate_call``). Under
      ``from __future__ import annotations`` (this module uses it) or with
      quoted forward references, the values are *strings*: ``'int'``, not
      ``int``, and ``isinstance(value, 'int')`` raises a ``TypeError`` that
      blames the validator, not the caller. ``get_type_hints`` evaluates
      them in the function's module globals.
    - ``get_type_hints`` raises ``NameError`` for a name it cannot see from
      those globals: a class defined inside a function, a name imported only
      under ``if TYPE_CHECKING:``, or a class defined after the decorated
      function when the hints are resolved at decoration time. ``validated``
      resolves them at the first call instead.
    - Forgetting ``include_extras=True``: without it ``get_type_hints``
      strips ``Annotated[int, Range(0, 100)]`` down to ``int`` and the range
      silently stops being checked.
    - ``isinstance(True, int)`` is ``True`` (``bool`` subclasses ``int``), so
      a plain isinstance check lets ``True`` through as an age; this
      validator rejects it.
    - Assuming every callable has a signature: ``inspect.signature(max)``
      raises ``ValueError`` on 3.11-3.13: ``max`` has two call forms, so the
      C function carries no ``__text_signature__`` to build one from.

Key takeaways:
    - ``inspect.signature(f).bind(*args, **kwargs)`` matches arguments to
      parameters by the same rules as a call, *without* calling ``f``: it
      raises ``TypeError`` naming the problem ("missing a required argument: 'age'",
      "got an unexpected keyword argument 'nick'", "multiple values for
      argument 'age'", "too many positional arguments"). Its ``arguments``
      map holds only what the caller passed.
    - ``get_type_hints(f, include_extras=True)`` gives real objects, strings
      resolved, ``Annotated`` kept; ``get_origin(h) is Annotated`` and
      ``get_args(h)`` split it into the type and its metadata. On a class it
      also collects the annotations of its bases.
    - ``Annotated[T, meta]`` is Python's struct tag: type checkers treat it
      as ``T``, libraries read ``meta`` at run time. ``Range``, ``MaxLen`` and
      ``JsonName`` below are such tags, read by ``check_fields`` and
      ``to_wire``.
    - Report every bad field at once, each named (``ValidationError.problems``),
      not just the first.
    - Go: ``reflect.TypeOf(v).Field(i).Tag.Get("json")`` reads the tag in
      ``Name string `json:"name" validate:"max=20"```; encoding/json and
      go-playground/validator are built on it. Go's reflect sees a function's
      parameter *types* but not their names. Java: annotations with
      ``@Retention(RUNTIME)`` read through reflection (Bean Validation's
      ``@Min``/``@Max``, Jackson's ``@JsonProperty("user_name")``);
      parameter names need ``javac -parameters``.
    - A note on the future, not tested here: Python 3.14 evaluates
      annotations lazily (PEP 649/749) and adds ``annotationlib``;
      ``get_type_hints`` keeps working.

What to look for in an answer:
    bind to check arity, hints resolved with get_type_hints (and why not
    ``__annotations__``), metadata from ``Annotated``, errors that name the
    field, and the cost handled by resolving once per function. Follow-ups:
    - Why not call the function and catch ``TypeError``? (The call has side
      effects, and a ``TypeError`` raised deep inside it looks the same as a
      bad call; ``bind`` checks the call alone.)
    - This is slow per call: what do you cache? (The ``Signature`` and the
      resolved hints, once per function, as ``validated`` does; libraries
      like pydantic go further and build a validator once per model.)
    - ``get_type_hints`` raised ``NameError``: why, and the fix? (The string
      names something not in the module globals; import it at run time, pass
      ``localns=``, or resolve later, once the name exists.)
    - Why ``Annotated`` and not a custom generic? (Type checkers see plain
      ``int``, so the tags cost nothing statically, and several libraries
      can each read their own metadata from one annotation.)
    - How do you validate ``list[int]`` or ``int | None``? (Recurse on
      ``get_origin``/``get_args``; this validator refuses them with a
      ``TypeError`` that names the field rather than guess, and so it does
      for a ``Protocol`` that ``isinstance`` refuses; ``Any`` accepts
      every value.)
    - ``inspect.get_annotations(f, eval_str=True)`` or ``get_type_hints``?
      (``get_annotations``, 3.10+, returns the object's own annotations
      only, no bases' ones, keeps ``Annotated``, and evaluates strings only
      if asked; ``get_type_hints`` merges a class's MRO and always
      evaluates.)
    - Does ``inspect.signature(validated(register))`` show ``register``'s
      parameters? (Yes: ``functools.wraps`` sets ``__wrapped__`` and
      ``signature`` follows it. Without ``wraps`` a framework sees
      ``(*args, **kwargs)``.)
    - Is the lazy resolution in ``validated`` thread-safe? (Two first
      calls may both resolve, which is harmless: the result is the same.
      A lock or ``functools.cache`` makes it exactly once.)
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Sized
from typing import Annotated, Any, ParamSpec, TypeVar, get_args, get_origin, get_type_hints

__all__ = [
    "Constraint",
    "JsonName",
    "MaxLen",
    "Range",
    "Signup",
    "ValidationError",
    "check_call",
    "check_fields",
    "naive_validate_call",
    "to_wire",
    "validate_call",
    "validated",
]

P = ParamSpec("P")
R = TypeVar("R")


class ValidationError(TypeError):
    """Bad arguments: ``problems`` lists each one, prefixed by the field's name.

    A ``TypeError`` so that one ``except TypeError`` catches both a call that
    ``bind`` rejects and one whose values are wrong.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Constraint:
    """A tag for ``Annotated`` metadata: ``check`` returns a problem or ``None``."""

    def check(self, value: Any) -> str | None:
        """The problem with ``value`` (without the field name), or ``None``."""
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class Range(Constraint):
    """``lo <= value <= hi``, like Go's ``validate:"gte=0,lte=100"``."""

    lo: float
    hi: float

    def check(self, value: Any) -> str | None:
        """>>> Range(0, 100).check(150)
        '150 is not in [0, 100]'
        """
        if self.lo <= value <= self.hi:  # break[range-exclusive]
            return None
        return f"{value!r} is not in [{self.lo}, {self.hi}]"


@dataclasses.dataclass(frozen=True)
class MaxLen(Constraint):
    """``len(value) <= limit``."""

    limit: int

    def check(self, value: Sized) -> str | None:
        """>>> MaxLen(3).check("abcd")
        'length 4 is over 3'
        """
        return None if len(value) <= self.limit else f"length {len(value)} is over {self.limit}"


@dataclasses.dataclass(frozen=True)
class JsonName:
    """The wire name of a field: Go's ``json:"user_name"``, Jackson's ``@JsonProperty``."""

    name: str


def check_call(f: Callable[..., object], /, *args: object, **kwargs: object) -> dict[str, object]:
    """The arguments a call would bind, by parameter name, without calling ``f``.

    Raises ``TypeError`` whenever the call would for a bad arity or name,
    worded by ``bind``: no function name, and the positional-only message
    changed in 3.13.

    >>> def greet(name: str, *, loud: bool = False) -> str: ...
    >>> check_call(greet, "ada", loud=True)
    {'name': 'ada', 'loud': True}
    >>> check_call(greet)
    Traceback (most recent call last):
    TypeError: missing a required argument: 'name'
    """
    return dict(inspect.signature(f).bind(*args, **kwargs).arguments)


def _split(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """``Annotated[T, *meta]`` -> ``(T, meta)``; any other hint -> ``(hint, ())``."""
    if get_origin(hint) is Annotated:  # break[ignore-annotated]
        base, *meta = get_args(hint)
        return base, tuple(meta)
    return hint, ()


def _is_instance(value: object, cls: type) -> bool:
    """``isinstance``, except ``bool`` is not an ``int`` and an ``int`` is a ``float``."""
    if isinstance(value, bool) and cls in (int, float):  # break[bool-is-int]
        return False
    if cls is float:  # PEP 484's int -> float promotion only (not -> complex); no bool: stricter
        return isinstance(value, int | float)
    return isinstance(value, cls)


def _problems(name: str, value: object, hint: Any) -> list[str]:
    """What is wrong with one value for one (resolved) hint."""
    base, meta = _split(hint)
    if base is Any:  # break[any-to-isinstance]
        pass  # every value is an Any; only the tags are checked
    elif not isinstance(base, type):
        raise TypeError(f"{name}: unsupported annotation {base!r} (plain classes only)")
    else:
        try:
            ok = _is_instance(value, base)
        except TypeError as err:  # a plain Protocol: the error would not name the field
            raise TypeError(f"{name}: unsupported annotation {base!r} ({err})") from err
        if not ok:
            return [f"{name}: expected {base.__name__}, got {type(value).__name__}"]
    found = (c.check(value) for c in meta if isinstance(c, Constraint))
    return [f"{name}: {problem}" for problem in found if problem is not None]


def _check_bound(sig: inspect.Signature, hints: dict[str, Any], given: dict[str, object]) -> None:
    """Raise ``ValidationError`` listing every problem in the bound arguments."""
    problems: list[str] = []
    for name, value in given.items():
        if name not in hints:
            continue
        kind = sig.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:  # *args: int annotates each item
            assert isinstance(value, tuple)
            for i, item in enumerate(value):
                problems += _problems(f"{name}[{i}]", item, hints[name])
        elif kind is inspect.Parameter.VAR_KEYWORD:
            assert isinstance(value, dict)
            for key, item in value.items():
                problems += _problems(f"{name}[{key!r}]", item, hints[name])
        else:
            problems += _problems(name, value, hints[name])
    if problems:
        raise ValidationError(problems)


def validate_call(f: Callable[..., object], /, *args: object, **kwargs: object) -> None:
    """Check a call against ``f``'s signature and hints, without calling ``f``.

    Only the arguments passed are checked; defaults are trusted. Raises
    ``TypeError`` from ``bind`` for a bad arity, ``ValidationError`` for bad
    values, ``NameError`` if a hint cannot be resolved.
    """
    sig = inspect.signature(f)
    given = sig.bind(*args, **kwargs).arguments
    _check_bound(sig, get_type_hints(f, include_extras=True), given)  # break[no-extras]


def naive_validate_call(f: Callable[..., object], /, *args: object, **kwargs: object) -> None:
    """The pitfall: isinstance against ``f.__annotations__``, strings and all."""
    for name, value in inspect.signature(f).bind(*args, **kwargs).arguments.items():
        hint = f.__annotations__.get(name)
        if hint is not None and not isinstance(value, hint):
            raise ValidationError([f"{name}: expected {hint}"])


def validated(f: Callable[P, R]) -> Callable[P, R]:
    """Decorator: ``validate_call`` before each call, hints resolved once at the first call.

    Resolving at the first call, not at decoration, lets a hint name a class
    defined later in the module.
    """
    sig = inspect.signature(f)
    hints: dict[str, Any] = {}
    resolved = False  # break[resolve-at-decoration]

    @functools.wraps(f)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        nonlocal hints, resolved
        if not resolved:
            hints, resolved = get_type_hints(f, include_extras=True), True
        _check_bound(sig, hints, sig.bind(*args, **kwargs).arguments)
        return f(*args, **kwargs)

    return wrapper


def _fields(obj: object) -> tuple[dataclasses.Field[Any], ...]:
    """The fields of a dataclass instance; ``TypeError`` for anything else."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"expected a dataclass instance, got {type(obj).__name__}")
    return dataclasses.fields(obj)


def check_fields(obj: object) -> None:
    """Validate every field of a dataclass instance against its class's hints."""
    hints = get_type_hints(type(obj), include_extras=True)
    values = {f.name: getattr(obj, f.name) for f in _fields(obj)}
    problems = [p for name, v in values.items() for p in _problems(name, v, hints[name])]
    if problems:
        raise ValidationError(problems)


def to_wire(obj: object) -> dict[str, object]:
    """A dataclass as a dict keyed by each field's ``JsonName`` tag, else its name.

    With several ``JsonName`` tags on one field, the first one wins.

    >>> to_wire(Signup("ada", 36))
    {'user_name': 'ada', 'age': 36}
    """
    hints = get_type_hints(type(obj), include_extras=True)
    out: dict[str, object] = {}
    for f in _fields(obj):
        tags = [m.name for m in _split(hints[f.name])[1] if isinstance(m, JsonName)]
        out[tags[0] if tags else f.name] = getattr(obj, f.name)
    return out


@dataclasses.dataclass
class Signup:
    """A request body whose fields carry struct-tag-like metadata."""

    name: Annotated[str, MaxLen(20), JsonName("user_name")]
    age: Annotated[int, Range(0, 150)]

    def __post_init__(self) -> None:
        check_fields(self)
