"""Course Schedule.

There are ``num_courses`` courses, numbered ``0`` to ``num_courses - 1``. Each
pair ``[a, b]`` in ``prerequisites`` says that course ``b`` must be taken
before course ``a``. Return ``True`` if some order lets you take every course,
and ``False`` otherwise.

Example 1: num_courses = 2, prerequisites = [[1, 0]]          ->  True
Example 2: num_courses = 2, prerequisites = [[1, 0], [0, 1]]  ->  False

Constraints: 1 <= num_courses <= 2000; 0 <= len(prerequisites) <= 5000; each
pair has two entries, both in range(num_courses); no pair is repeated. Aim
for O(num_courses + len(prerequisites)) time: the tests count the operations
your solution makes. The tests run on a plain CPython, with its default
recursion limit (1000).
"""

from __future__ import annotations


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    """Whether all ``num_courses`` courses can be taken, given ``[course, first]`` pairs."""
    # TODO: write your solution here, then run: uv run handbook practice course_schedule
    raise NotImplementedError("can_finish is not written yet")
