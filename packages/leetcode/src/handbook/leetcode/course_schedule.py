"""Course Schedule: can every course be taken? Only if the prerequisite graph has no cycle.

There are ``num_courses`` courses, numbered ``0`` to ``num_courses - 1``. Each
pair ``[a, b]`` in ``prerequisites`` says that course ``b`` must be taken
before course ``a``. Return ``True`` if some order lets you take every course,
and ``False`` otherwise.

Example 1: ``num_courses = 2, prerequisites = [[1, 0]]`` gives ``True``: take
0, then 1.
Example 2: ``num_courses = 2, prerequisites = [[1, 0], [0, 1]]`` gives
``False``: each course waits for the other.

Constraints: ``1 <= num_courses <= 2000``; ``0 <= len(prerequisites) <= 5000``;
each pair has two entries, both in ``range(num_courses)``; no pair is repeated.

Why interviewers ask this:
    It is the standard test of whether a candidate turns a word problem into a
    graph: courses are vertices, "b before a" is an edge ``b -> a``, and "can
    everything be taken" is "is the graph acyclic", answered by a topological
    sort. It then probes the detail that separates a working cycle check from
    a plausible one: a vertex seen before is only a cycle if it is still on the
    current path. A strong candidate also states O(V + E) and knows why a
    recursive DFS is a risk in Python.

Common pitfalls:
    - Checking only for mutual pairs (``[a, b]`` and ``[b, a]``): that finds
      the cycles of length two and misses ``0 -> 1 -> 2 -> 0``.
    - A DFS with one ``visited`` set that reports a cycle whenever it meets a
      visited vertex. In the diamond ``0 -> 1 -> 3`` and ``0 -> 2 -> 3``,
      course 3 is reached twice without any cycle. The fix is three states:
      unvisited, on the current path, finished; only an edge to a vertex on
      the path closes a cycle.
    - A DFS that keeps the on-path set but forgets the finished state: it is
      correct, but it explores a shared prerequisite again from every path
      that reaches it, which is exponential on a layered graph (two courses
      per layer, each needing both courses of the layer below).
    - Union-find: join the two courses of every pair and report a cycle when
      a pair's courses are already joined. That finds cycles in undirected
      graphs; here it ignores the direction, so the diamond above looks
      cyclic: whichever of its four pairs comes last joins two courses that
      the other three have already joined.
    - Taking the ready courses in rounds, rescanning every course each round
      until a round takes none: correct, but a round may take only one layer
      of a deep DAG, and then it is O(V^2). How many rounds it needs depends
      on how the courses happen to be numbered: when every course is numbered
      above its prerequisites, one sweep in number order takes them all; with
      the numbers reversed, every layer costs a sweep (the tests try both
      numberings). Kahn's algorithm keeps the ready courses in a list
      instead of searching for them.
    - A recursive DFS at the limits of the constraints. On a chain of 2000
      courses, a DFS that walks the whole chain from one end nests 2000
      calls, and CPython's default recursion limit is 1000 frames
      (``sys.getrecursionlimit()`` on 3.11, 3.12 and 3.13), so it raises
      ``RecursionError``. The tests run on a plain CPython with that default
      and reject the recursive version on purpose: 2000 courses are within
      the constraints. Recursive DFS solutions to this problem are commonly
      posted as accepted on LeetCode; what limit its judge sets is not
      documented.
    - Raising the limit is not a reliable fix. Since 3.11 most calls from
      Python to Python use no C stack, so with
      ``sys.setrecursionlimit(10_000)`` a plain recursive DFS does pass the
      2000-course chain. But a DFS that recurses through a builtin at each
      level, ``all(dfs(n) for n in unlocks[c])``, stops at about 500 levels
      on 3.12.1 whatever the limit (on 3.12 the setting does not move the C
      recursion guard, python/cpython#112282): with the limit raised to
      10,000, that file passes these tests on 3.11 and 3.13 and fails them
      on 3.12. On 3.11.7, where the setting still guards the C stack, a
      limit of 100,000 lets such a recursion run deep enough to overflow the
      C stack: the process dies with a segfault instead of raising.
      (Measured by bisecting the deepest recursion that returns, on 3.11.7,
      3.12.1 and 3.13.0 with an 8 MiB stack.) Keep your own stack, or use
      Kahn's algorithm.

Key takeaways:
    - Kahn's algorithm: count each course's untaken prerequisites; start from
      the courses with none; taking a course lowers the count of every course
      it unlocks, and a count that reaches zero makes that course ready. All
      courses can be taken exactly when all of them were taken this way; a
      course on a cycle, or behind one, never reaches zero.
    - It is iterative, so deep chains cost no recursion, and any order of the
      ready courses works (a list used as a stack is as good as a queue).
    - The three-colour DFS is the equivalent alternative: a cycle exists when
      an edge leads to a vertex that is still on the path.

What to look for in an answer:
    - The graph named (direction of the edge stated), the adjacency list built
      once in O(V + E), and the cycle criterion stated before coding.
    - Either Kahn's algorithm or a three-colour DFS, with O(V + E) time and
      O(V + E) space; a candidate who writes the recursive DFS should raise
      the depth question unprompted.
    - Follow-up: "return an order in which to take the courses" (LeetCode
      210): the order in which Kahn's algorithm takes them, or the DFS
      finish order reversed; if not every course is taken, return ``[]``.
    - Follow-up: "which courses are on a cycle?": after Kahn's algorithm, the
      courses whose count never reached zero are on a cycle or depend on
      one; a DFS can report the cycle itself from the on-path stack.
    - Follow-up: "the fewest semesters if any number of courses fit in one"
      (LeetCode 1136): run Kahn's algorithm level by level; the answer is
      the number of levels (the longest path, counted in courses), or -1
      when some course is never taken.
    - Follow-up: "why not union-find?": it merges courses without direction,
      so it detects undirected cycles; two courses that share a prerequisite
      and a later course form an undirected cycle but a valid schedule.
    - Follow-up: "Alien Dictionary" (LeetCode 269): the same topological
      sort, on a graph of letters built from the first differing letter of
      each pair of neighbouring words; a cycle, or a word listed before its
      own prefix, means no order exists.
    - Follow-up: "why not BFS from every course to see if it reaches itself?":
      that is O(V * (V + E)); one topological sort answers it for all
      courses at once.

Complexity:
    O(V + E) time and O(V + E) space, with V = ``num_courses`` and
    E = ``len(prerequisites)``: each course enters the ready list at most
    once, and each edge lowers one count once.
"""

