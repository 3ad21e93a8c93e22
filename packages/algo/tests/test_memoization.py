"""Tests for algo.memoization: calls counted exactly, real RecursionErrors, stale memo keys.

Call counts are checked against the closed form ``2 * F(n + 1) - 1`` and
against ``n + 1``; depth tests change the recursion limit only inside
``recursion_limit`` (restored in ``finally``) and build a fresh, cold cache for
every chain. The recursion tests branch on ``sys.version_info`` where 3.11
and 3.12-3.13 differ, and assert no measured depth, only sides of it that
leave a wide margin. In-process cached chains stay at 150 levels or fewer, so
they fit the smallest C budget known here (500 units on debug builds, about
three per cached level). 3.14 replaces the C budget by a check of the real
stack, so the tests that pin the 3.12/3.13 budget skip there; add a 3.14
branch when the matrix grows. The one test that overflows the real C stack
does it in a child process, with its thread stack size set, so a crash on
3.11 is the expected outcome, not a lost test run; it runs on Linux only.
"""

from __future__ import annotations

import functools
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import FrameType

import pytest

from handbook.algo.memoization import (
    CallCount,
    fib_bottom_up,
    fib_cached_in_steps,
    fib_memo,
    fib_naive,
    make_fib_cached,
    memo_by_id,
    memo_by_value,
    naive_call_count,
    recursion_limit,
)

FIRST_FIBONACCI = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610]


def stack_depth() -> int:
    """How many Python frames are on the stack right now (pytest's included)."""
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def plain_chain(n: int) -> int:
    """A recursion ``n`` levels deep, no cache: Python calling Python."""
    return 0 if n == 0 else 1 + plain_chain(n - 1)


def cached_chain() -> Callable[[int], int]:
    """A fresh ``functools.cache`` recursion: each level goes through the C wrapper."""

    @functools.cache
    def chain(n: int) -> int:
        return 0 if n == 0 else 1 + chain(n - 1)

    return chain


def test_every_implementation_agrees_with_the_first_fibonacci_numbers() -> None:
    for n, expected in enumerate(FIRST_FIBONACCI):
        assert fib_naive(n) == expected
        assert make_fib_cached()(n) == expected
        assert fib_memo(n) == expected
        assert fib_bottom_up(n) == expected
        assert fib_cached_in_steps(n, step=3) == expected


def test_naive_calls_are_exactly_two_f_n_plus_one_minus_one() -> None:
    for n in range(21):
        calls = CallCount()
        fib_naive(n, calls)
        assert calls.count == naive_call_count(n) == 2 * fib_bottom_up(n + 1) - 1
    # 2 * F(21) - 1 and 2 * F(31) - 1: each step multiplies the calls by about 1.6.
    assert naive_call_count(20) == 2 * 10_946 - 1
    assert naive_call_count(30) == 2 * 1_346_269 - 1
    assert 1.6 < naive_call_count(30) / naive_call_count(29) < 1.7


def test_memoised_bodies_run_once_per_subproblem() -> None:
    for n in (2, 3, 10, 60, 120):  # 120 cached levels: within every build's C budget
        cached_calls, memo_calls = CallCount(), CallCount()
        assert make_fib_cached(cached_calls)(n) == fib_memo(n, calls=memo_calls)
        assert cached_calls.count == n + 1
        assert memo_calls.count == n + 1
    # The base cases reach nothing below them: F(0) and F(1) run one body each.
    for n in (0, 1):
        calls = CallCount()
        fib_memo(n, calls=calls)
        assert calls.count == 1


def test_a_shared_memo_answers_later_calls_without_running_the_body() -> None:
    memo: dict[int, int] = {}
    fib_memo(50, memo)
    calls = CallCount()
    assert fib_memo(40, memo, calls) == 102_334_155
    assert calls.count == 0
    fib = make_fib_cached(calls)
    fib(50)
    assert calls.count == 51
    fib(50)
    assert calls.count == 51  # a hit: the body does not run


def test_memoised_recursion_deeper_than_the_limit_raises_recursion_error() -> None:
    n = sys.getrecursionlimit() + 100  # a cold cache must recurse n levels
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        make_fib_cached()(n)
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        fib_memo(n)
    # The same n, computed in steps or bottom-up, has no depth problem.
    assert fib_cached_in_steps(n) == fib_bottom_up(n)


def test_a_lowered_limit_fails_sooner_and_is_restored_afterwards() -> None:
    before = sys.getrecursionlimit()
    limit = stack_depth() + 50
    with recursion_limit(limit):
        assert sys.getrecursionlimit() == limit
        with pytest.raises(RecursionError):
            fib_memo(200)
        assert fib_bottom_up(200) == 280_571_172_992_510_140_037_611_932_413_038_677_189_525
    assert sys.getrecursionlimit() == before


def test_the_limit_is_restored_even_when_the_block_raises() -> None:
    before = sys.getrecursionlimit()
    with pytest.raises(RecursionError), recursion_limit(stack_depth() + 50):
        make_fib_cached()(500)
    assert sys.getrecursionlimit() == before


def test_bottom_up_makes_exactly_n_additions_of_growing_numbers() -> None:
    for n in (0, 1, 10, 1_000, 10_000):
        additions = CallCount()
        f_n = fib_bottom_up(n, additions)
        assert additions.count == n
        if n >= 1_000:
            # F(n) ~ phi**n / sqrt(5): log2(phi) = 0.6942... bits per step.
            assert abs(f_n.bit_length() - 0.6942 * n) < 3


