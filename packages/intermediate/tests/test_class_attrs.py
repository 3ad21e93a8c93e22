"""Tests for intermediate.class_attrs: shared class state, shadowing through self, constants."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import ClassVar

import pytest

from handbook.intermediate.class_attrs import (
    Basket,
    Limiter,
    SharedBasket,
    StrictLimiter,
    Tagged,
    Tally,
    Widget,
)


@pytest.fixture(autouse=True)
def _reset_shared_state() -> Iterator[None]:
    # The pitfall classes keep state on the class by design; each test starts clean.
    SharedBasket.items.clear()
    Tally.seen.clear()
    yield
    SharedBasket.items.clear()
    Tally.seen.clear()


def test_a_class_level_list_is_shared_by_every_instance() -> None:
    a, b = SharedBasket(), SharedBasket()
    a.add("apple")
    assert b.items == ["apple"]
    assert a.items is b.items is SharedBasket.items
    assert "items" not in vars(a)  # append mutated the class's list, wrote nothing on a


def test_an_init_list_belongs_to_each_instance() -> None:
    a, b = Basket(), Basket()
    a.add("apple")
    assert (a.items, b.items) == (["apple"], [])
    assert "items" in vars(a)


def test_a_class_default_copied_per_instance_stays_untouched() -> None:
    a, b = Tagged(), Tagged()
    a.tag("sale")
    assert a.tags == ["new", "sale"]
    assert b.tags == ["new"]
    assert Tagged.DEFAULT_TAGS == ["new"]


def test_instance_counter_on_the_class_counts_every_instance() -> None:
    before = Widget.created
    Widget()
    Widget()
    assert Widget.created == before + 2
    assert "created" not in vars(Widget())


def test_plus_equals_on_an_immutable_class_attribute_creates_an_instance_attribute() -> None:
    w = Widget()
    w.hit()
    w.hit()
    assert w.hits == 2
    assert vars(w)["hits"] == 2
    assert Widget.hits == 0  # the class value never moved
    assert Widget().hits == 0


def test_del_on_the_instance_uncovers_the_class_value() -> None:
    w = Widget()
    w.hit()
    del w.hits
    assert w.hits == 0
    assert "hits" not in vars(w)


def test_plus_equals_on_a_mutable_class_attribute_mutates_the_shared_object() -> None:
    a, b = Tally(), Tally()
    a.record("x")
    assert b.seen == ["x"]  # the class's list was extended in place
    assert "seen" in vars(a)  # and the assignment bound it on a as well
    assert a.seen is Tally.seen
    assert "seen" not in vars(b)


def test_self_assignment_shadows_without_touching_the_class() -> None:
    a, b = Limiter(), Limiter()
    a.LIMIT = 1  # type: ignore[misc]
    assert (a.LIMIT, b.LIMIT, Limiter.LIMIT) == (1, 10, 10)


def test_a_subclass_constant_is_honoured_when_read_through_self() -> None:
    assert Limiter().allowed(5)
    assert not StrictLimiter().allowed(5)
    assert StrictLimiter().allowed(3)


def test_type_self_counter_on_a_subclass_starts_from_the_base_count() -> None:
    class Base:
        created: ClassVar[int] = 0

        def __init__(self) -> None:
            type(self).created += 1

    class Sub(Base):
        pass

    Base()
    Base()
    Sub()
    assert (Base.created, Sub.created) == (2, 3)  # Sub read 2 from Base, wrote 3 on Sub
    Base()
    assert (Base.created, Sub.created) == (3, 3)


def test_dataclass_refuses_an_unhashable_default() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @dataclasses.dataclass
        class Cart:
            items: list[str] = []  # noqa: RUF008

    @dataclasses.dataclass
    class FixedCart:
        items: list[str] = dataclasses.field(default_factory=list)

    assert FixedCart().items is not FixedCart().items


def test_slots_reject_a_stray_attribute_and_a_clashing_class_attribute() -> None:
    class Point:
        __slots__ = ("x",)

        def __init__(self) -> None:
            self.x = 1

    p = Point()
    with pytest.raises(AttributeError):
        p.y = 2  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="conflicts with class variable"):

        class Clash:
            __slots__ = ("x",)
            x = 0


def test_a_data_descriptor_on_the_class_beats_the_instance_dict() -> None:
    class Box:
        @property
        def size(self) -> int:
            return 1

        label = "class"

    box = Box()
    vars(box).update(size=99, label="instance")
    assert box.size == 1  # a property (data descriptor) is found before obj.__dict__
    assert box.label == "instance"  # a plain class attribute is not


def test_the_widget_counter_counts_subclass_instances_on_widget() -> None:
    class Gadget(Widget):
        pass

    before = Widget.created
    Widget()
    Gadget()
    Gadget()
    assert Widget.created == before + 3
    assert "created" not in vars(Gadget)  # no per-subclass copy that drifts


def test_in_place_operator_not_mutability_decides_what_plus_equals_mutates() -> None:
    class Holder:
        tags: ClassVar[set[str]] = set()
        pair: ClassVar[tuple[int, ...]] = ()

    h = Holder()
    h.tags |= {"a"}  # type: ignore[misc]
    assert Holder.tags == {"a"}  # set.__ior__ mutated the shared set
    assert "tags" in vars(h)  # and the assignment bound it on the instance too
    h.pair += (1,)  # type: ignore[misc]
    assert Holder.pair == ()  # a tuple has no __iadd__: a new tuple...
    assert vars(h)["pair"] == (1,)  # ...bound on the instance only


def test_class_scope_is_not_visible_inside_a_comprehension() -> None:
    with pytest.raises(NameError, match="'factor'"):

        class Scaled:
            factor = 2
            values: ClassVar[list[int]] = [factor * i for i in range(3)]  # type: ignore[name-defined]  # noqa: F821

    class Ranged:
        factor = 2
        # The outermost iterable is evaluated in class scope, so this works.
        values: ClassVar[list[int]] = [i * 10 for i in range(factor)]

    assert Ranged.values == [0, 10]


def test_init_subclass_gives_each_class_its_own_counter() -> None:
    class Base:
        created: ClassVar[int] = 0

        def __init_subclass__(cls) -> None:
            cls.created = 0

        def __init__(self) -> None:
            type(self).created += 1

    class Sub(Base):
        pass

    Base()
    Base()
    Sub()
    assert (Base.created, Sub.created) == (2, 1)


def test_a_class_body_runs_once_so_its_values_are_shared() -> None:
    counter = itertools.count()

    class Stamped:
        stamp = next(counter)

    assert Stamped().stamp == Stamped().stamp == 0
    assert next(counter) == 1  # the body ran exactly once


def test_a_classvar_in_a_dataclass_is_not_a_field() -> None:
    @dataclasses.dataclass
    class Job:
        retries: ClassVar[int] = 3
        priority: int = 0

    assert [f.name for f in dataclasses.fields(Job)] == ["priority"]
    assert repr(Job()).endswith("Job(priority=0)")
    with pytest.raises(TypeError):
        Job(retries=5)  # type: ignore[call-arg]


def test_slots_drop_the_dict_only_if_every_class_in_the_mro_has_them() -> None:
    class Slotted:
        __slots__ = ("x",)

    class Plain:
        pass

    class Mixed(Plain):
        __slots__ = ("x",)

    assert not hasattr(Slotted(), "__dict__")
    mixed = Mixed()
    mixed.y = 2  # type: ignore[attr-defined]  # no AttributeError: Plain brought __dict__
    assert vars(mixed) == {"y": 2}
