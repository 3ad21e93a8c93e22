"""Tests for basics.hashing_sets: the hash/eq contract, lost mutated keys, NaN in sets."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import zlib
from dataclasses import dataclass

import pytest

from handbook.basics.hashing_sets import (
    EqOnlyUser,
    IdentityHashUser,
    MutableKey,
    User,
    as_set,
    count_distinct_readings,
    count_distinct_readings_naive,
    rekey,
    shard_by_builtin_hash,
    shard_stable,
)

SHARDS_IN_A_CHILD = (
    "from handbook.basics.hashing_sets import shard_by_builtin_hash, shard_stable\n"
    "print(shard_by_builtin_hash('user-42', 1024), shard_stable('user-42', 1024))"
)


def shards_with_seed(seed: str) -> tuple[int, int]:
    """(builtin-hash shard, stable shard) of one key, computed in a fresh interpreter."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", SHARDS_IN_A_CHILD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def test_one_one_point_zero_and_true_are_one_element_and_the_first_is_kept() -> None:
    assert 1 == 1.0 == True
    assert hash(1) == hash(1.0) == hash(True)
    first_int = {1, 1.0, True}  # noqa: B033 (the duplicates are the point)
    assert len(first_int) == 1
    assert type(next(iter(first_int))) is int
    first_bool = {True, 1, 1.0}  # noqa: B033
    assert type(next(iter(first_bool))) is bool
    built = as_set(1.0, True, 1)  # built at run time: the same rule
    assert len(built) == 1
    assert type(next(iter(built))) is float


def test_in_a_dict_the_first_key_stays_and_the_last_value_wins() -> None:
    d = {1: "int", 1.0: "float", True: "bool"}  # noqa: F601
    assert d == {1: "bool"}
    (key,) = d
    assert type(key) is int


def test_eq_without_hash_makes_a_class_unhashable() -> None:
    assert vars(EqOnlyUser)["__hash__"] is None
    with pytest.raises(TypeError, match="unhashable type: 'EqOnlyUser'"):
        {EqOnlyUser("ann")}
    assert EqOnlyUser("ann") == EqOnlyUser("ann")


def test_identity_hash_with_value_equality_keeps_equal_objects_twice() -> None:
    a, b = IdentityHashUser("ann"), IdentityHashUser("ann")
    assert a == b
    assert len({a, b}) == 2  # the contract is broken: equal, different hashes
    assert b not in {a}


def test_eq_returns_not_implemented_for_foreign_types() -> None:
    assert EqOnlyUser("ann").__eq__("ann") is NotImplemented
    assert MutableKey(1).__eq__(1) is NotImplemented
    assert EqOnlyUser("ann") != "ann"  # both sides said NotImplemented: identity decides


def test_frozen_dataclass_hashes_what_it_compares() -> None:
    users = {User("ann"), User("ann"), User("bob")}
    assert users == {User("ann"), User("bob")}
    assert hash(User("ann")) == hash(User("ann"))
    assert User("ann") in users


def test_frozen_is_shallow_so_a_mutable_field_changes_the_hash() -> None:
    @dataclass(frozen=True)
    class Holder:
        key: MutableKey

    inner = MutableKey(1)
    holder = Holder(inner)
    before = hash(holder)
    holders = {holder}
    inner.value = 2  # no assignment to a field of holder, yet its hash moved
    assert hash(holder) != before
    assert holder not in holders


def test_a_container_is_hashable_only_if_its_contents_are() -> None:
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash((1, []))
    with pytest.raises(TypeError, match="unhashable type: 'set'"):
        _ = {frozenset(), set()}
    groups = {frozenset({"a", "b"}): 1}
    assert groups[frozenset({"b", "a"})] == 1  # frozenset: hashable, order-free


def test_a_key_mutated_after_insertion_is_lost() -> None:
    key = MutableKey(1)
    keys = {key}
    key.value = 2
    assert list(keys) == [key]  # still stored: iteration finds it
    assert any(k is key for k in keys)
    assert key not in keys  # the lookup hashes 2, the entry sits under hash(1)
    assert MutableKey(1) not in keys  # the right slot, but the stored object now says 2
    with pytest.raises(KeyError):
        keys.remove(key)
    keys.add(key)
    assert len(keys) == 2  # the same object, stored twice
    assert [k is key for k in keys] == [True, True]


def test_rekey_removes_changes_and_re_adds() -> None:
    key = MutableKey(1)
    keys = {key, MutableKey(5)}
    rekey(keys, key, 2)
    assert key in keys
    assert MutableKey(2) in keys
    assert MutableKey(1) not in keys
    assert len(keys) == 2


def test_nan_is_not_equal_to_itself_but_containers_check_identity_first() -> None:
    nan = float("nan")
    assert nan != nan
    assert nan in [nan]
    assert nan in {nan}
    assert {nan: 1}[nan] == 1
    assert len({nan, nan}) == 1


def test_two_different_nan_objects_are_both_kept() -> None:
    a, b = float("nan"), float("nan")
    assert a is not b
    assert len({a, b}) == 2
    assert b not in {a}
    assert float("nan") not in {math.nan}
    assert math.nan in {math.nan}  # one shared object


def test_hash_of_nan_is_its_identity_hash_since_3_10() -> None:
    assert sys.version_info >= (3, 10)  # the matrix is 3.11-3.13
    a, b = float("nan"), float("nan")
    assert hash(a) == object.__hash__(a)
    assert hash(b) == object.__hash__(b)
    assert hash(a) != hash(b)  # two live objects, two addresses, two identity hashes
    assert hash(math.inf) != hash(a)  # ordinary floats still hash by value
    assert hash(2.0) == hash(2)


def test_counting_nans_naively_counts_each_object() -> None:
    readings = [float("nan"), float("nan"), 1.0, 1.0]
    assert count_distinct_readings_naive(readings) == 3


def test_counting_with_one_nan_representative() -> None:
    readings = [float("nan"), float("nan"), 1.0, 1.0, 2.5]
    assert count_distinct_readings(readings) == 3
    assert count_distinct_readings([]) == 0


def test_hash_of_minus_one_is_minus_two_in_cpython() -> None:
    if sys.implementation.name != "cpython":
        pytest.skip("a CPython detail: -1 signals an error in the C API")
    assert hash(-1) == hash(-2) == -2
    assert len({-1, -2}) == 2  # a collision, not equality: both are kept


def test_str_hash_is_salted_per_process_so_it_cannot_pick_a_shard() -> None:
    first, second, again = shards_with_seed("1"), shards_with_seed("2"), shards_with_seed("1")
    # With these two fixed seeds the salted hashes of 'user-42' land on
    # different shards (another key could collide by chance, 1 in 1024).
    assert first[0] != second[0]
    assert first == again  # the same seed gives the same hash: the salt is the seed
    assert first[1] == second[1] == shard_stable("user-42", 1024)  # the fix never moves
    assert shard_by_builtin_hash("user-42", 1024) == hash("user-42") % 1024


def test_stable_shard_uses_the_standard_crc32() -> None:
    assert zlib.crc32(b"123456789") == 0xCBF43926  # the published CRC-32 check value
    assert shard_stable("user-42", 16) == zlib.crc32(b"user-42") % 16


def test_the_default_string_hash_is_siphash13_since_3_11() -> None:
    if sys.implementation.name != "cpython":
        pytest.skip("the hash algorithm is a CPython build option")
    assert sys.hash_info.algorithm == "siphash13"
