"""Course Schedule: the examples, cycles long and short, DAGs that are easy to misread as
cyclic, a chain too deep to recurse along, an oracle on seeded inputs, and a linear budget
on a layered DAG, numbered upwards and downwards."""

from __future__ import annotations

import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

can_finish = Solution("course_schedule", "can_finish")


def oracle(num_courses: int, prerequisites: list[list[int]]) -> bool:
    """True unless some course can reach itself along prerequisite edges: O(V * (V + E)).

    >>> oracle(3, [[1, 0], [2, 1], [0, 2]]), oracle(3, [[1, 0], [2, 1]])
    (False, True)
    """
    unlocks: dict[int, list[int]] = {c: [] for c in range(num_courses)}
    for course, first in prerequisites:
        unlocks[first].append(course)
    for start in range(num_courses):
        reached: set[int] = set()
        frontier = list(unlocks[start])
        while frontier:
            course = frontier.pop()
            if course == start:
                return False
            if course not in reached:
                reached.add(course)
                frontier.extend(unlocks[course])
    return True


def test_the_statement_examples() -> None:
    check(can_finish, 2, [[1, 0]], expected=True)
    check(can_finish, 2, [[1, 0], [0, 1]], expected=False)


def test_no_prerequisites() -> None:
    check(can_finish, 1, [], expected=True)
    check(can_finish, 5, [], expected=True)


def test_a_course_that_requires_itself() -> None:
    # The constraints do not rule out [a, a]: a cycle of length one.
    check(can_finish, 1, [[0, 0]], expected=False)
    check(can_finish, 3, [[1, 0], [2, 2]], expected=False)


def test_a_cycle_of_three_or_more_is_found() -> None:
    # No two courses require each other, yet 0 -> 1 -> 2 -> 0 closes a cycle.
    check(can_finish, 3, [[1, 0], [2, 1], [0, 2]], expected=False)
    check(can_finish, 5, [[1, 0], [2, 1], [3, 2], [4, 3], [1, 4]], expected=False)


def test_a_diamond_is_not_a_cycle() -> None:
    # 0 -> 1 -> 3 and 0 -> 2 -> 3: course 3 is reached twice, and there is no cycle.
    check(can_finish, 4, [[1, 0], [2, 0], [3, 1], [3, 2]], expected=True)
    # The same course reached from a course explored later: 1 -> 0, then 2 -> 0.
    check(can_finish, 3, [[0, 1], [0, 2]], expected=True)


def test_a_cycle_behind_a_free_course() -> None:
    # Course 0 is free and 1 needs it, but 1 and 2 need each other.
    check(can_finish, 3, [[1, 0], [2, 1], [1, 2]], expected=False)
    # A cycle in one component, a fine chain in another.
    check(can_finish, 6, [[1, 0], [2, 1], [4, 3], [5, 4], [3, 5]], expected=False)


def test_a_chain_of_2000_courses_needs_no_deep_recursion() -> None:
    # The largest num_courses. Course i needs i - 1, or i needs i + 1: whichever way a
    # recursive DFS follows the edges, and whichever end it starts from, one of the two
    # chains nests 2000 calls, past CPython's default recursion limit of 1000.
    up = [[i, i - 1] for i in range(1, 2000)]
    down = [[i - 1, i] for i in range(1, 2000)]
    check(can_finish, 2000, up, expected=True)
    check(can_finish, 2000, down, expected=True)
    check(can_finish, 2000, [*up, [0, 1999]], expected=False)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261207)
    for _ in range(300):
        num_courses = rng.randint(1, 8)
        pairs: set[tuple[int, int]] = set()
        for _ in range(rng.randint(0, 2 * num_courses)):
            low, high = sorted(rng.sample(range(num_courses), 2)) if num_courses > 1 else (0, 0)
            # Mostly "a higher course needs a lower one", so acyclic graphs are common;
            # a few edges point the other way and may close a cycle.
            pairs.add((high, low) if rng.random() < 0.9 else (low, high))
        prerequisites = [list(pair) for pair in pairs]
        rng.shuffle(prerequisites)
        check(
            can_finish,
            num_courses,
            prerequisites,
            expected=oracle(num_courses, prerequisites),
        )


def _layer_pairs(n: int) -> list[tuple[int, int]]:
    # n courses in layers of two; each course needs both courses of the layer below, so
    # E is about 2V and the number of paths from the bottom doubles with every layer.
    # A DFS that does not remember finished courses walks every one of those paths.
    return [
        (course, first)
        for course in range(2, n)
        for first in (2 * (course // 2) - 2, 2 * (course // 2) - 1)
    ]


def _layered(n: int) -> tuple[int, list[list[int]]]:
    # Numbered upwards: every course is numbered above its prerequisites.
    return n, [counted_ints([course, first]) for course, first in _layer_pairs(n)]


def test_time_is_linear_when_courses_share_prerequisites() -> None:
    assert_time_budget(can_finish, _layered, "O(n)", sizes=(16, 64, 256))


def _layered_numbered_top_down(n: int) -> tuple[int, list[list[int]]]:
    # The same DAG with course c renamed n - 1 - c, so every course is numbered below
    # its prerequisites. A solution that sweeps the courses in number order, taking each
    # one whose prerequisites are all taken, and sweeps again until nothing changes,
    # takes all of _layered in one sweep; here each sweep takes one layer: n / 2 sweeps
    # of n courses.
    return n, [counted_ints([n - 1 - course, n - 1 - first]) for course, first in _layer_pairs(n)]


def test_time_is_linear_when_each_course_is_numbered_below_its_prerequisites() -> None:
    assert_time_budget(can_finish, _layered_numbered_top_down, "O(n)", sizes=(16, 64, 256))
