"""Multiplies every other element for each index: two nested loops, O(n^2)."""

from __future__ import annotations


def product_except_self(nums: list[int]) -> list[int]:
    answer = []
    for i in range(len(nums)):
        product = 1
        for j in range(len(nums)):
            if j != i:
                product *= nums[j]
        answer.append(product)
    return answer
