"""Load balancing: round robin, least connections and power-of-two-choices against one slow server.

Why interviewers ask this:
    "Put a load balancer in front" is in every design, and the follow-up is
    "which algorithm, and what happens when one backend gets slow?" (a bad
    disk, a noisy neighbour, a GC pause). Round robin keeps sending it its
    full share, its queue grows without bound and the tail latency of the
    whole service explodes while the median looks fine. Interviewers want to
    hear that the balancer must see load (in-flight requests), and why
    picking the best of two random servers is almost as good as scanning all.

Common pitfalls:
    - Round robin (and plain random) ignore load: with a server at a tenth
      of the speed of the others, it still gets 1/N of the requests, and at
      any load where 1/N of the arrivals exceeds its capacity (here 0.5/s
      against 0.1/s) its queue only grows. The p99 of the whole
      service is then that queue's wait (over 50x least connections' p99),
      while the p50 stays within 2x of least connections' (both measured
      on the same seeded traces).
    - Judging a balancer by the mean or the median: the slow server hurts
      only the requests it gets, so look at p99 and at queue lengths.
    - Least connections that never counts completions is round robin in
      disguise: counts only grow, so "fewest" means "was sent the fewest".
    - A fixed tie order: least connections that breaks ties by the lowest
      index fills the first idle servers first and concentrates load there.
      NGINX's ``least_conn`` tries tied servers in turn with weighted round
      robin, and HAProxy's ``leastconn`` round-robins within servers of the
      same load. The tests put the slow server at index 0, where a fixed
      tie order hurts least connections most: on the same traces its p99
      is about twice what it is with the slow server last (1.25-2.75x over
      100 seeds, median 1.9x), and every claim here still holds.
    - Sampling the two P2C candidates with replacement: a server is then
      picked whenever both draws hit it, so even the most loaded server
      keeps a 1/N**2 floor of the traffic. With 5 servers that is 1/25 of
      2.5/s = 0.1/s, exactly the slow server's capacity: it runs at
      utilisation 1, where a queue has no steady state. Draw two
      *distinct* servers: then the busiest server is never picked while
      every other one has fewer in flight.
    - Many balancers each sending to the globally least-loaded server with
      a stale view all pick the same one and overload it (herding); a
      random pick of two is far more robust to stale counts (Mitzenmacher,
      "How useful is old information?", IEEE TPDS 2000, by analysis and
      simulation; not reproduced here).

Key takeaways:
    - ``LeastConnections`` sends each request to the server with the fewest
      in flight: a slow server keeps a short queue and gets few requests.
    - ``PowerOfTwoChoices`` samples two servers at random and takes the one
      with fewer in flight: O(1) per pick, and on the same trace its p99 is
      within a small factor of least connections and far below round robin.
    - Balls into bins: n balls into n bins, one random choice each gives a
      maximum load that grows like ln n / ln ln n; the better of two choices
      gives ln ln n / ln 2 + O(1) (Azar, Broder, Karlin, Upfal). Measured on
      10,000 balls: 6 or more with one choice, at most 4 with two.
    - Envoy's ``LEAST_REQUEST`` policy is P2C when host weights are equal
      (``choice_count`` defaults to 2); NGINX has ``least_conn`` and
      ``random two least_conn``; HAProxy ``leastconn`` and
      ``balance random(<draws>)``, whose draws default to 2, so P2C too.
      Go: gRPC-Go defaults to
      ``pick_first`` and offers ``round_robin``; Java: Spring Cloud
      LoadBalancer defaults to round robin.

What to look for in an answer:
    Load-aware picking (in-flight counts or latency, e.g. EWMA), the tail
    not the mean, two random choices as the scalable default, health checks
    and outlier ejection for servers that fail rather than slow down.
    Follow-ups:
    - Why not always scan every server for the least loaded? (O(N) per
      request, and with many balancers and stale counts they all pick the
      same server. Two choices cost O(1) and do not herd.)
    - Sticky sessions? (Hash on a client or session id, ideally with a
      consistent hash so adding a server moves few sessions; it trades
      balance for locality.)
    - L4 vs L7? (L4 balances connections and cannot see requests inside a
      long-lived HTTP/2 or gRPC connection; L7 balances each request.)
    - A slow server that also fails fast? (Least connections then *prefers*
      it, since errors finish quickly and its count stays low: combine with
      outlier ejection, as Envoy does.)
    - Weighted servers? (Weighted round robin, or divide in-flight counts by
      weight; Envoy uses an EDF schedule for unequal weights.)
    - Least connections still sends a few percent of the requests to the
      slow server, and those requests are its p99: how do you fix them?
      (Measured on 100 seeds: 55-105 of the 2000 requests land there and
      the p99 is 21-43x the median. Hedged or backup requests: send a second copy to another
      server if the first has not answered by about the p95, and take the
      first reply (Dean and Barroso, "The Tail at Scale", CACM 2013); plus
      outlier ejection on latency, and deadlines so a stuck request is
      abandoned.)
    - Latency-aware balancing? (Peak EWMA, in Finagle and Linkerd: score a
      server by an EWMA of its latency, which jumps up at once on a slow
      response and decays slowly, times its in-flight count + 1, and pick
      the lower score of two random servers. It reacts to a slow server
      before its queue builds.)
    - A new or just-recovered server? (It has 0 in flight, so least
      connections and P2C flood it while its caches and JIT are cold.
      Slow start ramps its share up over a window: Envoy's
      ``slow_start_config``, HAProxy's ``slowstart`` server option.)
    - Many balancer instances, each with its own view? (Each sees only its
      own in-flight requests, so least connections works on a partial,
      stale picture and instances can herd onto the same server; the
      randomness of P2C keeps them apart, which is why Envoy, NGINX and
      HAProxy all ship it.)
    - Why does round robin's median look fine? (Four fifths of its
      requests go to fast servers that are *less* busy than under least
      connections, utilisation 0.5 against about 0.6, since least
      connections moves the slow server's share onto them; measured
      rr.p50 / lc.p50 is 1.36-1.64 on 100 seeds.)

Complexity:
    ``RoundRobin``, ``RandomChoice``, ``PowerOfTwoChoices``: O(1) per pick;
    ``LeastConnections``: O(N). ``simulate``: O(R * N) for R requests.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "Balancer",
    "LeastConnections",
    "PowerOfTwoChoices",
    "RandomChoice",
    "Request",
    "Result",
    "RoundRobin",
    "balls_into_bins",
    "simulate",
    "workload",
]


class Balancer(Protocol):
    """Picks a server index given how many requests each has in flight."""

    def pick(self, in_flight: Sequence[int]) -> int: ...


class RoundRobin:
    """Each server in turn, blind to load.

    >>> rr = RoundRobin()
    >>> [rr.pick([9, 0, 0]) for _ in range(4)]
    [0, 1, 2, 0]
    """

    def __init__(self) -> None:
        self._next = 0

    def pick(self, in_flight: Sequence[int]) -> int:
        """The next server after the last one picked."""
        chosen = self._next % len(in_flight)
        self._next = chosen + 1  # break[rr-stuck]
        return chosen


class RandomChoice:
    """A uniformly random server, blind to load."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def pick(self, in_flight: Sequence[int]) -> int:
        """A random server."""
        return self._rng.randrange(len(in_flight))


