"""A DFS that tracks the current path but not the finished courses: it explores a shared
prerequisite again from every path that reaches it, exponential on a layered graph."""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    for course, first in prerequisites:
        unlocks[first].append(course)
    on_path: set[int] = set()

    def has_cycle(course: int) -> bool:
        if course in on_path:
            return True
        on_path.add(course)
        for later in unlocks[course]:
            if has_cycle(later):
                return True
        on_path.remove(course)
        return False

    return not any(has_cycle(course) for course in range(num_courses))
