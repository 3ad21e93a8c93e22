"""Backtracking: subsets, permutations with duplicates, combination sum, n-queens; pruning counted.

Why interviewers ask this:
    Backtracking is the template behind a whole family of questions (subsets,
    permutations, combination sum, n-queens, word search, sudoku): choose,
    recurse, undo. Interviewers use it to see whether you can state the search
    tree (what a node is, what its children are), keep one mutable path
    correct across the recursion, avoid duplicate answers without a ``set``
    of results, and cut branches early. The bugs are few and always the same.

Common pitfalls:
    - Forgetting to undo the choice (no ``path.pop()`` after the recursive
      call): later siblings see their predecessors' items still on the path
      (break it: ``no-pop``).
    - ``result.append(path)`` instead of a copy: every entry is the *same*
      list object, which the undo steps empty again, so all ``2**n`` subsets
      come out as ``[]`` (break it: ``live-path``).
    - Combination sum restarting the loop at 0 instead of at ``i``: ``[2, 2,
      3]``, ``[2, 3, 2]`` and ``[3, 2, 2]`` are all found (break it:
      ``restart-at-zero``). Starting at ``i`` (not ``i + 1``) is what allows
      reusing a candidate.
    - Permutations of ``[1, 1, 2]`` without a duplicate rule give 6 lists, 3
      distinct. The rule needs sorted input, so copies are adjacent (break
      it: ``no-sort``), and a ``used`` check: skip a copy only while the
      previous copy is *unused*. Skipping every copy equal to its neighbour,
      the rule from subsets II and combination sum II (where it reads ``i >
      start``, see ``unique_subsets``), never puts two copies in one
      permutation, so ``[1, 1, 2]`` has none at all (break it:
      ``skip-any-copy``).
    - n-queens checking columns and one diagonal only: ``r - c`` marks the
      down-right diagonals, ``r + c`` the down-left ones; both are needed
      (break it: ``one-diagonal``). Undo with ``set.remove``, not
      ``discard``: two queens on one diagonal then surface as a KeyError
      instead of a silently wrong count. Forgetting to undo a column blocks
      it for every later branch (break it: ``queens-no-undo``).
    - Word search forgetting to unmark a cell after exploring it: a later
      path through that cell is refused, so words that need a cell reached
      by a second route are missed (break it: ``word-no-unmark``).

Key takeaways:
    - Template: ``visit(node)``: if complete, record ``path[:]``; else for
      each allowed choice: append, recurse, pop. The node count is the cost:
      subsets visits exactly ``2**n`` nodes; permutations of distinct items
      ``sum(n! / (n - r)!)`` for ``r = 0..n``; full-board n-queens
      ``sum(n**r)``.
    - Duplicates are avoided in the tree, not filtered afterwards: with
      copies used left to right, every node of ``unique_permutations`` is a
      distinct prefix, so it visits exactly ``sum(len(set(permutations(items,
      r))))`` nodes: no dead branch at all. Skipping a copy while the previous
      one is *used* (copies right to left) is also correct, but it never
      visits fewer nodes and usually more: its dead branches die deeper
      (12 nodes instead of 9 for ``[1, 1, 2]``).
    - Prune as early as possible. Combination sum that never recurses past
      the target visits one node per multiset with sum ``<= target``, against
      one per multiset whose parent sum is ``< target`` without the check;
      sorting the candidates then lets the loop ``break`` at the first
      too-large one instead of testing every later one (fewer loop steps,
      the same nodes).
      n-queens with column and diagonal sets visits only conflict-free partial
      boards: 2057 nodes for n = 8 (the test derives that count row by row,
      independently of the search), where placing every queen and checking
      full boards would visit ``sum(8**r)`` = 19,173,961.
    - Recursion depth is the path length plus one (``n + 1`` calls deep for
      n rows), far below CPython's default recursion limit of 1000 at these
      sizes; exponential *breadth* is the real cost. Go and Java look the
      same; in Go a ``result = append(result, path)`` stores a slice header
      that shares ``path``'s backing array: the entries keep their lengths,
      but their elements are overwritten by later branches (until ``path``
      reallocates). The copy is
      ``append([]int(nil), path...)`` or ``slices.Clone(path)``.

What to look for in an answer:
    A strong candidate draws the tree first (node = partial solution,
    children = the next choices), says what makes a leaf, names the undo
    step, copies the path on record, and handles duplicates with sorting and
    a skip rule rather than a set of answers. They estimate cost by counting
    nodes and know where to prune. Follow-ups:
    - Why ``i`` and not ``i + 1`` in combination sum's recursion? (``i``
      lets the same candidate be chosen again; ``i + 1`` is combination sum
      II, where each candidate is used at most once.)
    - How would you return only the *count* of n-queens solutions faster?
      (Bitmasks for columns and diagonals: the free squares of a row are
      ``~(cols | d1 | d2) & full``, and ``x & -x`` picks one; same tree,
      cheaper nodes. Symmetry halves it: solve the first row's left half and
      double, with care for the middle column when n is odd.)
    - When is backtracking the wrong tool? (When subproblems repeat: "number
      of ways to reach the target" is a DP, since the count depends only on
      ``(start, remaining)``; memoize or tabulate instead of enumerating.)

Complexity:
    ``subsets``: ``2**n`` nodes, each copying a path of at most n items:
    O(n 2**n). ``unique_permutations``: O(n * n!) for distinct items.
    ``combination_sum``: output-sensitive, nodes as counted above.
    ``n_queens``: at most ``sum(n! / (n - r)!)`` nodes (its partial boards
    are partial permutations), in practice far fewer. ``word_search``: at
    most ``rows * cols * 4 * 3**(len(word) - 1)`` steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = [
    "Visits",
    "combination_sum",
    "n_queens",
    "n_queens_full_boards",
    "subsets",
    "unique_permutations",
    "unique_subsets",
    "word_search",
]


class _Sortable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


T = TypeVar("T")
S = TypeVar("S", bound=_Sortable)


class Visits:
    """Counts nodes of a search tree: one per call of the recursive step.

    >>> v = Visits()
    >>> len(subsets([1, 2, 3], v)), v.count
    (8, 8)
    """

    def __init__(self) -> None:
        self.count = 0

    def visit(self) -> None:
        """Count one node."""
        self.count += 1


def subsets(items: Iterable[T], visits: Visits | None = None) -> list[list[T]]:
    """Every subset of ``items`` (by position), each in input order; one node per subset.

    >>> subsets([1, 2, 3])
    [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
    """
    items = list(items)
    v = visits if visits is not None else Visits()
    result: list[list[T]] = []
    path: list[T] = []

    def backtrack(start: int) -> None:
        v.visit()
        result.append(path[:])  # break[live-path]
        for i in range(start, len(items)):
            path.append(items[i])
            backtrack(i + 1)
            path.pop()

    backtrack(0)
    return result


def unique_subsets(items: Iterable[S], visits: Visits | None = None) -> list[list[S]]:
    """Every distinct sub-multiset of ``items`` once, sorted (subsets II, LeetCode 90).

    Sorted, so copies are adjacent; at one level of the tree only the first
    copy starts a branch (``i > start``), deeper levels may take the next.

    >>> unique_subsets([2, 1, 2])
    [[], [1], [1, 2], [1, 2, 2], [2], [2, 2]]
    """
    v = visits if visits is not None else Visits()
    pool = sorted(items)
    result: list[list[S]] = []
    path: list[S] = []

    def backtrack(start: int) -> None:
        v.visit()
        result.append(path[:])
        for i in range(start, len(pool)):
            if i > start and pool[i] == pool[i - 1]:  # break[subsets-skip-from-zero]
                continue
            path.append(pool[i])
            backtrack(i + 1)
            path.pop()

    backtrack(0)
    return result


def _skip(pool: Sequence[S], used: list[bool], i: int, left_to_right: bool) -> bool:
    """Skip ``pool[i]`` if it is a copy of ``pool[i - 1]`` taken out of the copies' order."""
    if i == 0 or pool[i] != pool[i - 1]:
        return False
    return not used[i - 1] if left_to_right else used[i - 1]  # break[skip-any-copy]


def unique_permutations(
    items: Iterable[S], visits: Visits | None = None, *, left_to_right: bool = True
) -> list[list[S]]:
    """Every distinct ordering of ``items``, once each, duplicates skipped in the tree.

    Equal items are sorted next to each other and used in one fixed order of
    their positions (left to right by default), so each distinct permutation
    is built exactly once.

    >>> unique_permutations([1, 2, 1])
    [[1, 1, 2], [1, 2, 1], [2, 1, 1]]
    """
    v = visits if visits is not None else Visits()
    pool = sorted(items)  # break[no-sort]
    used = [False] * len(pool)
    result: list[list[S]] = []
    path: list[S] = []

    def backtrack() -> None:
        v.visit()
        if len(path) == len(pool):
            result.append(path[:])
            return
        for i in range(len(pool)):
            if used[i] or _skip(pool, used, i, left_to_right):
                continue
            used[i] = True
            path.append(pool[i])
            backtrack()
            path.pop()
            used[i] = False

    backtrack()
    return result


def combination_sum(
    candidates: Iterable[int], target: int, visits: Visits | None = None, *, prune: bool = True
) -> list[list[int]]:
    """Every multiset of ``candidates`` (each reusable) summing to ``target`` (LeetCode 39).

    Each combination is non-decreasing, and the list is in search order.
    ``prune`` stops the loop at the first candidate bigger than the remainder.

    >>> combination_sum([2, 3, 6, 7], 7)
    [[2, 2, 3], [7]]

    Raises TypeError for non-int values, ValueError for candidates that are not
    positive and distinct (zero would make the tree infinite). A negative
    target has no combination: the result is ``[]``.
    """
    v = visits if visits is not None else Visits()
    pool = sorted(candidates)
    for x in [*pool, target]:
        if isinstance(x, bool) or not isinstance(x, int):
            raise TypeError(f"expected ints, got {x!r}")
    if pool and pool[0] <= 0:
        raise ValueError(f"candidates must be positive, got {pool[0]}")
    if len(set(pool)) != len(pool):
        raise ValueError("candidates must be distinct")
    result: list[list[int]] = []
    path: list[int] = []

    def backtrack(start: int, remaining: int) -> None:
        v.visit()
        if remaining == 0:
            result.append(path[:])
            return
        if remaining < 0:  # reached only without pruning
            return
        for i in range(start, len(pool)):
            if prune and pool[i] > remaining:
                break  # sorted: every later candidate is bigger still
            path.append(pool[i])
            backtrack(i, remaining - pool[i])  # break[restart-at-zero]
            path.pop()  # break[no-pop]

    backtrack(0, target)
    return result


def _check_n(n: int) -> None:
    """TypeError unless ``n`` is an int, ValueError if it is negative."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")


def n_queens(n: int, visits: Visits | None = None) -> int:
    """Count the ways to place ``n`` non-attacking queens on an n-by-n board.

    One queen per row; a column or diagonal already taken is never tried. A
    node is a conflict-free placement of the first rows. ``n = 0`` counts the
    empty board once.

    >>> [n_queens(n) for n in range(1, 9)]
    [1, 0, 0, 2, 10, 4, 40, 92]
    """
    _check_n(n)
    v = visits if visits is not None else Visits()
    cols: set[int] = set()
    down: set[int] = set()  # r - c is constant along a down-right diagonal
    up: set[int] = set()  # r + c is constant along a down-left diagonal

    def place(r: int) -> int:
        v.visit()
        if r == n:
            return 1
        found = 0
        for c in range(n):
            if c in cols or r - c in down or r + c in up:  # break[one-diagonal]
                continue
            cols.add(c)
            down.add(r - c)
            up.add(r + c)
            found += place(r + 1)
            cols.remove(c)  # break[queens-no-undo]
            down.remove(r - c)  # remove, not discard: a missing mark is a bug, and raises
            up.remove(r + c)
        return found

    return place(0)


def n_queens_full_boards(n: int, visits: Visits | None = None) -> int:
    """The unpruned search: every row's queen in every column, boards checked only when full.

    >>> n_queens_full_boards(4)
    2
    """
    _check_n(n)
    v = visits if visits is not None else Visits()
    board: list[int] = []  # board[r] is the column of row r's queen

    def safe() -> bool:
        return all(
            board[a] != board[b] and abs(board[a] - board[b]) != b - a
            for a in range(n)
            for b in range(a + 1, n)
        )

    def place(r: int) -> int:
        v.visit()
        if r == n:
            return int(safe())
        found = 0
        for c in range(n):
            board.append(c)
            found += place(r + 1)
            board.pop()
        return found

    return place(0)


def word_search(board: Sequence[str], word: str) -> bool:
    """Whether ``word`` runs through side-adjacent cells of ``board``, each used once (LeetCode 79).

    A cell is marked while it is on the path and unmarked on the way back, so
    other paths may use it.

    >>> word_search(["ABCE", "SFCS", "ADEE"], "ABCCED"), word_search(["AB"], "ABA")
    (True, False)
    """
    rows, cols = len(board), len(board[0]) if board else 0
    on_path = [[False] * cols for _ in range(rows)]

    def extend(r: int, c: int, i: int) -> bool:
        if i == len(word):
            return True
        if not (0 <= r < rows and 0 <= c < cols) or on_path[r][c] or board[r][c] != word[i]:
            return False
        on_path[r][c] = True
        found = any(extend(r + dr, c + dc, i + 1) for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)))
        on_path[r][c] = False  # break[word-no-unmark]
        return found

    return bool(word) and any(extend(r, c, 0) for r in range(rows) for c in range(cols))
