"""Raft leader election and log replication in a seeded simulation, safety checked every step.

Why interviewers ask this:
    "How do etcd, Consul or a Kafka KRaft controller agree on one leader and
    one log?" comes up whenever a design needs a coordinator, a lock service
    or replicated metadata. Interviewers want the two voting rules that make
    a leader safe, why a majority is needed to commit, and what happens to a
    leader cut off in a minority partition.

Common pitfalls:
    - Granting more than one vote per term (forgetting ``voted_for``, or not
      persisting it across a restart): two candidates both win the same term.
    - Voting for a candidate whose log is behind. Only a candidate whose last
      entry has a higher term, or the same term and at least the same index,
      may win; otherwise a leader without a committed entry overwrites it.
    - Accepting AppendEntries without checking that the entry before the new
      ones (``prev_index``, ``prev_term``) matches: logs diverge silently.
    - Truncating the log on every AppendEntries (``log[prev:] = entries``). A
      delayed, reordered message then cuts off entries a newer message had
      added, including committed ones. Truncate only at a real conflict.
    - Committing before a majority stores the entry (on the leader's own
      copy, or on the first acknowledgement): a new leader elected by the
      other nodes never saw it and overwrites it.
    - Committing an older term's entry by counting replicas (Raft paper,
      figure 8). A leader commits only entries of its own term; earlier ones
      commit with them, which is why new leaders append a no-op.

Key takeaways:
    - Election safety: at most one leader per term, because each node votes
      once per term and a leader needs a majority, and two majorities meet.
    - Log matching: if two logs hold an entry with the same index and term,
      they are identical up to it (the ``prev_index``/``prev_term`` check).
    - Committed entries are never lost: a committed entry is on a majority,
      a new leader needs votes from a majority, the two overlap, and the
      up-to-date rule makes the voter refuse a candidate that lacks it.
    - A leader in a minority partition keeps its title but cannot commit
      (here: there is no check-quorum; etcd with CheckQuorum steps down
      after an election timeout without hearing from a majority); when the
      partition heals it sees a higher term, steps down, and its
      uncommitted entries are replaced.
    - Replies are checked against the current term: a vote granted in an
      earlier term does not count, nor does an acknowledgement sent to an
      earlier term's leader. Delays here (1-3 steps) are shorter than an
      election timeout (10-19), which a node must wait out before it stands
      again, so in the random run no late reply reaches a node that is a
      candidate or leader again in a later term (none in 200 seeds); unit
      tests cover those checks.
    - This simulation checks the three properties after every step (not
      after every message) over several seeds, with message loss,
      reordering and partitions (the safety test asserts that reordering
      happened). Each pitfall above makes a test fail, except persistence
      (nodes here never restart); figure 8 is pinned by a unit test of the
      commit rule, not by the full figure-8 schedule. In the five seeds of
      the safety test, with voters granting two votes per term, the checker
      never sees two leaders of one term, so ``vote-twice`` is caught by the
      scripted tests, not by the random run.
    - Production: etcd's raft (Go) adds pre-vote and check-quorum; Hashicorp
      raft backs Consul and Nomad; Java has Apache Ratis. A real node must
      persist its term, vote and log (fsync) before it answers an RPC.

What to look for in an answer:
    Terms as a logical clock, randomised election timeouts, the two vote
    rules, majority commit of current-term entries, and what a minority
    leader can and cannot do.
    Follow-ups:
    - Why randomised timeouts? (So that one node usually times out first and
      wins before others start; equal timeouts cause repeated split votes.)
    - Can a stale leader serve reads? (Not linearisably: it may not know it
      was replaced. Use a read index confirmed by a heartbeat round, or
      leases that assume bounded clock drift, as etcd offers.)
    - Why an odd cluster size? (5 nodes tolerate 2 failures, 6 still only
      2: the extra node adds load and no fault tolerance.)
    - How is membership changed? (Joint consensus, or one server at a time
      so old and new majorities always overlap.)
    - What does Raft not handle? (Byzantine nodes: it assumes nodes follow
      the protocol; use PBFT-style protocols for that.)
    - A follower partitioned alone rejoins with term 40: what happens? (Its
      messages carry term 40, so the healthy leader steps down and the
      cluster holds a needless election; the rejoined node cannot win, its
      log is behind, but it disrupts. Pre-vote, asking whether it would win
      before bumping the term, and check-quorum fix it, as in etcd.)
    - The leader applies a command and crashes before replying; the client
      retries. What stops a double apply? (Client ids with per-client
      sequence numbers kept in the replicated state machine, the Raft
      dissertation's client sessions; the same idea as idempotency keys.)
    - How does the log not grow forever? (Snapshots of the state machine;
      a follower behind the snapshot point gets InstallSnapshot.)
    - next_index backs off one entry per round trip; how is that sped up?
      (The follower returns the conflicting term and the first index it
      holds of that term, so the leader skips a whole term per round trip.)

Complexity:
    One round trip to a majority per commit; per step the checker costs
    O(n^2 * L) for ``n`` nodes and logs of length ``L`` (pairwise prefix
    comparison) plus O(n * commit index).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["Cluster", "Msg", "Node", "SafetyViolation"]

Entry = tuple[int, str]  # (term, command)
FOLLOWER, CANDIDATE, LEADER = "follower", "candidate", "leader"


class SafetyViolation(AssertionError):
    """A Raft safety property failed in the simulation."""


@dataclass(frozen=True)
class Msg:
    """One RPC or reply; unused fields keep their defaults."""

    kind: str  # vote_req, vote_resp, append_req, append_resp
    src: int
    dst: int
    term: int
    last_index: int = 0
    last_term: int = 0
    granted: bool = False
    prev_index: int = 0
    prev_term: int = 0
    entries: tuple[Entry, ...] = ()
    leader_commit: int = 0
    success: bool = False
    match_index: int = 0


@dataclass
class Node:
    """One Raft server; the log is 1-indexed (``log[i - 1]`` is entry ``i``)."""

    id: int
    n: int
    rng: random.Random
    term: int = 0
    voted_for: int | None = None
    log: list[Entry] = field(default_factory=list)
    commit: int = 0
    role: str = FOLLOWER
    timer: int = 0
    votes: set[int] = field(default_factory=set)
    next_index: dict[int, int] = field(default_factory=dict)
    match: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reset_timer()

    def reset_timer(self) -> None:
        """Randomised election timeout, in steps."""
        self.timer = self.rng.randrange(10, 20)

    def last(self) -> tuple[int, int]:
        """(index, term) of the last entry; (0, 0) for an empty log."""
        return len(self.log), self.log[-1][0] if self.log else 0

    def peers(self) -> list[int]:
        """Every other node's id."""
        return [p for p in range(self.n) if p != self.id]

    def tick(self) -> list[Msg]:
        """One step of time: a leader sends AppendEntries, others may start an election."""
        if self.role == LEADER:
            self._advance_commit()  # only a cluster of one commits here: no replies come
            return [self._append_for(p) for p in self.peers()]
        self.timer -= 1
        if self.timer > 0:
            return []
        self.role, self.term, self.voted_for = CANDIDATE, self.term + 1, self.id
        self.votes = {self.id}
        self.reset_timer()
        if 2 * len(self.votes) > self.n:  # a cluster of one elects itself
            return self._become_leader()
        index, term = self.last()
        return [
            Msg("vote_req", self.id, p, self.term, last_index=index, last_term=term)
            for p in self.peers()
        ]

    def _append_for(self, peer: int) -> Msg:
        prev = self.next_index[peer] - 1
        return Msg(
            "append_req",
            self.id,
            peer,
            self.term,
            prev_index=prev,
            prev_term=self.log[prev - 1][0] if prev else 0,
            entries=tuple(self.log[prev : prev + 4]),
            leader_commit=self.commit,
        )

    def handle(self, m: Msg) -> list[Msg]:
        """Process one message; return the replies."""
        if m.term > self.term:  # a newer term: whatever we were, we follow now
            self.term, self.voted_for, self.role = m.term, None, FOLLOWER
        handler = {
            "vote_req": self._on_vote_req,
            "vote_resp": self._on_vote_resp,
            "append_req": self._on_append_req,
            "append_resp": self._on_append_resp,
        }[m.kind]
        return handler(m)

    def _on_vote_req(self, m: Msg) -> list[Msg]:
        index, term = self.last()
        up_to_date = (m.last_term, m.last_index) >= (term, index)  # break[no-up-to-date-check]
        free = self.voted_for in (None, m.src)  # break[vote-twice]
        granted = m.term == self.term and free and up_to_date
        if granted:
            self.voted_for = m.src
            self.reset_timer()
        return [Msg("vote_resp", self.id, m.src, self.term, granted=granted)]

    def _on_vote_resp(self, m: Msg) -> list[Msg]:
        stale = m.term != self.term  # break[stale-vote-counts]
        if self.role != CANDIDATE or stale or not m.granted:
            return []
        self.votes.add(m.src)
        if 2 * len(self.votes) <= self.n:
            return []
        return self._become_leader()

    def _become_leader(self) -> list[Msg]:
        self.role = LEADER
        self.log.append((self.term, "no-op"))  # commits earlier terms' entries with it
        self.next_index = {p: len(self.log) for p in self.peers()}
        self.match = dict.fromkeys(self.peers(), 0)
        return [self._append_for(p) for p in self.peers()]

    def _on_append_req(self, m: Msg) -> list[Msg]:
        if m.term < self.term:
            return [Msg("append_resp", self.id, m.src, self.term, success=False)]
        self.role = FOLLOWER  # a candidate of this term yields to its leader
        self.reset_timer()
        prev_ok = m.prev_index == 0 or (
            m.prev_index <= len(self.log) and self.log[m.prev_index - 1][0] == m.prev_term
        )
        if not prev_ok:  # break[no-prev-check]
            return [Msg("append_resp", self.id, m.src, self.term, success=False)]
        for offset, entry in enumerate(m.entries):  # break[truncate-always]
            index = m.prev_index + 1 + offset
            if index <= len(self.log) and self.log[index - 1][0] != entry[0]:
                del self.log[index - 1 :]  # a real conflict: drop it and all after it
            if index > len(self.log):
                self.log.append(entry)
        last_new = m.prev_index + len(m.entries)
        self.commit = max(self.commit, min(m.leader_commit, last_new))
        return [Msg("append_resp", self.id, m.src, self.term, success=True, match_index=last_new)]

    def _on_append_resp(self, m: Msg) -> list[Msg]:
        stale = m.term != self.term  # break[stale-ack-counts]
        if self.role != LEADER or stale:
            return []
        if not m.success:
            self.next_index[m.src] = max(1, self.next_index[m.src] - 1)
            return []
        self.match[m.src] = max(self.match[m.src], m.match_index)
        self.next_index[m.src] = self.match[m.src] + 1
        self._advance_commit()
        return []

    def _advance_commit(self) -> None:
        """Commit the highest entry of this term that a majority (the leader included) stores."""
        for index in range(len(self.log), self.commit, -1):
            stored = 1 + sum(1 for p in self.peers() if self.match[p] >= index)
            majority = 2 * stored > self.n  # break[no-majority]
            if majority and self.log[index - 1][0] == self.term:  # break[any-term-commits]
                self.commit = index
                break


