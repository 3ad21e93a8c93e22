"""Snowflake IDs: 64-bit, time-ordered, unique IDs made on each node without coordination.

Why interviewers ask this:
    "Design a URL shortener / a tweet store / an order service" needs primary keys
    that many machines mint at once. Interviewers want to see why a database
    sequence or a UUIDv4 is not always the answer, and whether you can lay out the
    bits, size each field, and say what happens when the clock misbehaves or a
    millisecond runs out of sequence numbers.

Common pitfalls:
    - Trusting the wall clock: NTP can step it backwards. A generator that keeps
      going reuses (timestamp, sequence) pairs it already handed out, so it mints
      duplicates. Refuse (``ClockMovedBackwardsError``) or wait until the clock
      catches up; never silently continue.
    - Letting the sequence wrap inside one millisecond: the 4097th ID of a
      millisecond would repeat the 1st. The generator must wait for the next tick.
    - Two nodes with the same node ID: their IDs collide whenever they draw in the
      same millisecond. Node IDs must be assigned (config, ZooKeeper/etcd lease,
      pod ordinal), not guessed.
    - Calling the IDs "sorted": they are sorted per node. Across nodes they are
      sorted by the millisecond each node's own clock stamped, and within one
      stamped millisecond the node ID decides. In real time the order across
      nodes is only as good as their clock skew: an ID minted later on a node
      whose clock runs 5 ms slow is smaller (k-sorted; Twitter aimed for about
      a second).

Key takeaways:
    - Layout (Twitter's): 1 unused sign bit, 41 bits of milliseconds since a
      custom epoch, 10 bits of node, 12 bits of sequence. ``decode`` undoes it.
    - 41 bits of milliseconds last 2**41 ms, about 69.7 years after the epoch;
      10 bits give 1024 nodes; 12 bits give 4096 IDs per node per millisecond.
    - IDs from one generator strictly increase, because the timestamp is the most
      significant field and the sequence breaks ties.
    - An ID *stamped* with a later millisecond is larger than one stamped
      earlier on any node: the timestamp dominates. Which millisecond a node
      stamps depends on its clock, so this is not real-time order across nodes.
    - The clock is injected (``clock`` returns integer milliseconds), so tests
      drive a backwards step and sequence exhaustion deterministically.

What to look for in an answer:
    The bit layout with the reason for each width, per-node monotonicity, what
    happens on a backwards clock and on sequence exhaustion, and how node IDs are
    handed out. Production relatives: Twitter Snowflake, Discord and Instagram IDs
    (Instagram mints them inside PostgreSQL), Sony's Sonyflake (10 ms ticks,
    16-bit machine ID), and UUIDv7 (RFC 9562: 48-bit ms timestamp plus random
    bits, no node registry needed).
    Follow-ups:
    - Why not UUIDv4? (128 bits and random: B-tree inserts land all over the
      index, pages split and caches miss; time-ordered keys append at the right
      edge. UUIDv7 fixes the ordering but stays 128 bits.)
    - Why not one database sequence? (A single writer is a bottleneck and a
      single point of failure. Flickr ran two MySQL ticket servers, one minting
      odd IDs and one even (``auto_increment_increment = 2``), used in turn.
      Handing each node a range of IDs at a time (hi/lo) cuts the round trips
      but still needs the central service.)
    - The clock jumped back 5 s. Now what? (Refuse and alert, or wait if the
      jump is small; a node can also keep the last timestamp on disk so a
      restart after a jump does not reuse it.)
    - How do you leak less information? (The ID reveals creation time and node;
      expose an opaque or encrypted ID publicly if that matters.)
    - Can you run 2000 nodes? (Not with 10 node bits: take bits from the
      sequence, e.g. 11/11, trading per-node throughput for nodes.)
    - Is ``since_id`` pagination safe? (Not exactly: a poller can miss an ID
      minted late on a node with a slow clock, so re-read an overlap window.)
    - Why is the Twitter API's ``id_str`` a string? (JavaScript numbers are IEEE
      doubles, so integers above 2**53 lose precision and ``JSON.parse`` rounds
      a 63-bit ID. Send IDs as strings, or keep them under 53 bits.)
    - Monotonic or wall clock? (A monotonic clock never steps back but means
      nothing across restarts or nodes. Some generators read the wall clock
      once at start and add monotonic elapsed time: no step back while running,
      but a restart still needs a persisted high-water mark or a wait.)
    - Hot spots? (Time-ordered keys all land on the right edge of a B-tree:
      good insert locality, but the last page is contended. In range-partitioned
      stores (Bigtable, Spanner, HBase) they make one hot tablet, which is why
      Spanner's docs warn against monotonically increasing keys. Hash-prefix or
      bit-reverse the key, or shard first.)
    - How are node IDs handed out safely? (Config, a StatefulSet ordinal, or an
      etcd/ZooKeeper lease. With a lease a node must stop minting once the
      lease expires: the fencing problem again, see ``lease_fencing``.)

Complexity:
    O(1) per ID, except when a millisecond's 4096 sequence numbers are used up:
    then the generator reads the clock until it moves to the next millisecond.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

TIMESTAMP_BITS = 41
NODE_BITS = 10
SEQUENCE_BITS = 12
MAX_NODE = (1 << NODE_BITS) - 1
MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1
MAX_TIMESTAMP = (1 << TIMESTAMP_BITS) - 1
NODE_SHIFT = SEQUENCE_BITS
TIMESTAMP_SHIFT = SEQUENCE_BITS + NODE_BITS
TWITTER_EPOCH_MS = 1288834974657  # 2010-11-04T01:42:54.657Z, Twitter's published epoch


class ClockMovedBackwardsError(RuntimeError):
    """The clock returned a time earlier than the last ID's timestamp."""


