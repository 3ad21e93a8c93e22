"""Tests for ds.bst: plain BST delete cases and degradation, and the AVL TreeMap."""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, SupportsIndex, overload

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

import handbook.ds.bst as bst_module
from handbook.ds.bst import PlainBST, TreeMap, _Node, is_bst, is_bst_children_only
from handbook.ds.traversals import TreeNode, from_level_order, inorder_iterative

# ---- PlainBST: the three delete cases -------------------------------------------------


def shape(tree: PlainBST[int]) -> list[tuple[int, int | None, int | None]]:
    """(key, left key, right key) for every node, in key order: the tree's exact shape."""
    out: list[tuple[int, int | None, int | None]] = []
    stack = [tree._root] if tree._root is not None else []
    while stack:
        node = stack.pop()
        out.append(
            (
                node.key,
                node.left.key if node.left else None,
                node.right.key if node.right else None,
            )
        )
        stack.extend(c for c in (node.left, node.right) if c is not None)
    return sorted(out)


#         50
#       /    \
#     30      70
#    /  \    /  \
#   20  40  60  80
#             \
#             65
KEYS = [50, 30, 70, 20, 40, 60, 80, 65]


def test_plain_delete_leaf_unlinks_it() -> None:
    tree = PlainBST(KEYS)
    tree.delete(20)
    tree._check()
    assert (30, None, 40) in shape(tree)
    assert list(tree) == [30, 40, 50, 60, 65, 70, 80]


def test_plain_delete_one_child_splices_the_child_up() -> None:
    tree = PlainBST(KEYS)
    tree.delete(60)  # 60 has only a right child, 65
    tree._check()
    assert (70, 65, 80) in shape(tree)
    assert 60 not in tree


def test_plain_delete_two_children_uses_in_order_successor() -> None:
    tree = PlainBST(KEYS)
    tree.delete(50)  # successor: leftmost of the right subtree = 60 (whose child 65 moves up)
    tree._check()
    assert tree._root is not None
    assert tree._root.key == 60
    assert (70, 65, 80) in shape(tree)
    assert list(tree) == [20, 30, 40, 60, 65, 70, 80]


def test_plain_delete_root_and_missing() -> None:
    tree = PlainBST([1])
    tree.delete(1)
    assert len(tree) == 0
    assert tree.height() == 0
    with pytest.raises(KeyError):
        tree.delete(1)


def test_plain_bst_degrades_to_a_chain_on_ascending_inserts() -> None:
    n = 500
    tree = PlainBST(range(n))
    # Insert i walks past all i keys before it: 0 + 1 + ... + (n-1) comparisons.
    assert tree.comparisons == n * (n - 1) // 2
    assert tree.height() == n
    tree._check()


def test_plain_bst_on_shuffled_keys_is_shallow() -> None:
    keys = list(range(500))
    random.Random(7).shuffle(keys)
    tree = PlainBST(keys)
    assert tree.height() < 4 * math.log2(500)  # a fixed seed: this shape is always the same
    assert tree.comparisons < 500 * 4 * math.log2(500)


def test_rotation_keeps_order_and_moves_height() -> None:
    tree = PlainBST(range(1, 8))
    assert tree.height() == 7
    for key in range(1, 4):  # rotate the chain's top three times
        tree.rotate_left(key)
        assert list(tree) == list(range(1, 8))
        tree._check()
    assert tree.height() == 4  # 4 at the root, chains 3-2-1 and 5-6-7 below
    tree.rotate_right(4)
    assert list(tree) == list(range(1, 8))
    assert tree.height() == 5


def test_rotation_errors() -> None:
    tree = PlainBST([2, 1])
    with pytest.raises(ValueError, match="no right child"):
        tree.rotate_left(2)
    with pytest.raises(KeyError):
        tree.rotate_right(9)
    assert list(tree) == [1, 2]


# ---- validating a BST ---------------------------------------------------------------


