"""Takes the ready courses in rounds, rescanning every course each round until nothing
changes: a round may take only one layer of a deep DAG, O(V^2) in all."""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    waiting = [0] * num_courses
    for course, first in prerequisites:
        unlocks[first].append(course)
        waiting[course] += 1
    taken = [False] * num_courses
    progress = True
    while progress:
        progress = False
        for course in range(num_courses):
            if not taken[course] and waiting[course] == 0:
                taken[course] = True
                progress = True
                for later in unlocks[course]:
                    waiting[later] -= 1
    return all(taken)
