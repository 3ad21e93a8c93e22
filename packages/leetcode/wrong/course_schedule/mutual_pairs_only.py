"""Looks only for two courses that require each other: a cycle of three or more passes."""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    pairs = {(course, first) for course, first in prerequisites}
    return not any((first, course) in pairs for course, first in prerequisites)
