"""Tests for advanced.new_vs_init: the type.__call__ rule, immutables, caches, interning."""

from __future__ import annotations

import copy
import pickle
import weakref
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from handbook.advanced.new_vs_init import (
    BrokenPoint,
    BrokenSlug,
    CachedClient,
    Client,
    Connection,
    Currency,
    GuardedClient,
    Point,
    Port,
    Slug,
    client_for,
)


@pytest.fixture(autouse=True)
def clear_client_caches() -> Iterator[None]:
    """Start every test with empty client caches, so the file can run twice in one process."""
    caches = (CachedClient._by_host, GuardedClient._by_host, Client._shared)
    for cache in caches:
        cache.clear()
    client_for.cache_clear()
    yield
    for cache in caches:
        cache.clear()
    client_for.cache_clear()


def test_new_is_an_implicit_staticmethod_and_init_must_return_none() -> None:
    assert isinstance(vars(Point)["__new__"], staticmethod)

    class Returns:
        def __init__(self) -> None:
            return 1  # type: ignore[return-value]

    with pytest.raises(TypeError, match=r"__init__\(\) should return None"):
        Returns()


def test_a_tuple_subclass_with_init_fails_in_tuple_new_before_init_runs() -> None:
    ran: list[str] = []

    class Logged(BrokenPoint):
        def __init__(self, x: float, y: float) -> None:
            ran.append("init")

    with pytest.raises(TypeError, match="tuple expected at most 1 argument, got 2"):
        BrokenPoint(1, 2)
    with pytest.raises(TypeError, match="tuple expected at most 1 argument, got 2"):
        Logged(1, 2)
    assert ran == []


def test_point_builds_its_tuple_value_in_new() -> None:
    p = Point(3, 4)
    assert tuple(p) == (3, 4)
    assert p.x == 3
    assert Point.__mro__[1] is tuple


def test_init_cannot_change_an_immutable_value() -> None:
    assert BrokenSlug("Hello World") == "Hello World"
    assert Slug("Hello World") == "hello-world"


def test_passing_the_value_to_object_init_raises_type_error() -> None:
    class Rounded(float):
        def __init__(self, value: float) -> None:
            super().__init__(round(value))  # type: ignore[call-arg]

    with pytest.raises(TypeError, match=r"object\.__init__\(\) takes exactly one argument"):
        Rounded(2.5)


def test_init_of_an_immutable_subclass_can_still_validate_and_add_attributes() -> None:
    class Label(str):
        def __init__(self, text: str) -> None:
            if not text:
                raise ValueError("empty label")
            self.original = text

    label = Label("ok")
    assert (label, label.original) == ("ok", "ok")
    with pytest.raises(ValueError, match="empty label"):
        Label("")


def test_builtin_immutables_take_their_value_in_new_only() -> None:
    for immutable in (int, str, tuple, bytes, frozenset):
        assert immutable.__init__ is object.__init__  # no __init__ of their own
        assert "__new__" in vars(immutable)


def test_object_init_ignores_the_arguments_of_a_type_that_overrides_only_new() -> None:
    assert int.__init__ is object.__init__
    object.__init__(5, "7")  # type: ignore[call-arg]  # int overrides __new__ and not __init__: extra arguments are fine
    assert int("7") == 7


def test_port_is_an_int_validated_in_new() -> None:
    assert Port("8080") == 8080
    assert isinstance(Port(443), int)
    assert (Port(1), Port(65535)) == (1, 65535)  # both ends are valid ports
    with pytest.raises(ValueError, match="port out of range"):
        Port(0)
    with pytest.raises(ValueError, match="port out of range: '0'"):
        Port("0")
    with pytest.raises(ValueError, match="port out of range"):
        Port(65536)


def test_init_runs_again_when_new_returns_a_cached_instance() -> None:
    before = Connection.opened
    first = CachedClient("cached-db")
    first.send()
    first.send()
    second = CachedClient("cached-db")
    assert second is first  # __new__ did its job...
    assert first.sent == 0  # ...but __init__ ran again and reset the shared state
    assert Connection.opened - before == 2  # and opened a second connection


def test_init_is_skipped_when_new_returns_an_object_of_another_type() -> None:
    inits: list[object] = []

    class Number:
        def __new__(cls, text: str) -> Any:
            return int(text)  # not a Number

        def __init__(self, text: str) -> None:
            inits.append(text)

    result: object = Number("7")
    assert result == 7
    assert inits == []


def test_init_is_skipped_for_a_proxy_that_passes_isinstance() -> None:
    inits: list[str] = []

    class Proxy:
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return Real

    class Real:
        def __new__(cls) -> Any:
            return Proxy()

        def __init__(self) -> None:
            inits.append("init")

    obj: object = Real()
    real_type: type = type(obj)
    assert isinstance(obj, Real)  # isinstance trusts the faked __class__...
    assert real_type is Proxy  # ...type.__call__ checks the real type
    assert inits == []


