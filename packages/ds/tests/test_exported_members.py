"""The public API of handbook.ds is exactly this list: adding or dropping a name is a decision."""

from __future__ import annotations

import handbook.ds

PUBLIC = {
    "BoundedCache", "CycleError", "FenwickTree", "Graph", "HashMap", "IndexedPriorityQueue",
    "LFUCache", "LRUCache", "LinkedList", "MaxHeap", "MinHeap", "Queue", "RingBuffer",
    "SegmentTree", "ShortestPaths", "SkipList", "Stack", "SynchronizedCache", "TreeMap", "Trie",
    "UnionFind",
}  # fmt: skip


def test_all_is_the_pinned_public_list() -> None:
    assert set(handbook.ds.__all__) == PUBLIC
    assert len(handbook.ds.__all__) == len(PUBLIC)


def test_every_public_name_is_defined_in_a_lesson_module() -> None:
    for name in PUBLIC:
        member = getattr(handbook.ds, name)
        assert member.__module__.startswith("handbook.ds."), name
        assert member.__doc__, f"{name} has no docstring"
