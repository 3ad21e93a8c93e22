"""Window limiters: a fixed window admits 2x at a boundary, a log never, a counter at worst.

Why interviewers ask this:
    After the token bucket, the next rate-limiter question is "N requests per
    minute": which window? A fixed window is one counter per minute and is
    what most people write first; interviewers want the candidate to find its
    boundary burst, then to trade the exact sliding log (memory per request)
    against the sliding counter (two numbers, an estimate).

    The shared boundary trace (ten requests at t=59, ten at t=60, limit 10
    per 60 s) is the one to remember: the fixed window admits all 20 within
    one second; the sliding log and the sliding counter admit 10. The log
    never exceeds the limit in any window, on any trace. The counter is an
    estimate: at worst (the previous window's requests at its very end, the
    next burst at the end of the current window) it admits 2x too.

Common pitfalls:
    - Fixed window at a boundary: ``limit`` requests at the end of one window
      and ``limit`` at the start of the next are all admitted, so some
      60-second span sees 2x the limit (``FixedWindow`` below, measured with
      ``max_in_window``).
    - Logging rejected requests in the sliding log: a client that keeps
      retrying while blocked keeps its own log full and is never let through.
    - An off-by-one at the edge of the log: an entry exactly ``window`` old
      must leave. Kept, the log enforces the limit over the closed span
      ``[t - window, t]``, slightly longer than the window: a client paced
      exactly at the limit (one request every 6 s for 10 per 60 s) is
      refused every 11th request, and ten requests at t=0 block all ten at
      t=60.
    - Sliding counter that takes the previous window's count after a gap of
      several windows: that count is from long ago, and the weight makes an
      idle client look busy.
    - In Redis, using the timestamp as the sorted-set member: two requests in
      the same millisecond are one member, ``ZADD`` only updates its score, and
      ``ZCARD`` under-counts, so the log admits more than the limit.

Key takeaways:
    - Fixed window: O(1) memory, but up to 2x ``limit`` in a sliding span.
    - Sliding log: exact; keeps one timestamp per admitted request in the
      last ``window`` (O(limit) memory per client); never more than ``limit``
      in any span of ``window``.
    - Sliding counter: O(1) memory; estimates the count as
      ``previous * (1 - elapsed / window) + current``, assuming the previous
      window's requests were spread evenly. On the boundary trace it admits
      ``limit``, like the log. On other traces it admits more or fewer than
      the log. Worst case 2x: each fixed window admits at most ``limit`` and
      a span of ``window`` touches two of them, and the bound is reached when
      the previous window's ``limit`` requests came at its end (t=59) and the
      next burst comes at the end of the current one (t=118, weight 1/60):
      20 in 59 s for a limit of 10. Half-way through the window (t=90) the
      same back-loaded start gives 15; front-loaded (t=0), 5 where the log
      admits 10.
    - Redis: the sliding log is a sorted set per client, score = time, member
      unique per request; one Lua script trims (``ZREMRANGEBYSCORE``), counts
      (``ZCARD``), adds (``ZADD``) and sets ``PEXPIRE`` to the window.

What to look for in an answer:
    The boundary burst of the fixed window with numbers, the memory cost of
    the log, the estimate behind the counter and its error, and atomicity
    when the state is shared.
    Follow-ups:
    - Which would you deploy for 10k clients at 1000 req/min each? (The
      sliding counter or a token bucket: a log would hold up to ten million
      timestamps. The log is for small limits that must be exact, such as
      login attempts.)
    - How wrong is the sliding counter? (It assumes an even previous window.
      It never admits more than ``2 * limit`` in a window, since each fixed
      window admits at most ``limit``, and it reaches that bound when both
      windows' requests bunch at their ends (20 for a limit of 10 here); 15
      half-way through the window; 5 where 10 would have been fine when the
      previous window was front-loaded. Cloudflare, which uses it, reported a
      very small error on its real traffic, where requests are rarely that
      bunched.)
    - How do you make it atomic in Redis? (One Lua script. A ``MULTI`` is not
      the same: a transaction cannot branch on the count, so it must
      ``ZADD`` every request and count afterwards, which logs rejected
      requests (the pitfall above) unless the client then ``ZREM``s the
      member when over the limit.)
    - Fixed window in Redis? (``INCR key`` and ``EXPIRE key window NX``
      together in one script or ``MULTI``; ``NX`` needs Redis 7.0. The
      classic bug is ``INCR`` then ``EXPIRE`` as two client calls: a crash
      between them leaves a counter with no TTL that blocks the client for
      good.)
    - Sliding counter in Redis? (Two counters per client, one key per
      window index with ``INCR`` and an ``EXPIRE`` of two windows; read both
      and weight. Hash-tag the keys (``rl:{client}:123``) so both land in one
      cluster slot and one script can touch them.)
    - What ``Retry-After`` does the log give? (``oldest entry + window -
      now``: ``ZRANGE key 0 0 WITHSCORES`` inside the script.)
    - Fixed window and token bucket: how do they relate? (A token bucket with
      capacity ``limit`` refilled at ``limit / window`` never admits more than
      ``2 * limit`` in a window either, but spreads the second half over time.)

On the real engine:
    Checked on Redis 7.0.15 with redis-py; ``SLIDING_LOG_LUA`` runs the log on
    a sorted set.
    test_redis_sliding_log_matches_the_plain_log_on_the_boundary_trace: on
    the boundary trace the script admits what ``SlidingLog`` admits: ten at
    t=59, none at t=60, and two more once the first ten are a window old; the
    key's ``PTTL``, read in the same ``MULTI`` as the script, is the window.
    test_redis_sliding_log_matches_the_plain_log_on_a_random_trace: on a
    seeded trace of 120 requests over three minutes the script and
    ``SlidingLog`` admit the same requests.
    test_redis_timestamp_as_member_collapses_same_millisecond_requests: five
    requests in one millisecond with the time as member are all admitted
    against a limit of 3, and the set holds one member.
    test_redis_sliding_log_many_threads_one_key_admit_exactly_the_limit: 4
    threads on 4 connections admit exactly the limit.

Complexity:
    ``FixedWindow`` and ``SlidingCounter``: O(1) time and memory per call.
    ``SlidingLog``: amortised O(1) per call (each timestamp is appended and
    popped once), O(limit) memory. The Redis script: O(log N + M) for M trimmed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Protocol

__all__ = [
    "SLIDING_LOG_LUA",
    "FixedWindow",
    "RedisLike",
    "SlidingCounter",
    "SlidingLog",
    "max_in_window",
    "redis_sliding_log",
]


def _positive(limit: int, window: float) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an int, got {type(limit).__name__}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    if not window > 0:
        raise ValueError(f"window must be positive, got {window!r}")


class FixedWindow:
    """The pitfall: one counter per window ``[k * window, (k + 1) * window)``.

    >>> now = [59.0]
    >>> fw = FixedWindow(limit=1, window=60.0, clock=lambda: now[0])
    >>> fw.allow(), fw.allow()
    (True, False)
    >>> now[0] = 60.0
    >>> fw.allow()
    True
    """

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        _positive(limit, window)
        self.limit, self.window, self._clock = limit, window, clock
        self._index, self._count = -math.inf, 0

    def allow(self) -> bool:
        """Admit if this window's counter is under the limit. O(1)."""
        index = math.floor(self._clock() / self.window)
        if index != self._index:
            self._index, self._count = index, 0
        if self._count < self.limit:
            self._count += 1
            return True
        return False


