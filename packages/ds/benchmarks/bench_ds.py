"""Benchmark handbook-ds against the best peers, side by side in one run.

Each workload runs our structure and its peer on the same seeded data,
interleaved, best of ``--repeat`` runs with the garbage collector off (as
``timeit`` does), and reports the throughput ratio ours / peer: higher is
better for us. Each workload runs in ``--processes`` fresh interpreters, so
one workload's leftover heap cannot slow the next and one unlucky memory
layout cannot decide a row: the table shows the median interpreter's ratio
and the range over all of them. Memory is reported as bytes per entry
(tracemalloc) and its ratio ours / peer, where lower is better. Each ratio is
printed next to its target; the exit status is 1 if any target is missed.

    python packages/ds/benchmarks/bench_ds.py [--repeat N] [--processes K] [--only NAME ...]
    python packages/ds/benchmarks/bench_ds.py --write-readme packages/ds/README.md

The peers (cachetools, sortedcontainers) are dev-only: ``uv run --group bench``.
This is not a test and asserts nothing about time: its name keeps pytest from
collecting it as one, and pytest runs only the doctests of its pure helpers.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import heapq
import importlib
import json
import os
import platform
import random
import subprocess
import sys
import time
import tracemalloc
from collections import deque
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
SEED = 20_240_601


@dataclass(frozen=True)
class Result:
    """One row of the table: a ratio ours / peer and the target it must reach, if any."""

    workload: str
    ours: str
    peer: str
    ratio: float
    target: float | None
    higher_is_better: bool
    detail: str
    low: float | None = None
    high: float | None = None

    @property
    def met(self) -> bool:
        """Whether the ratio reaches the target; a row without a target is only shown.

        >>> Result("w", "a", "b", 0.5, 0.6, True, "").met
        False
        >>> Result("w", "a", "b", 0.9, 1.0, False, "").met
        True
        >>> Result("w", "a", "b", 0.1, None, True, "").met
        True
        """
        if self.target is None:
            return True
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def spread(self) -> str:
        """The range over interpreters, when there was more than one.

        >>> Result("w", "a", "b", 0.7, 0.6, True, "", 0.68, 0.73).spread()
        ' (0.68–0.73)'
        >>> Result("w", "a", "b", 0.7, 0.6, True, "").spread()
        ''
        """
        if self.low is None or self.high is None:
            return ""
        return f" ({self.low:.2f}–{self.high:.2f})"

    def row(self) -> str:
        """The result as a markdown table row.

        >>> Result("w", "a", "b", 0.45, None, True, "x").row()
        '| w | a | b | **0.45x** | none | for reference | x |'
        """
        sign = ">=" if self.higher_is_better else "<="
        if self.target is None:
            target, mark = "none", "for reference"
        else:
            target, mark = f"{sign} {self.target:g}x", "✅ met" if self.met else "❌ not met"
        cells = [
            self.workload,
            self.ours,
            self.peer,
            f"**{self.ratio:.2f}x**{self.spread()}",
            target,
            mark,
            self.detail,
        ]
        return "| " + " | ".join(cells) + " |"


# ---- measuring -----------------------------------------------------------------------


def best_times(repeat: int, *runs: Callable[[], object]) -> list[float]:
    """Best wall time of each run over ``repeat`` rounds, interleaved, GC off during runs.

    Interleaving (ours, peer, ours, peer, ...) means a noisy neighbour or a
    CPU frequency change affects both sides alike.
    """
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for i, run in enumerate(runs):
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                run()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            best[i] = min(best[i], elapsed)
    return best


def bytes_per_entry(make: Callable[[], MutableMapping[Any, Any]], keys: Sequence[int]) -> float:
    """Traced memory of a cache filled with ``keys`` (mapped to themselves) / entry count.

    The keys exist before tracing starts, so only the structure itself counts.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        cache = make()
        for key in keys:
            cache[key] = key
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(cache) == len(keys), "the cache evicted while being filled to capacity"
    return (after - before) / len(keys)


