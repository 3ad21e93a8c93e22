"""Tests for basics.abc_protocol: ABCs refuse incomplete classes; runtime Protocols check names."""

from __future__ import annotations

import abc
import collections.abc
import inspect
import io
import sys
from collections.abc import Iterator
from typing import Protocol

import pytest

from handbook.basics.abc_protocol import (
    Cache,
    Closer,
    DictCache,
    DynamicCloser,
    FrozenConfig,
    HalfCache,
    HasSize,
    LazySize,
    NotCallableClose,
    WrongSignatureCloser,
    accepts_arguments,
    can_close,
)


def test_incomplete_abc_subclass_cannot_be_instantiated() -> None:
    assert HalfCache.__abstractmethods__ == frozenset({"put"})
    if sys.version_info >= (3, 12):
        wording = "without an implementation for abstract method 'put'"
    else:
        wording = "with abstract method put"
    with pytest.raises(TypeError, match=f"Can't instantiate abstract class HalfCache {wording}"):
        HalfCache()  # type: ignore[abstract]


def test_the_error_names_every_missing_method() -> None:
    class Empty(Cache):
        pass

    with pytest.raises(TypeError, match="Can't instantiate abstract class Empty") as info:
        Empty()  # type: ignore[abstract]
    assert "get" in str(info.value)
    assert "put" in str(info.value)
    with pytest.raises(TypeError, match="abstract"):
        Cache()  # type: ignore[abstract]


def test_a_complete_subclass_works_and_is_an_instance_of_the_abc() -> None:
    c = DictCache()
    c.put("k", "v")
    assert c.get("k") == "v"
    assert isinstance(c, Cache)


def test_an_abc_is_nominal_a_matching_class_is_not_an_instance() -> None:
    class LooksLikeACache:
        def get(self, key: str) -> str | None:
            return None

        def put(self, key: str, value: str) -> None:
            pass

    assert not isinstance(LooksLikeACache(), Cache)


def test_register_makes_a_virtual_subclass_without_checking_methods() -> None:
    class Runner(abc.ABC):  # a local ABC, so the lesson's Cache registry stays clean
        @abc.abstractmethod
        def run(self) -> None: ...

    class Nothing:
        pass

    Runner.register(Nothing)
    assert isinstance(Nothing(), Runner)
    assert issubclass(Nothing, Runner)
    assert not hasattr(Nothing(), "run")


def test_subclasshook_makes_iterable_structural() -> None:
    class Numbers:  # inherits nothing, registers nothing
        def __iter__(self) -> Iterator[int]:
            return iter([1])

    assert issubclass(Numbers, collections.abc.Iterable)
    assert not issubclass(Numbers, collections.abc.Sized)  # no __len__


def test_mapping_abc_supplies_the_rest_of_the_api() -> None:
    source = {"host": "db", "user": "app"}
    c = FrozenConfig(source)
    assert c.get("port", "5432") == "5432"
    assert c.get("host") == "db"
    assert "host" in c
    assert "port" not in c
    assert list(c.keys()) == ["host", "user"]
    assert list(c.items()) == [("host", "db"), ("user", "app")]
    assert c == source  # Mapping.__eq__ compares as dict(self.items())
    assert isinstance(c, collections.abc.Mapping)
    for name in ("get", "keys", "items", "__contains__", "__eq__"):
        assert name not in vars(FrozenConfig)  # inherited, not written


def test_abstract_property_stacks_abstractmethod_innermost() -> None:
    class Shape(abc.ABC):
        @property
        @abc.abstractmethod
        def area(self) -> float: ...

    class Square(Shape):
        @property
        def area(self) -> float:
            return 4.0

    assert Shape.__abstractmethods__ == frozenset({"area"})
    with pytest.raises(TypeError, match="abstract"):
        Shape()  # type: ignore[abstract]
    assert Square().area == 4.0


def test_runtime_protocol_checks_names_not_signatures() -> None:
    # Typed as object: given the precise class, mypy reports this isinstance as
    # unreachable, because the static check does compare signatures.
    wrong: object = WrongSignatureCloser()
    assert isinstance(wrong, Closer)
    with pytest.raises(TypeError, match="missing 2 required positional arguments"):
        wrong.close()  # type-checks: after isinstance, mypy trusts the protocol
    assert isinstance(NotCallableClose(), Closer)  # not even callable
    assert isinstance(io.StringIO(), Closer)  # structural: no inheritance
    assert not isinstance(DictCache(), Closer)  # no close at all


def test_a_member_set_to_none_means_not_implemented() -> None:
    class Disabled:
        close = None

    assert not isinstance(Disabled(), Closer)


def test_isinstance_needs_runtime_checkable() -> None:
    class Plain(Protocol):
        def close(self) -> None: ...

    with pytest.raises(TypeError, match="runtime_checkable"):
        isinstance(io.StringIO(), Plain)  # type: ignore[misc]


def test_getattr_counts_on_3_11_but_not_from_3_12() -> None:
    dynamic = DynamicCloser()
    dynamic.close()  # it does have a callable close, through __getattr__
    assert isinstance(dynamic, Closer) is (sys.version_info < (3, 12))


def test_property_is_run_by_isinstance_on_3_11_only() -> None:
    lazy = LazySize()
    assert isinstance(lazy, HasSize)
    assert lazy.calls == (1 if sys.version_info < (3, 12) else 0)


def test_a_property_raising_attributeerror_fails_the_check_on_3_11_only() -> None:
    class Broken:
        @property
        def size(self) -> int:
            raise AttributeError("not loaded")

    assert isinstance(Broken(), HasSize) is (sys.version_info >= (3, 12))


def test_a_property_raising_another_error_escapes_isinstance_on_3_11_only() -> None:
    class Exploding:
        @property
        def size(self) -> int:
            raise RuntimeError("boom")

    if sys.version_info >= (3, 12):
        assert isinstance(Exploding(), HasSize)
    else:
        with pytest.raises(RuntimeError, match="boom"):
            isinstance(Exploding(), HasSize)


def test_issubclass_is_refused_for_protocols_with_data_members() -> None:
    with pytest.raises(TypeError, match="non-method members"):
        issubclass(LazySize, HasSize)  # type: ignore[misc]
    assert issubclass(WrongSignatureCloser, Closer)  # method-only protocols allow it


def test_signature_binding_catches_what_the_protocol_check_misses() -> None:
    assert not accepts_arguments(WrongSignatureCloser().close)
    assert accepts_arguments(io.StringIO().close)


def test_no_signature_means_cannot_tell() -> None:
    with pytest.raises(ValueError, match="signature"):
        inspect.signature(next)  # the message differs by version
    assert accepts_arguments(next, iter([]))


def test_can_close_a_generator_on_every_version() -> None:
    gen = (x for x in range(0))
    assert isinstance(gen, Closer)
    if sys.version_info >= (3, 13):
        assert str(inspect.signature(gen.close)) == "()"
    else:
        with pytest.raises(ValueError, match="no signature found"):
            inspect.signature(gen.close)
    assert can_close(gen)


def test_can_close_checks_callability_and_signature() -> None:
    assert can_close(io.StringIO())
    assert not can_close(WrongSignatureCloser())
    assert not can_close(NotCallableClose())
    assert not can_close(DictCache())

    class Disabled:
        close = None

    assert not can_close(Disabled())
