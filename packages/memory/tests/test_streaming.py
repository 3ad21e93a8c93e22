"""Tests for memory.streaming: tracemalloc peaks for streaming vs materialising a file."""

from __future__ import annotations

import csv
import random
import tracemalloc
from itertools import islice
from pathlib import Path

import pytest

from handbook.memory.streaming import (
    chunk_sizes,
    count_errors_capped,
    count_errors_read,
    count_errors_readlines,
    count_errors_streaming,
    error_bytes,
    leaky_error_bytes,
    parse,
    peak_bytes,
    sum_csv_column,
)

SIZE = 1024 * 1024  # 1 MB: big enough that buffers (KiB) are a small fraction
LEVELS = ("INFO", "WARN", "ERROR")


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A generated ~1 MB log; returns (path, ERROR line count, ERROR byte total)."""
    rng = random.Random(1234)
    path = tmp_path_factory.mktemp("streaming") / "app.log"
    lines, errors, total, written = [], 0, 0, 0
    while written < SIZE:
        level, size = rng.choice(LEVELS), rng.randrange(1000)
        line = f"{level} {size} request handled {'x' * rng.randrange(100, 300)}\n"
        if level == "ERROR":
            errors, total = errors + 1, total + size
        lines.append(line)
        written += len(line)
    path.write_text("".join(lines), encoding="ascii")
    return path, errors, total


def test_all_counters_agree(log: tuple[Path, int, int]) -> None:
    path, errors, _ = log
    assert count_errors_streaming(path) == count_errors_readlines(path) == errors
    assert count_errors_read(path) == errors


def test_streaming_peak_is_a_small_fraction_of_the_file(log: tuple[Path, int, int]) -> None:
    path, errors, _ = log
    count, peak = peak_bytes(lambda: count_errors_streaming(path))
    assert count == errors
    size = path.stat().st_size
    # Only the I/O buffers (kilobytes, st_blksize-dependent) and one line are
    # alive at a time: 20-40 KB measured on 3.11-3.13. 10 % of 1 MB is the bound.
    assert peak < size / 10


def test_streaming_peak_does_not_grow_with_the_file(
    log: tuple[Path, int, int], tmp_path: Path
) -> None:
    path, errors, _ = log
    double = tmp_path / "double.log"
    double.write_bytes(path.read_bytes() * 2)
    count, peak_double = peak_bytes(lambda: count_errors_streaming(double))
    assert count == 2 * errors
    _, peak_single = peak_bytes(lambda: count_errors_streaming(path))
    # Twice the data, the same buffers: a growing peak would be near 2x.
    assert peak_double < 1.5 * peak_single


def test_readlines_peak_is_at_least_the_file_size(log: tuple[Path, int, int]) -> None:
    path, _, _ = log
    _, peak = peak_bytes(lambda: count_errors_readlines(path))
    # Every line is alive at once as a str: one byte per ASCII character plus
    # an object header each, plus the list's pointers: more than the file.
    assert peak >= path.stat().st_size


def test_read_peak_is_at_least_the_file_size(log: tuple[Path, int, int]) -> None:
    path, _, _ = log
    _, peak = peak_bytes(lambda: count_errors_read(path))
    assert peak >= path.stat().st_size  # one str holding every character


def test_bare_read_holds_the_bytes_and_the_str_at_once(log: tuple[Path, int, int]) -> None:
    path, _, _ = log
    size = path.stat().st_size

    def bare_read() -> int:
        with path.open(encoding="ascii") as f:
            return len(f.read())

    chars, peak = peak_bytes(bare_read)
    assert chars == size
    # The whole file as bytes, then decoded into a str while the bytes are
    # still referenced: 2.0x measured on 3.11-3.13; 1.9x leaves room for headers.
    assert peak >= 1.9 * size


def test_splitlines_keeps_every_line_next_to_the_text(log: tuple[Path, int, int]) -> None:
    path, errors, _ = log
    text = path.read_text(encoding="ascii")
    count, extra = peak_bytes(lambda: sum(1 for line in text.splitlines() if "ERROR" in line))
    assert count == errors
    # On top of the text already alive: a list of every line (each a str
    # with its own header), about 1.2x the file measured on 3.11-3.13. This
    # is why count_errors_read peaks above a bare read()'s 2x.
    assert extra > len(text)


def test_a_generator_pipeline_stays_flat(log: tuple[Path, int, int]) -> None:
    path, _, total = log
    result, peak = peak_bytes(lambda: error_bytes(path))
    assert result == total
    assert peak < path.stat().st_size / 10  # one record in flight at a time


def test_sorted_in_the_middle_materialises_every_record(log: tuple[Path, int, int]) -> None:
    path, _, total = log
    result, leaky = peak_bytes(lambda: leaky_error_bytes(path))
    _, flat = peak_bytes(lambda: error_bytes(path))
    assert result == total  # same answer: the pitfall is only visible in memory
    # Thousands of (level, size) tuples and their strings are alive at
    # once; a factor of 10 over the streaming peak is a conservative floor.
    assert leaky > 10 * flat


def test_one_huge_line_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "one-line.log"
    path.write_text("ERROR " + "x" * SIZE, encoding="ascii")  # no newline at all
    count, peak = peak_bytes(lambda: count_errors_streaming(path))
    assert count == 1
    assert peak >= SIZE  # "line by line" held the whole file as one line


def test_a_capped_readline_rejects_a_huge_line_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "one-line.log"
    path.write_text("ERROR " + "x" * SIZE, encoding="ascii")
    limit = 64 * 1024

    def refused() -> str:
        with pytest.raises(ValueError, match="longer than 65536") as info:
            count_errors_capped(path, limit)
        return str(info.value)

    _, peak = peak_bytes(refused)
    # One readline(limit + 1): the returned str plus decoded chunks and the
    # buffers, about 2.3 limits measured on 3.11-3.13; the whole line is 16.
    assert peak < 4 * limit


def test_a_capped_readline_counts_normal_lines(log: tuple[Path, int, int], tmp_path: Path) -> None:
    path, errors, _ = log
    assert count_errors_capped(path, 400) == errors  # the longest generated line is < 330
    edge = tmp_path / "edge.log"
    edge.write_text("ERROR abc\nINFO 12345", encoding="ascii")  # 9 chars + newline; 10, no newline
    # The newline does not count, and a last line may end without one.
    assert count_errors_capped(edge, 10) == 1
    with pytest.raises(ValueError, match="longer than 9"):
        count_errors_capped(edge, 9)
    with pytest.raises(ValueError, match="at least 1"):
        count_errors_capped(edge, 0)


def test_parse_names_a_malformed_line() -> None:
    assert list(parse(["WARN 7 slow\n"])) == [("WARN", 7)]
    with pytest.raises(ValueError, match="expected 'LEVEL size message', got 'garbage\\\\n'"):
        list(parse(["garbage\n"]))
    with pytest.raises(ValueError, match="got 'ERROR big disk"):
        list(parse(["ERROR big disk full\n"]))


def test_peak_bytes_leaves_a_callers_tracing_on() -> None:
    tracemalloc.start()
    try:
        kept = [bytes(1000) for _ in range(100)]  # alive before: not counted
        result, peak = peak_bytes(lambda: len(bytes(50_000)))
        assert tracemalloc.is_tracing()
        assert result == 50_000
        assert 50_000 <= peak < 50_000 + 10_000  # only fn's own allocation, not `kept`
        assert len(kept) == 100
    finally:
        tracemalloc.stop()


def test_chunked_reads_yield_bounded_blocks_and_stay_flat(log: tuple[Path, int, int]) -> None:
    path, _, _ = log
    n = 64 * 1024
    size = path.stat().st_size
    # islice caps the blocks at one more than the file can fill, so a loop
    # that never stops shows up as extra empty blocks, not as a hang.
    most = size // n + 2
    sizes, peak = peak_bytes(lambda: list(islice(chunk_sizes(path, n), most)))
    assert sum(sizes) == size  # every byte, once
    assert all(s == n for s in sizes[:-1])  # a regular file fills each block but the last
    assert 0 < sizes[-1] <= n
    # The previous block (still bound to the loop variable) and the new one,
    # plus the buffer, are alive at once: about 2 blocks; 4 is the margin.
    assert peak < 4 * n


def test_csv_rows_are_parsed_as_they_are_read(tmp_path: Path) -> None:
    rng = random.Random(99)
    path = tmp_path / "orders.csv"
    rows = [f'{i},"customer {i}, ltd",{rng.randrange(100)}\n' for i in range(10_000)]
    path.write_text("id,name,amount\n" + "".join(rows), encoding="ascii")
    expected = sum(int(r.rsplit(",", 1)[1]) for r in rows)
    total, peak = peak_bytes(lambda: sum_csv_column(path, "amount"))
    assert total == expected  # the quoted comma did not split the name
    # One row and the I/O buffers are alive at a time (about 39 KB measured on
    # 3.11-3.13 for 3,000 and for 10,000 rows); a quarter of the ~290 KB file is the bound.
    assert peak < path.stat().st_size / 4


def test_listing_the_csv_rows_holds_them_all(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("id,amount\n" + "".join(f"{i},{i % 100}\n" for i in range(10_000)), "ascii")

    def all_rows() -> int:
        with path.open(newline="", encoding="ascii") as f:
            return len(list(csv.reader(f)))

    count, peak = peak_bytes(all_rows)
    assert count == 10_001
    # 10,001 lists of str: each row costs far more than its ~8 bytes of text.
    assert peak > path.stat().st_size