def peer(module: str) -> Any:
    """Import a peer library, or exit with how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        sys.exit(f"{module} is missing: run with `uv run --group bench python {sys.argv[0]}`")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# ---- workloads -------------------------------------------------------------------------


def zipf_stream(rng: random.Random, keys: int, length: int, s: float) -> list[int]:
    """``length`` keys drawn from ``keys`` distinct keys, the one of rank r with weight 1/r**s.

    >>> stream = zipf_stream(random.Random(1), keys=100, length=1000, s=1.0)
    >>> len(stream), len(set(stream)) <= 100
    (1000, True)
    """
    ranked = list(range(100_000, 100_000 + keys))  # ints above the small-int cache
    rng.shuffle(ranked)
    weights = [1.0 / (rank**s) for rank in range(1, keys + 1)]
    return rng.choices(ranked, weights=weights, k=length)


def drive_cache(cache: MutableMapping[int, int], ops: list[tuple[bool, int]]) -> int:
    """The access code both caches run: a read that fills on a miss, or a write."""
    hits = 0
    for is_read, key in ops:
        if is_read:
            try:
                cache[key]
                hits += 1
            except KeyError:
                cache[key] = key
        else:
            cache[key] = key
    return hits


def bench_lru(repeat: int) -> list[Result]:
    from handbook.ds.lru_cache import LRUCache

    cachetools = peer("cachetools")
    capacity, n_keys, n_ops, reads, s = 1_000, 5_000, 200_000, 0.8, 1.0
    rng = random.Random(SEED)
    stream = zipf_stream(rng, n_keys, n_ops, s)
    ops = [(rng.random() < reads, key) for key in stream]

    def ours() -> int:
        return drive_cache(LRUCache(capacity), ops)

    def theirs() -> int:
        return drive_cache(cachetools.LRUCache(capacity), ops)

    assert ours() == theirs(), "the two caches disagree on hits: not the same policy"
    t_ours, t_peer = best_times(repeat, ours, theirs)
    hit_rate = ours() / sum(is_read for is_read, _ in ops)
    speed = Result(
        f"LRU cache: {n_ops:,} ops, Zipf s={s}, {reads:.0%} reads, "
        f"capacity {capacity:,} of {n_keys:,} keys (hit rate {hit_rate:.0%})",
        "`LRUCache`",
        "`cachetools.LRUCache`",
        t_peer / t_ours,
        1.5,
        True,
        f"{ms(t_ours)} vs {ms(t_peer)}",
    )
    fill = list(range(1_000_000, 1_000_000 + capacity))
    b_ours = bytes_per_entry(lambda: LRUCache(capacity), fill)
    b_peer = bytes_per_entry(lambda: cachetools.LRUCache(capacity), fill)
    memory = Result(
        f"LRU memory per entry, full cache of {capacity:,} (tracemalloc; lower is better)",
        "`LRUCache`",
        "`cachetools.LRUCache`",
        b_ours / b_peer,
        1.0,
        False,
        f"{b_ours:.0f} B vs {b_peer:.0f} B",
    )
    return [speed, memory]


class DictTrickLRU:
    """The pitfall in ds.lru_cache: a plain dict as an LRU, evicting ``next(iter(d))``.

    A use pops the key and inserts it again at the end; an eviction deletes
    the first key, which leaves a dead entry at the front of the dict's entry
    array that every later ``next(iter(d))`` scans past until a resize.

    >>> c = DictTrickLRU(2); c[1] = 1; c[2] = 2; c[1]; c[3] = 3; list(c.data)
    1
    [1, 3]
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.data: dict[int, int] = {}

    def __getitem__(self, key: int) -> int:
        value = self.data.pop(key)
        self.data[key] = value
        return value

    def __setitem__(self, key: int, value: int) -> None:
        data = self.data
        data.pop(key, None)
        data[key] = value
        if len(data) > self.capacity:
            del data[next(iter(data))]


def bench_lru_evictions(repeat: int) -> list[Result]:
    from handbook.ds.lru_cache import LRUCache

    results = []
    # Distinct keys: every insert misses and, once the cache is full, evicts.
    keys = list(range(1_000_000, 1_050_000))
    for capacity in (1_000, 10_000):

        def ours(capacity: int = capacity, keys: list[int] = keys) -> int:
            cache: LRUCache[int, int] = LRUCache(capacity)
            for key in keys:
                cache[key] = key
            return len(cache)

        def theirs(capacity: int = capacity, keys: list[int] = keys) -> int:
            cache = DictTrickLRU(capacity)
            for key in keys:
                cache[key] = key
            return len(cache.data)

        assert ours() == theirs() == capacity
        t_ours, t_peer = best_times(repeat, ours, theirs)
        results.append(
            Result(
                f"LRU evictions: {len(keys):,} distinct keys into a cache of {capacity:,}",
                "`LRUCache`",
                "dict pop-and-reinsert trick",
                t_peer / t_ours,
                None,
                True,
                f"{ms(t_ours)} vs {ms(t_peer)}",
            )
        )
    return results


