"""Tests for system_design.quorum: R + W > N overlaps, R + W <= N can read stale, sloppy quorums."""

from __future__ import annotations

import itertools
import math

import pytest

from handbook.system_design.quorum import (
    Cluster,
    QuorumError,
    SloppyCluster,
    Versioned,
    find_stale_read,
    is_strict,
)


def test_majority_write_with_single_replica_read_returns_the_old_value() -> None:
    cluster = Cluster(n=3, r=1, w=2)
    cluster.write("old", reach=[0, 1, 2])
    cluster.write("new", reach=[0, 1])  # replica 2 missed it
    assert cluster.read(reach=[2]) == Versioned(1, "old")
    assert find_stale_read(3, 1, 2) == ([0, 1], [2])


def test_a_read_returns_the_newest_of_its_replies_not_the_first() -> None:
    cluster = Cluster(n=3, r=2, w=2)
    cluster.write("old", reach=[0, 1, 2])
    cluster.write("new", reach=[1, 2])
    assert cluster.read(reach=[0, 1]) == Versioned(2, "new")  # replica 0 still says "old"


def test_boundary_r_plus_w_equal_to_n_is_not_strict() -> None:
    assert not is_strict(4, 2, 2)
    assert find_stale_read(4, 2, 2) == ([0, 1], [2, 3])
    assert is_strict(4, 2, 3)
    assert find_stale_read(4, 2, 3) is None


def test_stale_read_exists_exactly_when_r_plus_w_is_at_most_n_exhaustive() -> None:
    checked = 0
    for n in range(1, 6):
        for r, w in itertools.product(range(1, n + 1), repeat=2):
            stale = find_stale_read(n, r, w)
            assert (stale is None) == is_strict(n, r, w) == (r + w > n), (n, r, w, stale)
            if stale is not None:
                write_set, read_set = stale
                assert (len(write_set), len(read_set)) == (w, r)
                assert not set(write_set) & set(read_set)
            checked += 1
    assert checked == sum(n * n for n in range(1, 6))  # 55 (n, r, w) triples


def test_every_schedule_reads_new_exactly_when_write_and_read_sets_overlap() -> None:
    schedules = 0
    for n in range(1, 6):
        for r, w in itertools.product(range(1, n + 1), repeat=2):
            first_disjoint: tuple[list[int], list[int]] | None = None
            for write_set in itertools.combinations(range(n), w):
                for read_set in itertools.combinations(range(n), r):
                    cluster = Cluster(n, r, w)
                    cluster.write("old", range(n))
                    cluster.write("new", write_set)
                    overlap = bool(set(write_set) & set(read_set))
                    got = cluster.read(read_set)
                    assert (got.value == "new") == overlap, (n, r, w, write_set, read_set)
                    if not overlap and first_disjoint is None:
                        first_disjoint = (list(write_set), list(read_set))
                    schedules += 1
            # find_stale_read returns the first stale schedule in lexicographic order.
            assert find_stale_read(n, r, w) == first_disjoint, (n, r, w)
            assert (first_disjoint is None) == is_strict(n, r, w), (n, r, w)
    assert schedules == sum(
        math.comb(n, w) * math.comb(n, r)
        for n in range(1, 6)
        for r in range(1, n + 1)
        for w in range(1, n + 1)
    )


def test_find_stale_read_asks_the_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cluster whose every read misses the write: find_stale_read must notice,
    # even where R + W > N makes the sets overlap.
    monkeypatch.setattr(Cluster, "read", lambda self, reach: Versioned(0, None))
    assert find_stale_read(3, 2, 2) == ([0, 1], [0, 1])


def test_strict_quorums_share_at_least_r_plus_w_minus_n_replicas() -> None:
    for n in range(1, 6):
        for r, w in itertools.product(range(1, n + 1), repeat=2):
            overlaps = {
                len(set(a) & set(b))
                for a in itertools.combinations(range(n), w)
                for b in itertools.combinations(range(n), r)
            }
            assert min(overlaps) == max(0, r + w - n)


def test_a_strict_quorum_is_not_linearizable_while_a_write_is_in_flight() -> None:
    cluster = Cluster(n=3, r=2, w=2)
    cluster.write("old", reach=[0, 1, 2])
    cluster.replicas[0] = Versioned(2, "new")  # the write has reached replica 0 so far
    first = cluster.read(reach=[0, 1])
    second = cluster.read(reach=[1, 2])  # starts after the first read returned
    assert (first.value, second.value) == ("new", "old")


def test_two_majority_writes_share_a_replica_yet_both_complete() -> None:
    # Set arithmetic: any two W-sets with W > N / 2 intersect.
    for n in range(1, 6):
        w = n // 2 + 1
        for a, b in itertools.product(itertools.combinations(range(n), w), repeat=2):
            assert set(a) & set(b)
    # The overlap does not stop the second write: both complete, and the shared
    # replica 1 just keeps the higher version.
    cluster = Cluster(n=3, r=2, w=2)
    assert cluster.write("alice", reach=[0, 1]) == 1
    assert cluster.write("bob", reach=[1, 2]) == 2
    assert cluster.replicas == [Versioned(1, "alice"), Versioned(2, "bob"), Versioned(2, "bob")]
    assert cluster.read(reach=[0, 1]) == Versioned(2, "bob")


