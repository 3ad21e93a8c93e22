"""Marks cells as seen when they are popped but pushes every land neighbour anyway:
two neighbouring land cells push each other for ever."""

from __future__ import annotations


def num_islands(grid: list[list[str]]) -> int:
    rows, cols = len(grid), len(grid[0])
    seen: set[tuple[int, int]] = set()
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == "1" and (r, c) not in seen:
                islands += 1
                stack = [(r, c)]
                while stack:
                    i, j = stack.pop()
                    seen.add((i, j))
                    stack.extend(
                        (y, x)
                        for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1))
                        if 0 <= y < rows and 0 <= x < cols and grid[y][x] == "1"
                    )
    return islands
