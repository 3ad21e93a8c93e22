"""database.replication: lag, read-your-writes, sync trade-offs and failover loss, seeded."""

from __future__ import annotations

import copy

import pytest

from fundamentals.database.replication import Cluster, Mode, Session, Unavailable

SEEDS = range(20)


def stale_reads(mode: Mode, seed: int, read_your_writes: bool, writes: int = 50) -> int:
    """Write a key, read it back at once; count reads that miss the value just written."""
    session = Session(Cluster(replicas=2, mode=mode, seed=seed), read_your_writes)
    stale = 0
    for i in range(writes):
        session.write("profile", str(i))
        stale += session.read("profile") != str(i)
        session.cluster.advance(1)
    return stale


def test_async_read_right_after_a_write_is_always_stale() -> None:
    assert all(stale_reads(Mode.ASYNC, seed, read_your_writes=False) == 50 for seed in SEEDS)


def test_read_your_writes_rule_never_returns_a_stale_value() -> None:
    for mode in Mode:
        assert [stale_reads(mode, seed, read_your_writes=True) for seed in SEEDS] == [0] * 20


def test_semi_sync_still_serves_stale_reads_from_the_other_replica() -> None:
    stale = [stale_reads(Mode.SEMI_SYNC, seed, read_your_writes=False) for seed in SEEDS]
    assert all(s > 0 for s in stale)
    assert all(s < 50 for s in stale)


def test_sync_replication_makes_every_replica_read_fresh() -> None:
    assert all(stale_reads(Mode.SYNC, seed, read_your_writes=False) == 0 for seed in SEEDS)


def test_read_your_writes_falls_back_to_the_primary_only_when_the_replica_is_behind() -> None:
    session = Session(Cluster(replicas=2, mode=Mode.ASYNC, seed=3), read_your_writes=True)
    session.write("k", "v")
    assert session.read("k") == "v"
    assert session.primary_reads == 1
    session.cluster.advance(session.cluster.max_lag)
    assert session.read("k") == "v"
    assert session.primary_reads == 1


def test_replicas_apply_the_log_in_order_and_catch_up() -> None:
    for seed in SEEDS:
        c = Cluster(replicas=3, mode=Mode.ASYNC, seed=seed)
        for i in range(30):
            c.write(f"k{i % 4}", str(i))
            c.advance(1)
            for r in c.replicas:
                # a replica at LSN n holds exactly the primary's state after write n
                expected: dict[str, str] = {}
                for j in range(r.applied_lsn):
                    expected[f"k{j % 4}"] = str(j)
                assert r.data == expected
        c.advance(c.max_lag)
        assert c.lag() == {"r1": 0, "r2": 0, "r3": 0}
        assert all(r.data == c.primary for r in c.replicas)


def test_waiting_costs_sync_more_than_semi_sync_more_than_async() -> None:
    for seed in SEEDS:
        waited = {}
        for mode in Mode:
            c = Cluster(replicas=3, mode=mode, seed=seed)
            waited[mode] = sum(c.write("k", str(i)).waited for i in range(200))
        assert waited[Mode.ASYNC] == 0
        assert 0 < waited[Mode.SEMI_SYNC] < waited[Mode.SYNC]


def went_back_in_time(seed: int, monotonic: bool) -> int:
    """Async, two replicas: count reads that return an older value than an earlier read."""
    session = Session(Cluster(replicas=2, mode=Mode.ASYNC, seed=seed), False, monotonic)
    writer = session.cluster
    newest_seen = -1
    backwards = 0
    for i in range(100):
        writer.write("comment", str(i))
        writer.advance(1)
        value = session.read("comment")
        seen = -1 if value is None else int(value)
        backwards += seen < newest_seen
        newest_seen = max(newest_seen, seen)
    return backwards


def test_random_replica_reads_can_go_back_in_time() -> None:
    assert all(went_back_in_time(seed, monotonic=False) > 0 for seed in SEEDS)


