"""Tests for internals.dict_internals: hash seeds, the int hash, collisions, the compact layout."""

from __future__ import annotations

import sys

from hypothesis import example, given
from hypothesis import strategies as st

from handbook.internals.dict_internals import (
    copy_keeps_table,
    count_eq_calls,
    int_hash,
    presized_slots,
    seeded_hashes,
    set_order_with_seed,
)

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]


def test_the_hash_seed_changes_a_string_sets_order_and_the_same_seed_repeats() -> None:
    order0, int0 = set_order_with_seed(WORDS, 0)
    order1, int1 = set_order_with_seed(WORDS, 1)
    again0, _ = set_order_with_seed(WORDS, 0)
    assert sorted(order0) == sorted(order1) == sorted(WORDS)
    assert order0 != order1
    assert again0 == order0
    assert int0 == int1 == 12345  # the int hash ignores the seed


def test_str_and_bytes_hashes_follow_the_seed_and_int_hashes_do_not() -> None:
    zero, one, zero_again = seeded_hashes(0), seeded_hashes(1), seeded_hashes(0)
    assert zero == zero_again  # a fixed seed is reproducible
    assert zero["str"] != one["str"]
    assert zero["bytes"] != one["bytes"]
    assert zero["int"] == one["int"] == 12345
    assert zero["empty"] == one["empty"] == 0  # a zero-length input hashes to 0, unsalted


def test_string_hashes_are_siphash() -> None:
    assert sys.hash_info.algorithm == "siphash13"  # 3.11+; siphash24 before


@given(st.integers())
@example(-1)  # the C error value, remapped to -2
@example(-(2**61))  # abs() is 1 past the modulus: value -1 again
def test_int_hash_is_the_value_mod_a_mersenne_prime(n: int) -> None:
    assert int_hash(n) == hash(n)


def test_the_modulus_is_2_to_the_61_minus_1_on_64_bit() -> None:
    if sys.maxsize > 2**32:
        assert sys.hash_info.modulus == 2**61 - 1
    m = sys.hash_info.modulus
    assert hash(m) == 0
    assert hash(m + 5) == 5
    assert hash(-1) == hash(-2) == -2
    assert hash(1) == hash(1.0) == hash(True)


def test_multiples_of_the_modulus_all_collide() -> None:
    m = sys.hash_info.modulus
    assert {hash(k * m) for k in range(1, 100)} == {0}


def test_colliding_keys_make_inserts_quadratic_in_eq_calls() -> None:
    n = 60
    colliding = count_eq_calls(n, same_hash=True)
    # Each new key meets every earlier key with the same hash in its probe chain.
    assert colliding >= n * (n - 1) // 2
    assert count_eq_calls(n, same_hash=False) == 0  # different hashes: no __eq__ at all
    assert count_eq_calls(2 * n, same_hash=True) >= 3 * colliding  # doubling n: ~4x work


def test_a_set_of_small_ints_iterates_in_value_order() -> None:
    # A CPython detail: hash(n) == n, so each small int sits in slot n.
    assert list({5, 3, 1, 4, 2}) == [1, 2, 3, 4, 5]


def test_a_set_does_not_keep_insertion_order() -> None:
    added: set[int] = set()
    added.add(1)
    added.add(8)
    # The 8-slot table is walked in slot order: 8 % 8 == 0 lands before 1.
    assert list(added) == [8, 1]
    assert list(dict.fromkeys([1, 8])) == [1, 8]  # a dict does keep it


def test_a_dict_iterates_in_insertion_order_whatever_the_hashes() -> None:
    keys = [5, 3, 1, 4, 2]
    assert list(dict.fromkeys(keys)) == keys
    assert list(dict.fromkeys(WORDS)) == WORDS


N = 1000  # int keys, grown one insert at a time to a 2048-slot table


def _after_deleting(live: int) -> dict[int, int]:
    """A dict that held N keys and now holds ``live``: N entries used, N - live dead."""
    table = {i: i for i in range(N)}
    for i in range(N - live):
        del table[i]
    return table


FULL_SIZE = sys.getsizeof(_after_deleting(N))


def test_deleting_does_not_shrink_a_dict() -> None:
    nearly_empty = _after_deleting(1)
    assert sys.getsizeof(nearly_empty) == FULL_SIZE  # dead entries stay allocated
    assert sys.getsizeof(nearly_empty.copy()) < FULL_SIZE // 10  # a compacted copy is tiny


def test_copy_clones_the_table_while_two_thirds_of_the_entries_are_live() -> None:
    assert sys.getsizeof(_after_deleting(666).copy()) == FULL_SIZE  # 666 >= 2000 // 3
    assert sys.getsizeof(_after_deleting(665).copy()) < FULL_SIZE  # one more dead: compacted
    for live in range(600, 720, 3):
        copied = _after_deleting(live).copy()
        kept = sys.getsizeof(copied) == FULL_SIZE
        assert kept == copy_keeps_table(live, N), live


def test_dict_of_a_dict_with_deletions_is_presized_for_its_live_keys() -> None:
    # 683 live keys need 1025 slots (1.5x), so 2048; 682 fit in 1024.
    assert sys.getsizeof(dict(_after_deleting(683))) == FULL_SIZE
    assert sys.getsizeof(dict(_after_deleting(682))) < FULL_SIZE
    for live in range(640, 760, 3):
        rebuilt = dict(_after_deleting(live))
        kept = sys.getsizeof(rebuilt) == FULL_SIZE
        assert kept == (presized_slots(live) == 2048), live


def test_copy_and_dict_disagree_after_a_third_is_deleted() -> None:
    lightly_deleted = _after_deleting(680)
    assert sys.getsizeof(lightly_deleted.copy()) == FULL_SIZE  # cloned, dead entries and all
    assert sys.getsizeof(dict(lightly_deleted)) < FULL_SIZE  # rebuilt for 680 keys