def test_is_bst_passes_bounds_down_and_the_children_only_check_does_not() -> None:
    #     5
    #    / \
    #   3   8
    #    \
    #     7      7 > 3 (fine for its parent) but 7 > 5 (wrong side of the root)
    tricky = from_level_order([5, 3, 8, None, 7])
    assert is_bst_children_only(tricky) is True  # every parent-child pair is in order
    assert is_bst(tricky) is False
    assert inorder_iterative(tricky) == [3, 7, 5, 8]  # the in-order walk shows it too
    #   the mirror: 6 sits right of 3 but must stay above 5
    mirror = from_level_order([5, 3, 8, None, None, 4])
    assert is_bst_children_only(mirror) is True
    assert is_bst(mirror) is False
    valid = from_level_order([5, 3, 8, 1, 4, 6, 9])
    assert is_bst(valid) is True
    assert is_bst(None) is True
    duplicate = from_level_order([5, 5])  # strict: a set of keys has no duplicates
    assert is_bst(duplicate) is False


@given(st.integers(0, 20), st.lists(st.one_of(st.none(), st.integers(0, 20)), max_size=25))
def test_is_bst_agrees_with_a_strictly_increasing_in_order_walk(
    root_value: int, values: list[int | None]
) -> None:
    try:
        root = from_level_order([root_value, *values])
    except ValueError:
        return  # more children than parents: not a tree, nothing to validate
    walk = inorder_iterative(root)
    assert is_bst(root) is all(a < b for a, b in itertools.pairwise(walk))


def test_is_bst_raises_type_error_for_incomparable_values() -> None:
    root: TreeNode[Any] = TreeNode(1, TreeNode("a"))
    with pytest.raises(TypeError):
        is_bst(root)
    with pytest.raises(TypeError):
        is_bst_children_only(root)


# ---- TreeMap: balance ---------------------------------------------------------------


def avl_bound(n: int) -> float:
    return 1.44 * math.log2(n + 2)


@pytest.mark.parametrize("order", ["ascending", "descending"])
def test_sorted_inserts_keep_treemap_height_logarithmic(order: str) -> None:
    n = 20_000
    keys = range(n) if order == "ascending" else range(n, 0, -1)
    m: TreeMap[int, None] = TreeMap()
    for key in keys:
        m[key] = None
        assert m.height <= avl_bound(len(m)), f"height {m.height} after {len(m)} inserts"
    m._check()
    assert m.height == 15  # a perfect tree of 20,000 nodes needs 15 levels; AVL gets there


def test_deletes_keep_treemap_balanced() -> None:
    m = TreeMap((k, k) for k in range(2_000))
    for key in range(0, 2_000, 3):
        del m[key]
        assert m.height <= avl_bound(len(m))
    m._check()
    assert list(m) == [k for k in range(2_000) if k % 3]


