"""Data structures.

Typed, tested, benchmarked data structures: heaps, caches, balanced trees,
tries and more. Each module is also a lesson (``handbook list ds``); the
library API is re-exported here.

>>> from handbook.ds import LRUCache, TreeMap
>>> cache = LRUCache[str, int](capacity=2)
>>> cache["a"] = 1; cache["b"] = 2; cache["a"]; cache["c"] = 3
1
>>> list(cache)
['a', 'c']
>>> TreeMap({3: "c", 1: "a"}).floor_key(2)
1
"""

from handbook.ds.bst import TreeMap
from handbook.ds.deque_vs_list import Queue, RingBuffer, Stack
from handbook.ds.fenwick_segment import FenwickTree, SegmentTree
from handbook.ds.graph import CycleError, Graph, ShortestPaths
from handbook.ds.hashmap import HashMap
from handbook.ds.heap import IndexedPriorityQueue, MaxHeap, MinHeap
from handbook.ds.lfu_cache import LFUCache
from handbook.ds.linked_list import LinkedList
from handbook.ds.lru_cache import BoundedCache, LRUCache, SynchronizedCache
from handbook.ds.skip_list import SkipList
from handbook.ds.trie import Trie
from handbook.ds.union_find import UnionFind

__all__ = [
    "BoundedCache",
    "CycleError",
    "FenwickTree",
    "Graph",
    "HashMap",
    "IndexedPriorityQueue",
    "LFUCache",
    "LRUCache",
    "LinkedList",
    "MaxHeap",
    "MinHeap",
    "Queue",
    "RingBuffer",
    "SegmentTree",
    "ShortestPaths",
    "SkipList",
    "Stack",
    "SynchronizedCache",
    "TreeMap",
    "Trie",
    "UnionFind",
]
