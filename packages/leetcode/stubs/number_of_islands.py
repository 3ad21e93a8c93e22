"""Number of Islands.

Given an m x n grid of "1" (land) and "0" (water), return the number of
islands. An island is land connected horizontally or vertically (not
diagonally) and surrounded by water; everything outside the grid is water.

Example 1:                          ->  1
    [["1", "1", "1", "1", "0"],
     ["1", "1", "0", "1", "0"],
     ["1", "1", "0", "0", "0"],
     ["0", "0", "0", "0", "0"]]

Example 2:                          ->  3
    [["1", "1", "0", "0", "0"],
     ["1", "1", "0", "0", "0"],
     ["0", "0", "1", "0", "0"],
     ["0", "0", "0", "1", "1"]]

Constraints: 1 <= m, n <= 300; every cell is "0" or "1".

You may change the grid (each test call gets a fresh one). The tests run on a
plain CPython, with its default recursion limit (1000): a recursive flood fill
is correct, but it fails the test with a winding island of 5050 cells, on
purpose, since that grid is within the constraints. The tests also count the
operations your solution makes (O(m n) expected).
"""

from __future__ import annotations


def num_islands(grid: list[list[str]]) -> int:
    """The number of four-connected groups of "1" cells in ``grid``."""
    # TODO: write your solution here, then run: uv run handbook practice number_of_islands
    raise NotImplementedError("num_islands is not written yet")
