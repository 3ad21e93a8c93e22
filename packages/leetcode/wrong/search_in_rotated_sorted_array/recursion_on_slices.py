"""Recurses on ``nums[:mid]`` and ``nums[mid + 1:]``: O(log n) comparisons, O(n) copying."""

from __future__ import annotations


def search(nums: list[int], target: int) -> int:
    if not nums:
        return -1
    mid = len(nums) // 2
    if nums[mid] == target:
        return mid
    if nums[0] <= nums[mid]:  # the left half is sorted
        go_left = nums[0] <= target < nums[mid]
    else:  # the right half is sorted
        go_left = not nums[mid] < target <= nums[-1]
    if go_left:
        return search(nums[:mid], target)
    found = search(nums[mid + 1 :], target)
    return -1 if found == -1 else mid + 1 + found
