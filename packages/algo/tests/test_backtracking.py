"""Tests for algo.backtracking: itertools and exhaustive enumeration as oracles, nodes counted.

The oracle tests draw small inputs from a seeded ``random.Random`` (as
deterministic as the package's Hypothesis profile, and cheaper per case) and
one Hypothesis property checks permutations under the ``handbook-algo``
profile. Node counts are compared with counts derived independently by brute
force, so a pruning claim fails if the search visits one node more or less.
"""

from __future__ import annotations

import random
from itertools import combinations, pairwise, permutations, product
from math import perm

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.algo.backtracking import (
    Visits,
    combination_sum,
    n_queens,
    n_queens_full_boards,
    subsets,
    unique_permutations,
    unique_subsets,
    word_search,
)

KNOWN_QUEENS = {1: 1, 2: 0, 3: 0, 4: 2, 5: 10, 6: 4, 7: 40, 8: 92}  # OEIS A000170


def multisets(pool: list[int], most: int) -> list[list[int]]:
    """Every multiset of ``pool`` with sum at most ``most``, as a sorted list."""
    ranges = [range(most // c + 1) for c in pool]
    out = []
    for counts in product(*ranges):
        m = sorted(c for c, k in zip(pool, counts, strict=True) for _ in range(k))
        if sum(m) <= most:
            out.append(m)
    return out


def conflict_free(cols: tuple[int, ...]) -> bool:
    """Queens at ``(r, cols[r])`` in distinct columns: no two share a diagonal."""
    return all(abs(cols[a] - cols[b]) != b - a for a, b in combinations(range(len(cols)), 2))


def partial_boards(n: int) -> int:
    """Conflict-free placements of the first r rows, r = 0..n, built row by row.

    Independent of the search under test: lists of columns, every extension
    checked against every earlier queen, no sets.
    """
    level: list[tuple[int, ...]] = [()]
    total = 1
    for _ in range(n):
        grown = ((*p, c) for p in level for c in range(n) if c not in p)
        level = [q for q in grown if conflict_free(q)]
        total += len(level)
    return total


def test_subsets_match_combinations_and_visit_one_node_each() -> None:
    rng = random.Random(78)
    for _ in range(100):
        items = [rng.randint(0, 4) for _ in range(rng.randint(0, 8))]
        v = Visits()
        got = subsets(items, v)
        expected = [c for r in range(len(items) + 1) for c in combinations(items, r)]
        assert sorted(map(tuple, got)) == sorted(expected)
        assert v.count == len(got) == 2 ** len(items)


def test_subsets_records_copies_not_the_live_path() -> None:
    got = subsets(["a", "b"])
    assert got == [[], ["a"], ["a", "b"], ["b"]]
    assert len({id(s) for s in got}) == 4


def test_appending_the_live_path_aliases_every_entry() -> None:
    # What the live-path bug does, in three lines: the entry *is* the path.
    path, result = ["a"], []
    result.append(path)
    path.pop()
    assert result == [[]]


@given(st.lists(st.integers(0, 2), max_size=5))
def test_unique_permutations_match_the_set_of_all_permutations(items: list[int]) -> None:
    for left_to_right in (True, False):
        got = unique_permutations(items, left_to_right=left_to_right)
        assert len(got) == len({tuple(p) for p in got})  # no duplicates
        assert {tuple(p) for p in got} == set(permutations(items))


def test_unique_permutations_on_fixed_examples() -> None:
    assert unique_permutations([1, 1, 2]) == [[1, 1, 2], [1, 2, 1], [2, 1, 1]]  # LeetCode 47
    assert len(unique_permutations([1, 2, 3])) == 6
    assert unique_permutations([]) == [[]]
    assert unique_permutations([2, 1, 2]) == [[1, 2, 2], [2, 1, 2], [2, 2, 1]]


def test_copies_left_to_right_visit_one_node_per_distinct_prefix() -> None:
    rng = random.Random(47)
    for _ in range(60):
        items = [rng.randint(0, 2) for _ in range(rng.randint(0, 6))]
        prefixes = sum(len(set(permutations(items, r))) for r in range(len(items) + 1))
        left, right = Visits(), Visits()
        unique_permutations(items, left)
        unique_permutations(items, right, left_to_right=False)
        assert left.count == prefixes
        # Copies right to left: also correct, never fewer nodes, and more as
        # soon as the input holds two equal items ([1, 1]: 4 nodes against 3).
        assert right.count >= prefixes
    for items in ([1, 1, 2], [1, 1, 2, 2], [3, 3, 3, 1]):
        right = Visits()
        unique_permutations(items, right, left_to_right=False)
        assert right.count > sum(len(set(permutations(items, r))) for r in range(len(items) + 1))
    # [1, 1, 2] right to left: root; [1a], [1b], [2]; [1a, 2] (dead: 1b may not
    # follow 1a), [1b, 1a], [1b, 2], [2, 1a] (dead), [2, 1b]; three leaves.
    right = Visits()
    unique_permutations([1, 1, 2], right, left_to_right=False)
    assert right.count == 1 + 3 + 5 + 3 == 12


def test_distinct_items_visit_every_partial_permutation() -> None:
    for n in range(6):
        v = Visits()
        unique_permutations(range(n), v)
        assert v.count == sum(len(list(permutations(range(n), r))) for r in range(n + 1))


def test_combination_sum_on_fixed_examples() -> None:
    assert combination_sum([2, 3, 6, 7], 7) == [[2, 2, 3], [7]]  # LeetCode 39's examples
    assert combination_sum([2, 3, 5], 8) == [[2, 2, 2, 2], [2, 3, 3], [3, 5]]
    assert combination_sum([2], 1) == []
    assert combination_sum([7, 3, 2, 6], 7) == [[2, 2, 3], [7]]  # input order is irrelevant
    assert combination_sum([3], 0) == [[]]


def test_combination_sum_matches_all_multisets() -> None:
    rng = random.Random(39)
    for _ in range(60):
        pool = sorted(rng.sample(range(2, 10), rng.randint(1, 4)))
        target = rng.randint(1, 14)
        expected = [m for m in multisets(pool, target) if sum(m) == target]
        for prune in (True, False):
            got = combination_sum(pool, target, prune=prune)
            assert sorted(got) == sorted(expected)
            assert len(got) == len({tuple(m) for m in got})


def test_pruning_visits_exactly_the_multisets_within_the_target() -> None:
    # Pruned: a node per multiset with sum <= target (the root is the empty one).
    # Unpruned: a node per multiset whose parent, the multiset minus one copy
    # of its largest item, has sum < target. Both derived by enumeration.
    rng = random.Random(40)
    for _ in range(60):
        pool = sorted(rng.sample(range(2, 10), rng.randint(1, 4)))
        target = rng.randint(1, 14)
        pruned, unpruned = Visits(), Visits()
        combination_sum(pool, target, pruned, prune=True)
        combination_sum(pool, target, unpruned, prune=False)
        assert pruned.count == len(multisets(pool, target))
        wide = multisets(pool, target + pool[-1])
        assert unpruned.count == 1 + sum(1 for m in wide if m and sum(m) - m[-1] < target)
        assert pruned.count <= unpruned.count  # equal only if no candidate ever overshoots
    # Sums <= 7: {}, 2, 3, 6, 7, 22, 23, 33, 222, 223: 10 nodes. Without the
    # break, the 8 of those with sum < 7 each try every candidate from their
    # largest on (4 + 4 + 3 + 2 + 4 + 3 + 3 + 4 = 27 children), plus the root.
    pruned, unpruned = Visits(), Visits()
    combination_sum([2, 3, 6, 7], 7, pruned)
    combination_sum([2, 3, 6, 7], 7, unpruned, prune=False)
    assert (pruned.count, unpruned.count) == (10, 28)


def test_combination_sum_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="positive"):
        combination_sum([0, 1], 3)
    with pytest.raises(ValueError, match="positive"):
        combination_sum([-2, 3], 3)
    with pytest.raises(ValueError, match="distinct"):
        combination_sum([2, 2, 3], 7)
    with pytest.raises(TypeError, match="expected ints"):
        combination_sum([2.5], 5)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="expected ints"):
        combination_sum([2], "5")  # type: ignore[arg-type]


