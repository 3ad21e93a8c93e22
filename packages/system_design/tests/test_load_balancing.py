"""Tests for system_design.load_balancing: one slow server, four balancers, one seeded trace."""

from __future__ import annotations

import random
from functools import cache

import pytest

from handbook.system_design.load_balancing import (
    Balancer,
    LeastConnections,
    PowerOfTwoChoices,
    RandomChoice,
    Request,
    Result,
    RoundRobin,
    balls_into_bins,
    simulate,
    workload,
)

# Four servers of speed 1 and one at a tenth of that: capacity 4.1 requests/s.
# 2.5 requests/s is 61% of it, but 1/5 of 2.5 is 0.5/s, five times what the slow one serves.
# The slow server is first: least connections breaks ties by the lowest index, so this is
# the order in which the slow server wins the most ties (the harder case for it).
SPEEDS = (0.1, 1.0, 1.0, 1.0, 1.0)
SLOW = 0
SEEDS = (0, 1)
# Every bound below was checked on seeds 0..99 (with these SPEEDS and balancer seeds); the
# comments give the range measured there. The tests run seeds 0 and 1.


def make(name: str, seed: int) -> Balancer:
    rng = random.Random(seed + 1000)  # not the workload's seed: an independent stream
    balancers: dict[str, Balancer] = {
        "round_robin": RoundRobin(),
        "random": RandomChoice(rng),
        "least_connections": LeastConnections(),
        "p2c": PowerOfTwoChoices(rng),
    }
    return balancers[name]


@cache
def run(name: str, seed: int) -> Result:
    return simulate(make(name, seed), SPEEDS, workload(2000, rate=2.5, seed=seed))


def test_round_robin_sends_every_server_exactly_its_share_even_the_slow_one() -> None:
    assert run("round_robin", 0).sent == [400] * 5


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("blind", ["round_robin", "random"])
def test_load_blind_balancers_let_the_slow_servers_queue_grow_without_bound(
    blind: str, seed: int
) -> None:
    result = run(blind, seed)
    # Arrivals to the slow server exceed its rate by 0.4/s for ~800 s: a queue in the hundreds
    # (measured 275-369), while the fast servers, at utilisation 0.5, peak at 4-19.
    assert result.max_in_flight[SLOW] > 100
    assert max(result.max_in_flight[SLOW + 1 :]) < 30


def starves_the_slow_server(result: Result) -> None:
    # Round robin sends it 20% (400). Measured: 55-105 for least connections, 60-100 for
    # P2C; peak queues 3-5 and 5-8.
    assert result.sent[SLOW] < 0.06 * 2000
    assert max(result.max_in_flight) < 10