def bench_heap(repeat: int) -> list[Result]:
    from handbook.ds.heap import MaxHeap, MinHeap

    n = 100_000
    rng = random.Random(SEED)
    data = [rng.random() for _ in range(n)]

    def ours() -> None:
        heap: MinHeap[float] = MinHeap()
        push, pop = heap.push, heap.pop
        for x in data:
            push(x)
        for _ in data:
            pop()

    def theirs() -> None:
        heap: list[float] = []
        push, pop = heapq.heappush, heapq.heappop
        for x in data:
            push(heap, x)
        for _ in data:
            pop(heap)

    # A max-heap: our wrapper with a reversed ``<`` against the numbers-only idiom.
    def ours_max() -> float:
        heap: MaxHeap[float] = MaxHeap()
        push, pop = heap.push, heap.pop
        for x in data:
            push(x)
        return sum(pop() for _ in data)

    def theirs_max() -> float:
        heap: list[float] = []
        push, pop = heapq.heappush, heapq.heappop
        for x in data:
            push(heap, -x)
        return sum(-pop(heap) for _ in data)

    assert ours_max() == theirs_max(), "the two max-heaps pop different sequences"
    t_ours, t_peer = best_times(repeat, ours, theirs)
    m_ours, m_peer = best_times(repeat, ours_max, theirs_max)
    return [
        Result(
            f"Heap: {n:,} pushes then {n:,} pops",
            "`MinHeap`",
            "`heapq` on a list",
            t_peer / t_ours,
            0.6,
            True,
            f"{ms(t_ours)} vs {ms(t_peer)}",
        ),
        Result(
            f"Max-heap: {n:,} pushes then {n:,} pops of floats",
            "`MaxHeap`",
            "`heapq` on negated floats",
            m_peer / m_ours,
            None,
            True,
            f"{ms(m_ours)} vs {ms(m_peer)}",
        ),
    ]


def sorted_map_workload(
    make: Callable[[], MutableMapping[int, int]],
    inserts: list[int],
    lookups: list[int],
    deletes: list[int],
) -> int:
    """Insert every key, look every key up, delete some, iterate the rest in order."""
    m = make()
    for key in inserts:
        m[key] = key
    for key in lookups:
        m[key]
    for key in deletes:
        del m[key]
    last = -1
    for key in m:
        last = key
    return last


def bench_treemap(repeat: int) -> list[Result]:
    from handbook.ds.bst import TreeMap

    sortedcontainers = peer("sortedcontainers")
    n, n_del = 100_000, 50_000
    rng = random.Random(SEED)
    inserts = rng.sample(range(10**9), n)
    lookups = rng.sample(inserts, n)
    deletes = rng.sample(inserts, n_del)

    def ours() -> int:
        return sorted_map_workload(TreeMap, inserts, lookups, deletes)

    def theirs() -> int:
        return sorted_map_workload(sortedcontainers.SortedDict, inserts, lookups, deletes)

    assert ours() == theirs(), "the two maps disagree on the largest remaining key"
    t_ours, t_peer = best_times(repeat, ours, theirs)
    return [
        Result(
            f"Sorted map: {n:,} random inserts, {n:,} lookups, {n_del:,} deletes, full iteration",
            "`TreeMap` (AVL)",
            "`sortedcontainers.SortedDict`",
            t_peer / t_ours,
            0.33,
            True,
            f"{ms(t_ours)} vs {ms(t_peer)}",
        )
    ]


def bench_queue(repeat: int) -> list[Result]:
    from handbook.ds.deque_vs_list import Queue

    n, rounds = 100_000, 10  # ten fills and drains: one alone is too short to time well
    items = list(range(n))

    # Hot loops bind the methods once: the target row compares that idiom on both sides.
    def ours() -> None:
        q: Queue[int] = Queue()
        enqueue, dequeue = q.enqueue, q.dequeue
        for _ in range(rounds):
            for x in items:
                enqueue(x)
            for _ in items:
                dequeue()

    def theirs() -> None:
        q: deque[int] = deque()
        append, popleft = q.append, q.popleft
        for _ in range(rounds):
            for x in items:
                append(x)
            for _ in items:
                popleft()

    # Plain method calls, as most code is written: shown for reference, without a target.
    def ours_called() -> None:
        q: Queue[int] = Queue()
        for _ in range(rounds):
            for x in items:
                q.enqueue(x)
            for _ in items:
                q.dequeue()

    def theirs_called() -> None:
        q: deque[int] = deque()
        for _ in range(rounds):
            for x in items:
                q.append(x)
            for _ in items:
                q.popleft()

    t_ours, t_peer = best_times(repeat, ours, theirs)
    c_ours, c_peer = best_times(repeat, ours_called, theirs_called)
    workload = f"Queue: {rounds} x ({n:,} enqueues then {n:,} dequeues)"
    return [
        Result(
            f"{workload}, methods bound once",
            "`Queue`",
            "`collections.deque`",
            t_peer / t_ours,
            0.7,
            True,
            f"{ms(t_ours)} vs {ms(t_peer)}",
        ),
        Result(
            f"{workload}, called as `q.method(...)`",
            "`Queue`",
            "`collections.deque`",
            c_peer / c_ours,
            None,
            True,
            f"{ms(c_ours)} vs {ms(c_peer)}",
        ),
    ]


