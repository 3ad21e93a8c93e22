"""Tests for basics.data_classes: frozen is shallow, slots, defaults, compare=False, replace."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from handbook.basics.data_classes import (
    Doubled,
    Endpoint,
    FrozenDoubled,
    FrozenWithList,
    LooseEndpoint,
    Order,
    OwnHistory,
    Price,
    SharedHistory,
    Tagged,
    make_unchecked_price,
)


def define_with_default(default: Any) -> type:
    """Create a dataclass whose one field has ``default``; raises as the decorator does."""

    @dataclass
    class WithDefault:
        value: Any = default

    return WithDefault


@pytest.mark.parametrize("default", [[], {}, set(), bytearray()])
def test_unhashable_defaults_are_rejected_at_class_creation(default: Any) -> None:
    kind = type(default).__name__
    with pytest.raises(ValueError, match=f"mutable default <class '{kind}'>.*default_factory"):
        define_with_default(default)


def test_any_unhashable_default_is_rejected_since_3_11() -> None:
    # 3.11 changed the test from isinstance(default, (list, dict, set)) to
    # type(default).__hash__ is None: a non-frozen dataclass instance is caught.
    @dataclass
    class Inner:
        x: int = 0

    with pytest.raises(ValueError, match=r"mutable default <class '.*Inner'>"):
        define_with_default(Inner())

    class Tags(list[str]):
        pass

    with pytest.raises(ValueError, match="mutable default"):
        define_with_default(Tags())


def test_a_hashable_list_subclass_slips_through_since_3_11() -> None:
    class HashableTags(list[str]):
        def __hash__(self) -> int:  # type: ignore[override]
            return id(self)

    cls = define_with_default(HashableTags())
    assert cls().value is cls().value  # one shared list; 3.10's isinstance check refused it


def test_hashable_defaults_pass_the_check_even_when_mutable() -> None:
    assert define_with_default(()) is not None
    assert define_with_default(frozenset()) is not None
    shared_a, shared_b = SharedHistory(), SharedHistory()
    assert shared_a.history is shared_b.history
    shared_a.history.events.append("created")
    assert shared_b.history.events == ["created"]  # leaked into another instance


def test_default_factory_builds_a_fresh_default_per_instance() -> None:
    a, b = OwnHistory(), OwnHistory()
    assert a.history is not b.history
    a.history.events.append("created")
    assert b.history.events == []


def test_frozen_blocks_assignment_and_deletion() -> None:
    t = Tagged("x", ("a",))
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        t.name = "y"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del t.name
    assert issubclass(dataclasses.FrozenInstanceError, AttributeError)
    assert hash(t) == hash(Tagged("x", ("a",)))


def test_frozen_is_shallow() -> None:
    f = FrozenWithList("x", [])
    f.tags.append("oops")
    assert f.tags == ["oops"]
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(f)


def test_a_non_frozen_dataclass_with_eq_is_unhashable() -> None:
    assert vars(LooseEndpoint)["__hash__"] is None
    with pytest.raises(TypeError, match="unhashable"):
        {LooseEndpoint("db", 1)}


def test_without_slots_a_typo_creates_a_new_attribute() -> None:
    e = LooseEndpoint("db", 5432)
    e.prot = 1  # type: ignore[attr-defined]
    assert e.port == 5432
    assert vars(e) == {"host": "db", "port": 5432, "prot": 1}


def test_with_slots_a_typo_raises_and_there_is_no_dict() -> None:
    e = Endpoint("db", 5432)
    assert not hasattr(e, "__dict__")
    assert Endpoint.__slots__ == ("host", "port")
    with pytest.raises(AttributeError, match="has no attribute 'prot'"):
        e.prot = 1  # type: ignore[attr-defined]
    e.port = 6543  # declared fields stay assignable
    assert e.port == 6543


def test_slots_dataclass_breaks_zero_argument_super() -> None:
    @dataclass(slots=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return "Named:" + super().__repr__()

    # The decorator returns a new class; the method's __class__ cell names the
    # old one. gh-90562 (3.14) makes the decorator update that cell.
    if sys.version_info >= (3, 14):
        assert repr(Named("x")) == "Named:Named(name='x')"
    else:
        with pytest.raises(TypeError, match="super"):
            repr(Named("x"))


def test_compare_false_fields_are_left_out_of_eq_and_hash() -> None:
    a = Order("o-1", 3, fetched_at=1.0)
    b = Order("o-1", 3, fetched_at=2.0)
    assert a == b
    assert hash(a) == hash(b)
    assert Order("o-1", 4) != a
    assert "fetched_at=1.0" in repr(a)  # still shown, just not compared


def test_post_init_validates_construction() -> None:
    assert Price(100, "EUR").cents == 100
    assert Price(0, "EUR").cents == 0  # the boundary: non-negative includes zero
    with pytest.raises(ValueError, match="non-negative"):
        Price(-1, "EUR")


def test_post_init_accepts_only_three_ascii_capitals() -> None:
    for currency in ["eur", "EURO", "EU", "EUR\n", "E1R", "U$D", "A  ", "ÄÖÜ"]:
        with pytest.raises(ValueError, match="3 upper-case letters"):
            Price(1, currency)
    assert "E1R".isupper()  # why isupper() is not enough
    assert "A  ".isupper()


@pytest.mark.parametrize(("cents", "currency"), [(1, None), (True, "EUR"), (1.5, "EUR")])
def test_post_init_rejects_wrong_types(cents: object, currency: object) -> None:
    with pytest.raises(TypeError, match=r"must be an int|must be a str"):
        Price(cents, currency)  # type: ignore[arg-type]


def test_copy_and_pickle_skip_post_init(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Price] = []
    original = Price.__post_init__

    def counting(self: Price) -> None:
        calls.append(self)
        original(self)

    monkeypatch.setattr(Price, "__post_init__", counting)
    p = Price(100, "EUR")
    assert len(calls) == 1
    copy.copy(p)
    copy.deepcopy(p)
    pickle.loads(pickle.dumps(p))
    assert len(calls) == 1  # none of the three ran __init__


def test_unpickling_does_not_revalidate() -> None:
    bad = Price(100, "EUR")
    object.__setattr__(bad, "cents", -1)  # writes past frozen
    assert bad.cents == -1
    stored = pickle.dumps(bad)  # as a cache or queue would hold it
    assert pickle.loads(stored).cents == -1  # no ValueError: __post_init__ never ran
    with pytest.raises(ValueError, match="non-negative"):
        dataclasses.replace(bad)  # through __init__ again: checked


def test_frozen_post_init_sets_a_derived_field_with_object_setattr() -> None:
    assert FrozenDoubled(4).twice == 8
    assert dataclasses.replace(FrozenDoubled(4), base=5).twice == 10

    @dataclass(frozen=True)
    class Naive:
        base: int
        twice: int = field(init=False)

        def __post_init__(self) -> None:
            self.twice = 2 * self.base  # type: ignore[misc]

    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'twice'"):
        Naive(4)


def test_a_required_field_after_an_inherited_default_needs_kw_only() -> None:
    @dataclass
    class Base:
        retries: int = 3

    with pytest.raises(TypeError, match="non-default argument 'url' follows default argument"):

        @dataclass
        class Broken(Base):
            url: str  # type: ignore[misc]

    @dataclass(kw_only=True)
    class Fixed(Base):
        url: str

    assert Fixed(url="x") == Fixed(url="x", retries=3)


def test_eq_requires_the_same_class() -> None:
    @dataclass
    class Base:
        x: int

    @dataclass
    class Sub(Base):
        pass

    assert Base(1) == Base(1)
    assert Sub(1) != Base(1)
    assert Base(1) != Sub(1)


def test_asdict_deep_copies_nested_containers() -> None:
    f = FrozenWithList("x", ["a"])
    as_dict = dataclasses.asdict(f)
    assert as_dict == {"name": "x", "tags": ["a"]}
    assert as_dict["tags"] is not f.tags
    as_dict["tags"].append("b")
    assert f.tags == ["a"]


def test_replace_runs_post_init_again() -> None:
    p = Price(100, "EUR")
    assert dataclasses.replace(p, cents=250) == Price(250, "EUR")
    with pytest.raises(ValueError, match="non-negative"):
        dataclasses.replace(p, cents=-1)
    assert dataclasses.replace(Doubled(2), base=5).twice == 10


def test_replace_bypasses_a_validating_factory() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        make_unchecked_price(-1, "EUR")
    bad = dataclasses.replace(make_unchecked_price(100, "EUR"), cents=-1)
    assert bad.cents == -1


def test_replace_rejects_init_false_fields_with_a_version_dependent_error() -> None:
    expected = TypeError if sys.version_info >= (3, 13) else ValueError
    with pytest.raises(expected, match="init=False, it cannot be specified with replace"):
        dataclasses.replace(Doubled(2), twice=3)


def test_copy_replace_exists_for_dataclasses_from_3_13() -> None:
    if sys.version_info >= (3, 13):
        assert hasattr(Price, "__replace__")
        assert copy.replace(Price(1, "EUR"), cents=2) == Price(2, "EUR")  # type: ignore[attr-defined]
    else:
        assert not hasattr(copy, "replace")
        assert not hasattr(Price, "__replace__")


def test_default_factory_with_a_list() -> None:
    @dataclass
    class Basket:
        items: list[str] = field(default_factory=list)

    a, b = Basket(), Basket()
    a.items.append("apple")
    assert b.items == []