def test_n_queens_known_counts() -> None:
    assert {n: n_queens(n) for n in range(1, 9)} == KNOWN_QUEENS
    assert n_queens(0) == 1  # the empty board


def test_n_queens_matches_permutation_brute_force() -> None:
    for n in range(1, 8):
        assert n_queens(n) == sum(1 for p in permutations(range(n)) if conflict_free(p))


def test_n_queens_visits_only_conflict_free_partial_boards() -> None:
    for n in range(1, 7):  # the row-by-row count agrees with raw permutations
        by_permutations = sum(
            1 for r in range(n + 1) for p in permutations(range(n), r) if conflict_free(p)
        )
        assert partial_boards(n) == by_permutations
    for n in range(1, 9):
        v = Visits()
        n_queens(n, v)
        assert v.count == partial_boards(n) <= sum(perm(n, r) for r in range(n + 1))
    assert v.count == 2057 < sum(8**r for r in range(9)) == 19_173_961


def test_full_board_search_visits_every_board_prefix() -> None:
    for n in range(1, 6):
        v = Visits()
        assert n_queens_full_boards(n, v) == KNOWN_QUEENS[n]
        assert v.count == sum(n**r for r in range(n + 1))
        pruned = Visits()
        n_queens(n, pruned)
        assert pruned.count <= v.count
    assert pruned.count * 20 < v.count  # n = 5: 54 nodes against 3906


