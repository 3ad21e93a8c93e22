"""Product of Array Except Self: the examples, zeros, the two ends, a check that nothing is
divided, an oracle on seeded inputs, and a linear budget on counted multiplications."""

from __future__ import annotations

import math
import random
from typing import Any, NoReturn

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

product_except_self = Solution("product_of_array_except_self", "product_except_self")


def oracle(nums: list[int]) -> list[int]:
    """The product of all the others, for each index: obviously right, O(n^2).

    >>> oracle([2, 0, 5])
    [0, 10, 0]
    """
    return [math.prod(nums[:i] + nums[i + 1 :]) for i in range(len(nums))]


class Undividable(int):
    """An int that refuses to be divided, reduced modulo anything or raised to a negative
    power (a reciprocal), from either side: the statement forbids division, even a
    division that handles zeros correctly. A plain int made from it (``int(x)``) is
    ordinary again: the tests cannot see what is done to such a copy."""

    __slots__ = ()

    def _refuse(self, other: object, what: str = "a division or modulo") -> NoReturn:
        raise AssertionError(
            f"{what} involving the input value {int(self)} (and {other!r}): "
            "the problem forbids the division operation"
        )

    def __truediv__(self, other: int) -> float:
        return self._refuse(other)

    def __rtruediv__(self, other: int) -> float:
        return self._refuse(other)

    def __floordiv__(self, other: int) -> int:
        return self._refuse(other)

    def __rfloordiv__(self, other: int) -> int:
        return self._refuse(other)

    def __mod__(self, other: int) -> int:
        return self._refuse(other)

    def __rmod__(self, other: int) -> int:
        return self._refuse(other)

    def __divmod__(self, other: int) -> tuple[int, int]:
        return self._refuse(other)

    def __rdivmod__(self, other: int) -> tuple[int, int]:
        return self._refuse(other)

    def __pow__(self, other: int, mod: int | None = None) -> Any:
        if mod is not None:
            self._refuse(other, "a power modulo")
        if other < 0:
            self._refuse(other, "a negative power (a reciprocal)")
        return int.__pow__(self, other)

    def __rpow__(self, other: int, mod: int | None = None) -> Any:
        if mod is not None:
            self._refuse(other, "a power modulo")
        if self < 0:
            self._refuse(other, "a negative power (a reciprocal)")
        return int.__rpow__(self, other)


def test_the_statement_examples() -> None:
    check(product_except_self, [1, 2, 3, 4], expected=[24, 12, 8, 6])
    check(product_except_self, [-1, 1, 0, -3, 3], expected=[0, 0, 9, 0, 0])


def test_a_zero_in_the_input() -> None:
    # One zero: only its own position gets a non-zero product.
    check(product_except_self, [0, 4, 5], expected=[20, 0, 0])
    check(product_except_self, [4, 0], expected=[0, 4])


def test_two_zeros_make_everything_zero() -> None:
    check(product_except_self, [0, 2, 0], expected=[0, 0, 0])
    check(product_except_self, [0, 0], expected=[0, 0])


def test_the_first_element_gets_the_product_of_the_rest() -> None:
    check(product_except_self, [2, 3, 4], expected=[12, 8, 6])
    check(product_except_self, [5, 7], expected=[7, 5])


def test_negative_numbers_and_the_limits() -> None:
    check(product_except_self, [-30, 30], expected=[30, -30])
    check(product_except_self, [-1, -1, -1], expected=[1, 1, 1])
    check(product_except_self, [-2, 3, -5, 1], expected=[-15, 10, -6, 30])


def test_division_is_not_used() -> None:
    # No zeros here, so a division (or a multiplication by x ** -1) would give the right
    # numbers: only refusing it tells.
    nums: list[int] = [Undividable(v) for v in (2, 3, 4, 5, -1)]
    check(product_except_self, nums, expected=[-60, -40, -30, -24, 120])


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261204)
    for _ in range(300):
        nums = [rng.randint(-5, 5) for _ in range(rng.randint(2, 12))]
        check(product_except_self, nums, expected=oracle(nums))


def _signs_and_two_big_factors(n: int) -> tuple[list[int]]:
    # Mostly -1 and 1, so every prefix product stays small (as the statement promises),
    # with 30 and -30 near the two ends. Each multiplication by a counted int is counted.
    rng = random.Random(n)
    values = [rng.choice((-1, 1)) for _ in range(n)]
    values[1], values[-2] = 30, -30
    return (counted_ints(values),)


def test_time_is_linear() -> None:
    assert_time_budget(product_except_self, _signs_and_two_big_factors, "O(n)")