class LeastConnections:
    """The server with the fewest requests in flight (the lowest index on a tie).

    A fixed tie order concentrates load on the lowest indexes; NGINX and
    HAProxy round-robin among tied servers instead.

    >>> LeastConnections().pick([3, 1, 2, 1])
    1
    """

    def pick(self, in_flight: Sequence[int]) -> int:
        """The least-loaded server, in O(N)."""
        return min(range(len(in_flight)), key=in_flight.__getitem__)  # break[most-connections]


class PowerOfTwoChoices:
    """Two distinct random servers; the one with fewer in flight wins (the first on a tie).

    >>> p2c = PowerOfTwoChoices(random.Random(0))
    >>> p2c.pick([5, 0])
    1
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def pick(self, in_flight: Sequence[int]) -> int:
        """The better of two random servers, in O(1)."""
        n = len(in_flight)
        if n == 1:
            return 0
        a = self._rng.randrange(n)
        b = (a + 1 + self._rng.randrange(n - 1)) % n  # break[one-choice]
        return b if in_flight[b] < in_flight[a] else a


@dataclass(frozen=True)
class Request:
    """A request arriving at ``arrival`` that needs ``work`` seconds on a speed-1 server."""

    arrival: float
    work: float


def workload(count: int, rate: float, seed: int) -> list[Request]:
    """``count`` Poisson arrivals at ``rate`` per second, exponential work of mean 1 s.

    Raises ValueError for a negative count or a non-positive rate.

    >>> [round(r.arrival, 2) for r in workload(3, rate=2.0, seed=1)]
    [0.07, 0.79, 1.14]
    """
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if not rate > 0:
        raise ValueError(f"rate must be > 0, got {rate}")
    rng = random.Random(seed)
    now, out = 0.0, []
    for _ in range(count):
        now += rng.expovariate(rate)
        out.append(Request(now, rng.expovariate(1.0)))
    return out


@dataclass
class Result:
    """What a simulation measured: per-request latency, requests sent and peak queue per server."""

    latencies: list[float] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    max_in_flight: list[int] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        """The nearest-rank ``q``-th percentile of the latencies (0 < q <= 100).

        >>> Result(latencies=[4.0, 1.0, 3.0, 2.0]).percentile(50)
        2.0
        """
        if not 0 < q <= 100:
            raise ValueError(f"q must be in (0, 100], got {q}")
        if not self.latencies:
            raise ValueError("no latencies recorded")
        ordered = sorted(self.latencies)
        return ordered[math.ceil(q / 100 * len(ordered)) - 1]


def simulate(balancer: Balancer, speeds: Sequence[float], requests: Sequence[Request]) -> Result:
    """Run ``requests`` through ``balancer`` onto FIFO single-worker servers of ``speeds``.

    A request's latency is its queueing wait plus ``work / speed``. Before each
    pick, requests that have finished by the arrival time leave the in-flight
    counts. Raises ValueError for no servers or a non-positive speed.
    """
    if not speeds:
        raise ValueError("simulate needs at least one server")
    if any(not s > 0 for s in speeds):
        raise ValueError(f"every speed must be > 0, got {list(speeds)}")
    n = len(speeds)
    free_at = [0.0] * n
    finishing: list[deque[float]] = [deque() for _ in range(n)]  # finish times, increasing
    result = Result(sent=[0] * n, max_in_flight=[0] * n)
    for req in requests:
        for queue in finishing:
            while queue and queue[0] <= req.arrival:
                queue.popleft()  # break[never-release]
        chosen = balancer.pick([len(q) for q in finishing])
        start = max(req.arrival, free_at[chosen])
        free_at[chosen] = start + req.work / speeds[chosen]
        finishing[chosen].append(free_at[chosen])
        result.latencies.append(free_at[chosen] - req.arrival)
        result.sent[chosen] += 1
        result.max_in_flight[chosen] = max(result.max_in_flight[chosen], len(finishing[chosen]))
    return result


def balls_into_bins(n: int, choices: int, rng: random.Random) -> int:
    """Throw ``n`` balls into ``n`` bins, each into the least full of ``choices`` random bins.

    Returns the maximum bin load. Raises ValueError unless ``n >= 1`` and ``choices >= 1``.

    >>> balls_into_bins(1, 1, random.Random(0))
    1
    """
    if n < 1 or choices < 1:
        raise ValueError(f"n and choices must be >= 1, got n={n}, choices={choices}")
    bins = [0] * n
    for _ in range(n):
        best = min((rng.randrange(n) for _ in range(choices)), key=bins.__getitem__)
        bins[best] += 1
    return max(bins)
