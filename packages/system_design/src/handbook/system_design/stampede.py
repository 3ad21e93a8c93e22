"""Cache stampede: many concurrent misses on one key, one origin call with single-flight.

Why interviewers ask this:
    A hot key expires and every request that arrives before it is refilled
    misses at once and goes to the database: the thundering herd. At scale
    this takes the origin down exactly when the cache was supposed to protect
    it. Interviewers want the two standard defences: coalescing the misses
    (single-flight in one process, a fill lock across processes) and
    refreshing before expiry so the miss never happens.

Common pitfalls:
    - Check-then-load (``get_or_load_naive``, ``redis_fill_unlocked``): every
      caller that misses calls the origin. The tests hold all 100 (or 30)
      callers inside the origin at once: 100 calls for one key.
    - A fill lock without an expiry: the filler crashes and the key is locked
      forever. With ``SET NX PX`` the lock frees itself; but a PX shorter than
      the load lets a second filler in (the tests show 2 origin calls).
    - Releasing the fill lock with a plain ``DEL``: a filler whose lock
      expired deletes the lock of the next one. Compare the token first.
    - Not re-checking the cache after winning the lock: a caller that missed
      just before the filler stored the value and released the lock wins the
      free lock and loads again (2 origin calls for one fill). Re-read the key
      once the lock is yours (double-checked), then load.
    - Waiters that give up on a miss and call the origin themselves: that is
      the stampede again, one step later. They wait, re-read, and take over
      only once the lock is free (expired, or released without a value).
    - Caching a failure for every waiter forever: single-flight shares the
      error with the callers that were waiting, but the next call tries again.

Key takeaways:
    - ``SingleFlight.do(key, fn)`` runs ``fn`` once for all concurrent callers
      of the same key and gives every one of them its result or its exception
      (Go's ``golang.org/x/sync/singleflight``; Caffeine's and Guava's
      ``LoadingCache`` do the same per key).
    - Across processes, ``SET lock token NX PX ms`` elects one filler; the
      others poll the key until it appears or the lock is free again (expired
      or released), and whoever takes the lock re-reads the key before it
      loads.
    - Probabilistic early refresh (XFetch, Vattani et al., VLDB 2015): each
      reader refreshes early when ``now - delta * beta * ln(u) >= expiry``,
      ``u`` uniform in (0, 1], ``delta`` the recompute time. At a time ``t``
      before expiry one reader refreshes with probability
      ``exp(-t / (delta * beta))``: rarely far from expiry, almost surely
      near it, so one reader usually refreshes before the herd arrives.

What to look for in an answer:
    Naming the herd, coalescing per key, a lock with an expiry and a token,
    what waiters do (wait and re-read, not load), and early refresh or
    serve-stale as the way to avoid the miss altogether.
    Follow-ups:
    - What do waiters return while the fill runs? (Ideally the stale value:
      keep it past its soft TTL with a hard TTL behind it, the
      "stale-while-revalidate" of HTTP caches and CDNs.)
    - Single-flight in each of 200 app servers: how many origin calls? (Up to
      200, one per process; add the shared fill lock, or a request-coalescing
      proxy such as Varnish or a CDN shield tier, to get one.)
    - How do you choose beta? (1 is the usual default; larger refreshes
      earlier and more often. ``delta`` is measured per key, e.g. the last
      recompute time stored next to the value.)
    - What if the origin call hangs? (The lock's PX bounds how long others
      wait; the loader has its own timeout shorter than the PX.)
    - The filler's lock expired and it writes the cache after the new filler
      did? (Its late ``SET`` can overwrite a newer value: the fencing problem
      of ``lease_fencing`` one level down. Compare a version stored with the
      value in a Lua script, or use a memcached-style lease token.)
    - Many keys expire together (cache avalanche)? (Add TTL jitter, e.g.
      +-10 %, warm the cache ahead of time, and rate-limit or queue misses to
      the origin.)
    - Waiters with a deadline? (Go's ``DoChan`` plus a caller-side timeout,
      and ``Forget`` to start a new flight; a waiter that times out serves
      the stale value or fails fast, it does not load.)
    - What must be stored with the value for XFetch? (``delta``, the last
      recompute time, and the expiry: Redis ``PTTL`` gives the remaining time
      but not ``delta``, so the paper stores both next to the value.)

On the real engine:
    Checked on Redis 7.0.15 with redis-py clients, one connection per thread
    (each thread has its own connection, which is all Redis can see of a
    process).
    ``redis_get_or_fill`` takes the fill lock with ``SET NX PX`` and frees it
    with ``RELEASE_SCRIPT`` (compare the token, then delete). The twin shows 30
    threads missing at once: without the lock all 30 are inside the origin
    together; with it, 29 are polling while the one filler runs, and the origin
    is called once. A caller that missed just before the filler stored the
    value and released the lock wins the free lock, re-reads the key and
    does not load. A waiter gives up with TimeoutError after ``max_polls``,
    and the server shows the lock's TTL while a waiter polls. Tests:
    test_redis_without_a_fill_lock_every_miss_calls_the_origin,
    test_redis_fill_lock_makes_concurrent_misses_call_the_origin_once,
    test_redis_caller_that_wins_the_lock_after_the_fill_does_not_load_again,
    test_redis_waiter_times_out_while_another_caller_holds_the_lock,
    test_redis_lock_shorter_than_the_load_lets_a_second_filler_in.

Complexity:
    O(1) per call plus the wait; one origin call per key per fill while the
    load is shorter than the lock's PX.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Generic, Protocol, TypeVar

__all__ = [
    "RELEASE_SCRIPT",
    "RedisLike",
    "SingleFlight",
    "get_or_load_naive",
    "redis_fill_unlocked",
    "redis_get_or_fill",
    "should_refresh_early",
]

T = TypeVar("T")


def get_or_load_naive(cache: MutableMapping[str, T], key: str, load: Callable[[], T]) -> T:
    """The pitfall: every caller that misses calls ``load`` (check, then load)."""
    if key in cache:
        return cache[key]
    value = load()
    cache[key] = value
    return value


class _Call(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None


def _nothing(key: str) -> None:
    pass


class SingleFlight(Generic[T]):
    """Coalesce concurrent calls per key: one runs ``fn``, the rest share its outcome.

    ``on_wait(key)`` is called by each caller that joins a call already in
    flight, just before it waits (tests use it to count waiters).

    >>> group: SingleFlight[int] = SingleFlight()
    >>> group.do("k", lambda: 42)
    42
    """

    def __init__(self, on_wait: Callable[[str], None] = _nothing) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, _Call[T]] = {}
        self._on_wait = on_wait

    def do(self, key: str, fn: Callable[[], T]) -> T:
        """Return ``fn()``, running it once for all callers of ``key`` in flight
        together; each of them gets the same value or the same exception."""
        with self._lock:
            call = self._calls.get(key)  # break[global-key]
            leader = call is None  # break[no-coalescing]
            if call is None:
                call = self._calls[key] = _Call()
        if not leader:
            self._on_wait(key)
            call.done.wait()
            if call.error is not None:
                raise call.error
            return call.value  # type: ignore[return-value]
        try:
            call.value = fn()
            return call.value
        except BaseException as exc:
            call.error = exc  # break[swallow-error]
            raise
        finally:
            with self._lock:
                del self._calls[key]  # break[keep-failed-call]
            call.done.set()


def should_refresh_early(
    now: float, expiry: float, delta: float, beta: float = 1.0, rng: random.Random | None = None
) -> bool:
    """XFetch: whether this reader should recompute a value that expires at ``expiry``.

    ``delta`` is how long a recompute takes; ``beta`` > 1 refreshes earlier.
    Raises ValueError unless both are positive.

    >>> should_refresh_early(now=10.0, expiry=10.0, delta=1.0)
    True
    >>> should_refresh_early(now=0.0, expiry=100.0, delta=1.0, rng=random.Random(1))
    False
    """
    if delta <= 0 or beta <= 0:
        raise ValueError(f"delta and beta must be positive, got {delta!r} and {beta!r}")
    u = 1.0 - (rng or random.Random()).random()  # in (0, 1]: log(0) is undefined
    return now - delta * beta * math.log(u) >= expiry  # break[no-jitter]


class RedisLike(Protocol):
    """The part of a Redis client the twin uses (redis-py's ``Redis`` fits)."""

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: str, *, nx: bool = ..., px: int | None = ...) -> Any: ...

    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...


