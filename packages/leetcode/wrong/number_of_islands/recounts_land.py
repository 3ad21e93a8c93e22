"""Marks each island in a set but tests only ``grid[r][c] == "1"`` in the outer loop,
so every land cell starts a new island."""

from __future__ import annotations


def num_islands(grid: list[list[str]]) -> int:
    rows, cols = len(grid), len(grid[0])
    seen: set[tuple[int, int]] = set()
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == "1":
                islands += 1
                seen.add((r, c))
                stack = [(r, c)]
                while stack:
                    i, j = stack.pop()
                    for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                        inside = 0 <= y < rows and 0 <= x < cols
                        if inside and grid[y][x] == "1" and (y, x) not in seen:
                            seen.add((y, x))
                            stack.append((y, x))
    return islands
