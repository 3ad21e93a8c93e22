"""Sinks each island it finds, then looks for the next one by scanning again from the top
left corner: every island costs a scan of the land already sunk, O(islands * m * n)."""

from __future__ import annotations


def _first_land(grid: list[list[str]]) -> tuple[int, int] | None:
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell == "1":
                return r, c
    return None


def num_islands(grid: list[list[str]]) -> int:
    rows, cols = len(grid), len(grid[0])
    islands = 0
    while (start := _first_land(grid)) is not None:
        islands += 1
        grid[start[0]][start[1]] = "0"
        stack = [start]
        while stack:
            i, j = stack.pop()
            for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if 0 <= y < rows and 0 <= x < cols and grid[y][x] == "1":
                    grid[y][x] = "0"
                    stack.append((y, x))
    return islands
