"""Number of Islands: count the flood fills it takes to visit every land cell.

Given an ``m x n`` grid of ``"1"`` (land) and ``"0"`` (water), return the number
of islands. An island is land connected horizontally or vertically (not
diagonally) and surrounded by water; everything outside the grid is water.

Example 1 (one island)::

    ["1", "1", "1", "1", "0"],
    ["1", "1", "0", "1", "0"],
    ["1", "1", "0", "0", "0"],
    ["0", "0", "0", "0", "0"]

Example 2 (three islands)::

    ["1", "1", "0", "0", "0"],
    ["1", "1", "0", "0", "0"],
    ["0", "0", "1", "0", "0"],
    ["0", "0", "0", "1", "1"]

Constraints: ``1 <= m, n <= 300``; every cell is ``"0"`` or ``"1"``.

You may change the grid (each test call gets a fresh one). The tests run on a
plain CPython, with its default recursion limit (1000): a recursive flood fill
is correct, but it fails the test with a winding island of 5050 cells, on
purpose, since that grid is within the constraints. The tests also count the
operations your solution makes (O(m n) expected).

Why interviewers ask this:
    It is the standard test of seeing a graph where none is drawn: cells are
    vertices, the four neighbours are edges, and islands are connected
    components. The candidate must pick a traversal, mark cells so that none
    is visited twice, keep the neighbours inside the grid, and say whether the
    input may be changed. In Python it also tests whether they know that a
    recursive flood fill can be far deeper than the recursion limit.

Common pitfalls:
    - Counting diagonal neighbours: ``[["1", "0"], ["0", "1"]]`` is two
      islands, not one.
    - A recursive flood fill. A winding island on a 100 x 100 grid, well
      inside the constraints, is a path of 5050 cells, and the recursion needs
      a frame per cell; CPython's default limit is 1000 frames (3.11, 3.12 and
      3.13), so it raises ``RecursionError``. A 300 x 300 grid allows a path of
      about 45,000 cells. The tests reject it on purpose. Recursive solutions
      are commonly posted as accepted on LeetCode; its judge's limit is not
      documented.
    - Raising the limit is not a reliable fix. Since 3.11 most calls from
      Python to Python use no C stack, so with ``sys.setrecursionlimit(50_000)``
      the plain recursive fill does sink a 300 x 300 snake of 45,150 cells
      (measured on 3.11.7, 3.12.1 and 3.13.0). But the setting is global to
      the process, and a recursion that passes through a builtin at each
      level stops at a C recursion guard the setting does not move (for a
      generator consumed by ``max()``, at 499 levels on 3.12.1 and 4999 on
      3.13.0: see ``maximum_depth_of_binary_tree``). Keep your own stack.
    - Looking for the next island by scanning again from the top-left corner
      after each fill: every island costs a scan of the cells before it, so
      a checkerboard, with m n / 2 islands of one cell, makes it quadratic.
      Keep one scan and let it carry on past each fill.
    - Not skipping cells the fill has seen: two neighbouring land cells push
      each other for ever, and the function never returns.
    - Marking cells in the fill but testing only ``grid[r][c] == "1"`` in the
      outer loop: every land cell starts a new count (example 1 gives 9). That
      test is enough only when the fill sinks the land to ``"0"``.
    - Guarding the grid with ``try: grid[i][j] ... except IndexError``: a
      negative index does not raise, it wraps to the last row or column, so
      ``[["1", "0", "1"]]`` is joined round the edge into one island. Check
      ``0 <= i < m`` and ``0 <= j < n``.
    - Two slow containers: a list of visited cells (``(y, x) in seen`` scans
      it, O(m n) per test, quadratic in all) and ``list.pop(0)`` as the
      breadth-first queue (each pop moves every cell behind it). Both give
      right answers, and both escape the tests' counting: the work happens
      inside list methods, on tuples the solution made, which the counting
      cannot see. Use a set or a grid of marks, and ``collections.deque``.

Key takeaways:
    - Scan every cell; each unvisited land cell starts a flood fill that
      marks its whole island; the answer is the number of fills started.
    - Mark a cell when it is pushed, not when it is popped, so each cell
      enters the stack at most once.
    - Use an explicit stack (depth-first) or a deque (breadth-first); the
      order does not matter for counting, the recursion limit does.
    - Sinking the land (``grid[i][j] = "0"``) instead of keeping marks saves
      the m x n array and is the usual textbook answer, but it destroys the
      caller's grid. This reference keeps its own marks and leaves the grid
      as it was; the tests give each call a fresh grid, so both styles pass.

What to look for in an answer:
    - Rubric: the graph named (components of four-connected land); a
      traversal that marks on push; bounds checked on both sides; "may I
      modify the grid?" asked; O(m n) time and space stated, with the stack's
      worst case.
    - Follow-up: "Solve it with union-find." Model answer: one set per land
      cell, union each land cell with its land neighbours to the right and
      below; the answer is the number of land cells minus the unions that
      joined two different sets. With path compression and union by size it
      is O(m n) times the inverse Ackermann function, and it also answers the
      online version where land is added cell by cell (LeetCode 305).
    - Follow-up: "The grid arrives one row at a time and does not fit in
      memory." Model answer: keep only the previous row's labels and a
      union-find of labels; an island is complete, and can be counted, when
      none of its labels appears in the newest row.
    - Follow-up: "Return the largest island's area (LeetCode 695)." Model
      answer: the same fill, counting the cells it marks; keep the maximum.

Complexity:
    O(m n) time: each cell is scanned once and pushed at most once, and each
    push looks at four neighbours. O(m n) extra space: the marks, and a stack
    that can hold a large share of the grid.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("array", "depth-first search", "breadth-first search", "union find", "matrix")
HINTS = (
    "Think of each land cell as a vertex joined to its land neighbours above, "
    "below, left and right. What is an island in that graph?",
    "Scan the grid. When you meet land you have not visited, count one island "
    "and visit all of it with an explicit stack, marking each cell as you push "
    "it so that nothing is visited twice. Keep the neighbours inside the grid.",
)


def num_islands(grid: list[list[str]]) -> int:
    """The number of four-connected groups of ``"1"`` cells in ``grid``.

    >>> num_islands([["1", "1", "0", "0", "0"],
    ...              ["1", "1", "0", "0", "0"],
    ...              ["0", "0", "1", "0", "0"],
    ...              ["0", "0", "0", "1", "1"]])
    3
    >>> num_islands([["1", "0"], ["0", "1"]])
    2

    The grid is left as it was:

    >>> grid = [["1", "1"], ["0", "1"]]
    >>> num_islands(grid), grid
    (1, [['1', '1'], ['0', '1']])
    """
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
                for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    if 0 <= y < rows and 0 <= x < cols and grid[y][x] == "1" and not seen[y][x]:
                        seen[y][x] = True  # marked on push: each cell enters the stack once
                        stack.append((y, x))
    return islands
