"""A DFS with a single visited set: meeting a finished course again is taken for a cycle."""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    for course, first in prerequisites:
        unlocks[first].append(course)
    visited: set[int] = set()

    def acyclic_from(course: int) -> bool:
        if course in visited:
            return False
        visited.add(course)
        return all(acyclic_from(later) for later in unlocks[course])

    return all(acyclic_from(course) for course in range(num_courses) if course not in visited)
