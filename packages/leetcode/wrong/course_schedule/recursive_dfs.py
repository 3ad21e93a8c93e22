"""A correct three-colour DFS, written recursively: a chain of 2000 courses (within the
constraints) nests 2000 calls, past CPython's default recursion limit of 1000."""

from __future__ import annotations

UNVISITED, ON_PATH, FINISHED = 0, 1, 2


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    for course, first in prerequisites:
        unlocks[first].append(course)
    state = [UNVISITED] * num_courses

    def has_cycle(course: int) -> bool:
        state[course] = ON_PATH
        for later in unlocks[course]:
            if state[later] == ON_PATH:
                return True
            if state[later] == UNVISITED and has_cycle(later):
                return True
        state[course] = FINISHED
        return False

    return not any(state[c] == UNVISITED and has_cycle(c) for c in range(num_courses))