def test_n_queens_rejects_bad_n() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        n_queens(-1)
    with pytest.raises(TypeError, match="must be an int"):
        n_queens(4.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be an int"):
        n_queens_full_boards(True)


def test_subsets_accepts_any_iterable() -> None:
    assert subsets(iter([1, 2])) == [[], [1], [1, 2], [2]]


def test_unique_subsets_match_the_set_of_all_sorted_combinations() -> None:
    rng = random.Random(90)
    for _ in range(60):
        items = [rng.randint(0, 2) for _ in range(rng.randint(0, 6))]
        expected = {c for r in range(len(items) + 1) for c in combinations(sorted(items), r)}
        v = Visits()
        got = unique_subsets(items, v)
        assert len(got) == len(expected) == v.count  # one node per answer: no dead branch
        assert {tuple(s) for s in got} == expected
    assert unique_subsets([1, 2, 2]) == [[], [1], [1, 2], [1, 2, 2], [2], [2, 2]]  # LeetCode 90


def word_search_brute_force(board: list[str], word: str) -> bool:
    """Try every sequence of len(word) distinct cells: adjacent steps, matching letters."""
    cells = [(r, c) for r in range(len(board)) for c in range(len(board[0]))]
    for path in permutations(cells, len(word)):
        steps = pairwise(path)
        if all(abs(a - c) + abs(b - d) == 1 for (a, b), (c, d) in steps) and all(
            board[r][c] == ch for (r, c), ch in zip(path, word, strict=True)
        ):
            return True
    return False


def test_word_search_matches_brute_force() -> None:
    rng = random.Random(79)
    for _ in range(80):
        rows, cols = rng.randint(1, 2), rng.randint(1, 3)
        board = ["".join(rng.choice("AB") for _ in range(cols)) for _ in range(rows)]
        word = "".join(rng.choice("AB") for _ in range(rng.randint(1, 4)))
        assert word_search(board, word) == word_search_brute_force(board, word)


def test_word_search_reuses_a_cell_on_a_second_route_only_after_unmarking() -> None:
    board = ["ABCE", "SFCS", "ADEE"]  # LeetCode 79's examples
    assert (word_search(board, "ABCCED"), word_search(board, "SEE")) == (True, True)
    assert word_search(board, "ABCB") is False  # B would be used twice
    # From (0, 0) the search walks A, A and finds no B next to (0, 1); the word
    # needs (0, 0) again on the route starting at (0, 1): A, A, then B below.
    assert word_search(["AA", "B?"], "AAB") is True
    assert word_search([], "A") is False
    assert word_search(["A"], "") is False
