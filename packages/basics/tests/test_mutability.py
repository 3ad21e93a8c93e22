"""Tests for basics.mutability: ``t[0] += ...`` raises and mutates; hashability is deep."""

from __future__ import annotations

import pytest

from handbook.basics.mutability import (
    ContentHashed,
    extend_first,
    extend_first_with_plus_equals,
    is_hashable,
    looks_hashable,
    ordered_pair_key,
    pair_key,
    trace_augmented_assignment,
)


def test_plus_equals_through_a_tuple_raises_and_still_mutates() -> None:
    inner: list[int] = []
    t = (inner, "tag")
    with pytest.raises(TypeError, match="does not support item assignment"):
        extend_first_with_plus_equals(t, [1])
    assert t == ([1], "tag")  # the exception came after the mutation
    assert t[0] is inner  # the tuple still holds the same list


def test_the_bare_statement_raises_and_mutates_too() -> None:
    t: tuple[list[int]] = ([],)
    with pytest.raises(TypeError):
        t[0] += [1]
    assert t == ([1],)


def test_calling_the_method_mutates_without_raising() -> None:
    t: tuple[list[int], str] = ([], "tag")
    extend_first(t, [1])
    extend_first(t, [2, 3])
    assert t == ([1, 2, 3], "tag")


def test_augmented_assignment_gets_adds_in_place_then_stores() -> None:
    steps, contents, raised = trace_augmented_assignment()
    assert steps == ["get item", "in-place add", "store item"]
    assert contents == [1]
    assert raised is True


def test_a_tuples_value_changes_when_its_list_does() -> None:
    t: tuple[list[int], int] = ([], 1)
    snapshot: tuple[list[int], int] = ([], 1)
    assert t == snapshot
    t[0].append(9)
    assert t != snapshot


def test_a_tuple_holding_a_list_is_built_and_fails_only_when_hashed() -> None:
    t = ([1], 2)  # building it is fine
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(t)
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        {t: "value"}  # noqa: B018 (building the dict is the test)


def test_a_frozenset_of_unhashables_cannot_even_be_built() -> None:
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        frozenset([[1]])


def test_a_key_whose_hash_changes_is_lost_in_its_dict() -> None:
    key = ContentHashed([1])
    index = {key: "v"}
    assert index[ContentHashed([1])] == "v"  # found by an equal key
    key.items.append(2)
    assert key not in index  # looked for in the bucket of the new hash
    assert ContentHashed([1]) not in index  # right bucket, but the entry is no longer equal
    assert any(k is key for k in index)  # the entry is still there, unreachable by lookup
    assert len(index) == 1


def test_defining_eq_without_hash_makes_instances_unhashable() -> None:
    class EqOnly:
        def __eq__(self, other: object) -> bool:
            return isinstance(other, EqOnly)

    assert vars(EqOnly)["__hash__"] is None  # set by the class statement
    with pytest.raises(TypeError, match="unhashable type: 'EqOnly'"):
        {EqOnly(): 1}


def test_a_tuple_rehashes_its_elements_every_time() -> None:
    calls: list[str] = []

    class Counted:
        def __hash__(self) -> int:
            calls.append("hash")
            return 1

    t = (Counted(),)
    assert hash(t) == hash(t)
    assert calls == ["hash", "hash"]  # no cached tuple hash on 3.11-3.13


def test_tuples_and_frozensets_of_hashables_are_keys() -> None:
    index = {(1, "a"): "tuple", frozenset({1, 2}): "frozenset"}
    assert index[(1, "a")] == "tuple"
    assert index[frozenset({2, 1})] == "frozenset"
    assert hash((1, "a")) == hash((1, "a"))


def test_mutable_builtins_have_no_hash() -> None:
    assert list.__hash__ is None
    assert dict.__hash__ is None
    assert set.__hash__ is None
    assert frozenset.__hash__ is not None


def test_the_hashable_abc_is_fooled_by_a_tuple_holding_a_list() -> None:
    assert looks_hashable(([],)) is True
    assert looks_hashable([]) is False


def test_calling_hash_is_the_real_test() -> None:
    assert is_hashable(([],)) is False
    assert is_hashable((1, "a", (2, 3))) is True
    assert is_hashable(frozenset({1, 2})) is True
    assert is_hashable({}) is False


def test_a_tuple_key_depends_on_order() -> None:
    assert ordered_pair_key("a", "b") != ordered_pair_key("b", "a")
    distances = {ordered_pair_key("Paris", "Lyon"): 465}
    assert ordered_pair_key("Lyon", "Paris") not in distances


def test_a_frozenset_collapses_a_self_pair_and_a_sorted_tuple_does_not() -> None:
    assert pair_key("a", "a") == frozenset({"a"})
    assert len(pair_key("a", "a")) == 1
    assert tuple(sorted(("b", "a"))) == tuple(sorted(("a", "b"))) == ("a", "b")
    assert tuple(sorted(("a", "a"))) == ("a", "a")


def test_a_frozenset_key_ignores_order() -> None:
    assert pair_key("a", "b") == pair_key("b", "a")
    assert hash(pair_key("a", "b")) == hash(pair_key("b", "a"))
    distances = {pair_key("Paris", "Lyon"): 465}
    assert distances[pair_key("Lyon", "Paris")] == 465
