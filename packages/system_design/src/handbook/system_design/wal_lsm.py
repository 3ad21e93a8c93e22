"""Write-ahead log recovery with checksums, and LSM-tree vs B-tree amplification counted.

Why interviewers ask this:
    "How does a database not lose acknowledged writes?" and "why do Cassandra,
    RocksDB and LevelDB use LSM trees while PostgreSQL and InnoDB use B-trees?"
    are standard storage follow-ups in a system-design round. The answer needs
    the WAL (append and fsync before acknowledging, replay on start), what a
    crash leaves at the end of the log (a torn record), and the trade-off
    between write amplification and read amplification.

Common pitfalls:
    - Trusting the length prefix alone. A crash mid-append leaves a record
      whose header promises more bytes than the file holds; a reader that
      takes the short read (``naive_replay``) returns a truncated value as if
      it had been written. The length check is what recognises a torn tail;
      the checksum would also catch it, with probability 1 - 2^-32.
    - No checksum. A flipped bit inside a record is replayed as data. CRC32
      (``zlib.crc32``) detects every single-bit error and every burst of up to
      32 bits within a message of fixed length (a seeded sample of bursts is
      checked); here it covers the length field and the payload, and the
      tests flip every bit of a record, header included. It is no defence
      against deliberate tampering, which needs a MAC.
    - Checksumming the payload only. An all-zero header passes a plain CRC32
      (the CRC32 of nothing is 0), and a zero-filled tail is common: a
      preallocated file, or a crash after the file size grew but before the
      data blocks were written. It must read as the end of the log, so the
      checksum here also covers the length, as PostgreSQL's covers the
      record header.
    - Recovering without truncating the torn tail. The next append lands
      after the garbage, and the recovery after that stops at the garbage, so
      a write acknowledged after the first restart is lost.
    - Reading LSM runs oldest first, or letting a compaction keep the older
      of two versions: an overwritten value comes back.
    - Deleting by removing the key from the memtable only: the older value in
      a run on disk resurrects. A delete is a write of a tombstone.

Key takeaways:
    - A record is ``length | crc32(length, payload) | payload``; recovery
      replays records in order and stops at the first one that is short or
      fails its checksum, because nothing after it can be trusted (its length
      may be garbage). A record with a valid checksum that is too short to
      hold its key length was written by a bug, not torn by a crash:
      recovery refuses it (ValueError) rather than guess.
    - ``append`` (with ``sync=True``, the default) flushes and fsyncs the
      record before it returns, so before the caller acknowledges, and
      fsyncs the directory when it created the file, so the file's name
      survives a crash too.
    - Recovery truncates the file to the last good record before appending,
      whether the record was torn or failed its checksum.
    - An LSM tree writes each entry sequentially several times (memtable
      flush, then once per compaction level) but never rewrites a page in
      place. A B-tree rewrites a whole page for one changed entry when the
      working set is much larger than its buffer pool, so each update's page
      is written back before it is touched again; with the pages cached, a
      dirty page is written once per checkpoint however many of its entries
      changed. On the same 4000-key workload the LSM tree here writes 2.7
      entries per put and the B-tree cost model (64-entry pages, that worst
      case) 64, while a read of an absent key probes 9 places in the LSM
      tree (the memtable and 8 runs, newest first) against 2 pages in the
      B-tree. Neither count includes the WAL write that both make per put
      (plus, on the B-tree side, PostgreSQL's full-page image after each
      checkpoint or InnoDB's doublewrite). The B-tree side is a cost model:
      it counts pages, it does not split them.
    - Production: PostgreSQL's WAL records carry a CRC32C; each physical
      record in a RocksDB or LevelDB log carries a (masked) CRC32C; both can
      attach a Bloom filter to each SSTable so a point read skips most runs.

What to look for in an answer:
    fsync before acknowledging; a checksum per record; stop-and-truncate at
    the first bad record; group commit to amortise fsync; compaction and its
    cost; Bloom filters to cut read amplification.
    Follow-ups:
    - Why stop at the first bad record instead of skipping it? (Its length
      field may itself be corrupt, so the next record boundary is unknown;
      and in an append-only log a bad record at the end is the expected
      crash signature, so everything after it was never acknowledged.)
    - How do you tell a torn tail from media corruption? (A bad record
      followed by valid ones is corruption, not a crash: stopping there, as
      this toy does, silently drops acknowledged writes. RocksDB makes it a
      choice, ``wal_recovery_mode``: kTolerateCorruptedTailRecords,
      kAbsoluteConsistency (refuse to open), kPointInTimeRecovery (stop
      there), kSkipAnyCorruptedRecords. A careful recovery scans past the
      bad record for a valid one and refuses to truncate if it finds one.)
    - Does fsync returning mean the data is on stable storage? (Only if the
      device honours cache flushes (FUA, write barriers); consumer SSDs
      without power-loss protection and RAID caches without a battery may
      not. Production uses enterprise SSDs and tests by pulling the power.)
    - What if fsync fails? (PostgreSQL's "fsyncgate", 2018: Linux may drop
      the dirty pages and clear the error, so a retried fsync succeeds with
      the data gone. PostgreSQL now PANICs and recovers from the WAL instead
      of retrying, ``data_sync_retry = off``.)
    - How does a B-tree survive a torn page write? (PostgreSQL writes a
      full page image into the WAL on the first change to a page after a
      checkpoint, ``full_page_writes``; InnoDB uses a doublewrite buffer.)
    - How big is a Bloom filter? (About 10 bits per key gives about 1 %
      false positives with 7 hashes. It helps point reads only: a range scan
      still merges every run.)
    - How do you make fsync per write affordable? (Group commit: one fsync
      covers every transaction waiting for it, as in PostgreSQL's WAL flush
      and MySQL's binlog group commit.)
    - Is fsyncing the file enough? (Not when the file is new: the directory
      entry must be fsynced too, or the whole file can vanish in a crash;
      ``append`` does it when it creates the file.)
    - When do tombstones go away? (Only when a compaction reaches the oldest
      data, so no older value can resurface; Cassandra also waits
      ``gc_grace_seconds`` so replicas learn of the delete. Here they stay.)
    - When is the WAL trimmed? (After the memtable it protects is flushed to
      an SSTable and that file is fsynced; a checkpoint in a B-tree engine.)
    - Size-tiered vs levelled compaction? (Size-tiered, as here and in
      Cassandra's long-time default, writes less but leaves more runs to read
      and more space amplification; levelled, as in LevelDB and RocksDB's
      default, keeps one sorted run per level below level 0: more
      rewriting, fewer probes.)

Complexity:
    WAL append O(record); recovery O(file). LSM put O(1) amortised plus
    compaction; with size-tiered fan-out ``f`` and ``n`` puts each entry is
    written at most ``1 + floor(log_f(n / memtable))`` times (the flush, then
    once per level it reaches: 2.72 on average here, against a bound of 3). A point read probes the
    memtable and up to ``(f - 1)`` runs per level.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

__all__ = ["BTreeCostModel", "LSMTree", "WriteAheadLog", "naive_replay", "recover"]

_HEADER = struct.Struct("<II")  # payload length, crc32 of the length and payload
_KEY_LEN = struct.Struct("<H")
TOMBSTONE = None


def _encode(key: bytes, value: bytes) -> bytes:
    if len(key) > 0xFFFF:
        raise ValueError(f"key is {len(key)} bytes; at most 65535")
    payload = _KEY_LEN.pack(len(key)) + key + value
    return _HEADER.pack(len(payload), _checksum(len(payload), payload)) + payload


def _checksum(length: int, payload: bytes) -> int:
    """CRC32 of the 4-byte length field, then the payload: an all-zero header fails it."""
    header = length.to_bytes(4, "little")
    return zlib.crc32(payload, zlib.crc32(header))  # break[crc-without-length]


def _decode(payload: bytes) -> tuple[bytes, bytes]:
    (n,) = _KEY_LEN.unpack_from(payload)
    return payload[2 : 2 + n], payload[2 + n :]


class WriteAheadLog:
    """An append-only file of checksummed records.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "wal"
    >>> wal = WriteAheadLog(path)
    >>> wal.append(b"k", b"v")
    >>> recover(path)
    [(b'k', b'v')]

    A write the kernel accepted is not durable until fsync returns; a new
    file's name is not durable until its directory is fsynced.
    """

    def __init__(self, path: Path, *, sync: bool = True) -> None:
        self.path = path
        self.sync = sync

    def append(self, key: bytes, value: bytes) -> None:
        """Append one record and (by default) fsync it before returning. O(record)."""
        if not isinstance(key, bytes) or not isinstance(value, bytes):
            raise TypeError("key and value must be bytes")
        created = not self.path.exists()
        with open(self.path, "ab") as f:
            f.write(_encode(key, value))
            f.flush()  # from Python's buffer to the kernel
            if self.sync:
                os.fsync(f.fileno())  # break[no-fsync]
        if self.sync and created:
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)  # break[no-dir-fsync]
            finally:
                os.close(directory)


def recover(path: Path) -> list[tuple[bytes, bytes]]:
    """Replay the complete, intact records; truncate the file after the last one. O(file).

    A missing file is an empty log. Raises ValueError for a record whose
    checksum is valid but which is too short to decode (a writer's bug).
    """
    if not path.exists():
        return []
    data = path.read_bytes()
    records: list[tuple[bytes, bytes]] = []
    good = 0  # offset just after the last intact record
    while good < len(data):
        if len(data) - good < _HEADER.size:  # break[torn-header]
            break
        length, crc = _HEADER.unpack_from(data, good)
        payload = data[good + _HEADER.size : good + _HEADER.size + length]
        if len(payload) < length:  # torn tail: the crash came mid-record
            break
        if _checksum(length, payload) != crc:  # break[no-checksum]
            break
        if length < _KEY_LEN.size:  # break[no-min-length]
            raise ValueError(f"record at offset {good} has a valid checksum but {length} bytes")
        records.append(_decode(payload))
        good += _HEADER.size + length
    if good < len(data):
        os.truncate(path, good)  # break[no-truncate]
    return records


def naive_replay(path: Path) -> list[tuple[bytes, bytes]]:
    """The pitfall: trust the length prefix, take short reads, ignore the checksum."""
    records = []
    with open(path, "rb") as f:
        while header := f.read(_HEADER.size):
            if len(header) < _HEADER.size:
                break
            length, _ = _HEADER.unpack(header)
            records.append(_decode(f.read(length)))
    return records


class LSMTree:
    """A memtable flushed to sorted runs, with size-tiered compaction; counts I/O in entries.

    ``entries_written`` counts entries written to runs (flushes and compactions);
    ``probes`` counts places a ``get`` looked (memtable + each run).

    >>> t = LSMTree(memtable_limit=2, fanout=2)
    >>> for k in (b"a", b"b", b"a"):
    ...     t.put(k, k.upper())
    >>> t.delete(b"b")
    >>> t.get(b"a"), t.get(b"b")
    (b'A', None)
    """

    def __init__(self, memtable_limit: int = 64, fanout: int = 4) -> None:
        if memtable_limit < 1:
            raise ValueError(f"memtable_limit must be >= 1, got {memtable_limit}")
        if fanout < 2:
            raise ValueError(f"fanout must be >= 2, got {fanout}")
        self.memtable_limit = memtable_limit
        self.fanout = fanout
        self.memtable: dict[bytes, bytes | None] = {}
        self.levels: list[
            list[list[tuple[bytes, bytes | None]]]
        ] = []  # level -> runs, oldest first
        self.entries_written = 0
        self.probes = 0

    def put(self, key: bytes, value: bytes) -> None:
        """Write ``key``; O(1) plus an occasional flush and compaction."""
        self._write(key, value)

    def delete(self, key: bytes) -> None:
        """Write a tombstone for ``key`` (removing it from the memtable would resurrect it)."""
        self._write(key, TOMBSTONE)  # break[delete-without-tombstone]

    def _write(self, key: bytes, value: bytes | None) -> None:
        self.memtable[key] = value
        if len(self.memtable) >= self.memtable_limit:
            self._flush()

    def _flush(self) -> None:
        run = sorted(self.memtable.items())
        self.memtable = {}
        self._add_run(0, run)

    def _add_run(self, level: int, run: list[tuple[bytes, bytes | None]]) -> None:
        self.entries_written += len(run)
        while len(self.levels) <= level:
            self.levels.append([])
        self.levels[level].append(run)
        if len(self.levels[level]) >= self.fanout:
            runs, self.levels[level] = self.levels[level], []
            self._add_run(level + 1, _merge(runs))

    def _runs_newest_first(self) -> list[list[tuple[bytes, bytes | None]]]:
        # Lower levels and later runs within a level hold newer data.
        return [run for level in self.levels for run in reversed(level)]  # break[oldest-first]

    def get(self, key: bytes) -> bytes | None:
        """The newest value of ``key``, or None if absent or deleted."""
        self.probes += 1
        if key in self.memtable:
            return self.memtable[key]
        for run in self._runs_newest_first():
            self.probes += 1
            found = _search(run, key)
            if found is not None:
                return found[1]
        return None


def _merge(runs: list[list[tuple[bytes, bytes | None]]]) -> list[tuple[bytes, bytes | None]]:
    """Merge runs given oldest first; for a key in several runs the newest value wins."""
    merged: dict[bytes, bytes | None] = {}
    for run in runs:  # break[merge-keeps-oldest]
        merged.update(run)
    return sorted(merged.items())


def _search(run: list[tuple[bytes, bytes | None]], key: bytes) -> tuple[bytes, bytes | None] | None:
    lo, hi = 0, len(run)
    while lo < hi:
        mid = (lo + hi) // 2
        if run[mid][0] < key:
            lo = mid + 1
        else:
            hi = mid
    return run[lo] if lo < len(run) and run[lo][0] == key else None


class BTreeCostModel:
    """A cost model of a B+tree with ``page_entries`` entries per page, updated in place.

    It keeps the data in a dict and counts what a B+tree would do: each put
    rewrites the whole leaf page that holds the key (``page_entries`` entries
    written), each get reads one page per level of a tree with that fan-out.
    It does not model splits or a page cache.
    """

    def __init__(self, page_entries: int = 64) -> None:
        if page_entries < 2:
            raise ValueError(f"page_entries must be >= 2, got {page_entries}")
        self.page_entries = page_entries
        self.data: dict[bytes, bytes] = {}
        self.entries_written = 0
        self.probes = 0

    def height(self) -> int:
        """Levels of a B+tree with this fan-out holding ``len(data)`` entries."""
        levels, capacity = 1, self.page_entries
        while capacity < len(self.data):
            levels, capacity = levels + 1, capacity * self.page_entries
        return levels

    def put(self, key: bytes, value: bytes) -> None:
        """Update in place: one leaf page rewritten."""
        self.data[key] = value
        self.entries_written += self.page_entries

    def get(self, key: bytes) -> bytes | None:
        """Root-to-leaf: one page per level."""
        self.probes += self.height()
        return self.data.get(key)