class Rotations:
    """Counts the AVL rotations, by wrapping the two module functions ``_rebalance`` calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        left, right = bst_module._rotate_left, bst_module._rotate_right

        def counting_left(node: _Node[Any, Any]) -> _Node[Any, Any]:
            self.count += 1
            return left(node)

        def counting_right(node: _Node[Any, Any]) -> _Node[Any, Any]:
            self.count += 1
            return right(node)

        monkeypatch.setattr(bst_module, "_rotate_left", counting_left)
        monkeypatch.setattr(bst_module, "_rotate_right", counting_right)

    def during(self, operation: Callable[[], object]) -> int:
        before = self.count
        operation()
        return self.count - before


def test_an_insert_rotates_at_most_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    rotations = Rotations(monkeypatch)
    rng = random.Random(5)
    for keys in (list(range(2000)), rng.sample(range(10**6), 2000)):
        m: TreeMap[int, None] = TreeMap()
        most = 0
        for key in keys:
            before = rotations.count
            m[key] = None
            most = max(most, rotations.count - before)
        assert most <= 2  # one single (1) or one double (2) rotation
        m._check()
    assert rotations.count > 0


def fibonacci_tree(height: int, keys: Iterator[int]) -> _Node[int, int] | None:
    """The sparsest AVL tree of ``height``: every left subtree one taller than its right."""
    if height == 0:
        return None
    left = fibonacci_tree(height - 1, keys)
    key = next(keys)
    node = _Node(key, key)
    node.left = left
    node.right = fibonacci_tree(height - 2, keys) if height > 1 else None
    node.height = height
    return node


def test_a_delete_may_rotate_at_every_level_of_a_fibonacci_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    height = 15
    m: TreeMap[int, int] = TreeMap()
    m._root = fibonacci_tree(height, itertools.count())
    m._size = 1596  # F(17) - 1 nodes: the fewest an AVL tree of height 15 can have
    m._check()
    rotations = Rotations(monkeypatch)
    # The right spine has heights 15, 13, ..., 3, 1. Removing the leaf at its end makes
    # each spine node's right side two shorter than its left (which leans left), so each
    # of the 7 spine nodes above the leaf needs a single rotation, which shortens it in
    # turn: (15 - 1) // 2 rotations in one delete, about 0.72 log2(n). Red-black: 3 at most.
    assert rotations.during(lambda: m.__delitem__(m.max_key())) == (height - 1) // 2 == 7
    m._check()
    assert m.height == height - 1


class WatchedPath(list[_Node[Any, Any]]):
    """The path handed to ``_retrace``, remembering the lowest index it read.

    The walk climbs from the end of the path (the new leaf's parent) towards the
    root at index 0, so ``len(path) - lowest`` is the number of path nodes it touched.
    """

    def __init__(self, nodes: list[_Node[Any, Any]]) -> None:
        super().__init__(nodes)
        self.lowest = len(nodes)

    @overload
    def __getitem__(self, i: SupportsIndex) -> _Node[Any, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[_Node[Any, Any]]: ...
    def __getitem__(self, i: SupportsIndex | slice) -> _Node[Any, Any] | list[_Node[Any, Any]]:
        if isinstance(i, slice):
            return super().__getitem__(i)
        index = operator.index(i)
        self.lowest = min(self.lowest, index if index >= 0 else index + len(self))
        return super().__getitem__(index)


class RetraceCounts:
    """Per kind of update (True: insert), what ``_retrace`` did, by wrapping it.

    ``changed``: heights it changed; ``touched``: path nodes it read; ``path``: path
    nodes it was given (the ancestors of the inserted or removed node).
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.changed = {True: 0, False: 0}
        self.touched = {True: 0, False: 0}
        self.path = {True: 0, False: 0}
        retrace = TreeMap._retrace

        def counting(
            tree: TreeMap[Any, Any], path: list[_Node[Any, Any]], *, inserted: bool
        ) -> None:
            before = [node.height for node in path]
            watched = WatchedPath(path)
            retrace(tree, watched, inserted=inserted)
            self.changed[inserted] += sum(n.height != h for n, h in zip(path, before, strict=True))
            self.touched[inserted] += len(path) - watched.lowest
            self.path[inserted] += len(path)

        monkeypatch.setattr(TreeMap, "_retrace", counting)

    def reset(self) -> None:
        for counts in (self.changed, self.touched, self.path):
            counts[True] = counts[False] = 0


def test_retrace_stops_early_and_does_constant_work(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = RetraceCounts(monkeypatch)
    means: dict[int, dict[str, float]] = {}
    for n in (1_000, 10_000):
        counts.reset()
        rng = random.Random(n)
        keys = rng.sample(range(10**9), n)
        m: TreeMap[int, None] = TreeMap()
        for key in keys:
            m[key] = None
        for key in rng.sample(keys, n // 2):
            del m[key]
        m._check()
        inserts, deletes = n, n // 2
        means[n] = {
            "changed on insert": counts.changed[True] / inserts,
            "changed on delete": counts.changed[False] / deletes,
            "touched on insert": counts.touched[True] / inserts,
            "touched on delete": counts.touched[False] / deletes,
            "path": counts.path[True] / inserts,
        }
    for mean in means.values():
        # Random keys: about 2 heights change per insert and 1 per delete. The walk
        # touches those nodes, the first one whose height did not change (where it
        # stops), and, after a rotation, the parent it relinks: about one more.
        assert 1.5 < mean["changed on insert"] < 2.5
        assert 0.5 < mean["changed on delete"] < 1.5
        assert 2.5 < mean["touched on insert"] < 4.0
        assert 1.5 < mean["touched on delete"] < 2.5
    # Ten times the keys: the path is about log2(10) = 3.3 nodes longer, the work is
    # not. (Without the early stop a delete touches most of its path: 8 to 12 nodes.)
    assert means[10_000]["path"] - means[1_000]["path"] > 2.5
    for what in means[1_000]:
        if what != "path":
            assert abs(means[10_000][what] - means[1_000][what]) < 0.2, what


@pytest.mark.parametrize("height", [10, 14])
def test_alternating_insert_and_delete_update_every_height_on_the_path(
    monkeypatch: pytest.MonkeyPatch, height: int
) -> None:
    n = 2**height - 1
    m = TreeMap((k, None) for k in range(n))
    assert m.height == height  # 2**h - 1 nodes in h levels: the tree is perfect
    counts = RetraceCounts(monkeypatch)
    rotations = Rotations(monkeypatch)
    rounds = 20
    for _ in range(rounds):
        m[n] = None  # a new right child for the rightmost leaf, depth h
        del m[n]
    m._check()
    # In a perfect tree every node on the right spine has two children of equal height.
    # The new leaf makes each of the h spine nodes one taller, and none of them leans
    # by more than one, so no rotation stops the walk: h heights change. Deleting the
    # leaf shortens the same h nodes back, and the tree is perfect again. So the cost
    # per operation grows with log2(n + 1), forever: 10 per operation at n = 1,023,
    # 14 at n = 16,383. The O(1) amortized bound needs inserts (or deletes) alone.
    assert counts.changed[True] == counts.changed[False] == rounds * height
    assert counts.path[True] == counts.path[False] == rounds * height
    assert rotations.count == 0


def test_b_tree_fan_out_arithmetic() -> None:
    # The rubric's numbers: entries per 16 KiB page, and the levels needed for a
    # billion keys at fan-out 500 and 2.
    assert 16 * 1024 // 32 == 512
    billion = 10**9
    assert 500**3 < billion <= 500**4
    assert 2**29 < billion <= 2**30


# ---- TreeMap: mapping semantics ----------------------------------------------------------


def test_treemap_is_a_mutable_mapping_in_key_order() -> None:
    m: TreeMap[str, int] = TreeMap({"b": 2, "a": 1})
    assert isinstance(m, MutableMapping)
    m["c"] = 3
    m["a"] = 10
    assert list(m) == ["a", "b", "c"]
    assert list(m.items()) == [("a", 10), ("b", 2), ("c", 3)]
    assert list(m.values()) == [10, 2, 3]
    assert list(reversed(m)) == ["c", "b", "a"]
    assert list(reversed(m.keys())) == ["c", "b", "a"]
    assert list(reversed(m.values())) == [3, 2, 10]
    assert list(reversed(m.items())) == [("c", 3), ("b", 2), ("a", 10)]
    assert ("a", 10) in m.items()
    assert m.pop("b") == 2
    assert m.setdefault("d", 4) == 4
    assert m.get("zz") is None
    assert m.get("zz", 0) == 0
    assert m.popitem() == ("a", 10)
    assert dict(m) == {"c": 3, "d": 4}
    m.clear()
    assert len(m) == 0
    m._check()


def test_missing_keys_raise_key_error() -> None:
    m: TreeMap[int, str] = TreeMap({1: "a"})
    with pytest.raises(KeyError):
        m[2]
    with pytest.raises(KeyError):
        del m[2]
    empty: TreeMap[int, str] = TreeMap()
    for call in (empty.min_key, empty.max_key, empty.popitem):
        with pytest.raises(KeyError, match=rf"{call.__name__}\(\): TreeMap is empty"):
            call()


def test_order_queries() -> None:
    m = TreeMap({k: str(k) for k in (10, 20, 30)})
    assert (m.min_key(), m.max_key()) == (10, 30)
    assert [m.floor_key(k) for k in (5, 10, 15, 35)] == [None, 10, 10, 30]
    assert [m.ceiling_key(k) for k in (5, 10, 15, 35)] == [10, 10, 20, None]
    assert [m.lower_key(k) for k in (5, 10, 15, 35)] == [None, None, 10, 30]
    assert [m.higher_key(k) for k in (5, 10, 15, 35)] == [10, 20, 20, None]
    assert list(m.range(10, 30)) == [10, 20]
    assert list(m.range(11, 31)) == [20, 30]
    assert list(m.range(30, 10)) == []
    assert list(m.range()) == [10, 20, 30]


def test_keys_need_order_not_hashing() -> None:
    m: TreeMap[list[int], str] = TreeMap()
    m[[2]] = "b"
    m[[1]] = "a"
    assert list(m) == [[1], [2]]
    assert m[[1]] == "a"


# ---- TreeMap: exception safety -----------------------------------------------------------


def snapshot(m: TreeMap[Any, Any]) -> tuple[list[tuple[Any, Any]], int, int]:
    return list(m.items()), len(m), m.height


def test_incomparable_key_raises_type_error_and_changes_nothing() -> None:
    m = TreeMap((k, k) for k in range(50))
    before = snapshot(m)
    bad: Any = "x"
    for operation in (
        lambda: m.__setitem__(bad, 0),
        lambda: m.__delitem__(bad),
        lambda: m[bad],
        lambda: bad in m,
        lambda: m.get(bad),
        lambda: m.floor_key(bad),
        lambda: m.ceiling_key(bad),
        lambda: m.lower_key(bad),
        lambda: m.higher_key(bad),
        lambda: m.range(bad),
        lambda: m.range(0, bad),
        lambda: m.pop(bad),
    ):
        with pytest.raises(TypeError, match="not supported"):
            operation()
        assert snapshot(m) == before
        m._check()


def test_update_is_all_or_nothing() -> None:
    m = TreeMap({1: "a", 3: "c"})
    before = snapshot(m)
    bad: Any = "x"
    with pytest.raises(TypeError):
        m.update([(2, "b"), (1, "A"), (3, "C"), (4, "d"), (bad, "?")])
    assert snapshot(m) == before
    m._check()


def test_a_failed_update_that_inserted_ends_the_iterators_opened_before() -> None:
    m = TreeMap({1: "a", 2: "b"})  # 1 at the root, 2 its right child
    assert m._root is not None
    assert m._root.key == 1
    it = iter(m)
    assert next(it) == 1  # the walk goes on from 1 to its right child
    bad: Any = "x"
    with pytest.raises(TypeError):
        m.update([(3, "c"), (bad, "?")])
    assert snapshot(m) == ([(1, "a"), (2, "b")], 2, 2)  # the same entries, in order
    # Inserting 3 made the chain 1-2-3, which rotated 2 to the root; deleting 3 again
    # does not rotate back. 1 no longer leads to 2: had the old walk gone on, it would
    # have stopped after 1. So the version moved, and the iterator says so.
    assert m._root is not None
    assert m._root.key == 2
    with pytest.raises(RuntimeError, match="changed size"):
        next(it)


def test_a_failed_update_that_only_replaced_values_keeps_iterators_going() -> None:
    m = TreeMap({1: "a", 2: "b", 3: "c"})
    it = iter(m)
    assert next(it) == 1
    bad: Any = "x"
    with pytest.raises(TypeError):
        m.update([(2, "B"), (bad, "?")])  # 2's value replaced, then restored
    assert list(it) == [2, 3]  # no node moved: the walk goes on
    assert m == {1: "a", 2: "b", 3: "c"}


def test_update_rejects_non_pairs_before_changing_anything() -> None:
    m = TreeMap({1: "a"})
    bad: Any = [(2, "b"), (3,)]
    with pytest.raises(ValueError, match="not enough values"):
        m.update(bad)
    assert snapshot(m) == ([(1, "a")], 1, 1)


def test_mutation_during_iteration_raises_runtime_error() -> None:
    m = TreeMap((k, k) for k in range(5))
    for view in (m, m.keys(), m.values(), m.items(), m.range(0, 5)):
        it = iter(view)
        next(it)
        m[100] = 100
        with pytest.raises(RuntimeError, match="changed size"):
            next(it)
        del m[100]
    for key in m:  # replacing a value is not a change of shape, as with dict
        m[key] = -key
    assert list(m.values()) == [0, -1, -2, -3, -4]


# ---- TreeMap: value semantics and repr -----------------------------------------------------


def test_equality_with_mappings() -> None:
    m = TreeMap({1: "a", 2: "b"})
    assert (m == {2: "b", 1: "a"}) is True
    assert {1: "a", 2: "b"} == m  # noqa: SIM300 (dict.__eq__ defers to TreeMap.__eq__)
    assert (m == TreeMap({2: "b", 1: "a"})) is True
    assert (m == {1: "a", 2: "B"}) is False
    assert (m == {1: "a", 3: "b"}) is False
    assert (m == {1: "a"}) is False
    assert (m == TreeMap({"x": "a", "y": "b"})) is False  # incomparable keys: no TypeError
    assert (TreeMap({(1,): 1}) == {(1,): 2}) is False
    assert TreeMap({1: 1}) != [(1, 1)]
    assert (TreeMap([([1], 1)]) == {1: 1}) is False  # our key is unhashable for the dict
    with pytest.raises(TypeError, match="unhashable"):
        hash(m)


def test_two_treemaps_with_the_same_values_under_different_keys_are_unequal() -> None:
    a = TreeMap({1: "a", 2: "b"})
    b = TreeMap({3: "a", 4: "b"})  # same size, same values in the same order
    # Keys k1 and k2 are equivalent only if neither is below the other; 1 < 3 settles it.
    assert (a == b) is False
    assert (b == a) is False
    assert (a == TreeMap({1: "a", 2.0: "b"})) is True  # 2 and 2.0: neither is below the other


def test_repr_shows_contents_truncated_and_recursive() -> None:
    assert repr(TreeMap()) == "TreeMap({})"
    assert repr(TreeMap({2: "b", 1: "a"})) == "TreeMap({1: 'a', 2: 'b'})"
    big = TreeMap((k, None) for k in range(1000))
    assert repr(big).endswith("9: None, ...}, len=1000)")
    assert repr(big).count(": None") == 10
    loop: TreeMap[int, Any] = TreeMap()
    loop[1] = loop
    assert repr(loop) == "TreeMap({1: ...})"


# ---- Stateful property tests against a dict model -------------------------------------

KEY = st.integers(min_value=0, max_value=40)
PROBE = st.integers(min_value=-2, max_value=42)


class PlainBSTMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tree: PlainBST[int] = PlainBST()
        self.model: set[int] = set()

    @rule(key=KEY)
    def insert(self, key: int) -> None:
        assert self.tree.insert(key) is (key not in self.model)
        self.model.add(key)

    @rule(key=KEY)
    def delete(self, key: int) -> None:
        if key in self.model:
            self.tree.delete(key)
            self.model.remove(key)
        else:
            with pytest.raises(KeyError):
                self.tree.delete(key)

    @rule(key=KEY)
    def contains(self, key: int) -> None:
        assert (key in self.tree) == (key in self.model)

    @invariant()
    def agrees(self) -> None:
        self.tree._check()
        assert list(self.tree) == sorted(self.model)


class TreeMapMachine(RuleBasedStateMachine):
    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.map: TreeMap[int, int] = TreeMap()
        self.model: dict[int, int] = {}

    def before(self, probe: int, strict: bool) -> int | None:
        found = [k for k in self.model if k < probe or (not strict and k == probe)]
        return max(found, default=None)

    def after(self, probe: int, strict: bool) -> int | None:
        found = [k for k in self.model if k > probe or (not strict and k == probe)]
        return min(found, default=None)

    @rule(target=keys, key=KEY, value=st.integers())
    def set(self, key: int, value: int) -> int:
        self.map[key] = value
        self.model[key] = value
        return key

    @rule(key=st.one_of(keys, KEY))
    def delete(self, key: int) -> None:
        if key in self.model:
            del self.map[key]
            del self.model[key]
        else:
            with pytest.raises(KeyError):
                del self.map[key]

    @rule(key=st.one_of(keys, KEY))
    def lookup(self, key: int) -> None:
        assert (key in self.map) == (key in self.model)
        assert self.map.get(key) == self.model.get(key)
        if key in self.model:
            assert self.map[key] == self.model[key]

    @rule(key=KEY, default=st.integers())
    def pop_and_setdefault(self, key: int, default: int) -> None:
        assert self.map.pop(key, None) == self.model.pop(key, None)
        assert self.map.setdefault(key, default) == self.model.setdefault(key, default)

    @rule(probe=PROBE)
    def neighbours(self, probe: int) -> None:
        assert self.map.floor_key(probe) == self.before(probe, strict=False)
        assert self.map.lower_key(probe) == self.before(probe, strict=True)
        assert self.map.ceiling_key(probe) == self.after(probe, strict=False)
        assert self.map.higher_key(probe) == self.after(probe, strict=True)

    @rule(lo=st.none() | PROBE, hi=st.none() | PROBE)
    def range(self, lo: int | None, hi: int | None) -> None:
        expected = sorted(
            k for k in self.model if (lo is None or lo <= k) and (hi is None or k < hi)
        )
        assert list(self.map.range(lo, hi)) == expected

    @rule()
    def extremes(self) -> None:
        if self.model:
            assert self.map.min_key() == min(self.model)
            assert self.map.max_key() == max(self.model)
        else:
            with pytest.raises(KeyError):
                self.map.min_key()
            with pytest.raises(KeyError):
                self.map.max_key()

    @precondition(lambda self: bool(self.model))
    @rule()
    def popitem(self) -> None:
        key, value = self.map.popitem()
        assert key == min(self.model)
        assert self.model.pop(key) == value

    @rule(items=st.lists(st.tuples(KEY, st.integers()), max_size=5), poison=st.booleans())
    def update(self, items: list[tuple[int, int]], poison: bool) -> None:
        if poison and (self.model or items):  # an empty map compares nothing
            bad: list[tuple[Any, int]] = [*items, ("x", 0)]
            with pytest.raises(TypeError):
                self.map.update(bad)
        else:
            self.map.update(items)
            self.model.update(items)

    @precondition(lambda self: bool(self.model))
    @rule()
    def incomparable_insert(self) -> None:
        bad: Any = "x"
        with pytest.raises(TypeError):
            self.map[bad] = 0

    @invariant()
    def agrees(self) -> None:
        self.map._check()
        assert len(self.map) == len(self.model)
        assert list(self.map.items()) == sorted(self.model.items())
        assert list(reversed(self.map)) == sorted(self.model, reverse=True)
        assert self.map == self.model


TestPlainBSTStateful = PlainBSTMachine.TestCase
TestPlainBSTStateful.settings = settings(max_examples=30, stateful_step_count=40)
TestTreeMapStateful = TreeMapMachine.TestCase
TestTreeMapStateful.settings = settings(max_examples=50, stateful_step_count=40)