def test_monotonic_reads_fixed_by_tracking_the_highest_seen_lsn() -> None:
    assert [went_back_in_time(seed, monotonic=True) for seed in SEEDS] == [0] * 20
    session = Session(Cluster(replicas=2, mode=Mode.ASYNC, seed=0), False, monotonic=True)
    session.cluster.write("k", "v")
    session.cluster.advance(session.cluster.max_lag)
    session.read("k")
    assert session.primary_reads == 0  # replicas that are not behind still serve reads


def test_sync_primary_with_a_dead_replica_refuses_writes_and_changes_nothing() -> None:
    c = Cluster(replicas=2, mode=Mode.SYNC, seed=0)
    c.replicas[1].up = False
    with pytest.raises(Unavailable, match="sync needs 2 replicas up, 1 are"):
        c.write("k", "v")
    assert c.primary == {}
    assert c.lsn == 0
    semi = Cluster(replicas=2, mode=Mode.SEMI_SYNC, seed=0)
    semi.replicas[1].up = False
    assert semi.write("k", "v").lsn == 1


def test_async_failover_loses_acknowledged_writes() -> None:
    c = Cluster(replicas=2, mode=Mode.ASYNC, seed=5)
    acks = [c.write("k", str(i)) for i in range(10)]
    assert [a.lsn for a in acks] == list(range(1, 11))
    lost = c.failover()
    assert lost == list(range(1, 11))  # no time passed: no replica had any of them
    assert c.primary == {}


def test_semi_sync_failover_to_the_most_advanced_replica_loses_nothing() -> None:
    for seed in SEEDS:
        c = Cluster(replicas=3, mode=Mode.SEMI_SYNC, seed=seed)
        for i in range(20):
            c.write(f"k{i % 3}", str(i))
        before = dict(c.primary)
        assert c.failover() == []
        assert c.primary == before


def test_semi_sync_failover_to_a_lagging_replica_would_lose_writes() -> None:
    for seed in SEEDS:
        c = Cluster(replicas=3, mode=Mode.SEMI_SYNC, seed=seed)
        for i in range(20):
            c.write("k", str(i))
        behind = min(c.replicas, key=lambda r: r.applied_lsn)
        assert behind.applied_lsn < c.acked[-1]
        forced = copy.deepcopy(c)  # promote the lagging one: take the others down first
        for r in forced.replicas:
            r.up = r.name == behind.name
        lost = forced.failover()
        assert lost  # promoting it drops acknowledged writes
        assert lost == [lsn for lsn in c.acked if lsn > behind.applied_lsn]
        assert c.failover() == []  # the most advanced one had every acknowledged write


def test_async_failover_loss_shrinks_but_stays_as_lag_drains() -> None:
    lost_counts = []
    for seed in SEEDS:
        c = Cluster(replicas=2, mode=Mode.ASYNC, seed=seed)
        for i in range(20):
            c.write("k", str(i))
            c.advance(1)
        lost_counts.append(len(c.failover()))
    assert all(0 < n < 20 for n in lost_counts)


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="replicas must be at least 1"):
        Cluster(replicas=0)
    with pytest.raises(ValueError, match="max_lag"):
        Cluster(max_lag=0)
    with pytest.raises(TypeError, match="mode must be a Mode"):
        Cluster(mode="sync")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="time only moves forward"):
        Cluster().advance(-1)


def test_a_replica_that_went_down_applies_nothing_more_and_is_never_promoted() -> None:
    c = Cluster(replicas=2, mode=Mode.ASYNC, seed=0)
    c.write("k", "v")
    c.replicas[0].up = False  # crashes with the entry still in flight
    c.advance(c.max_lag)
    assert c.lag() == {"r1": 1, "r2": 0}
    assert c.failover() == []
    assert c.primary == {"k": "v"}


def test_failover_picks_among_live_replicas_even_if_a_dead_one_had_more() -> None:
    c = Cluster(replicas=2, mode=Mode.ASYNC, seed=0)
    c.write("k", "v")
    c.replicas[1].up = False
    c.advance(c.max_lag)  # only r1 applies it
    c.replicas[1].up = True
    c.replicas[0].up = False  # then r1 dies
    assert c.failover() == [1]  # r2 is promoted without the write
    assert c.primary == {}
