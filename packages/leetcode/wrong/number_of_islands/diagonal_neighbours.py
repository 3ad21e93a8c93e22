"""Joins land through all eight neighbours, diagonals included."""

from __future__ import annotations

STEPS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]


def num_islands(grid: list[list[str]]) -> int:
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != "1" or seen[r][c]:
                continue
            islands += 1
            seen[r][c] = True
            stack = [(r, c)]
            while stack:
                i, j = stack.pop()
                for dy, dx in STEPS:
                    y, x = i + dy, j + dx
                    if 0 <= y < rows and 0 <= x < cols and grid[y][x] == "1" and not seen[y][x]:
                        seen[y][x] = True
                        stack.append((y, x))
    return islands
