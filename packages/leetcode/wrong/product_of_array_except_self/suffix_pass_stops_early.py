"""Runs the suffix pass with range(n - 1, 0, -1): it stops before index 0, so answer[0]
never gets the product of the rest."""

from __future__ import annotations


def product_except_self(nums: list[int]) -> list[int]:
    n = len(nums)
    answer = [1] * n
    prefix = 1
    for i in range(n):
        answer[i] = prefix
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, 0, -1):
        answer[i] *= suffix
        suffix *= nums[i]
    return answer