from __future__ import annotations

DIFFICULTY = "Medium"
TAGS = ("depth-first search", "breadth-first search", "graph", "topological sort")
HINTS = (
    "Draw the courses as points and each prerequisite as an arrow from the course "
    "you take first. When is it impossible to take them all?",
    "A course with no untaken prerequisites can be taken now. Taking it may free "
    "others. Keep a count of untaken prerequisites per course and see how many "
    "courses you manage to take.",
    "If you use a DFS instead, a vertex you have already finished is harmless; "
    "only a vertex still on the current path closes a cycle. Keep your own stack: "
    "a chain of 2000 courses is deeper than Python's default recursion limit.",
)


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    """Whether all ``num_courses`` courses can be taken, given ``[course, first]`` pairs.

    >>> can_finish(2, [[1, 0]])
    True
    >>> can_finish(2, [[1, 0], [0, 1]])
    False
    """
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    waiting = [0] * num_courses  # prerequisites of each course not yet taken
    for course, first in prerequisites:
        unlocks[first].append(course)
        waiting[course] += 1
    # Any order of the ready courses works, so a plain list as a stack will do.
    ready = [course for course in range(num_courses) if waiting[course] == 0]
    taken = 0
    while ready:
        course = ready.pop()
        taken += 1
        for later in unlocks[course]:
            waiting[later] -= 1
            if waiting[later] == 0:
                ready.append(later)
    return taken == num_courses
