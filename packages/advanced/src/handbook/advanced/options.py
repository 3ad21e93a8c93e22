"""Options: keyword-only defaults and a frozen, validated config instead of builders and Go options.

Why interviewers ask this:
    Every client library grows knobs (timeouts, retries, TLS, headers) and
    the design question is how callers set them without mix-ups, how the
    values are validated once, and how a variant is derived from a default
    without mutating shared state. Candidates coming from Java reach for a
    builder, from Go for functional options; the interviewer wants to hear
    why Python's keyword arguments and a frozen dataclass make both mostly
    unnecessary, and where each idea still fits. (The dataclass mechanics in
    depth are ``basics.data_classes``; signatures are ``basics.parameters``.)

Common pitfalls:
    - Tunables left positional: ``connect_positional("db", 3, 250)`` was
      meant as 3 retries and a 250 ms timeout, and silently became a 3 ms
      timeout with 250 retries. Both are ints, so neither the interpreter
      nor a type checker can tell, and both values pass validation.
      ``connect`` puts them after ``*``: the same call is a ``TypeError``.
    - Validation in a method nobody calls, or in a factory function:
      ``dataclasses.replace``, the builder and the option functions all build
      through ``__init__``, and ``__post_init__`` is what ``__init__`` runs.
      (``copy`` and ``pickle`` bypass even that: ``basics.data_classes``.)
    - Checking ranges but not types: ``nan <= 0`` is False, ``True`` is an
      int, and ``retry_statuses=[503]`` makes a "hashable" config raise
      ``TypeError: unhashable type`` far from the mistake. ``__post_init__``
      here refuses non-int numbers (``TypeError`` naming the field) and
      stores the statuses as a tuple with ``object.__setattr__``.
    - A zero that means "unset" or "forever": ``timeout_ms=0`` is refused
      here rather than read as "no timeout"; Go option structs suffer from
      this because an unset field and an explicit zero look the same.
    - A mutable fluent builder: ``base.timeout_ms(100)`` that changes
      ``base`` and returns it means every config later built from ``base``
      has the 100 ms timeout. ``ClientConfigBuilder`` returns a new builder
      per call instead; a frozen config with ``replace`` needs no builder.
    - A mutable default field: ``headers: dict[str, str] = {}`` raises
      ``ValueError`` ("mutable default ... use default_factory") when the
      class is defined. On 3.11-3.13 the test is "the default's class is
      unhashable" (``type(default).__hash__ is None``): ``list``, ``dict``,
      ``set`` and ``bytearray`` are refused, a hashable mutable object (a
      list subclass defining ``__hash__``) is accepted and then shared by
      every instance. Before 3.11 the check was ``isinstance(default,
      (list, dict, set))`` (history: CPython issue bpo-44674).

Key takeaways:
    - ``def connect(host, *, timeout_ms=5000, retries=3)``: options are
      named at every call site, defaults live in one place, and adding an
      option later breaks no caller.
    - ``@dataclass(frozen=True, kw_only=True)`` (3.10+) is the options struct:
      keyword-only fields (a field without a default may follow one with a
      default), assignment and deletion raise ``dataclasses.FrozenInstanceError``
      (a subclass of ``AttributeError``), validation in ``__post_init__``,
      and ``replace(config, retries=0)`` for a variant: a new object,
      validated again, the original untouched. ``KW_ONLY`` as a field marker
      keeps the fields before it positional.
    - ``field(default_factory=dict)`` gives each instance its own container;
      in a frozen config prefer immutable values (tuples, ``frozenset``) so
      the config is really read-only and hashable.
    - Builders exist in Java because it has neither keyword arguments nor
      defaults (telescoping constructors). In Python a builder earns its
      place when an object is assembled step by step across code paths; a
      query builder like SQLAlchemy's ``select().where(...)`` is generative,
      each call returning a new object.
    - Go functional options: ``type Option func(*config)``, ``func
      WithTimeout(d time.Duration) Option``, ``NewClient(addr string, opts
      ...Option)``. Go needs them because it has no default or keyword
      arguments and option structs cannot tell unset from zero (unless
      every field is a pointer, ``aws.Int(0)``, which is clumsy).
      ``new_client("db", with_retries(0))`` shows the same pattern in Python:
      it works (applied in order, so later options win, as in the usual Go
      implementation), but keyword arguments already
      do the job, with names a type checker and ``help()`` can see.

What to look for in an answer:
    Keyword-only options with defaults, one immutable config object
    validated at construction, variants via ``replace``, and a clear reason
    for not porting the builder or functional options. Follow-ups:
    - How do you share a preset, like "no retries" for a batch job?
      (``functools.partial(connect, retries=0)`` or a module-level default
      config and ``replace``; both keep the call sites keyword-based.)
    - Can a frozen dataclass be changed anyway? (``object.__setattr__``
      writes past ``frozen``; it is meant for ``__post_init__`` setting a
      derived or coerced field, as ``retry_statuses`` here. Frozen is
      shallow: a list field can still be appended to.)
    - Config from environment variables or a file? (Parse and coerce at the
      edge, then build the frozen config, so validation runs once and the
      rest of the program receives a checked object; pydantic-settings does
      this with a schema.)
    - How would you add an option without breaking callers? (A new
      keyword-only parameter with a default; positional parameters cannot
      be inserted, and removing one needs a deprecation period: accept it
      with a ``DeprecationWarning`` for a release, then make it keyword-only.)
    - Unset vs an explicit ``None``? (A private sentinel default,
      ``_UNSET = object()``: Python's answer to Go's zero-value problem.)
    - A wrapper forwards options as ``**kwargs``: how do you keep them
      typed? (``Unpack[SomeTypedDict]``, PEP 692: 3.12, or
      ``typing_extensions`` before.) On 3.13 ``copy.replace(config, ...)``
      works too: dataclasses implement ``__replace__``.
    - When is attrs or pydantic worth it? (When validators and converters
      per field, or parsing untrusted input, outgrow a ``__post_init__``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ClientConfig",
    "ClientConfigBuilder",
    "Option",
    "connect",
    "connect_positional",
    "new_client",
    "with_retries",
    "with_timeout_ms",
]


@dataclass(frozen=True, kw_only=True)  # break[not-frozen]
class ClientConfig:
    """Validated, read-only client settings; derive variants with ``replace``.

    >>> from dataclasses import replace
    >>> base = ClientConfig(host="db")
    >>> base
    ClientConfig(host='db', timeout_ms=5000, retries=3, retry_statuses=(502, 503, 504))
    >>> replace(base, retries=0).retries, base.retries
    (0, 3)
    >>> replace(base, timeout_ms=0)
    Traceback (most recent call last):
    ValueError: timeout_ms must be > 0, got 0
    >>> ClientConfig(host="db", retry_statuses=[503]).retry_statuses
    (503,)
    >>> ClientConfig(host="db", timeout_ms=float("nan"))
    Traceback (most recent call last):
    TypeError: timeout_ms must be an int, got nan
    """

    host: str
    timeout_ms: int = 5000
    retries: int = 3
    retry_statuses: tuple[int, ...] = (502, 503, 504)

    def __post_init__(self) -> None:  # break[validate-method]
        """Check types, then ranges; store ``retry_statuses`` as a tuple.

        ``TypeError`` for a wrong type (``bool`` is not accepted as an int),
        ``ValueError`` for an empty host, a non-positive timeout, negative retries.
        """
        if not isinstance(self.host, str):
            raise TypeError(f"host must be a str, got {self.host!r}")
        _require_int("timeout_ms", self.timeout_ms)
        _require_int("retries", self.retries)
        try:
            statuses = tuple(self.retry_statuses)
        except TypeError:
            raise TypeError(
                f"retry_statuses must be an iterable of ints, got {self.retry_statuses!r}"
            ) from None
        for status in statuses:
            _require_int("retry_statuses", status)
        object.__setattr__(self, "retry_statuses", statuses)  # break[no-coerce]
        if not self.host:
            raise ValueError("host must not be empty")
        if self.timeout_ms <= 0:  # break[zero-timeout]
            raise ValueError(f"timeout_ms must be > 0, got {self.timeout_ms}")
        if self.retries < 0:
            raise ValueError(f"retries must be >= 0, got {self.retries}")


def _require_int(name: str, value: object) -> None:
    """``TypeError`` naming the field unless ``value`` is an int (``bool`` refused)."""
    if isinstance(value, bool) or not isinstance(value, int):  # break[bool-is-int]
        raise TypeError(f"{name} must be an int, got {value!r}")


def connect_positional(host: str, timeout_ms: int = 5000, retries: int = 3) -> ClientConfig:
    """The pitfall: options that can be passed by position, in the wrong order.

    >>> connect_positional("db", 3, 250)  # meant: 3 retries, 250 ms
    ClientConfig(host='db', timeout_ms=3, retries=250, retry_statuses=(502, 503, 504))
    """
    return ClientConfig(host=host, timeout_ms=timeout_ms, retries=retries)


def connect(
    host: str,
    *,  # break[positional-options]
    timeout_ms: int = 5000,
    retries: int = 3,
) -> ClientConfig:
    """The fix: options after ``*`` must be named.

    >>> connect("db", retries=3, timeout_ms=250).timeout_ms
    250
    """
    return ClientConfig(host=host, timeout_ms=timeout_ms, retries=retries)


class ClientConfigBuilder:
    """A Java-style builder, generative: every setter returns a new builder.

    >>> ClientConfigBuilder("db").retries(1).timeout_ms(100).build() == connect(
    ...     "db", retries=1, timeout_ms=100)
    True
    """

    def __init__(self, host: str, fields: dict[str, Any] | None = None) -> None:
        self._host = host
        self._fields: dict[str, Any] = dict(fields or {})

    def _with(self, name: str, value: Any) -> ClientConfigBuilder:
        fields = self._fields | {name: value}  # break[mutable-builder]
        return ClientConfigBuilder(self._host, fields)

    def timeout_ms(self, value: int) -> ClientConfigBuilder:
        """A builder like this one, with the timeout set."""
        return self._with("timeout_ms", value)

    def retries(self, value: int) -> ClientConfigBuilder:
        """A builder like this one, with the retry count set."""
        return self._with("retries", value)

    def build(self) -> ClientConfig:
        """The config; validation is ``ClientConfig``'s own."""
        return ClientConfig(host=self._host, **self._fields)


Option = Callable[[dict[str, Any]], None]
"""A Go-style functional option: a function that sets one setting."""


def with_timeout_ms(value: int) -> Option:
    """Go's ``WithTimeout(d)``: an option that sets the timeout."""

    def apply(settings: dict[str, Any]) -> None:
        settings["timeout_ms"] = value

    return apply


def with_retries(value: int) -> Option:
    """An option that sets the retry count."""

    def apply(settings: dict[str, Any]) -> None:
        settings["retries"] = value

    return apply


def new_client(host: str, *opts: Option) -> ClientConfig:
    """Go's ``NewClient(addr, opts...)``: apply each option in order; later ones win.

    >>> new_client("db", with_retries(0)) == connect("db", retries=0)
    True
    """
    settings: dict[str, Any] = {}  # break[shared-settings]
    for opt in opts:
        opt(settings)
    return ClientConfig(host=host, **settings)