class Parts(NamedTuple):
    """The three fields of a Snowflake ID; ``timestamp_ms`` is since the epoch."""

    timestamp_ms: int
    node: int
    sequence: int


def wall_clock_ms() -> int:
    """Milliseconds since the Unix epoch, from ``time.time_ns``."""
    return time.time_ns() // 1_000_000


def compose(timestamp_ms: int, node: int, sequence: int) -> int:
    """Pack the fields into one ID; ``timestamp_ms`` is relative to the epoch.

    >>> compose(1, 2, 3) == (1 << 22) | (2 << 12) | 3
    True

    Raises ValueError when a field does not fit its bits.
    """
    for name, value, top in (
        ("timestamp_ms", timestamp_ms, MAX_TIMESTAMP),
        ("node", node, MAX_NODE),
        ("sequence", sequence, MAX_SEQUENCE),
    ):
        if not 0 <= value <= top:
            raise ValueError(f"{name} must be in [0, {top}], got {value}")
    return (timestamp_ms << TIMESTAMP_SHIFT) | (node << NODE_SHIFT) | sequence


def decode(snowflake: int) -> Parts:
    """Split an ID into its fields. O(1).

    >>> decode(compose(1234, 5, 6))
    Parts(timestamp_ms=1234, node=5, sequence=6)

    Raises ValueError for a negative ID or one wider than 63 bits.
    """
    if not 0 <= snowflake < 1 << 63:
        raise ValueError(f"a Snowflake ID is a non-negative 63-bit integer, got {snowflake}")
    return Parts(
        snowflake >> TIMESTAMP_SHIFT,
        (snowflake >> NODE_SHIFT) & MAX_NODE,
        snowflake & MAX_SEQUENCE,
    )


class SnowflakeGenerator:
    """Mints IDs for one node; safe to share between threads (one lock per generator).

    >>> ticks = iter([10, 10, 11])
    >>> gen = SnowflakeGenerator(7, clock=lambda: next(ticks), epoch_ms=0)
    >>> [decode(gen.next_id()) for _ in range(3)]  # doctest: +NORMALIZE_WHITESPACE
    [Parts(timestamp_ms=10, node=7, sequence=0), Parts(timestamp_ms=10, node=7, sequence=1),
     Parts(timestamp_ms=11, node=7, sequence=0)]

    Raises ValueError for a node outside [0, 1023] or a negative epoch.
    """

    def __init__(
        self,
        node: int,
        *,
        clock: Callable[[], int] = wall_clock_ms,
        epoch_ms: int = TWITTER_EPOCH_MS,
    ) -> None:
        if isinstance(node, bool) or not isinstance(node, int):
            raise TypeError(f"node must be an int, got {type(node).__name__}")
        if not 0 <= node <= MAX_NODE:
            raise ValueError(f"node must be in [0, {MAX_NODE}], got {node}")
        if epoch_ms < 0:
            raise ValueError(f"epoch_ms must be >= 0, got {epoch_ms}")
        self.node = node
        self._clock = clock
        self._epoch = epoch_ms
        self._last = -1  # timestamp (since the epoch) of the last ID handed out
        self._sequence = 0
        self._lock = threading.Lock()

    def _now(self) -> int:
        now = self._clock() - self._epoch
        if not 0 <= now <= MAX_TIMESTAMP:
            raise ValueError(
                f"clock is {now} ms from the epoch, outside the 41-bit range [0, {MAX_TIMESTAMP}]"
            )
        return now

    def next_id(self) -> int:
        """The next ID: larger than every ID this generator returned before. O(1) amortised.

        Raises ClockMovedBackwardsError if the clock reads earlier than the last ID,
        ValueError if the clock is before the epoch or past the 41-bit range.
        """
        with self._lock:
            now = self._now()
            if now < self._last:  # break[ignore-backwards-clock]
                raise ClockMovedBackwardsError(
                    f"clock moved backwards by {self._last - now} ms; refusing to mint IDs"
                )
            if now == self._last:
                self._sequence = (self._sequence + 1) & MAX_SEQUENCE
                if self._sequence == 0:  # break[wrap-sequence]
                    # 4096 IDs in this millisecond already: spin until the clock ticks.
                    while now <= self._last:
                        now = self._now()
            else:
                self._sequence = 0  # break[keep-sequence]
            self._last = now
            return compose(now, self.node, self._sequence)
