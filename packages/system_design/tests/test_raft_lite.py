"""Tests for system_design.raft_lite: the vote and append rules, and safety checked every step."""

from __future__ import annotations

import random

import pytest

from handbook.system_design.raft_lite import Cluster, Msg, Node, SafetyViolation


def node(id: int = 1, n: int = 3, term: int = 1, log: list[tuple[int, str]] | None = None) -> Node:
    new = Node(id, n, random.Random(0), term=term)
    new.log = list(log or [])
    return new


def vote_req(src: int, term: int, last_index: int = 0, last_term: int = 0) -> Msg:
    return Msg("vote_req", src, 1, term, last_index=last_index, last_term=last_term)


def append_req(term: int, prev: int, prev_term: int, entries: tuple[tuple[int, str], ...]) -> Msg:
    return Msg("append_req", 0, 1, term, prev_index=prev, prev_term=prev_term, entries=entries)


def settled(seed: int) -> Cluster:
    """A 5-node cluster with no loss that has run long enough to elect a leader."""
    cluster = Cluster(n=5, seed=seed)
    cluster.run(60)
    assert len(cluster.leaders()) == 1
    return cluster


def test_one_leader_is_elected_and_every_node_commits_the_same_log() -> None:
    cluster = settled(seed=3)
    for i in range(10):
        assert cluster.submit(f"cmd{i}")
    cluster.run(40)
    logs = {tuple(n.log) for n in cluster.nodes}
    assert len(logs) == 1
    (log,) = logs
    assert [cmd for _, cmd in log].count("no-op") == 1
    assert [cmd for _, cmd in log if cmd != "no-op"] == [f"cmd{i}" for i in range(10)]
    assert all(n.commit == len(log) for n in cluster.nodes)


def test_safety_holds_at_every_step_with_loss_reordering_and_partitions() -> None:
    for seed in range(5):
        cluster = Cluster(n=5, seed=seed, loss=0.1)
        cluster.run(300, submit_rate=0.3, partition_rate=0.05)  # check() after every step
        # Not vacuous: leaders changed, entries were committed and messages were reordered.
        assert len(cluster.leader_of) >= 3, seed
        assert len(cluster.committed) >= 20, seed
        assert cluster.reordered > 0, seed


def test_a_minority_leader_cannot_commit_and_its_entries_are_replaced_after_healing() -> None:
    cluster = settled(seed=1)
    (old,) = cluster.leaders()
    buddy = (old.id + 1) % 5
    cluster.partition({old.id, buddy})
    committed_before = old.commit
    old.log.append((old.term, "lost"))  # a client's write reaches the cut-off leader
    cluster.run(60)
    assert old.role == "leader"
    assert old.commit == committed_before
    (new,) = [n for n in cluster.leaders() if n is not old]
    assert new.term > old.term
    assert cluster.submit("kept")  # goes to the leader of the highest term
    cluster.run(20)
    cluster.partition()  # heal
    cluster.run(40)
    assert old.role == "follower"
    assert {tuple(n.log) for n in cluster.nodes} == {tuple(new.log)}
    assert all((new.term, "kept") in n.log[: n.commit] for n in cluster.nodes)
    assert not any(cmd == "lost" for n in cluster.nodes for _, cmd in n.log)


def test_a_node_grants_one_vote_per_term() -> None:
    voter = node(term=0)
    (first,) = voter.handle(vote_req(src=0, term=1))
    (second,) = voter.handle(vote_req(src=2, term=1))
    (again,) = voter.handle(vote_req(src=0, term=1))  # a retried request from the same node
    (later,) = voter.handle(vote_req(src=2, term=2))  # a new term: a new vote
    assert (first.granted, second.granted, again.granted, later.granted) == (
        True,
        False,
        True,
        True,
    )


def test_two_candidates_in_one_term_cannot_both_win() -> None:
    cluster = Cluster(n=3, seed=0)
    a, voter, b = cluster.nodes
    a.timer = b.timer = 1
    requests = a.tick() + b.tick()  # both time out and stand in term 1
    assert (a.role, b.role, a.term, b.term) == ("candidate", "candidate", 1, 1)
    replies = [r for m in requests if m.dst == voter.id for r in voter.handle(m)]
    for reply in replies:
        cluster.nodes[reply.dst].handle(reply)
    assert [n.role for n in cluster.nodes].count("leader") == 1
    cluster.check()


def test_a_voter_refuses_a_candidate_whose_log_is_behind() -> None:
    voter = node(term=1, log=[(1, "a"), (1, "b")])
    (shorter,) = voter.handle(vote_req(src=0, term=2, last_index=1, last_term=1))
    assert not shorter.granted
    assert voter.voted_for is None
    (newer_term,) = voter.handle(vote_req(src=2, term=2, last_index=1, last_term=2))
    assert newer_term.granted  # a later last term wins even with a shorter log


def test_an_append_whose_previous_entry_does_not_match_is_refused() -> None:
    follower = node(log=[(1, "a")])
    for prev, prev_term in [(2, 1), (1, 2)]:  # missing entry; entry of another term
        (reply,) = follower.handle(append_req(2, prev, prev_term, ((2, "x"),)))
        assert not reply.success
    assert follower.log == [(1, "a")]


def test_a_conflicting_entry_is_replaced_with_everything_after_it() -> None:
    follower = node(log=[(1, "a"), (1, "b"), (1, "c")])
    (reply,) = follower.handle(append_req(2, 1, 1, ((2, "x"),)))
    assert reply.success
    assert reply.match_index == 2
    assert follower.log == [(1, "a"), (2, "x")]


