"""Memoization: exponential calls made linear, the recursion limit, and keys that go stale.

Why interviewers ask this:
    Memoised Fibonacci is the first step of every dynamic-programming answer:
    count the calls of the naive recursion, cache them away, then notice the
    recursion depth and rewrite bottom-up. Python adds its own follow-ups:
    ``RecursionError`` at depth 1000 (CPython's default limit), what
    ``functools.cache`` can and cannot key on, and a memo that returns a
    stale answer after its argument was mutated.

Common pitfalls:
    - A hand-made memo that is read but never written: every lookup misses
      and the calls stay exponential (break it: ``memo-never-written``).
    - Memoising and forgetting the depth: a cold memoised ``fib(5000)`` still
      recurses 5000 frames deep and raises ``RecursionError``. Caching saves
      calls, not stack.
    - ``functools.cache`` on a function taking a list: ``TypeError:
      unhashable type: 'list'`` at the first call.
    - "Fixing" that with a hand-made memo keyed on ``id(values)``: mutate the
      list and call again, and the old answer comes back (break it:
      ``key-by-id``). The language lets a dead object's id be reused, and in
      CPython the id is the address, so reuse is immediate and common: a new
      list may inherit a dead one's answer. Key on a snapshot of the
      contents, ``tuple(values)``, instead.
    - Raising the limit with ``sys.setrecursionlimit`` and not restoring it
      (it is interpreter-wide: every thread of the interpreter shares it):
      restore it in ``finally`` (break it: ``no-restore``). Raising it far is
      worse on 3.11: a deep chain through C code (such as the
      ``functools.cache`` wrapper) overflows the real C stack and the process
      dies instead of raising ``RecursionError``. A test runs 300,000 cached
      levels in a child process with an 8 MiB thread stack: on Linux, 3.11
      is killed by SIGSEGV, 3.12 and 3.13 raise ``RecursionError``. (Other
      systems report the overflow differently: macOS usually with SIGBUS,
      Windows with the exit status ``0xC00000FD``.)

Key takeaways:
    - Naive ``fib(n)`` makes ``calls(n) = 1 + calls(n - 1) + calls(n - 2)``
      calls, which solves to exactly ``2 * F(n + 1) - 1``: it grows like
      ``phi**n`` (phi = 1.618...), each step about 1.6 times the last.
      Memoised, the body runs once per subproblem: ``n + 1`` times for
      ``n >= 2`` (every ``0..n`` is reached), O(n) instead of O(phi**n).
    - The recursion limit counts frames. Since 3.11 most Python-to-Python
      calls use no C stack (What's New in 3.11: "inlined" calls), but a call
      through C code does. On 3.11 each level of a ``functools.cache``
      recursion costs two units of ``sys.getrecursionlimit()`` (a 100-level
      cached chain fails where a 100-level plain one fits in 150), so raising
      the limit raises the depth, as far as the C stack allows. On 3.12 and
      3.13 the Python limit counts only Python frames, and C recursion has a
      separate, fixed budget that ``setrecursionlimit`` does not change
      (CPython gh-112215): a cached chain of 20,000 levels fails even with
      the limit at 100,000. The deepest cold cached chain, found by bisecting
      over depths at the top of a script, was 498 levels on 3.12.1 and 3,332
      on 3.13.0 (Linux x86-64 release builds, about three units of the budget
      per level). The budget depends on the release (3.12.3 raised it, under
      the same gh-112215), the platform and the build (a debug build allows
      500 units, about 160 cached levels), so rely on no number: the tests
      stay below 150 cached levels.
    - The fixes that work on every version: warm the cache in steps
      (``fib_cached_in_steps``), or rewrite bottom-up (``fib_bottom_up``: a
      loop of exactly ``n`` additions, O(1) space, no depth at all). "O(n)
      time" counts an addition as one step; ``F(n)`` has about ``0.694 * n``
      bits (``log2`` of phi per step), so the big-int additions cost O(n^2)
      bit operations in total.
    - Memo keys must be hashable *and* must not change while cached. Tuples
      of immutables are; lists are not hashable; objects hashed by identity
      are hashable but go stale when mutated.
    - Go and Java have no recursion limit but a stack limit: Go grows
      goroutine stacks up to 1 GB (64-bit) and then crashes with "goroutine
      stack exceeds"; Java throws ``StackOverflowError`` (``-Xss`` sets the
      size). Memoise with a ``map[int]int`` or ``HashMap``, whose keys must be
      comparable (Go) or have a stable ``hashCode`` (Java).

What to look for in an answer:
    A strong candidate derives the exponential call count, memoises with
    ``functools.cache`` (or a dict), then raises the depth problem unprompted
    and gives the bottom-up loop with O(1) space. Follow-ups:
    - Top-down or bottom-up: which to write? (Top-down computes only the
      states reached and is quick to write; bottom-up has no depth limit,
      no call overhead, and lets you keep only the last row of the table.)
    - Why not just ``sys.setrecursionlimit(10**6)``? (It is interpreter-wide,
      does not raise the C-recursion budget on 3.12+, and on 3.11 a deep
      chain through C code can overflow the real stack and segfault.)
    - You must recurse 10**5 deep in Python: how? (Best: an explicit stack or
      a bottom-up loop. If it must stay recursive: since 3.11 a plain
      Python-to-Python recursion uses no C stack, so ``setrecursionlimit``
      alone is enough. A chain through C code (``functools.cache``,
      ``__eq__``, ``repr``) is different: on 3.11 run it in a
      ``threading.Thread`` started after ``threading.stack_size(256 * 2**20)``,
      with the limit raised; on 3.12 and 3.13 its C budget is fixed, so only
      the rewrite works.)
    - ``lru_cache(maxsize=128)`` vs ``cache``? (``cache`` is unbounded and a
      little faster; a bound evicts least recently used entries, which keeps
      memory flat for long-running services. On methods, both keep ``self``
      alive in the cache.)

Complexity:
    ``fib_naive``: ``2 * F(n + 1) - 1`` calls, O(phi**n) time, O(n) depth.
    ``make_fib_cached`` and ``fib_memo``: ``n + 1`` body runs (``n >= 2``),
    O(n) time, space and depth. ``fib_bottom_up``: ``n`` additions, O(1)
    space (words: the numbers themselves grow to O(n) bits), no recursion.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = [
    "CallCount",
    "fib_bottom_up",
    "fib_cached_in_steps",
    "fib_memo",
    "fib_naive",
    "make_fib_cached",
    "memo_by_id",
    "memo_by_value",
    "naive_call_count",
    "recursion_limit",
]


class CallCount:
    """Counts how many times something ran: a function body, or an addition."""

    def __init__(self) -> None:
        self.count = 0


def _check(n: int) -> None:
    """``TypeError`` unless ``n`` is an int, ``ValueError`` if it is negative."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")