def test_plain_recursion_needs_only_a_raised_limit() -> None:
    # Python-to-Python calls use no C stack since 3.11: the limit is the only bound.
    with recursion_limit(stack_depth() + 20_100):
        assert plain_chain(20_000) == 20_000


def test_bottom_up_handles_n_far_beyond_the_limit() -> None:
    n = 10 * sys.getrecursionlimit()
    f_n, f_n1 = fib_bottom_up(n), fib_bottom_up(n + 1)
    # Doubling identity F(2n) = F(n) * (2 F(n + 1) - F(n)): an independent check.
    assert fib_bottom_up(2 * n) == f_n * (2 * f_n1 - f_n)
    assert fib_cached_in_steps(n, step=100) == f_n


def run_in_big_thread(work: Callable[[], int], stack_bytes: int) -> list[object]:
    """Run ``work`` in a thread with a ``stack_bytes`` C stack; its result or exception."""
    out: list[object] = []

    def target() -> None:
        try:
            out.append(work())
        except RecursionError as exc:
            out.append(exc)

    old = threading.stack_size(stack_bytes)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old)
    return out


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.11 counts the C wrapper")
def test_on_311_each_cached_level_costs_two_units_of_the_limit() -> None:
    with recursion_limit(stack_depth() + 150):
        assert plain_chain(100) == 100  # 100 units
        with pytest.raises(RecursionError):
            cached_chain()(100)  # 200 units: the wrapper's call counts too
    # Raising the limit is enough on 3.11, as far as the C stack holds: a
    # bigger thread stack holds a deeper chain (256 MiB: a wide margin).
    with recursion_limit(30_000):
        assert run_in_big_thread(lambda: cached_chain()(10_000), 256 * 2**20) == [10_000]


@pytest.mark.skipif(
    not (3, 12) <= sys.version_info < (3, 14),
    reason="3.12 and 3.13 have a fixed C budget; 3.14 checks the real stack instead",
)
def test_on_312_and_313_the_limit_counts_python_frames_and_c_has_its_own_budget() -> None:
    with recursion_limit(stack_depth() + 150):
        assert plain_chain(100) == 100
        assert cached_chain()(100) == 100  # 100 Python frames; the wrapper is not counted
    # setrecursionlimit does not raise the C-recursion budget (CPython gh-112215):
    # a plain chain goes 20,000 deep, a cached one of the same depth cannot.
    with recursion_limit(100_000):
        assert plain_chain(20_000) == 20_000
        with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
            cached_chain()(20_000)


DEEP_CACHED_CHAIN = """
import functools, sys, threading
sys.setrecursionlimit(10**6)
threading.stack_size(8 * 2**20)

@functools.cache
def chain(n):
    return 0 if n == 0 else 1 + chain(n - 1)

def run():
    try:
        chain(300_000)
    except RecursionError:
        print("RecursionError")

thread = threading.Thread(target=run)
thread.start()
thread.join()
"""


@pytest.mark.skipif(
    sys.platform != "linux",
    reason=(
        "a C stack overflow is SIGSEGV on Linux only (macOS usually SIGBUS, Windows exit "
        "status 0xC00000FD); to run it elsewhere, assert that platform's crash status"
    ),
)
@pytest.mark.skipif(
    sys.version_info >= (3, 14),
    reason="3.14 checks the real stack size; its outcome needs its own branch",
)
def test_a_huge_limit_crashes_311_and_raises_on_312_and_313() -> None:
    # A child process: on 3.11 the C stack really overflows, which kills the process.
    child = subprocess.run(
        [sys.executable, "-c", DEEP_CACHED_CHAIN],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if sys.version_info >= (3, 12):
        assert child.returncode == 0
        assert child.stdout.strip() == "RecursionError"
    else:
        assert child.returncode == -signal.SIGSEGV
        assert child.stdout == ""


def test_functools_cache_rejects_a_list_argument() -> None:
    @functools.cache
    def total(values: list[int]) -> int:
        return sum(values)

    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        total([1, 2, 3])  # type: ignore[arg-type]
    assert functools.cache(lambda values: sum(values))((1, 2, 3)) == 6  # a tuple is fine


def test_a_memo_keyed_on_id_returns_a_stale_answer_after_mutation() -> None:
    calls = CallCount()

    def total(values: list[int]) -> int:
        calls.count += 1
        return sum(values)

    by_id = memo_by_id(total)
    prices = [1, 2]
    assert by_id(prices) == 3
    prices.append(10)
    assert by_id(prices) == 3  # stale: 13 is right
    assert calls.count == 1


def test_a_memo_keyed_on_a_tuple_snapshot_sees_the_mutation() -> None:
    calls = CallCount()

    def total(values: object) -> int:
        calls.count += 1
        assert isinstance(values, list | tuple)
        return sum(values)

    by_value = memo_by_value(total)
    prices = [1, 2]
    assert by_value(prices) == 3
    prices.append(10)
    assert by_value(prices) == 13
    assert by_value([1, 2, 10]) == 13  # equal contents, another list: a hit
    assert calls.count == 2


def test_bad_n_is_rejected() -> None:
    for fib in (fib_naive, make_fib_cached(), fib_memo, fib_bottom_up, fib_cached_in_steps):
        with pytest.raises(ValueError, match="n must be >= 0"):
            fib(-1)
        with pytest.raises(TypeError, match="n must be an int, got float"):
            fib(2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="step must be >= 1"):
        fib_cached_in_steps(10, step=0)
