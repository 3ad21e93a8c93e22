"""Tests for intermediate.data_model: each protocol is shown by what Python actually calls."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Collection, Container

import pytest

from handbook.intermediate.data_model import (
    IndexedOnly,
    IterableOnly,
    Meters,
    Millimeters,
    OnlyEq,
    OnlyStr,
    Playlist,
    Ratio,
    RatioRawHash,
    StrictMeters,
    Version,
)

# --- the __eq__ / __hash__ contract -------------------------------------------------


def test_equal_ratios_hash_equal_and_collapse_in_a_set() -> None:
    a, b = Ratio(1, 2), Ratio(2, 4)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert {a: "half"}[b] == "half"


def test_hashing_raw_fields_breaks_sets_and_dict_lookups() -> None:
    a, b = RatioRawHash(1, 2), RatioRawHash(2, 4)
    assert a == b
    # hash((1, 2)) != hash((2, 4)): int and tuple hashes are not randomised.
    assert hash(a) != hash(b)
    assert len({a, b}) == 2
    assert b not in {a}
    with pytest.raises(KeyError):
        _ = {a: "half"}[b]


def test_unequal_ratios_are_unequal() -> None:
    assert Ratio(1, 2) != Ratio(1, 3)
    with pytest.raises(ValueError, match="positive"):
        Ratio(1, 0)
    with pytest.raises(TypeError, match="must be int"):
        Ratio(1.5, 2)  # type: ignore[arg-type]  # rejected here, not later inside hash()


def test_ratio_is_read_only_so_its_hash_cannot_drift() -> None:
    r = Ratio(1, 2)
    with pytest.raises(AttributeError):
        r.num = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        r.extra = 1  # type: ignore[attr-defined]  # __slots__: no instance __dict__
    assert r in {Ratio(2, 4)}


def test_a_key_mutated_after_insertion_is_lost_under_both_values() -> None:
    @dataclasses.dataclass(unsafe_hash=True)  # hashable and mutable: the risky combination
    class Point:
        x: int
        y: int

    p = Point(1, 2)
    points = {p}
    p.x = 5
    assert p not in points  # looked up under hash((5, 2)); stored under hash((1, 2))
    assert Point(5, 2) not in points
    assert Point(1, 2) not in points  # right bucket, but the stored object now differs
    assert len(points) == 1


def test_dataclass_eq_removes_the_hash_and_frozen_brings_it_back() -> None:
    @dataclasses.dataclass
    class Plain:
        x: int

    @dataclasses.dataclass(frozen=True)
    class Frozen:
        x: int

    assert Plain.__dict__["__hash__"] is None
    with pytest.raises(TypeError, match="unhashable type"):
        hash(Plain(1))
    assert hash(Frozen(1)) == hash(Frozen(1))
    assert len({Frozen(1), Frozen(1)}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Frozen(1).x = 2  # type: ignore[misc]


def test_defining_eq_sets_hash_to_none() -> None:
    assert OnlyEq.__dict__["__hash__"] is None
    assert OnlyEq(1) == OnlyEq(1)
    with pytest.raises(TypeError, match="unhashable type"):
        hash(OnlyEq(1))
    with pytest.raises(TypeError, match="unhashable type"):
        _ = {OnlyEq(1)}


def test_a_subclass_that_overrides_only_eq_loses_the_inherited_hash() -> None:
    class LooseRatio(Ratio):
        def __eq__(self, other: object) -> bool:
            return isinstance(other, Ratio)

    assert LooseRatio.__dict__["__hash__"] is None
    assert hash(Ratio(1, 2)) == hash(Ratio(2, 4))  # the parent keeps its hash
    with pytest.raises(TypeError, match="unhashable type"):
        hash(LooseRatio(1, 2))


# --- NotImplemented vs False ----------------------------------------------------------


def test_not_implemented_lets_python_try_the_reflected_eq() -> None:
    calls: list[str] = []
    assert Meters(1, calls) == Millimeters(1000, calls)
    assert calls == ["Meters.__eq__", "Millimeters.__eq__"]
    assert Meters(1) != Millimeters(999)


def test_returning_false_stops_python_from_asking_the_other_operand() -> None:
    calls: list[str] = []
    assert (StrictMeters(1, calls) == Millimeters(1000, calls)) is False
    assert calls == ["StrictMeters.__eq__"]
    # ... so equality depends on the operand order.
    assert Millimeters(1000) == StrictMeters(1)


def test_equality_with_not_implemented_is_symmetric() -> None:
    assert Meters(2) == Millimeters(2000)
    assert Millimeters(2000) == Meters(2)


def test_ne_inverts_eq_and_also_tries_the_reflected_call() -> None:
    calls: list[str] = []
    assert (Meters(1, calls) != Millimeters(1000, calls)) is False
    assert calls == ["Meters.__eq__", "Millimeters.__eq__"]


def test_when_both_sides_decline_eq_falls_back_to_identity() -> None:
    calls: list[str] = []

    class Declines:
        def __eq__(self, other: object) -> bool:
            calls.append("Declines.__eq__")
            return NotImplemented

    d = Declines()
    assert (d == d) is True  # both calls declined: the same object, so equal
    assert calls == ["Declines.__eq__", "Declines.__eq__"]
    assert (d == Declines()) is False  # both declined: different objects
    assert (d != d) is False
    m = Meters(1)
    assert (m == "1") is False  # str.__eq__ declines too: identity decides


def test_isinstance_eq_across_a_subclass_is_symmetric_but_not_transitive() -> None:
    class Point:
        def __init__(self, x: int) -> None:
            self.x = x

        def __eq__(self, other: object) -> bool:
            if not isinstance(other, Point):
                return NotImplemented
            return self.x == other.x

    class ColoredPoint(Point):
        def __init__(self, x: int, color: str) -> None:
            super().__init__(x)
            self.color = color

        def __eq__(self, other: object) -> bool:
            if isinstance(other, ColoredPoint):
                return (self.x, self.color) == (other.x, other.color)
            return super().__eq__(other)  # compare with a plain Point as a point

    plain, red, blue = Point(1), ColoredPoint(1, "red"), ColoredPoint(1, "blue")
    assert red == plain
    assert plain == red  # the subclass's __eq__ ran first here too: symmetric
    assert plain == blue
    assert red != blue  # ... but not transitive

    @dataclasses.dataclass
    class DPoint:
        x: int

    @dataclasses.dataclass
    class DColored(DPoint):
        color: str = "red"

    assert DPoint(1) != DColored(1)  # dataclass __eq__ requires the same class
    assert DColored(1) != DPoint(1)


def test_when_both_sides_decline_an_ordering_raises_type_error() -> None:
    with pytest.raises(TypeError, match="not supported between instances"):
        _ = Version(1, 0) < "1.0"


def test_a_subclass_on_the_right_gets_the_first_call() -> None:
    calls: list[str] = []

    class Kilometers(Meters):
        def __eq__(self, other: object) -> bool:
            self.trace.append("Kilometers.__eq__")
            if isinstance(other, Kilometers):
                return self.value == other.value
            if isinstance(other, Meters):
                return self.value * 1000 == other.value
            return NotImplemented

    assert Meters(3000, calls) == Kilometers(3, calls)
    assert calls == ["Kilometers.__eq__"]


def test_for_comparisons_a_subclass_on_the_right_goes_first_even_without_overriding() -> None:
    class Inherits(Meters):
        pass

    calls: list[str] = []
    assert Meters(1, calls) == Inherits(1, calls)
    assert calls == ["Inherits.__eq__"]  # the inherited Meters.__eq__, called on the right


def test_for_arithmetic_a_subclass_goes_first_only_if_it_overrides() -> None:
    calls: list[str] = []

    class Num:
        def __add__(self, other: object) -> int:
            calls.append(f"{type(self).__name__}.__add__")
            return 1

        def __radd__(self, other: object) -> int:
            calls.append(f"{type(self).__name__}.__radd__")
            return 2

    class Same(Num):
        pass

    class Overrides(Num):
        def __radd__(self, other: object) -> int:
            calls.append("Overrides.__radd__")
            return 3

    assert Num() + Same() == 1
    assert Num() + Overrides() == 3
    assert calls == ["Num.__add__", "Overrides.__radd__"]


# --- total_ordering ------------------------------------------------------------------


def test_total_ordering_fills_in_le_gt_ge() -> None:
    for name in ("__le__", "__gt__", "__ge__"):
        assert name in Version.__dict__
    assert Version(1, 2) <= Version(1, 2)
    assert Version(1, 2) >= Version(1, 2)
    assert Version(1, 2) <= Version(1, 10)
    assert Version(1, 10) > Version(1, 2)
    assert not Version(1, 2) > Version(1, 2)
    assert sorted([Version(1, 10), Version(1, 2)]) == [Version(1, 2), Version(1, 10)]


def test_total_ordering_without_eq_makes_equal_values_not_le() -> None:
    @functools.total_ordering
    class NoEq:
        def __init__(self, n: int) -> None:
            self.n = n

        def __lt__(self, other: NoEq) -> bool:
            return self.n < other.n

    assert NoEq(1) <= NoEq(2)  # "<" answers
    assert not NoEq(1) <= NoEq(1)  # "<" is False and "==" is identity
    a, b = NoEq(1), NoEq(1)
    assert a > b  # "not <" and "!=" (identity): each is greater than the other
    assert b > a
    assert a >= b
    assert b >= a


# --- __repr__ -------------------------------------------------------------------------


def test_repr_of_a_container_shows_its_elements_reprs() -> None:
    assert repr([Ratio(2, 4)]) == "[Ratio(2, 4)]"
    assert str([Ratio(2, 4)]) == "[Ratio(2, 4)]"
    assert str({"k": Version(1, 2)}) == "{'k': Version(1, 2)}"


def test_str_alone_is_ignored_by_containers() -> None:
    user = OnlyStr("bob")
    assert str(user) == "user bob"
    assert "object at 0x" in repr(user)
    assert "user bob" not in str([user])
    assert "OnlyStr object at 0x" in str([user])


# --- container protocols --------------------------------------------------------------


def test_len_iter_and_contains_make_a_container() -> None:
    p = Playlist(["a", "b", "a"])
    assert len(p) == 3
    assert list(p) == ["a", "b", "a"]
    assert "b" in p
    assert "z" not in p
    assert bool(p)
    assert not bool(Playlist([]))  # bool() falls back to __len__


def test_contains_answers_without_iterating() -> None:
    p = Playlist(str(i) for i in range(1000))
    assert "999" in p
    assert "nope" not in p
    assert p.iterations == 0


def test_contains_makes_no_equality_checks_on_a_miss() -> None:
    compared: list[str] = []

    class Song(str):
        __slots__ = ()

        def __hash__(self) -> int:
            return int(self)  # distinct and fixed, so no two songs collide

        def __eq__(self, other: object) -> bool:
            compared.append(str(self))
            return str.__eq__(self, other)

    p = Playlist(Song(i) for i in range(1000))
    assert Song(1000) not in p
    assert compared == []  # a list scan would compare with all 1000 songs
    assert Song(500) in p
    assert len(compared) == 1  # one hash match, one __eq__ to confirm it


def test_a_container_is_a_collection_by_its_methods_alone() -> None:
    assert isinstance(Playlist([]), Collection)
    assert Playlist.__mro__ == (Playlist, object)  # the ABC is not a base: __subclasshook__
    assert not isinstance(IterableOnly([]), Container)  # no __contains__


def test_containers_check_identity_before_eq() -> None:
    nan = math.nan
    assert nan != nan
    assert nan in [nan]  # the same object: identity short-circuits ==
    assert float("nan") not in [nan]  # an equal-looking but distinct nan


def test_in_falls_back_to_iter_and_stops_at_the_first_match() -> None:
    box = IterableOnly([10, 20, 30, 40])
    assert 20 in box
    assert box.yielded == 2
    box.yielded = 0
    assert 99 not in box
    assert box.yielded == 4  # a miss scans everything


def test_in_falls_back_to_getitem_from_zero_until_index_error() -> None:
    # mypy does not model the old sequence protocol, hence the ignores.
    box = IndexedOnly([10, 20, 30])
    assert 20 in box  # type: ignore[operator]
    assert box.indices == [0, 1]
    box.indices.clear()
    assert 99 not in box  # type: ignore[operator]
    assert box.indices == [0, 1, 2, 3]
    box.indices.clear()
    assert list(box) == [10, 20, 30]  # type: ignore[call-overload]  # same protocol


def test_len_needs_len() -> None:
    with pytest.raises(TypeError, match="has no len"):
        len(IterableOnly([1]))  # type: ignore[arg-type]
