"""Tests for system_design.gossip: O(log N) push-pull rounds measured over N = 16..1024."""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections import Counter
from functools import cache

import pytest

from handbook.system_design.gossip import Mode, Spread, random_peer, spread_rumor, successor_peer

SIZES = (16, 32, 64, 128, 256, 512, 1024)
SEEDS = range(10)


@cache
def rounds(n: int, mode: Mode = "push-pull", loss: float = 0.0) -> tuple[int, ...]:
    """Rounds to inform everyone, one run per seed."""
    return tuple(
        spread_rumor(n, random.Random(s), mode=mode, loss=loss, max_rounds=200).rounds
        for s in SEEDS
    )


def slope(xs: list[float], ys: list[float]) -> float:
    """The least-squares slope of ys against xs."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def test_push_pull_rounds_grow_logarithmically_over_n_16_to_1024() -> None:
    means: dict[int, float] = {}
    for n in SIZES:  # smallest first, so a linear-time spread fails before it gets slow
        # Theory: log3 N + O(log log N) rounds w.h.p.; at these sizes that is about log2 N.
        # Checked on seeds 0..199 (20 blocks of 10): the maximum never passed log2 N + 2
        # (it reached 6 = log2 16 + 2 on 2 of 200 runs at N = 16; seeds 0..9 give 5), and
        # the 10-seed means lay between log3 N + 1.4 and log2 N + 0.6 at every size.
        assert max(rounds(n)) <= math.log2(n) + 2
        means[n] = statistics.mean(rounds(n))
        assert means[n] <= math.log2(n) + 1
        # Each round at most triples the informed set in expectation (a node tells one peer
        # and pulls from one), so no correct round-by-round simulation beats log3 N.
        assert means[n] >= math.log(n, 3)
    # 64x more nodes cost a handful of rounds, not 64x as many. The slope of the mean
    # against log2 N was 0.80-0.91 over the 20 seed blocks (sd 0.03; seeds 0..9: 0.88).
    # A linear-time spread would give a slope of N / log N; 0.6..1.2 is 10 sd each side.
    xs = [math.log2(n) for n in SIZES]
    assert 0.6 <= slope(xs, [means[n] for n in SIZES]) <= 1.2


def test_push_only_needs_about_ln_n_more_rounds_than_push_pull() -> None:
    push, push_pull = rounds(512, "push"), rounds(512)
    # Push needs about log2 N + ln N = 9 + 6.2 rounds; push-pull about 8.5. On seeds 0..199
    # push never took fewer than 15 rounds and push-pull never more than 9, and over the 20
    # blocks of 10 seeds the mean gap was 7.2-9.0 (seeds 0..9: 8.1).
    assert min(push) > max(push_pull)
    assert statistics.mean(push) - statistics.mean(push_pull) > 5


def test_pull_only_also_converges_and_push_pull_beats_push_and_pull() -> None:
    push, pull, both = (statistics.mean(rounds(512, m)) for m in ("push", "pull", "push-pull"))
    # Over 20 blocks of 10 seeds: pull - push-pull was 3.4-4.9 and push - pull 2.5-4.7.
    assert both < pull < push


def test_a_fixed_successor_peer_needs_linear_rounds() -> None:
    rng = random.Random(0)
    # The informed arc grows by one node at each end per round (push to the successor,
    # pull by the predecessor): 2r + 1 >= 64 first holds at r = 32. Push alone: 63.
    assert spread_rumor(64, rng, peer=successor_peer).rounds == 32
    assert spread_rumor(64, rng, peer=successor_peer, mode="push").rounds == 63
    assert spread_rumor(64, rng).rounds <= math.log2(64) + 2


def predecessor_peer(node: int, n: int, rng: random.Random) -> int:
    return (node - 1) % n


def test_pull_reads_the_state_at_the_start_of_the_round() -> None:
    # Node i pulls from node i - 1, which the loop handles just before it: a pull that read
    # this round's state would cascade round the ring in one round. Read from the start of
    # the round, pull alone moves the news one hop per round (63 rounds for 64 nodes), and
    # push-pull grows the informed arc at both ends (32).
    assert spread_rumor(64, random.Random(0), mode="pull", peer=predecessor_peer).rounds == 63
    assert spread_rumor(64, random.Random(0), peer=predecessor_peer).rounds == 32


@pytest.mark.parametrize("seed", range(3))
def test_push_at_most_doubles_the_informed_count_in_a_round(seed: int) -> None:
    # In a synchronous round each node that knew at the start tells one peer.
    s = spread_rumor(512, random.Random(seed), mode="push")
    assert all(b <= 2 * a for a, b in itertools.pairwise(s.informed))
    assert s.informed == sorted(s.informed)
    assert s.informed[0] == 1
    assert s.informed[-1] == 512


@pytest.mark.parametrize("loss", [0.0, 0.25])
def test_each_node_makes_exactly_one_peer_call_per_round_lost_ones_included(
    loss: float,
) -> None:
    calls: list[int] = []

    def counting_peer(node: int, n: int, rng: random.Random) -> int:
        calls.append(node)
        return random_peer(node, n, rng)

    s = spread_rumor(256, random.Random(2), peer=counting_peer, loss=loss)
    assert calls == list(range(256)) * s.rounds
    assert s.contacts == len(calls)
    assert len(s.informed) == s.rounds + 1


def test_gossip_still_converges_when_a_quarter_of_the_contacts_are_lost() -> None:
    lossy, clean = rounds(512, loss=0.25), rounds(512)
    # Seeds 0..199 at N = 512 with loss 0.25: runs took 9-15 rounds (seeds 0..9: at most
    # 12), 10-seed means 10.6-11.5 against 8.2-8.7 clean, a gap of 2.1-3.3 per block.
    assert max(lossy) <= math.log2(512) + 6
    assert statistics.mean(lossy) <= math.log2(512) + 3
    assert statistics.mean(lossy) > statistics.mean(clean) + 1


def test_random_peer_is_uniform_over_the_other_nodes() -> None:
    rng = random.Random(11)
    counts = Counter(random_peer(2, 5, rng) for _ in range(10_000))
    assert set(counts) == {0, 1, 3, 4}
    # Each of 4 peers: binomial(10000, 1/4), sd 43; the window is 5 sd each side.
    assert all(abs(c - 2500) < 217 for c in counts.values())


def test_the_same_seed_gives_the_same_spread_and_a_single_node_needs_no_round() -> None:
    assert spread_rumor(300, random.Random(4)) == spread_rumor(300, random.Random(4))
    assert spread_rumor(1, random.Random(0)) == Spread(rounds=0, contacts=0, informed=[1])


def test_bad_arguments_raise_clear_errors() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="n must be"):
        spread_rumor(0, rng)
    with pytest.raises(ValueError, match="mode"):
        spread_rumor(4, rng, mode="shout")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="loss"):
        spread_rumor(4, rng, loss=1.0)
    with pytest.raises(ValueError, match="loss"):
        spread_rumor(4, rng, loss=-0.1)
    with pytest.raises(RuntimeError, match="after 10 rounds"):
        spread_rumor(64, rng, peer=successor_peer, max_rounds=10)