class SlidingLog:
    """Exact: remembers the time of each admitted request in the last ``window``.

    >>> now = [0.0]
    >>> log = SlidingLog(limit=1, window=10.0, clock=lambda: now[0])
    >>> log.allow(), log.allow()
    (True, False)
    >>> now[0] = 10.0
    >>> log.allow()
    True
    """

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        _positive(limit, window)
        self.limit, self.window, self._clock = limit, window, clock
        self._log: deque[float] = deque()

    def allow(self) -> bool:
        """Drop entries at least ``window`` old, then admit if fewer than ``limit``
        remain. Amortised O(1)."""
        now = self._clock()
        while self._log and self._log[0] <= now - self.window:  # break[keep-the-edge]
            self._log.popleft()
        admitted = len(self._log) < self.limit
        if admitted:  # break[log-rejected]
            self._log.append(now)
        return admitted

    def _check(self) -> None:
        assert len(self._log) <= self.limit
        assert all(a <= b for a, b in zip(self._log, list(self._log)[1:], strict=False))


class SlidingCounter:
    """Two counters and a weighted estimate of the count in the last ``window``.

    >>> now = [59.0]
    >>> sc = SlidingCounter(limit=2, window=60.0, clock=lambda: now[0])
    >>> sc.allow(), sc.allow()
    (True, True)
    >>> now[0] = 60.0
    >>> sc.allow()  # estimate 2 * (1 - 0/60) + 0 = 2: full
    False
    """

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        _positive(limit, window)
        self.limit, self.window, self._clock = limit, window, clock
        self._index, self._current, self._previous = 0, 0, 0

    def allow(self) -> bool:
        """Admit if ``previous * weight + current < limit``. O(1)."""
        now = self._clock()
        index = math.floor(now / self.window)
        if index != self._index:
            # Only the window just before this one counts; after a longer gap it is 0.
            gap_of_one = index == self._index + 1  # break[stale-previous]
            self._previous = self._current if gap_of_one else 0
            self._index, self._current = index, 0
        weight = 1.0 - (now - index * self.window) / self.window  # break[flat-weight]
        estimate = self._previous * weight + self._current  # break[no-weight]
        if estimate < self.limit:
            self._current += 1
            return True
        return False


def max_in_window(times: Iterable[float], window: float) -> int:
    """The most of ``times`` inside any span ``(t - window, t]``: what a client
    really got in the worst window. O(n log n).

    >>> max_in_window([59, 59, 60, 60], 60)
    4
    >>> max_in_window([0, 60], 60)
    1
    """
    ordered = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(ordered):
        while ordered[lo] <= t - window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


# KEYS[1]: the client's log (a sorted set). ARGV: now_ms, window_ms, limit, a
# member unique to this request. Entries with score <= now - window are dropped
# (ZREMRANGEBYSCORE bounds are inclusive), the same edge as SlidingLog.
SLIDING_LOG_LUA = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 1
end
return 0
"""


class RedisLike(Protocol):
    """The one client method the script needs (redis-py's ``Redis.eval``)."""

    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...


def redis_sliding_log(
    client: RedisLike, key: str, limit: int, window_ms: int, now_ms: int, member: str
) -> bool:
    """Run the sliding log for ``key`` on Redis in one atomic script.

    ``member`` must be unique per request (a UUID, or host + counter).
    Raises ``ValueError``/``TypeError`` for a bad limit or window.
    """
    _positive(limit, window_ms)
    return bool(client.eval(SLIDING_LOG_LUA, 1, key, now_ms, window_ms, limit, member) == 1)