@pytest.mark.parametrize("seed", SEEDS)
def test_least_connections_starves_the_slow_server_and_keeps_every_queue_short(
    seed: int,
) -> None:
    starves_the_slow_server(run("least_connections", seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_two_choices_starve_the_slow_server_and_keep_every_queue_short(seed: int) -> None:
    starves_the_slow_server(run("p2c", seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_round_robin_keeps_a_fair_median_while_its_p99_explodes(seed: int) -> None:
    rr, lc, p2c = run("round_robin", seed), run("least_connections", seed), run("p2c", seed)
    # Measured: rr/lc p50 1.36-1.64; rr/lc p99 75-144; rr/p2c p99 50-104.
    assert rr.percentile(50) < 2 * lc.percentile(50)  # the median hides the slow server
    assert rr.percentile(99) > 50 * lc.percentile(99)
    assert rr.percentile(99) > 20 * p2c.percentile(99)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_random_choices_come_within_a_small_factor_of_least_connections(seed: int) -> None:
    lc, p2c, rnd = run("least_connections", seed), run("p2c", seed), run("random", seed)
    # LC's p99 is the 20th-largest of 2000 latencies, most of them from the ~80 requests it
    # sends to the slow server, so the ratio is noisy: p2c/lc p99 was 0.90-2.25 (median
    # 1.40; seeds 0, 1: 1.45, 1.67). 4 is almost twice the worst of 100 seeds. Random's p99
    # is 51-107x P2C's, so the second bound has a margin of 2.5x.
    assert p2c.percentile(99) < 4 * lc.percentile(99)
    assert p2c.percentile(99) * 20 < rnd.percentile(99)  # one random choice is blind


@pytest.mark.parametrize("seed", SEEDS)
def test_least_connections_tail_is_the_few_requests_it_still_sends_to_the_slow_server(
    seed: int,
) -> None:
    lc = run("least_connections", seed)
    # Measured: 55-105 requests go to the slow server (seeds 0, 1: 80, 93) and the p99 is
    # 21-43x the median (29x, 28x): the requests that hedging or ejection would save.
    assert lc.sent[SLOW] > 0.01 * 2000
    assert lc.percentile(99) > 10 * lc.percentile(50)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_fixed_lowest_index_tie_order_hurts_least_connections_when_the_slow_server_is_first(
    seed: int,
) -> None:
    trace = workload(2000, rate=2.5, seed=seed)
    slow_last = simulate(LeastConnections(), SPEEDS[::-1], trace)
    # The slow server wins every tie among idle servers when it is first. Measured p99
    # ratio (first / last) 1.25-2.75, median 1.92 (seeds 0, 1: 2.06, 2.10).
    assert run("least_connections", seed).percentile(99) > 1.2 * slow_last.percentile(99)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_better_of_two_random_bins_flattens_the_maximum_load(seed: int) -> None:
    one = balls_into_bins(10_000, 1, random.Random(seed))
    two = balls_into_bins(10_000, 2, random.Random(seed))
    # One choice: each bin's load is about Poisson(1), P(load >= 6) = 5.9e-4, so all
    # 10,000 bins stay <= 5 with probability (1 - 5.9e-4)^10000 = 0.0026.
    assert one >= 6
    # Two choices: the fluid limit puts a fraction 1.3e-12 of bins at load >= 5.
    assert two <= 4


def test_least_connections_needs_completions_to_leave_the_count() -> None:
    lc = LeastConnections()
    assert lc.pick([2, 0, 1]) == 1
    assert lc.pick([1, 1, 1]) == 0  # a tie goes to the lowest index
    # Two requests on a server of speed 1: the first ends at t=2, the second arrives at 3.
    result = simulate(LeastConnections(), [1.0, 1.0], [Request(0.0, 2.0), Request(3.0, 1.0)])
    assert result.sent == [2, 0]  # server 0 was idle again, so it won the tie
    assert result.latencies == [2.0, 1.0]


def test_a_request_that_finishes_exactly_at_an_arrival_has_left() -> None:
    # The first request ends at t=2.0, the moment the second arrives: server 0 is idle.
    result = simulate(LeastConnections(), [1.0, 1.0], [Request(0.0, 2.0), Request(2.0, 1.0)])
    assert result.sent == [2, 0]
    assert result.max_in_flight == [1, 0]


def test_least_connections_fed_counts_that_never_drop_is_round_robin() -> None:
    lc, sent = LeastConnections(), [0, 0, 0]
    picks = []
    for _ in range(6):
        picks.append(lc.pick(sent))
        sent[picks[-1]] += 1  # nothing ever completes
    assert picks == [0, 1, 2, 0, 1, 2]


def test_power_of_two_choices_picks_the_less_loaded_of_two_distinct_servers() -> None:
    rng = random.Random(3)
    p2c = PowerOfTwoChoices(rng)
    picks = [p2c.pick([0, 5, 5, 5]) for _ in range(1000)]
    # Server 0 wins whenever it is sampled, i.e. in 1 - C(3,2)/C(4,2) = 1/2 of the picks;
    # binomial sd over 1000 picks is 16, the window is 5 sd each side.
    assert 420 < picks.count(0) < 580
    assert PowerOfTwoChoices(rng).pick([7]) == 0
    # Two *distinct* servers: the busiest of three is never picked while the others are
    # idle. Sampling with replacement would pick it whenever both draws hit it, 1/9 here.
    assert all(p2c.pick([9, 0, 0]) != 0 for _ in range(1000))


def test_a_request_waits_behind_the_ones_queued_before_it() -> None:
    trace = [Request(0.0, 1.0), Request(0.5, 1.0)]
    result = simulate(RoundRobin(), [0.5], trace)  # speed 0.5: each takes 2 s
    assert result.latencies == [2.0, 3.5]
    assert result.max_in_flight == [2]


def test_the_same_seed_gives_the_same_simulation() -> None:
    a = simulate(make("p2c", 5), SPEEDS, workload(300, rate=2.0, seed=5))
    b = simulate(make("p2c", 5), SPEEDS, workload(300, rate=2.0, seed=5))
    assert a == b


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="rate"):
        workload(10, rate=0.0, seed=0)
    with pytest.raises(ValueError, match="count"):
        workload(-1, rate=1.0, seed=0)
    with pytest.raises(ValueError, match="at least one server"):
        simulate(RoundRobin(), [], [])
    with pytest.raises(ValueError, match="speed"):
        simulate(RoundRobin(), [1.0, -1.0], [])
    with pytest.raises(ValueError, match="q must be"):
        Result(latencies=[1.0]).percentile(0)
    with pytest.raises(ValueError, match="no latencies"):
        Result().percentile(50)
    with pytest.raises(ValueError, match="choices"):
        balls_into_bins(10, 0, random.Random(0))
