"""Tests for ds.hashmap: tombstones, resizing, probing and exception safety; a dict as model."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from handbook.ds.hashmap import HashMap, LinearProbingHashMap


class Key:
    """A key with a chosen hash (to force collisions) that counts hash calls."""

    hash_calls = 0

    def __init__(self, name: str, h: int, *, explode: bool = False) -> None:
        self.name = name
        self.h = h
        self.explode = explode

    def __hash__(self) -> int:
        Key.hash_calls += 1
        return self.h

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        if self.explode or other.explode:
            raise RuntimeError("__eq__ exploded")
        return self.name == other.name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


def snapshot(m: HashMap[Any, Any]) -> tuple[list[Any], list[Any], list[int], int, int]:
    return list(m._keys), list(m._values), list(m._hashes), m._len, m._fill


# --- tombstones ------------------------------------------------------------------------------


def test_lookup_probes_past_a_tombstone() -> None:
    a, b = Key("a", 0), Key("b", 0)  # same hash: b lands further along a's probe path
    m = HashMap([(a, 1), (b, 2)])
    del m[a]
    assert m._tombstones == 1
    assert b in m, "b sits behind a's slot: the lookup must probe past the tombstone"
    assert m.get(b) == 2
    assert a not in m
    m._check()


def test_insert_reuses_the_first_tombstone_on_its_path() -> None:
    a, b, c = Key("a", 0), Key("b", 0), Key("c", 0)
    m = HashMap([(a, 1), (b, 2)])
    slot_of_a = m._keys.index(a)
    del m[a]
    m[c] = 3
    assert m._keys[slot_of_a] is c
    assert m._tombstones == 0
    assert m._fill == 2
    m._check()


def test_resize_purges_tombstones() -> None:
    m = HashMap((i, i) for i in range(5))  # five of eight slots used: just under 2/3
    for i in range(4):
        del m[i]
    assert (len(m), m._fill, m._tombstones) == (1, 5, 4)
    m[5] = 5  # slot 5 is empty: a sixth used slot would pass 2/3, so the table is rebuilt
    assert (len(m), m._fill, m._tombstones) == (2, 2, 0)
    assert len(m._keys) == 8  # rebuilt for the two live keys: same size, no tombstones
    assert dict(m) == {4: 4, 5: 5}
    m._check()


def test_tombstones_count_toward_the_load_factor() -> None:
    m = HashMap[int, int]()
    for i in range(100):  # insert-then-delete churn leaves a tombstone each round
        m[i] = i
        del m[i]
        m._check()
    assert len(m) == 0
    assert 99 not in m  # a miss still finds an empty slot to stop at


def test_growth_keeps_load_at_most_two_thirds_and_does_not_rehash() -> None:
    keys = [Key(str(i), i) for i in range(1000)]
    m = HashMap[Key, int]()
    Key.hash_calls = 0
    for i, key in enumerate(keys):
        m[key] = i
    assert Key.hash_calls == 1000  # one hash per insert: resizes reuse the stored hashes
    assert len(m._keys) == 2048
    m._check()
    assert all(m[key] == i for i, key in enumerate(keys))


def test_every_slot_is_reachable_when_all_keys_collide() -> None:
    keys = [Key(str(i), 42) for i in range(40)]
    m = HashMap((key, i) for i, key in enumerate(keys))
    m._check()
    assert [m[key] for key in keys] == list(range(40))


def test_keys_sharing_low_bits_all_start_at_one_slot_and_stay_reachable() -> None:
    m = HashMap((i * 1024, i) for i in range(20))  # identical low bits: one home slot
    m._check()
    size = len(m._keys)
    assert size == 32
    assert {k & (size - 1) for k in m} == {0}
    assert all(m[i * 1024] == i for i in range(20))


def test_perturbation_separates_keys_that_linear_probing_piles_up() -> None:
    keys = [i * 1024 for i in range(20)]  # hash(n) == n: all share their low 10 bits
    perturbed = HashMap((k, k) for k in keys)
    linear = LinearProbingHashMap((k, k) for k in keys)
    for m in (perturbed, linear):
        m._check()
        assert len(m._keys) == 32
        assert {k & 31 for k in m} == {0}  # one home slot for every key in both tables
    # Linear probing: the keys fill slots 0..19 in a row, and the key in slot j is found
    # after j + 1 probes: 1 + 2 + ... + 20 = 210.
    linear_costs = sorted(linear.probe_count(k) for k in keys)
    assert linear_costs == list(range(1, 21))
    # Perturbed: for h = 1024 * i the path is 0, then (1 + 32 * i) & 31 = 1 (the 5 bits shifted
    # in first are zero too), then 5 * 1 + 1 + i = 6 + i: slots 7..25 for i = 1..19, all
    # different. One key has slot 0, one slot 1, the other 18 their own third slot:
    # 1 + 2 + 18 * 3 = 57.
    perturbed_costs = sorted(perturbed.probe_count(k) for k in keys)
    assert perturbed_costs == [1, 2] + [3] * 18
    assert sum(linear_costs) == 210 > 3 * sum(perturbed_costs) == 3 * 57


class CountingKey:
    """A key with a chosen hash whose ``__eq__`` calls are counted."""

    eq_calls = 0

    def __init__(self, value: int, h: int) -> None:
        self.value = value
        self.h = h

    def __hash__(self) -> int:
        return self.h

    def __eq__(self, other: object) -> bool:
        CountingKey.eq_calls += 1
        return isinstance(other, CountingKey) and self.value == other.value


def test_stored_hashes_keep_colliding_keys_away_from_eq() -> None:
    # Different hashes, identical low 10 bits: all 20 start at slot 0 of the 64-slot
    # table and walk each other's probe paths.
    keys = [CountingKey(i, i * 1024) for i in range(20)]
    CountingKey.eq_calls = 0
    m = HashMap((key, key.value) for key in keys)
    m._check()
    assert max(m.probe_count(key) for key in keys) > 1  # they do collide
    assert CountingKey.eq_calls == 0  # every stored hash differed: no __eq__ on insert
    assert [m[key] for key in keys] == list(range(20))
    assert CountingKey.eq_calls == 0  # the same objects: identity settles it
    copies = [CountingKey(i, i * 1024) for i in range(20)]
    assert [m[copy] for copy in copies] == list(range(20))
    assert CountingKey.eq_calls == 20  # an equal copy: one __eq__, with the key it matches
    assert CountingKey(99, 99 * 1024) not in m
    assert CountingKey.eq_calls == 20  # a miss compares nothing


def test_cpython_dict_uses_up_capacity_when_it_reuses_a_deleted_slot() -> None:
    d: dict[int, int] = {}
    for i in range(5):
        d[i] = i  # 8 index slots, 2/3 of them (5) usable entries: all used up
    full = sys.getsizeof(d)
    del d[0]
    d[0] = 0  # its index slot holds a "deleted" marker and is reused, but the entry is new
    assert sys.getsizeof(d) > full  # no entry was left: the insert resized (to 16 slots)
    # HashMap counts as CPython did before 3.6: reusing a tombstone adds nothing.
    m = HashMap((i, i) for i in range(5))
    del m[0]
    m[0] = 0
    assert len(m._keys) == 8
    assert (m._fill, m._tombstones) == (5, 0)


def test_cpython_dict_layout_one_byte_indices_and_entries_for_two_thirds() -> None:
    assert sys.maxsize == 2**63 - 1  # the byte counts below are a 64-bit build's

    def size_of(n: int) -> int:
        d: dict[int, None] = {}
        for i in range(n):
            d[i] = None
        return sys.getsizeof(d)

    # 5 keys fit 8 slots (5 usable entries); the 6th grows the table to 16 slots (10
    # usable entries). 8 more one-byte indices and 5 more 24-byte (hash, key, value)
    # entries: 128 bytes. Eight-byte indices would make it 8 * 8 + 120 = 184.
    assert size_of(6) - size_of(5) == 8 * 1 + 5 * 24


def test_cpython_dict_does_not_shrink_on_delete_only_on_a_later_resize() -> None:
    d: dict[int, int] = {}
    for i in range(1000):
        d[i] = i  # 2,048 slots: 1,365 usable entries (2/3), 1,000 of them used
    full = sys.getsizeof(d)
    for i in range(1, 1000):
        del d[i]
    assert sys.getsizeof(d) == full  # 999 deletes: not a byte given back
    assert sys.getsizeof(dict(d)) < full // 50  # a copy starts small: not 2,048 slots
    rounds = 0
    while sys.getsizeof(d) == full:
        del d[0]
        d[0] = 0  # each round appends an entry: the 366th finds none left and resizes
        rounds += 1
    assert rounds == 1365 - 1000 + 1
    assert sys.getsizeof(d) < full  # the resize is sized for the one live key


def java_spread(h: int) -> int:
    """Java's ``HashMap.hash``: ``h ^ (h >>> 16)`` on a 32-bit int."""
    h &= 0xFFFF_FFFF
    return h ^ (h >> 16)


