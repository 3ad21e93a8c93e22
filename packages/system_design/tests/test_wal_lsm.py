"""Tests for system_design.wal_lsm: torn tails and bit flips in a real file; amplification."""

from __future__ import annotations

import os
import random
import stat
import struct
import zlib
from pathlib import Path

import pytest

from handbook.system_design.wal_lsm import (
    BTreeCostModel,
    LSMTree,
    WriteAheadLog,
    naive_replay,
    recover,
)

RECORDS = [(b"user:%d" % i, b"v" * (i + 1)) for i in range(5)]


def written(path: Path, records: list[tuple[bytes, bytes]] = RECORDS) -> list[int]:
    """Write ``records`` through the WAL; return the file size after each one."""
    wal, ends = WriteAheadLog(path), []
    for key, value in records:
        wal.append(key, value)
        ends.append(path.stat().st_size)
    return ends


def test_a_clean_log_replays_every_record_in_order(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    written(path)
    assert recover(path) == RECORDS
    assert recover(tmp_path / "missing") == []


def test_a_tail_torn_at_any_byte_drops_only_the_torn_record(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    ends = written(path)
    full = path.read_bytes()
    start = ends[-2]  # the last record occupies full[start:]
    for cut in range(start, len(full)):  # every offset inside the last record, header included
        with open(path, "r+b") as f:  # rewrite in place: no truncate-to-zero, no forced writeback
            f.write(full)
            f.truncate(cut)
        assert recover(path) == RECORDS[:-1], cut
        assert path.stat().st_size == start  # the torn bytes are gone


def test_the_naive_reader_returns_a_truncated_value_from_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    written(path)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size - 3)  # the crash came 3 bytes before the end
    naive = naive_replay(path)
    assert naive[-1] == (RECORDS[-1][0], RECORDS[-1][1][:-3])  # a value that was never written
    assert recover(path) == RECORDS[:-1]


def test_every_single_bit_flip_in_a_record_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    ends = written(path)
    full = path.read_bytes()
    start, end = ends[1], ends[2]  # the third record, in the middle of the log
    for bit in range((end - start) * 8):
        damaged = bytearray(full)
        damaged[start + bit // 8] ^= 1 << (bit % 8)
        with open(path, "r+b") as f:  # overwrite from offset 0, re-extending the file
            f.write(damaged)
        # Recovery stops at the damaged record and drops records 4 and 5 with it, though they
        # were acknowledged: stop-at-first-bad cannot tell media corruption from a crash.
        assert recover(path) == RECORDS[:2], bit
        assert path.stat().st_size == start, bit  # truncated after a checksum failure too


def test_a_zero_filled_tail_is_the_end_of_the_log(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    good = written(path)[-1]
    with open(path, "ab") as f:
        f.write(bytes(4096))  # preallocated, or the size grew before the data reached disk
    assert zlib.crc32(b"") == 0  # why a payload-only CRC32 accepts an all-zero header
    assert recover(path) == RECORDS
    assert path.stat().st_size == good


def test_a_checksummed_record_too_short_to_decode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    good = written(path)[-1]
    payload = b"\x00"  # one byte: not even the 2-byte key length; the encoder never writes it
    crc = zlib.crc32(payload, zlib.crc32(len(payload).to_bytes(4, "little")))
    with open(path, "ab") as f:
        f.write(struct.pack("<II", len(payload), crc) + payload)
    with pytest.raises(ValueError, match=f"offset {good} has a valid checksum but 1 bytes"):
        recover(path)
    assert path.stat().st_size == good + 9  # refused, not truncated: a bug, not a crash


def test_append_fsyncs_the_whole_record_and_a_new_files_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, synced = tmp_path / "wal", list[tuple[str, int]]()
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        st = os.fstat(fd)  # what the kernel holds for this descriptor when fsync runs
        synced.append(("dir" if stat.S_ISDIR(st.st_mode) else "file", st.st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)  # the module calls os.fsync at call time
    wal = WriteAheadLog(path)
    wal.append(b"k", b"v")  # creates the file
    first = path.stat().st_size
    assert synced[0] == ("file", first)  # the flush came first: the whole record is synced
    assert [kind for kind, _ in synced] == ["file", "dir"]  # then the new directory entry
    wal.append(b"k2", b"v2")
    assert synced[2:] == [("file", path.stat().st_size)]  # the file exists: no directory fsync
    WriteAheadLog(path, sync=False).append(b"k3", b"v3")
    assert len(synced) == 3  # sync=False never fsyncs
    assert recover(path) == [(b"k", b"v"), (b"k2", b"v2"), (b"k3", b"v3")]


def test_an_append_after_recovery_survives_the_next_recovery(tmp_path: Path) -> None:
    path = tmp_path / "wal"
    written(path)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size - 1)  # crash 1: torn last record
    assert recover(path) == RECORDS[:-1]
    WriteAheadLog(path).append(b"after", b"restart")  # acknowledged to a client
    assert recover(path) == [*RECORDS[:-1], (b"after", b"restart")]  # crash 2 loses nothing


def test_wal_refuses_what_it_cannot_encode(tmp_path: Path) -> None:
    wal = WriteAheadLog(tmp_path / "wal", sync=False)
    with pytest.raises(TypeError, match="bytes"):
        wal.append("text", b"v")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="65535"):
        wal.append(b"k" * 70_000, b"v")


def test_lsm_matches_a_dict_through_overwrites_deletes_flushes_and_compactions() -> None:
    rng = random.Random(20)
    tree, model = LSMTree(memtable_limit=8, fanout=3), dict[bytes, bytes]()
    keys = [b"k%03d" % i for i in range(60)]
    for _ in range(2000):
        key = rng.choice(keys)
        if rng.random() < 0.2:
            tree.delete(key)
            model.pop(key, None)
        else:
            value = b"%d" % rng.randrange(10**6)
            tree.put(key, value)
            model[key] = value
    assert len(tree.levels) >= 3  # several compactions really happened
    assert {k: tree.get(k) for k in keys} == {k: model.get(k) for k in keys}


def test_an_overwrite_wins_over_an_older_run_and_over_a_compaction() -> None:
    tree = LSMTree(memtable_limit=1, fanout=2)  # every put is its own run
    tree.put(b"k", b"old")
    assert tree.get(b"k") == b"old"
    tree.put(b"k", b"new")  # second run at level 0: merged into level 1
    assert tree.levels[0] == []
    assert len(tree.levels[1]) == 1
    assert tree.get(b"k") == b"new"
    tree.put(b"k", b"newest")  # level 0 now newer than level 1
    assert tree.get(b"k") == b"newest"


def test_a_delete_hides_the_value_in_an_older_run() -> None:
    tree = LSMTree(memtable_limit=2, fanout=10)
    tree.put(b"k", b"v")
    tree.put(b"x", b"x")  # flush: k=v now lives in a run
    tree.delete(b"k")
    assert tree.get(b"k") is None
    tree.put(b"y", b"y")  # flush the tombstone too
    assert tree.get(b"k") is None


def test_lsm_writes_less_and_probes_more_than_a_btree_on_the_same_workload() -> None:
    rng = random.Random(7)
    keys = rng.sample(range(10**8), 4000)
    lsm, btree = LSMTree(memtable_limit=64, fanout=4), BTreeCostModel(page_entries=64)
    for key in keys:
        lsm.put(b"%08d" % key, b"v")
        btree.put(b"%08d" % key, b"v")
    # 4000 distinct keys = 62 flushes of 64 (3968 entries) + 32 left in the memtable.
    # Every 4 level-0 runs merge into a 256-entry level-1 run (15 times: 3840 entries),
    # every 4 of those into a 1024-entry level-2 run (3 times: 3072 entries).
    assert lsm.entries_written == 3968 + 15 * 256 + 3 * 1024
    assert [len(level) for level in lsm.levels] == [62 % 4, 15 % 4, 3]
    assert lsm.entries_written / len(keys) < 3  # each entry written under 3 times
    assert btree.entries_written / len(keys) == 64  # a whole 64-entry page per put
    for i in range(100):  # keys that are absent: the worst case, what Bloom filters fix
        assert lsm.get(b"absent%d" % i) is None
        assert btree.get(b"absent%d" % i) is None
    assert lsm.probes == 100 * (1 + 8)  # the memtable, then all 2 + 3 + 3 runs
    assert btree.probes == 100 * 2  # 4000 entries, fan-out 64: root + leaf


def test_btree_height_grows_exactly_when_a_level_is_full() -> None:
    btree, heights = BTreeCostModel(page_entries=64), {}
    for i in range(4097):
        btree.put(b"%05d" % i, b"v")
        heights[i + 1] = btree.height()
    assert [heights[n] for n in (1, 64, 65, 4096, 4097)] == [1, 1, 2, 2, 3]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LSMTree(memtable_limit=0), "memtable_limit"),
        (lambda: LSMTree(fanout=1), "fanout"),
        (lambda: BTreeCostModel(page_entries=1), "page_entries"),
    ],
)
def test_bad_sizes_are_refused(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_crc32_detects_sampled_bursts_of_up_to_32_bits() -> None:
    # Checks the CRC property recovery relies on (zlib's, not the lesson's code): a degree-32
    # CRC detects every burst no longer than 32 bits in a fixed-length message; a seeded
    # sample checks it.
    rng = random.Random(32)
    payload = bytes(rng.randrange(256) for _ in range(64))
    crc = zlib.crc32(payload)
    for _ in range(2000):
        length = rng.randrange(1, 33)
        pattern = 1 | (1 << (length - 1)) | rng.getrandbits(length)  # first and last bit set
        start = rng.randrange(len(payload) * 8 - length + 1)
        damaged = int.from_bytes(payload, "little") ^ (pattern << start)
        assert zlib.crc32(damaged.to_bytes(len(payload), "little")) != crc