def test_a_delayed_append_does_not_truncate_newer_entries() -> None:
    follower = node(log=[(1, "a"), (1, "b"), (1, "c")])
    follower.commit = 3
    (reply,) = follower.handle(append_req(1, 1, 1, ((1, "b"),)))  # sent before "c"
    assert reply.success
    assert reply.match_index == 2
    assert follower.log == [(1, "a"), (1, "b"), (1, "c")]
    assert follower.commit == 3  # its leader_commit of 0 does not lower the commit index


def test_a_candidate_yields_to_a_leader_of_its_own_term() -> None:
    candidate = node(term=1)
    candidate.role, candidate.voted_for, candidate.votes = "candidate", 1, {1}
    (reply,) = candidate.handle(append_req(1, 0, 0, ((1, "no-op"),)))  # node 0 won term 1
    assert reply.success
    assert (candidate.role, candidate.term) == ("follower", 1)


def test_a_vote_granted_in_an_earlier_term_does_not_count() -> None:
    candidate = node(id=0, n=3, term=2)
    candidate.role, candidate.voted_for, candidate.votes = "candidate", 0, {0}
    late = Msg("vote_resp", 1, 0, 1, granted=True)  # granted in term 1, delivered in term 2
    assert candidate.handle(late) == []
    assert (candidate.role, candidate.votes) == ("candidate", {0})  # 2 of 3 would have won
    assert candidate.handle(Msg("vote_resp", 1, 0, 2, granted=True))  # this term's vote wins
    assert candidate.role == "leader"


def test_an_acknowledgement_sent_to_an_earlier_term_does_not_count() -> None:
    leader = node(id=0, n=3, term=2, log=[(1, "a"), (2, "no-op")])
    leader.role, leader.next_index, leader.match = "leader", {1: 2, 2: 2}, {1: 0, 2: 0}
    late = Msg("append_resp", 1, 0, 1, success=True, match_index=2)  # to node 0 as term-1 leader
    leader.handle(late)
    assert (leader.match, leader.next_index, leader.commit) == ({1: 0, 2: 0}, {1: 2, 2: 2}, 0)
    leader.handle(Msg("append_resp", 1, 0, 2, success=True, match_index=2))
    assert leader.commit == 2  # the same acknowledgement in term 2 commits both entries


def test_a_leader_does_not_commit_an_older_terms_entry_by_counting_replicas() -> None:
    # Raft figure 8: (2, "b") is on 3 of 5 nodes, yet a term-3 leader must not commit it,
    # since a node holding a term-3 entry elsewhere could still win and overwrite it.
    leader = node(id=0, n=5, term=3, log=[(1, "a"), (2, "b")])
    leader.role = "leader"
    leader.next_index, leader.match = dict.fromkeys((1, 2, 3, 4), 3), dict.fromkeys((1, 2, 3, 4), 0)
    for peer in (1, 2):
        leader.handle(Msg("append_resp", peer, 0, 3, success=True, match_index=2))
    assert leader.match == {1: 2, 2: 2, 3: 0, 4: 0}
    assert leader.commit == 0  # a majority stores entries 1 and 2, but neither is of term 3
    leader.log.append((3, "no-op"))
    for peer in (1, 2):
        leader.handle(Msg("append_resp", peer, 0, 3, success=True, match_index=3))
    assert leader.commit == 3  # the term-3 no-op commits, and everything before it with it


def test_a_leader_commits_an_entry_only_once_a_majority_stores_it() -> None:
    cluster = Cluster(n=5, seed=0)
    leader = cluster.nodes[0]
    leader.term, leader.timer = 0, 1
    for m in leader.tick():
        for reply in cluster.nodes[m.dst].handle(m):
            if reply.dst == leader.id and reply.src in (1, 2):
                leader.handle(reply)  # votes from 1 and 2: elected with 3 of 5
    assert leader.role == "leader"
    assert leader.log == [(1, "no-op")]
    success = [Msg("append_resp", p, 0, 1, success=True, match_index=1) for p in (1, 2)]
    leader.handle(success[0])
    assert leader.commit == 0  # stored on 2 of 5
    leader.handle(success[1])
    assert leader.commit == 1  # stored on 3 of 5


def test_the_checker_catches_each_violation() -> None:
    cluster = settled(seed=3)
    (leader,) = cluster.leaders()
    other = cluster.nodes[(leader.id + 1) % 5]
    other.role, other.term = "leader", leader.term
    with pytest.raises(SafetyViolation, match="two leaders"):
        cluster.check()
    other.role = "follower"
    other.log = [(leader.term, "forged"), *leader.log[1:]]
    with pytest.raises(SafetyViolation, match="log matching"):
        cluster.check()
    other.log = [(99, "forged")]  # matches no other log, but index 1 was committed already
    other.commit = 1
    with pytest.raises(SafetyViolation, match="committed"):
        cluster.check()
    other.log, other.commit = [], 5
    with pytest.raises(SafetyViolation, match="dropped entries"):
        cluster.check()
    other.commit = 0
    other.role, other.term = "leader", leader.term + 1  # a newer leader without the entries
    with pytest.raises(SafetyViolation, match="lost entry"):
        cluster.check()


def test_a_single_node_elects_itself_and_commits_alone() -> None:
    cluster = Cluster(n=1, seed=0)
    cluster.run(20)
    (leader,) = cluster.leaders()
    assert cluster.submit("solo")
    cluster.run(1)
    assert leader.log == [(leader.term, "no-op"), (leader.term, "solo")]
    assert leader.commit == 2  # 1 of 1 is a majority


@pytest.mark.parametrize(("kwargs", "message"), [({"n": 0}, "n must"), ({"loss": 1.0}, "loss")])
def test_bad_arguments_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Cluster(**kwargs)  # type: ignore[arg-type]