WORKLOADS: dict[str, Callable[[int], list[Result]]] = {
    "lru": bench_lru,
    "lru-evictions": bench_lru_evictions,
    "heap": bench_heap,
    "treemap": bench_treemap,
    "queue": bench_queue,
}


# ---- one interpreter per workload ---------------------------------------------------


def median_result(runs: Sequence[Result]) -> Result:
    """The run with the median ratio, carrying the range of all ratios.

    With an even count it takes the less flattering of the two middle runs.

    >>> runs = [Result("w", "a", "b", r, 0.6, True, f"run {r}") for r in (0.7, 0.5, 0.9)]
    >>> m = median_result(runs)
    >>> m.ratio, m.detail, m.low, m.high
    (0.7, 'run 0.7', 0.5, 0.9)
    >>> median_result([])
    Traceback (most recent call last):
      ...
    ValueError: no runs to take the median of
    """
    if not runs:
        raise ValueError("no runs to take the median of")
    ordered = sorted(runs, key=lambda r: r.ratio)
    if not ordered[0].higher_is_better:
        ordered.reverse()
    middle = ordered[(len(ordered) - 1) // 2]
    ratios = [r.ratio for r in runs]
    return dataclasses.replace(middle, low=min(ratios), high=max(ratios))


def run_in_child(name: str, repeat: int) -> list[Result]:
    """Run one workload in a fresh interpreter and read its results back."""
    script = str(Path(__file__).resolve())
    command = [sys.executable, script, "--child", name, "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"workload {name} failed in its own interpreter:\n{done.stderr}")
    return [Result(**fields) for fields in json.loads(done.stdout)]


def run_workload(name: str, repeat: int, processes: int) -> list[Result]:
    """Each of the workload's rows, the median over ``processes`` interpreters."""
    runs = [run_in_child(name, repeat) for _ in range(processes)]
    return [median_result(rows) for rows in zip(*runs, strict=True)]


# ---- reporting ------------------------------------------------------------------------------


def machine() -> str:
    """Where the numbers come from: they only mean something next to this line."""
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{platform.platform()}, {python}, {os.cpu_count()} CPUs"


def table(results: Iterable[Result], repeat: int, processes: int) -> str:
    """The markdown block: machine, method, and one row per result."""
    lines = [
        f"Measured on {machine()}: each workload in {processes} fresh interpreters, "
        f"each the best of {repeat} interleaved runs, GC off while timing.",
        "",
        "Ratio = ours / peer throughput (higher is better), except memory (lower is better); "
        "the median interpreter, with the range over all of them in brackets.",
        "",
        "| Workload | Ours | Peer | Ratio | Target | Met? | Ours vs peer |",
        "|---|---|---|---:|---:|---|---|",
    ]
    lines += [result.row() for result in results]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    """Put ``block`` between the bench markers in ``text``; append a section if absent.

    >>> replace_block(f"a\\n{START}\\nold\\n{END}\\nz\\n", "new")
    'a\\n<!-- bench:start -->\\nnew\\n<!-- bench:end -->\\nz\\n'
    >>> replace_block("# Title\\n", "new").splitlines()
    ['# Title', '', '## Performance', '', '<!-- bench:start -->', 'new', '<!-- bench:end -->']
    """
    start, end = text.find(START), text.find(END)
    if start != -1 and end > start:
        return f"{text[: start + len(START)]}\n{block}\n{text[end:]}"
    section = f"## Performance\n\n{START}\n{block}\n{END}\n"
    return f"{text.rstrip()}\n\n{section}" if text.strip() else section


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="rounds per workload (best kept)")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(WORKLOADS), help="run only these workloads"
    )
    parser.add_argument(
        "--processes", type=int, default=5, help="fresh interpreters per workload (median kept)"
    )
    parser.add_argument("--write-readme", type=Path, metavar="PATH", help="update this README")
    parser.add_argument("--child", choices=sorted(WORKLOADS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    if args.processes < 1:
        parser.error("--processes must be >= 1")
    if args.child is not None:
        print(json.dumps([dataclasses.asdict(r) for r in WORKLOADS[args.child](args.repeat)]))
        return 0

    results: list[Result] = []
    for name in args.only or list(WORKLOADS):
        print(f"running {name} in {args.processes} interpreters ...", file=sys.stderr, flush=True)
        results += run_workload(name, args.repeat, args.processes)
    block = table(results, args.repeat, args.processes)
    print(block)
    if args.write_readme is not None:
        readme: Path = args.write_readme
        readme.write_text(replace_block(readme.read_text(encoding="utf-8"), block), "utf-8")
        print(f"updated {readme}", file=sys.stderr)
    missed = [r for r in results if not r.met]
    for r in missed:
        print(f"target missed: {r.workload}: {r.ratio:.2f}x, target {r.target}x", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
