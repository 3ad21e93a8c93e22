"""Takes max() over the runs' lengths: with an empty list there are none, and max() raises."""

from __future__ import annotations


def longest_consecutive(nums: list[int]) -> int:
    values = set(nums)

    def run_length(start: int) -> int:
        end = start + 1
        while end in values:
            end += 1
        return end - start

    return max(run_length(x) for x in values if x - 1 not in values)