def fib_naive(n: int, calls: CallCount | None = None) -> int:
    """``F(n)`` by the definition, recomputing every subproblem: exponential calls.

    >>> c = CallCount()
    >>> fib_naive(10, c), c.count
    (55, 177)
    """
    _check(n)
    c = calls if calls is not None else CallCount()

    def f(k: int) -> int:
        c.count += 1
        return k if k < 2 else f(k - 1) + f(k - 2)

    return f(n)


def naive_call_count(n: int) -> int:
    """Calls ``fib_naive(n)`` makes: ``2 * F(n + 1) - 1``, from the call recurrence.

    >>> [naive_call_count(n) for n in range(6)]
    [1, 1, 3, 5, 9, 15]
    """
    return 2 * fib_bottom_up(n + 1) - 1


def make_fib_cached(calls: CallCount | None = None) -> Callable[[int], int]:
    """A fresh ``functools.cache``-memoised Fibonacci, with an empty cache.

    A new function per call keeps each test (and each depth experiment) cold.

    >>> c = CallCount()
    >>> fib = make_fib_cached(c)
    >>> fib(30), c.count
    (832040, 31)
    """
    c = calls if calls is not None else CallCount()

    @functools.cache
    def fib_cached(k: int) -> int:
        c.count += 1
        return k if k < 2 else fib_cached(k - 1) + fib_cached(k - 2)

    def checked(n: int) -> int:
        _check(n)
        return fib_cached(n)

    return checked


def fib_memo(n: int, memo: dict[int, int] | None = None, calls: CallCount | None = None) -> int:
    """``F(n)`` with a hand-made dict memo: look up, else compute and store.

    >>> c = CallCount()
    >>> fib_memo(30, calls=c), c.count
    (832040, 31)
    """
    _check(n)
    table = memo if memo is not None else {}
    c = calls if calls is not None else CallCount()

    def f(k: int) -> int:
        if k in table:
            return table[k]
        c.count += 1
        result = k if k < 2 else f(k - 1) + f(k - 2)
        table[k] = result  # break[memo-never-written]
        return result

    return f(n)


def fib_bottom_up(n: int, additions: CallCount | None = None) -> int:
    """``F(n)`` by a loop over ``0..n`` keeping two values: ``n`` additions, no recursion.

    >>> fib_bottom_up(0), fib_bottom_up(1), fib_bottom_up(90)
    (0, 1, 2880067194370816120)
    """
    _check(n)
    c = additions if additions is not None else CallCount()
    a, b = 0, 1  # F(i), F(i + 1)
    for _ in range(n):
        a, b = b, a + b
        c.count += 1
    return a


def fib_cached_in_steps(n: int, step: int = 100) -> int:
    """``F(n)`` from a cached recursion, warmed at ``step, 2 * step, ...`` to bound the depth.

    Each call finds everything below ``k - step`` cached, so no call recurses
    much more than ``step`` levels, whatever ``n`` is.
    """
    _check(n)
    if step < 1:
        raise ValueError(f"step must be >= 1, got {step}")
    fib = make_fib_cached()
    for k in range(0, n, step):
        fib(k)
    return fib(n)


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Set ``sys.setrecursionlimit(limit)`` for a block; restore the old limit, even on error."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)  # break[no-restore]


def memo_by_id(fn: Callable[[list[int]], int]) -> Callable[[list[int]], int]:
    """The pitfall: a memo keyed on ``id(values)``; a mutated list gets its old answer.

    >>> total = memo_by_id(sum)
    >>> prices = [1, 2]
    >>> total(prices)
    3
    >>> prices.append(10)
    >>> total(prices)  # stale: the same object, so the same key
    3
    """
    memo: dict[int, int] = {}

    def wrapper(values: list[int]) -> int:
        key = id(values)
        if key not in memo:
            memo[key] = fn(values)
        return memo[key]

    return wrapper


def memo_by_value(fn: Callable[[Sequence[int]], int]) -> Callable[[Sequence[int]], int]:
    """The fix: key on ``tuple(values)``, a hashable snapshot of the contents.

    The same as ``functools.cache`` on a function of a tuple, called with
    ``tuple(values)``.

    >>> total = memo_by_value(sum)
    >>> prices = [1, 2]
    >>> total(prices)
    3
    >>> prices.append(10)
    >>> total(prices)
    13
    """
    memo: dict[object, int] = {}

    def wrapper(values: Sequence[int]) -> int:
        key = tuple(values)  # break[key-by-id]
        if key not in memo:
            memo[key] = fn(values)
        return memo[key]

    return wrapper
