"""Tests for intermediate.delegation: what __getattr__ forwards, what it cannot, its recursion."""

from __future__ import annotations

import abc
import copy
import pickle
from typing import Any

import pytest

from handbook.intermediate.delegation import (
    AuditedByInheritance,
    AuditedProxy,
    DunderBlindProxy,
    Inventory,
    RecursingProxy,
)


def stocked() -> Inventory:
    inv = Inventory("depot")
    inv.add("bolt", 5)
    return inv


def test_proxy_forwards_unknown_attributes_and_overrides_its_own() -> None:
    inner = stocked()
    proxy = AuditedProxy(inner)
    assert proxy.name == "depot"  # data attribute, forwarded
    assert proxy.count("bolt") == 5  # method, forwarded (bound to inner)
    proxy.add("bolt", 2)  # the wrapper's own method wins
    assert proxy.audit == ["add bolt 2"]
    assert inner.count("bolt") == 7


def test_getattr_runs_only_when_normal_lookup_fails() -> None:
    seen: list[str] = []

    class Spy:
        own = "class attribute"

        def __init__(self) -> None:
            self.field = "instance attribute"

        def __getattr__(self, name: str) -> Any:
            seen.append(name)
            return f"fallback for {name}"

    spy = Spy()
    assert spy.field == "instance attribute"
    assert spy.own == "class attribute"
    assert seen == []
    assert spy.missing == "fallback for missing"
    assert seen == ["missing"]


def test_getattribute_runs_on_every_access() -> None:
    seen: list[str] = []

    class Spy:
        def __init__(self) -> None:
            self.field = 1

        def __getattribute__(self, name: str) -> Any:
            seen.append(name)
            return object.__getattribute__(self, name)  # not self.<anything>: that recurses

    spy = Spy()
    assert spy.field == 1
    assert seen == ["field"]


def test_a_missing_attribute_still_raises_attribute_error() -> None:
    proxy = AuditedProxy(stocked())
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = proxy.no_such_thing
    assert not hasattr(proxy, "no_such_thing")


def test_dunders_are_looked_up_on_the_type_not_through_getattr() -> None:
    proxy = DunderBlindProxy(stocked())
    assert proxy.__len__() == 1  # explicit attribute access: __getattr__ forwards it
    with pytest.raises(TypeError, match="has no len"):
        len(proxy)
    with pytest.raises(TypeError, match="not iterable"):
        iter(proxy)

    class ListProxy:
        def __init__(self, wrapped: list[int]) -> None:
            self._wrapped = wrapped

        def __getattr__(self, name: str) -> Any:
            return getattr(self.__dict__["_wrapped"], name)

    items, extra = ListProxy([1, 2]), [3]
    assert items.__getitem__(0) == 1
    assert items.__add__(extra) == [1, 2, 3]
    with pytest.raises(TypeError, match="not subscriptable"):
        _ = items[0]  # type: ignore[index]
    with pytest.raises(TypeError, match="unsupported operand"):
        _ = items + extra  # type: ignore[operator]


def test_a_dunder_set_on_the_instance_is_ignored_too() -> None:
    class Plain:
        pass

    obj = Plain()
    obj.__len__ = lambda: 3  # type: ignore[attr-defined]
    assert obj.__len__() == 3  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="has no len"):
        len(obj)  # type: ignore[arg-type]


def test_an_attribute_error_inside_a_property_falls_through_to_getattr() -> None:
    class Shouting(AuditedProxy):
        @property
        def name(self) -> str:
            return self._wrapped.nmae.upper()  # type: ignore[attr-defined, no-any-return]  # typo

    class ShoutingFixed(AuditedProxy):
        @property
        def name(self) -> str:
            try:
                return self._wrapped.nmae.upper()  # type: ignore[attr-defined, no-any-return]
            except AttributeError as exc:
                raise RuntimeError("bug in Shouting.name") from exc

    assert Shouting(stocked()).name == "depot"  # the override's bug is masked: forwarded
    with pytest.raises(RuntimeError, match=r"bug in Shouting\.name"):
        _ = ShoutingFixed(stocked()).name


def test_writes_are_not_forwarded_and_then_shadow_the_wrapped_attribute() -> None:
    inner = stocked()
    proxy = AuditedProxy(inner)
    proxy.name = "renamed"  # type: ignore[attr-defined]
    assert inner.name == "depot"  # the wrapped object never saw the write
    assert proxy.__dict__["name"] == "renamed"
    inner.name = "depot-2"
    assert proxy.name == "renamed"  # normal lookup finds the proxy's copy first

    class WriteThrough(AuditedProxy):
        def __setattr__(self, name: str, value: Any) -> None:
            if name in ("_wrapped", "audit"):
                object.__setattr__(self, name, value)
            else:
                setattr(self._wrapped, name, value)

    through = WriteThrough(inner)
    through.name = "depot-3"
    assert inner.name == "depot-3"
    assert "name" not in through.__dict__


def test_isinstance_follows_dunder_class_and_abc_registration_but_type_does_not() -> None:
    class Faking(AuditedProxy):
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return Inventory

    fake = Faking(stocked())
    assert isinstance(fake, Inventory)
    assert type(fake) is Faking
    assert not hasattr(Inventory, "register")  # a plain class cannot register others

    class InventoryABC(abc.ABC):  # noqa: B024  # an ABC with no abstract methods
        pass

    InventoryABC.register(AuditedProxy)
    assert isinstance(AuditedProxy(stocked()), InventoryABC)


def test_explicit_dunders_make_len_and_iter_work() -> None:
    proxy = AuditedProxy(stocked())
    assert len(proxy) == 1
    assert list(proxy) == ["bolt"]


def test_getattr_reading_self_wrapped_recurses_when_init_did_not_run() -> None:
    proxy = RecursingProxy(stocked())
    assert proxy.count("bolt") == 5  # fine while _wrapped exists
    bare = RecursingProxy.__new__(RecursingProxy)  # what copy and pickle do
    with pytest.raises(RecursionError):
        _ = bare.anything
    with pytest.raises(RecursionError):
        copy.copy(proxy)
    with pytest.raises(RecursionError):
        pickle.loads(pickle.dumps(proxy))


def test_fixed_proxy_survives_copy_and_pickle() -> None:
    proxy = AuditedProxy(stocked())
    proxy.add("nut", 1)
    bare = AuditedProxy.__new__(AuditedProxy)
    assert not hasattr(bare, "count")  # AttributeError, not recursion
    shallow = copy.copy(proxy)
    assert shallow._wrapped is proxy._wrapped
    assert shallow.audit == ["add nut 1"]
    for clone in (copy.deepcopy(proxy), pickle.loads(pickle.dumps(proxy))):
        assert clone._wrapped is not proxy._wrapped
        assert clone.count("nut") == 1
        assert clone.audit == ["add nut 1"]


def test_forwarded_methods_do_not_see_the_wrappers_override() -> None:
    proxy = AuditedProxy(Inventory("depot"))
    proxy.restock(["bolt", "nut"])
    assert proxy.count("bolt") == 10
    assert proxy.audit == []  # Inventory.restock called Inventory.add on itself


def test_inheritance_overrides_are_seen_by_the_parents_own_calls() -> None:
    inv = AuditedByInheritance("depot")
    inv.restock(["bolt", "nut"])
    assert inv.audit == ["add bolt 10", "add nut 10"]
    assert isinstance(inv, Inventory)
    assert not isinstance(AuditedProxy(Inventory("x")), Inventory)
