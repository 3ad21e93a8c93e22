"""Skips a fixed value equal to the NEXT one instead of the previous one, so the first
copy is skipped and [-1, -1, 2] is lost."""

from __future__ import annotations


def three_sum(nums: list[int]) -> list[list[int]]:
    nums = sorted(nums)
    triplets: list[list[int]] = []
    for i in range(len(nums) - 2):
        if nums[i] == nums[i + 1]:
            continue
        lo, hi = i + 1, len(nums) - 1
        while lo < hi:
            total = nums[i] + nums[lo] + nums[hi]
            if total < 0:
                lo += 1
            elif total > 0:
                hi -= 1
            else:
                triplets.append([nums[i], nums[lo], nums[hi]])
                lo += 1
                hi -= 1
                while lo < hi and nums[lo] == nums[lo - 1]:
                    lo += 1
    return triplets