def test_a_subclass_instance_from_new_gets_the_subclass_init() -> None:
    inits: list[str] = []

    class Shape:
        def __new__(cls, sides: int) -> Shape:
            return super().__new__(Square if sides == 4 else cls)

        def __init__(self, sides: int) -> None:
            inits.append("Shape")

    class Square(Shape):
        def __init__(self, sides: int) -> None:
            inits.append(f"Square {sides}")

    assert type(Shape(4)) is Square
    assert inits == ["Square 4"]


def test_passing_arguments_on_to_object_new_raises_type_error() -> None:
    class Eager:
        def __new__(cls, *args: object) -> Eager:
            return super().__new__(cls, *args)

    with pytest.raises(TypeError, match=r"object\.__new__\(\) takes exactly one argument"):
        Eager(1)


def test_the_guard_runs_init_once_per_cached_object() -> None:
    before = Connection.opened
    first = GuardedClient("guarded-db")
    first.send()
    second = GuardedClient("guarded-db")
    assert second is first
    assert first.sent == 1
    assert Connection.opened - before == 1


def test_a_classmethod_factory_caches_while_the_constructor_stays_plain() -> None:
    before = Connection.opened
    shared = Client.shared("factory-db")
    shared.send()
    assert Client.shared("factory-db") is shared
    assert shared.sent == 1
    assert Client("factory-db") is not shared  # the constructor means "a new one"
    assert Connection.opened - before == 2


def test_a_functools_cache_factory_runs_init_once_per_key() -> None:
    before = Connection.opened
    client = client_for("cached-factory-db")
    client.send()
    assert client_for("cached-factory-db") is client
    assert client.sent == 1
    assert Connection.opened - before == 1


def test_a_metaclass_call_can_skip_init_for_cached_objects() -> None:
    inits: list[str] = []

    class CachingMeta(type):
        cache: ClassVar[dict[tuple[type, str], object]] = {}

        def __call__(cls, key: str) -> Any:
            found = CachingMeta.cache.get((cls, key))
            if found is None:
                found = CachingMeta.cache[(cls, key)] = super().__call__(key)
            return found

    class Service(metaclass=CachingMeta):
        def __init__(self, key: str) -> None:
            inits.append(key)

    assert Service("a") is Service("a")
    assert inits == ["a"]


def test_currency_is_interned_case_insensitively() -> None:
    assert Currency("usd") is Currency("USD")
    assert Currency("usd").code == "USD"
    assert Currency("eur") is not Currency("usd")


def test_currency_is_immutable() -> None:
    usd = Currency("USD")
    with pytest.raises(AttributeError, match="immutable"):
        usd.code = "EUR"
    with pytest.raises(AttributeError, match="immutable"):
        del usd.code
    assert Currency("USD") is usd
    assert repr(Currency("usd")) == "Currency('USD')"  # the shared object is intact


def test_a_bad_code_is_refused_and_not_interned() -> None:
    with pytest.raises(ValueError, match="not an ISO 4217 code"):
        Currency("dollars")
    assert "DOLLARS" not in Currency._interned


def test_a_thread_that_loses_the_interning_race_returns_the_stored_object() -> None:
    winner = Currency("CHF")

    class StaleLookups(dict[str, Currency]):
        """Simulates a thread that looked before another thread stored CHF."""

        def get(self, key: str, default: Any = None) -> Any:
            return default

    stale = StaleLookups(Currency._interned)
    original = Currency._interned
    Currency._interned = stale
    try:
        assert Currency("chf") is winner
    finally:
        Currency._interned = original


def test_an_interned_currency_survives_pickle_and_copy_as_the_same_object() -> None:
    gbp = Currency("GBP")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(gbp, protocol)) is gbp
    assert copy.copy(gbp) is gbp
    assert copy.deepcopy({"price": gbp})["price"] is gbp


def test_default_pickling_of_an_interning_class_fails_on_every_protocol() -> None:
    for protocol in (0, 1):  # the copyreg path refuses __slots__ without __getstate__
        with pytest.raises(TypeError, match="defines __slots__ without defining __getstate__"):
            pickle.dumps(_Code("JPY"), protocol)
    missing = "missing 1 required positional argument: 'code'"
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):  # rebuilt with cls.__new__(cls)
        data = pickle.dumps(_Code("JPY"), protocol)
        with pytest.raises(TypeError, match=missing):
            pickle.loads(data)
    with pytest.raises(TypeError, match=missing):
        copy.copy(_Code("JPY"))


def test_slots_without_weakref_rule_out_a_weak_value_cache() -> None:
    with pytest.raises(TypeError, match="cannot create weak reference"):
        weakref.ref(Currency("USD"))


class _Code:
    """An interned-style class without ``__reduce__`` (module level, so pickle can find it)."""

    __slots__ = ("code",)
    code: str

    def __new__(cls, code: str) -> _Code:
        obj = super().__new__(cls)
        obj.code = code
        return obj
