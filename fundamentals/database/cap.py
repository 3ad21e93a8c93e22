"""CAP: a simulated network partition between replicas of a CP store and an AP store.

The code behind ``cap.md``. ``Network`` splits nodes into groups that can only
reach their own group. ``CPStore`` acts like a majority-quorum system (Raft,
ZooKeeper, etcd): an operation succeeds only where a majority is reachable.
``APStore`` acts like a Dynamo-style store: every node accepts writes locally and
replicas reconcile by anti-entropy after the partition heals, either by
last-writer-wins or by keeping concurrent versions as siblings, detected with
version vectors. Both count the replicas an operation had to contact, which is
the latency side of PACELC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["APStore", "CPStore", "Network", "Unavailable", "Version", "descends"]


class Unavailable(Exception):
    """The node cannot reach enough replicas to answer consistently."""


class Network:
    """Nodes that can reach each other unless a partition separates them.

    >>> net = Network(["a", "b", "c"])
    >>> net.partition({"a"}, {"b", "c"})
    >>> sorted(net.reachable("b")), sorted(net.reachable("a"))
    (['b', 'c'], ['a'])
    """

    def __init__(self, nodes: Iterable[str]) -> None:
        self.nodes = list(nodes)
        if len(set(self.nodes)) != len(self.nodes) or not self.nodes:
            raise ValueError(f"nodes must be distinct and non-empty, got {self.nodes}")
        self.groups: list[set[str]] = [set(self.nodes)]

    def partition(self, *groups: set[str]) -> None:
        """Split the network; every node must be in exactly one group."""
        named = [n for g in groups for n in g]
        if sorted(named) != sorted(self.nodes):
            raise ValueError(f"groups must cover each node exactly once, got {list(groups)}")
        self.groups = [set(g) for g in groups]

    def heal(self) -> None:
        self.groups = [set(self.nodes)]

    def reachable(self, node: str) -> set[str]:
        """The nodes ``node`` can talk to, itself included."""
        for g in self.groups:
            if node in g:
                return g
        raise ValueError(f"unknown node {node!r}")


class CPStore:
    """Every read and write needs a majority of replicas; a minority refuses.

    >>> net = Network(["a", "b", "c"])
    >>> cp = CPStore(net)
    >>> net.partition({"a"}, {"b", "c"})
    >>> cp.write("b", "x", "1")
    >>> cp.write("a", "x", "2")
    Traceback (most recent call last):
    ...
    fundamentals.database.cap.Unavailable: a reaches 1 of 3 replicas, needs 2
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        self.replicas: dict[str, dict[str, tuple[int, str]]] = {n: {} for n in network.nodes}
        self.contacted = 0  # replicas contacted, summed over all operations

    def majority(self) -> int:
        return len(self.network.nodes) // 2 + 1  # break[minority-quorum]

    def _quorum(self, node: str) -> set[str]:
        peers = self.network.reachable(node)
        if len(peers) < self.majority():
            raise Unavailable(
                f"{node} reaches {len(peers)} of {len(self.network.nodes)} replicas,"
                f" needs {self.majority()}"
            )
        self.contacted += len(peers)
        return peers

    def write(self, node: str, key: str, value: str) -> None:
        """Store ``value`` on every reachable replica, one version above the newest.

        Any two majorities share a replica, so the newest version among the
        reachable majority is the newest anywhere.
        """
        peers = self._quorum(node)
        newest = max(self.replicas[p].get(key, (0, ""))[0] for p in peers)
        version = newest + 1  # break[cp-version-from-writer-only]
        for p in peers:
            self.replicas[p][key] = (version, value)

    def read(self, node: str, key: str) -> str | None:
        """The value with the highest version among a reachable majority."""
        peers = self._quorum(node)
        found = [self.replicas[p][key] for p in peers if key in self.replicas[p]]
        return max(found)[1] if found else None


@dataclass(frozen=True)
class Version:
    """One value with its version vector (node -> writes seen from it)."""

    value: str
    clock: Mapping[str, int] = field(default_factory=dict)
    stamp: tuple[int, str] = (0, "")  # (Lamport time, node) for last-writer-wins


def descends(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """True if a version with clock ``a`` has seen everything ``b`` has.

    >>> descends({"a": 2, "b": 1}, {"a": 1}), descends({"a": 1}, {"b": 1})
    (True, False)
    """
    return all(a.get(k, 0) >= n for k, n in b.items())  # break[descends-ignores-others]


class APStore:
    """Every node accepts reads and writes locally, partition or not.

    ``merge="lww"`` keeps only the version with the highest stamp when replicas
    reconcile; ``merge="siblings"`` keeps every version no other version
    descends from, so concurrent writes survive for the application to resolve.
    """

    def __init__(self, network: Network, merge: Literal["lww", "siblings"]) -> None:
        if merge not in ("lww", "siblings"):
            raise ValueError(f"merge must be 'lww' or 'siblings', got {merge!r}")
        self.network = network
        self.merge = merge
        self.replicas: dict[str, dict[str, list[Version]]] = {n: {} for n in network.nodes}
        self.lamport = 0
        self.contacted = 0

    def write(self, node: str, key: str, value: str) -> None:
        """Accept locally; the new version descends from every version ``node`` had."""
        self.network.reachable(node)  # rejects an unknown node
        seen = self.replicas[node].get(key, [])  # break[write-without-context]
        clock: dict[str, int] = {}
        for v in seen:
            for k, n in v.clock.items():
                clock[k] = max(clock.get(k, 0), n)
        clock[node] = clock.get(node, 0) + 1
        self.lamport = max([self.lamport, *(v.stamp[0] for v in seen)]) + 1
        self.replicas[node][key] = [Version(value, clock, (self.lamport, node))]
        self.contacted += 1

    def read(self, node: str, key: str) -> list[str]:
        """The values ``node`` holds for ``key``: one, or several siblings."""
        self.network.reachable(node)
        self.contacted += 1
        return sorted(v.value for v in self.replicas[node].get(key, []))

    def _reconcile(self, versions: list[Version]) -> list[Version]:
        if self.merge == "lww" and versions:
            return [max(versions, key=lambda v: v.stamp)]  # break[lww-keeps-first]
        if self.merge == "lww":
            return []
        kept: list[Version] = []
        for v in versions:
            newer = any(
                descends(o.clock, v.clock) and o.clock != v.clock for o in versions
            )  # v is obsolete if another version has seen it and more
            if not newer and v not in kept:
                kept.append(v)
        return kept

    def anti_entropy(self) -> None:
        """Replicas that can reach each other exchange and reconcile every key."""
        for group in self.network.groups:
            keys = {k for n in group for k in self.replicas[n]}
            for key in keys:
                merged = self._reconcile(
                    [v for n in sorted(group) for v in self.replicas[n].get(key, [])]
                )
                for n in group:
                    self.replicas[n][key] = list(merged)