class Cluster:
    """``n`` nodes and a network that delays (1..3 steps), reorders, loses and partitions.

    >>> c = Cluster(n=3, seed=1)
    >>> c.run(60)
    >>> len(c.leaders()), c.submit("x")
    (1, True)
    """

    def __init__(self, n: int = 5, seed: int = 0, loss: float = 0.0) -> None:
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        if not 0.0 <= loss < 1.0:
            raise ValueError(f"loss must be in [0, 1), got {loss}")
        self.rng = random.Random(seed)
        self.nodes = [Node(i, n, self.rng) for i in range(n)]
        self.loss = loss
        self.now = 0
        self.group = [0] * n  # nodes in the same group can talk
        self.in_flight: list[tuple[int, int, Msg]] = []  # (due step, send order, message)
        self.sent = 0
        self.newest_delivered = -1  # send order of the newest message delivered so far
        self.reordered = 0  # deliveries overtaken by a message sent after them
        self.leader_of: dict[int, int] = {}  # term -> the one leader seen in it
        self.committed: dict[int, tuple[Entry, int]] = {}  # index -> (entry, term that saw it)

    def partition(self, *groups: set[int]) -> None:
        """Split the nodes; nodes not named form one more group. ``partition()`` heals."""
        self.group = [0] * len(self.nodes)
        for number, members in enumerate(groups, start=1):
            for member in members:
                self.group[member] = number

    def leaders(self) -> list[Node]:
        """The nodes that currently believe they lead (a stale one included)."""
        return [node for node in self.nodes if node.role == LEADER]

    def submit(self, command: str) -> bool:
        """Append ``command`` at the leader of the highest term, if there is one."""
        leaders = self.leaders()
        if not leaders:
            return False
        leader = max(leaders, key=lambda node: node.term)
        leader.log.append((leader.term, command))
        return True

    def _send(self, messages: list[Msg]) -> None:
        for m in messages:
            if self.rng.random() >= self.loss:
                self.in_flight.append((self.now + self.rng.randrange(1, 4), self.sent, m))
                self.sent += 1

    def step(self) -> None:
        """Deliver what is due (in random order), tick every node, check safety."""
        self.now += 1
        due = [(order, m) for at, order, m in self.in_flight if at <= self.now]
        self.in_flight = [item for item in self.in_flight if item[0] > self.now]
        self.rng.shuffle(due)
        for order, m in due:
            if self.group[m.src] == self.group[m.dst]:
                self.reordered += order < self.newest_delivered
                self.newest_delivered = max(self.newest_delivered, order)
                self._send(self.nodes[m.dst].handle(m))
        for node in self.nodes:
            self._send(node.tick())
        self.check()

    def run(self, steps: int, submit_rate: float = 0.0, partition_rate: float = 0.0) -> None:
        """Step ``steps`` times, submitting commands and re-partitioning at random."""
        for _ in range(steps):
            if self.rng.random() < submit_rate:
                self.submit(f"c{self.now}")
            if self.rng.random() < partition_rate:
                cut = set(
                    self.rng.sample(range(len(self.nodes)), self.rng.randrange(len(self.nodes)))
                )
                self.partition(cut)
            self.step()

    def check(self) -> None:
        """Raise SafetyViolation unless election safety, log matching and commit safety hold.

        It sees the state between steps: a node that wins and loses
        leadership within one step is not recorded in ``leader_of``.
        """
        for node in self.leaders():
            if self.leader_of.setdefault(node.term, node.id) != node.id:
                raise SafetyViolation(f"two leaders in term {node.term}")
        for a in self.nodes:
            for b in self.nodes[a.id + 1 :]:
                same = [
                    i for i, (x, y) in enumerate(zip(a.log, b.log, strict=False)) if x[0] == y[0]
                ]
                if same and a.log[: same[-1] + 1] != b.log[: same[-1] + 1]:
                    raise SafetyViolation(f"logs of {a.id} and {b.id} break log matching")
        for node in self.nodes:
            if node.commit > len(node.log):
                raise SafetyViolation(f"node {node.id} dropped entries it had committed")
            for index in range(1, node.commit + 1):
                entry = node.log[index - 1]
                known, _ = self.committed.setdefault(index, (entry, node.term))
                if known != entry:
                    raise SafetyViolation(
                        f"node {node.id} committed {entry} at {index}, not {known}"
                    )
        for node in self.leaders():
            for index, (entry, seen_in) in self.committed.items():
                if node.term > seen_in and node.log[index - 1 : index] != [entry]:
                    raise SafetyViolation(
                        f"leader {node.id} of term {node.term} lost entry {index}"
                    )