def test_java_folds_the_high_bits_into_the_bucket_index() -> None:
    hashes = [i << 16 for i in range(16)]  # different only above bit 16
    mask = 16 - 1  # a 16-bucket table
    assert {h & mask for h in hashes} == {0}  # masking alone: one bucket for all
    assert sorted(java_spread(h) & mask for h in hashes) == list(range(16))


def hashes_in_a_fresh_interpreter(seed: str) -> list[int]:
    code = "print(hash('handbook'), hash(b'handbook'), hash(1024), hash(10**30))"
    env = {"PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return [int(word) for word in out.stdout.split()]


def test_str_and_bytes_hashes_are_randomised_per_process_but_int_hashes_are_not() -> None:
    one, two = hashes_in_a_fresh_interpreter("1"), hashes_in_a_fresh_interpreter("2")
    # Different SipHash keys: the str and bytes hashes differ between the two processes.
    assert one[0] != two[0]
    assert one[1] != two[1]
    # An int hashes to itself modulo the Mersenne prime 2**61 - 1, whatever the seed.
    modulus = 2**61 - 1
    assert sys.hash_info.modulus == modulus
    assert one[2:] == two[2:] == [1024, 10**30 % modulus]
    assert sys.hash_info.algorithm == "siphash13"  # the default since CPython 3.11


# --- exception safety ------------------------------------------------------------------------


def test_unhashable_key_raises_type_error_and_leaves_the_map_unchanged() -> None:
    m: HashMap[Any, int] = HashMap({"a": 1})
    before = snapshot(m)
    for operation in (
        lambda: m.__setitem__([], 1),
        lambda: m[[]],
        lambda: m.__delitem__([]),
        lambda: [] in m,
    ):
        with pytest.raises(TypeError, match="unhashable"):
            operation()
    assert snapshot(m) == before
    m._check()


def test_key_whose_eq_raises_leaves_the_map_unchanged() -> None:
    good = Key("good", 7)
    m = HashMap([(good, 1)])
    before = snapshot(m)
    bad = Key("bad", 7, explode=True)  # same hash: the probe must compare it with good
    for operation in (
        lambda: m.__setitem__(bad, 2),
        lambda: m[bad],
        lambda: m.__delitem__(bad),
    ):
        with pytest.raises(RuntimeError, match="exploded"):
            operation()
    assert snapshot(m) == before
    m._check()


def test_exploding_key_at_the_resize_threshold_does_not_resize() -> None:
    m = HashMap((Key(str(i), i), i) for i in range(4))
    m[Key("x", 100)] = 5  # five of eight: the next new key would trigger a resize
    before = snapshot(m)
    with pytest.raises(RuntimeError, match="exploded"):
        m[Key("boom", 100, explode=True)] = 6
    assert snapshot(m) == before


# --- the mapping API -------------------------------------------------------------------------


def test_mapping_api() -> None:
    m = HashMap({"a": 1, "b": 2})
    assert m == {"a": 1, "b": 2}
    assert m != {"a": 1}
    assert sorted(m.items()) == [("a", 1), ("b", 2)]
    assert m.pop("a") == 1
    assert m.setdefault("c", 3) == 3
    with pytest.raises(KeyError):
        m["a"]
    with pytest.raises(KeyError):
        del m["a"]
    m.clear()
    assert len(m) == 0
    assert len(m._keys) == HashMap.MIN_SIZE
    m._check()


def test_mutation_during_iteration_raises() -> None:
    m = HashMap({"a": 1, "b": 2})
    keys = iter(m)
    m[next(keys) + "!"] = 0
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        next(keys)


def test_repr_truncates() -> None:
    assert repr(HashMap({"a": 1})) == "HashMap({'a': 1})"
    assert repr(HashMap((i, i) for i in range(15))).endswith("...<5 more>})")


# --- stateful: against a dict, with colliding keys -------------------------------------------


KEYS = [Key(str(i), i % 3) for i in range(9)]  # three keys per hash value: long probe paths


class HashMapMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.m = HashMap[Key, int]()
        self.model: dict[Key, int] = {}

    @rule(k=st.sampled_from(KEYS), value=st.integers())
    def set(self, k: Key, value: int) -> None:
        self.m[k] = value
        self.model[k] = value

    @rule(k=st.sampled_from(KEYS))
    def delete(self, k: Key) -> None:
        if k in self.model:
            del self.m[k]
            del self.model[k]
        else:
            with pytest.raises(KeyError):
                del self.m[k]

    @rule(k=st.sampled_from(KEYS))
    def get(self, k: Key) -> None:
        assert self.m.get(k) == self.model.get(k)

    @rule()
    def popitem(self) -> None:
        if self.model:
            k, value = self.m.popitem()
            assert self.model.pop(k) == value
        else:
            with pytest.raises(KeyError, match=r"popitem\(\): HashMap is empty"):
                self.m.popitem()

    @invariant()
    def matches_model(self) -> None:
        self.m._check()
        assert len(self.m) == len(self.model)
        assert dict(self.m.items()) == self.model


TestHashMapMachine = HashMapMachine.TestCase
TestHashMapMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)
