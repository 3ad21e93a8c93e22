"""Tests for system_design.merkle: log-many comparisons to find a differing key, counted."""

from __future__ import annotations

import hashlib
import random

import pytest

from handbook.system_design.merkle import Diff, MerkleTree, diff, flat_diff


def values(n: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    return [f"key-{i:04d}={rng.getrandbits(32)}".encode() for i in range(n)]


def test_one_differing_key_among_1024_costs_21_comparisons_not_1024() -> None:
    leaves = values(1024)
    replica = list(leaves)
    replica[637] = b"key-0637=stale"
    a, b = MerkleTree(leaves), MerkleTree(replica)
    assert diff(a, b) == Diff([637], 2 * 10 + 1)  # root, then both children on 10 levels
    assert flat_diff(leaves, replica) == Diff([637], 1024)


def test_every_position_and_size_costs_two_log2_n_plus_one() -> None:
    for depth in range(11):
        n = 2**depth
        leaves = values(n)
        a, b = MerkleTree(leaves), MerkleTree(leaves)
        for i in range(n):
            b.update(i, b"changed")
            assert diff(a, b) == Diff([i], 2 * depth + 1)
            b.update(i, leaves[i])
            assert b.root == a.root


def test_equal_trees_cost_one_comparison() -> None:
    a, b = MerkleTree(values(1024)), MerkleTree(values(1024))
    assert a.root == b.root
    assert diff(a, b) == Diff([], 1)


def test_d_differences_are_all_found_within_the_bound() -> None:
    rng = random.Random(2024)
    leaves = values(1024)
    a = MerkleTree(leaves)
    for d in (1, 2, 5, 17, 100):
        b = MerkleTree(leaves)
        changed = sorted(rng.sample(range(1024), d))
        for i in changed:
            b.update(i, b"other")
        b._check()
        result = diff(a, b)
        assert result.leaves == changed
        assert result.comparisons <= 1 + 2 * d * 10


def test_when_everything_differs_the_tree_is_worse_than_a_flat_scan() -> None:
    a, b = MerkleTree(values(1024, seed=1)), MerkleTree(values(1024, seed=2))
    result = diff(a, b)
    assert result.leaves == list(range(1024))
    assert result.comparisons == 2 * 1024 - 1 > flat_diff([b""] * 1024, [b""] * 1024).comparisons


def test_spread_differences_reach_a_flat_scan_at_one_key_in_eight() -> None:
    leaves = values(1024)
    a = MerkleTree(leaves)
    for step, cost in ((8, 1023), (4, 1535)):
        b = MerkleTree(leaves)
        for i in range(0, 1024, step):
            b.update(i, b"other")
        result = diff(a, b)
        assert result.leaves == list(range(0, 1024, step))
        assert result.comparisons == cost
    assert flat_diff(leaves, leaves) == Diff([], 1024)
    assert flat_diff([b""] * 4, [b""] * 4) == Diff([], 4)


def test_an_update_rehashes_only_its_path_and_matches_a_rebuild() -> None:
    leaves = values(1024)
    tree = MerkleTree(leaves)
    assert tree.hashes == 2 * 1024 - 1
    tree.update(5, b"new")
    assert tree.hashes == 2 * 1024 - 1 + 11  # the leaf and its 10 ancestors
    tree._check()
    leaves[5] = b"new"
    assert tree.root == MerkleTree(leaves).root


def test_swapping_two_sibling_leaves_changes_the_root() -> None:
    leaves = values(8)
    swapped = list(leaves)
    swapped[2], swapped[3] = swapped[3], swapped[2]
    a, b = MerkleTree(leaves), MerkleTree(swapped)
    assert a.root != b.root
    assert diff(a, b).leaves == [2, 3]


def test_a_leaf_cannot_pose_as_an_inner_node() -> None:
    two = MerkleTree([b"x", b"y"])
    # A one-leaf tree whose data is the two child hashes: without the 0x00/0x01
    # prefixes both roots would be sha256(h(x) + h(y)).
    forged = MerkleTree([b"\x01" + two.node(2) + two.node(3)])
    assert forged.root != two.root
    assert two.root == hashlib.sha256(b"\x01" + two.node(2) + two.node(3)).digest()
    assert two.node(2) == hashlib.sha256(b"\x00x").digest()


def test_bad_input_is_refused() -> None:
    for n in (0, 3, 1000):
        with pytest.raises(ValueError, match="power of two"):
            MerkleTree([b""] * n)
    with pytest.raises(TypeError, match="leaves must be bytes, got str"):
        MerkleTree(["text"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="leaves must be bytes, got str"):
        MerkleTree([b"a", "b"])  # type: ignore[list-item]
    tree = MerkleTree([b"a", b"b"])
    with pytest.raises(IndexError, match="leaf 2 outside a tree of 2"):
        tree.update(2, b"c")
    with pytest.raises(IndexError, match="leaf -1"):
        tree.update(-1, b"c")
    with pytest.raises(ValueError, match="different sizes: 2 and 4"):
        diff(tree, MerkleTree([b""] * 4))
    with pytest.raises(ValueError, match="different numbers of leaves"):
        flat_diff([b""], [])
