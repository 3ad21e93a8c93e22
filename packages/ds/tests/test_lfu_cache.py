"""Tests for ds.lfu_cache: counts, the LRU tie rule and the minimum-frequency pointer.

The behaviour every cache shares is tested in test_caches_shared.py.
"""

from __future__ import annotations

import pytest

from handbook.ds.lfu_cache import LFUCache


def test_evicts_the_least_frequently_used() -> None:
    cache = LFUCache[str, int](3)
    for key in "abc":
        cache[key] = ord(key)
    cache["a"]
    cache["a"]
    cache["c"]
    cache["d"] = 0  # counts: a=3, b=1, c=2
    cache._check()
    assert "b" not in cache
    assert list(cache) == ["d", "c", "a"]


def test_ties_are_broken_by_least_recently_used() -> None:
    cache = LFUCache[str, int](3)
    cache["a"] = 1
    cache["b"] = 2
    cache["c"] = 3
    cache["b"]
    cache["a"]
    cache["c"]
    cache["d"] = 4  # a, b, c all at count 2: the least recently used of them is b
    cache._check()
    assert set(cache) == {"a", "c", "d"}


def test_min_frequency_moves_up_when_lowest_bucket_empties() -> None:
    cache = LFUCache[str, int](2)
    cache["a"] = 1
    cache["b"] = 2
    cache["a"]
    cache["b"]  # no key is left at count 1
    cache._check()
    cache["c"] = 3  # evicts the least recent of count 2: a
    cache._check()
    assert list(cache) == ["c", "b"]


def test_reads_and_updates_count() -> None:
    cache = LFUCache[str, int](2)
    cache["a"] = 1
    assert cache.frequency("a") == 1
    cache["a"]
    cache.get("a")
    cache["a"] = 2
    assert cache.frequency("a") == 4
    cache.peek("a")
    assert "a" in cache
    assert cache.frequency("a") == 4
    with pytest.raises(KeyError):
        cache.frequency("z")


def test_a_new_key_never_evicts_itself() -> None:
    cache = LFUCache[str, int](2)
    cache["hot"] = 1
    cache["warm"] = 2
    for _ in range(5):
        cache["hot"]
        cache["warm"]
    cache["new"] = 3  # the newcomer has the lowest count but is not the victim
    assert "new" in cache
    assert "hot" not in cache  # hot and warm tie at 6 uses; hot was used longer ago
    cache._check()


def test_deleting_the_last_key_of_the_lowest_count_recomputes_the_minimum() -> None:
    cache = LFUCache[str, int](3)
    cache["a"] = 1
    cache["b"] = 2
    cache["b"]
    cache["c"] = 3
    cache["c"]
    cache["c"]
    del cache["a"]  # count 1 is now empty; the lowest count is b's 2
    cache._check()
    assert cache._min_freq == 2
    cache.pop("b")
    cache._check()
    assert cache._min_freq == 3
    assert cache.popitem() == ("c", 3)
    cache._check()
    assert cache._min_freq == 0
    assert not cache


def test_popitem_on_empty_names_the_cache() -> None:
    with pytest.raises(KeyError, match="LFUCache is empty"):
        LFUCache[int, int](1).popitem()


def test_buckets_never_outlive_their_keys() -> None:
    cache = LFUCache[int, int](4)
    for round_ in range(50):
        key = round_ % 6
        cache[key] = round_
        if key in cache:
            cache[key]
        cache._check()
    assert len(cache._buckets) <= len(cache)