# KEYS[1] the lock; ARGV[1] the filler's token. Deletes the lock only if it is still ours.
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def redis_fill_unlocked(r: RedisLike, key: str, load: Callable[[], str], ttl_ms: int) -> bytes:
    """The pitfall on Redis: GET, and on a miss load and SET; every miss loads."""
    value = r.get(key)
    if value is None:
        value = load().encode()
        r.set(key, value.decode(), px=ttl_ms)
    return bytes(value)


def redis_get_or_fill(
    r: RedisLike,
    key: str,
    load: Callable[[], str],
    *,
    ttl_ms: int,
    lock_ms: int,
    token: str,
    wait: Callable[[float], None] = time.sleep,
    poll: float = 0.01,
    max_polls: int = 1000,
) -> bytes:
    """Read ``key``; on a miss, the caller that wins ``SET key:lock token NX PX lock_ms``
    loads and stores the value for ``ttl_ms``, the others ``wait(poll)`` and re-read.

    ``token`` must be unique per caller. Raises ValueError for a non-positive
    ``ttl_ms`` or ``lock_ms``, and TimeoutError after ``max_polls`` waits.
    """
    if ttl_ms <= 0 or lock_ms <= 0:
        raise ValueError(f"ttl_ms and lock_ms must be positive, got {ttl_ms!r} and {lock_ms!r}")
    lock = key + ":lock"
    for _ in range(max_polls):
        value = r.get(key)
        if value is not None:
            return bytes(value)
        if r.set(lock, token, nx=True, px=lock_ms):
            try:
                again = r.get(key)
                if again is not None:  # filled between our GET and our SET NX
                    return bytes(again)
                fresh = load()
                r.set(key, fresh, px=ttl_ms)
                return fresh.encode()
            finally:
                r.eval(RELEASE_SCRIPT, 1, lock, token)
        wait(poll)
    raise TimeoutError(f"{key!r} was not filled after {max_polls} polls")
