"""Number of Islands: the examples, the edge cases, an oracle on seeded random grids, a
winding island too deep for recursion under CPython's default limit, and a budget linear
in the cells, for one big island and for many small ones."""

from __future__ import annotations

import random

from handbook.leetcode.testing import CountedStr, Solution, assert_time_budget, check

num_islands = Solution("number_of_islands", "num_islands")


def grid(*rows: str) -> list[list[str]]:
    """A fresh grid from rows written as strings: ``grid("110", "001")``. Every call
    gets its own, so a solution may sink the land, as the stub says."""
    return [list(row) for row in rows]


def oracle(cells: list[list[str]]) -> int:
    """Label cells by repeated relaxation: each land cell takes the smallest label among
    itself and its four neighbours until nothing changes. Slow and obviously right."""
    rows, cols = len(cells), len(cells[0])
    label = {(r, c): r * cols + c for r in range(rows) for c in range(cols) if cells[r][c] == "1"}
    changed = True
    while changed:
        changed = False
        for (r, c), own in label.items():
            near = [label.get(p, own) for p in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1))]
            if min(near) < own:
                label[(r, c)] = min(near)
                changed = True
    return len(set(label.values()))


def snake(side: int) -> list[list[str]]:
    """One island that winds through a square grid: full rows of land joined by a single
    cell at alternate ends. Every cell has at most two land neighbours, so any flood fill
    from the top-left corner goes as deep as the path is long (5050 cells at side 100)."""
    cells = [["1" if r % 2 == 0 else "0"] * side for r in range(side)]
    for r in range(1, side, 2):
        cells[r][side - 1 if r % 4 == 1 else 0] = "1"
    return cells


def test_the_statement_examples() -> None:
    check(num_islands, grid("11110", "11010", "11000", "00000"), expected=1)
    check(num_islands, grid("11000", "11000", "00100", "00011"), expected=3)


def test_one_cell() -> None:
    check(num_islands, grid("1"), expected=1)
    check(num_islands, grid("0"), expected=0)


def test_all_water_and_all_land() -> None:
    check(num_islands, grid("000", "000"), expected=0)
    check(num_islands, grid("111", "111", "111"), expected=1)


def test_diagonal_land_is_not_connected() -> None:
    check(num_islands, grid("10", "01"), expected=2)
    check(num_islands, grid("101", "010", "101"), expected=5)


def test_an_island_is_counted_once() -> None:
    check(num_islands, grid("11", "11"), expected=1)
    check(num_islands, grid("1110", "0010", "0111"), expected=1)


def test_the_fill_skips_cells_it_has_seen() -> None:
    check(num_islands, grid("11"), expected=1)


def test_the_grid_does_not_wrap_around() -> None:
    # grid[0][-1] is the last cell of row 0: Python indexes from the end, it does not raise.
    check(num_islands, grid("101"), expected=2)
    check(num_islands, grid("1", "0", "1"), expected=2)
    check(num_islands, grid("100", "000", "001"), expected=2)


def test_a_single_row_and_a_single_column() -> None:
    check(num_islands, grid("1011011101"), expected=4)
    check(num_islands, grid(*"1101001"), expected=3)


def test_a_winding_island_needs_no_deep_recursion() -> None:
    # 100 x 100 is well inside the constraints (300 x 300); the island is a path of
    # 5050 cells, and CPython's default recursion limit is 1000 frames.
    check(num_islands, snake(100), expected=1)


def test_matches_the_oracle_on_seeded_random_grids() -> None:
    rng = random.Random(20261207)
    for _ in range(300):
        rows, cols = rng.randint(1, 7), rng.randint(1, 7)
        land = rng.choice((0.3, 0.5, 0.7))
        cells = [["1" if rng.random() < land else "0" for _ in range(cols)] for _ in range(rows)]
        expected = oracle(cells)
        check(num_islands, cells, expected=expected)


def counted_snake(cells: int) -> tuple[list[list[str]]]:
    side = round(cells**0.5)
    return ([[CountedStr(cell) for cell in row] for row in snake(side)],)


def test_time_is_linear_in_the_cells() -> None:
    # 64, 256 and 1024 cells (sides 8, 16, 32); counted cells charge each comparison.
    assert_time_budget(num_islands, counted_snake, "O(n)")


def counted_checkerboard(cells: int) -> tuple[list[list[str]]]:
    side = round(cells**0.5)
    return (
        [[CountedStr("1" if (r + c) % 2 == 0 else "0") for c in range(side)] for r in range(side)],
    )


def test_time_is_linear_with_many_small_islands() -> None:
    # A checkerboard: every land cell is an island of its own, m n / 2 of them. A search
    # that starts again from the top-left corner for each island is quadratic here.
    assert_time_budget(num_islands, counted_checkerboard, "O(n)")