def test_a_write_with_fewer_than_w_acks_fails_but_is_not_rolled_back() -> None:
    cluster = Cluster(n=3, r=2, w=2)
    with pytest.raises(QuorumError, match="1 of 2 write acks"):
        cluster.write("half", reach=[0])
    # The replica that took it keeps it: a read that reaches it returns it.
    assert cluster.read(reach=[0, 1]).value == "half"
    assert cluster.read(reach=[1, 2]).value is None


def test_a_read_with_fewer_than_r_replies_fails() -> None:
    cluster = Cluster(n=3, r=2, w=2)
    with pytest.raises(QuorumError, match="1 of 2 read replies"):
        cluster.read(reach=[1, 1])  # the same replica twice is one reply


def test_sloppy_quorum_write_misses_a_home_read_until_hinted_handoff() -> None:
    cluster = SloppyCluster(n=3, r=2, w=2, standins=1)
    cluster.write("old")  # lands on home nodes 0 and 1
    cluster.up -= {0, 1}  # partition: home nodes 0 and 1 unreachable
    assert cluster.write("new") == [2, 3]  # W = 2 acks: home 2 and stand-in 3
    assert cluster.hints == [(3, 0, Versioned(2, "new"))]
    cluster.up |= {0, 1}
    cluster.up -= {2}  # the partition heals, node 2 goes down
    # R + W > N, yet the read of home replicas 0 and 1 misses the acknowledged write.
    assert cluster.read([0, 1]) == Versioned(1, "old")
    assert cluster.handoff() == 1
    assert cluster.hints == []
    assert cluster.read([0, 1]) == Versioned(2, "new")


def test_sloppy_read_returns_the_newest_home_reply() -> None:
    cluster = SloppyCluster(n=3, r=2, w=2, standins=1)
    cluster.write("old")  # home nodes 0 and 1
    cluster.up -= {0, 1}
    assert cluster.write("new") == [2, 3]
    cluster.up |= {0, 1}
    # Replica 1 answers "old", replica 2 "new": the higher version wins.
    assert cluster.read([1, 2]) == Versioned(2, "new")


def test_a_sloppy_read_counts_only_home_replicas() -> None:
    cluster = SloppyCluster(n=3, r=2, w=2, standins=1)
    with pytest.raises(QuorumError, match="1 of 2 read replies"):
        cluster.read([0, 3])  # node 3 is a stand-in, not a home replica


def test_handoff_never_overwrites_a_newer_value() -> None:
    cluster = SloppyCluster(n=3, r=1, w=2, standins=1)
    cluster.up -= {0, 1}
    assert cluster.write("v1") == [2, 3]  # hint (3, 0, v1)
    cluster.up |= {0, 1}
    assert cluster.write("v2") == [0, 1]  # home 0 now holds the newer v2
    assert cluster.handoff() == 1
    assert cluster.read([0]) == Versioned(2, "v2")


def test_a_hint_waits_while_its_stand_in_is_down() -> None:
    cluster = SloppyCluster(n=3, r=1, w=2, standins=1)
    cluster.up -= {0, 1}
    cluster.write("v")
    cluster.up |= {0, 1}
    cluster.up -= {3}  # the home node is back, the stand-in holding the hint is not
    assert cluster.handoff() == 0
    assert [(s, h) for s, h, _ in cluster.hints] == [(3, 0)]
    cluster.up |= {3}
    assert cluster.handoff() == 1
    assert cluster.read([0]) == Versioned(1, "v")


def test_a_hint_waits_while_its_home_node_is_down() -> None:
    cluster = SloppyCluster(n=3, r=1, w=3, standins=2)
    cluster.up -= {0, 1}
    assert cluster.write("v") == [2, 3, 4]
    assert [(s, h) for s, h, _ in cluster.hints] == [(3, 0), (4, 1)]
    cluster.up |= {1}
    assert cluster.handoff() == 1
    assert [(s, h) for s, h, _ in cluster.hints] == [(3, 0)]
    assert cluster.read([1]).value == "v"


def test_sloppy_write_fails_when_too_few_nodes_are_up() -> None:
    cluster = SloppyCluster(n=3, r=2, w=2, standins=0)
    cluster.up -= {0, 1}
    with pytest.raises(QuorumError, match="1 of 2 nodes up"):
        cluster.write("v")


@pytest.mark.parametrize(
    ("n", "r", "w", "message"),
    [
        (0, 1, 1, "n must be at least 1"),
        (3, 0, 2, "r must be between 1 and n=3"),
        (3, 4, 2, "r must be between 1 and n=3"),
        (3, 2, 0, "w must be between 1 and n=3"),
        (3, 2, 4, "w must be between 1 and n=3"),
    ],
)
def test_bad_sizes_are_refused(n: int, r: int, w: int, message: str) -> None:
    for make in (is_strict, find_stale_read, Cluster, SloppyCluster):
        with pytest.raises(ValueError, match=message):
            make(n, r, w)


def test_unknown_replicas_and_negative_standins_are_refused() -> None:
    cluster = Cluster(n=3, r=1, w=1)
    with pytest.raises(ValueError, match="replica 3 does not exist"):
        cluster.write("v", reach=[3])
    with pytest.raises(ValueError, match="replica -1 does not exist"):
        cluster.write("v", reach=[-1])
    with pytest.raises(ValueError, match="standins must be >= 0"):
        SloppyCluster(3, 2, 2, standins=-1)
