"""Benchmark handbook-ds against the best peers, side by side in one run.

Each workload runs our structure and its peer on the same seeded data,
interleaved, best of ``--repeat`` runs with the garbage collector off (as
``timeit`` does), and reports the throughput ratio ours / peer: higher is
better for us. Memory is reported as bytes per entry (tracemalloc) and its
ratio ours / peer, where lower is better. Each ratio is printed next to its
target; the exit status is 1 if any target is missed.

    python packages/ds/benchmarks/bench_ds.py [--repeat N] [--only NAME ...]
    python packages/ds/benchmarks/bench_ds.py --write-readme packages/ds/README.md

The peers (cachetools, sortedcontainers) are dev-only: ``uv run --group bench``.
This is not a test: it is named so pytest does not collect it, asserts nothing
about time, and only its pure helpers carry doctests.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import importlib
import os
import platform
import random
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
    """One row of the table: a ratio ours / peer and the target it must reach."""

    workload: str
    ours: str
    peer: str
    ratio: float
    target: float
    higher_is_better: bool
    detail: str

    @property
    def met(self) -> bool:
        """Whether the ratio reaches the target.

        >>> Result("w", "a", "b", 0.5, 0.6, True, "").met
        False
        >>> Result("w", "a", "b", 0.9, 1.0, False, "").met
        True
        """
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def row(self) -> str:
        """The result as a markdown table row."""
        sign = ">=" if self.higher_is_better else "<="
        mark = "✅ met" if self.met else "❌ not met"
        cells = [
            self.workload,
            self.ours,
            self.peer,
            f"**{self.ratio:.2f}x**",
            f"{sign} {self.target:g}x",
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


def bench_heap(repeat: int) -> list[Result]:
    from handbook.ds.heap import MinHeap

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

    t_ours, t_peer = best_times(repeat, ours, theirs)
    return [
        Result(
            f"Heap: {n:,} pushes then {n:,} pops",
            "`MinHeap`",
            "`heapq` on a list",
            t_peer / t_ours,
            0.6,
            True,
            f"{ms(t_ours)} vs {ms(t_peer)}",
        )
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

    t_ours, t_peer = best_times(repeat, ours, theirs)
    return [
        Result(
            f"Queue: {rounds} x ({n:,} enqueues then {n:,} dequeues)",
            "`Queue`",
            "`collections.deque`",
            t_peer / t_ours,
            0.7,
            True,
            f"{ms(t_ours)} vs {ms(t_peer)}",
        )
    ]


WORKLOADS: dict[str, Callable[[int], list[Result]]] = {
    "lru": bench_lru,
    "heap": bench_heap,
    "treemap": bench_treemap,
    "queue": bench_queue,
}


# ---- reporting ------------------------------------------------------------------------------


def machine() -> str:
    """Where the numbers come from: they only mean something next to this line."""
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{platform.platform()}, {python}, {os.cpu_count()} CPUs"


def table(results: Iterable[Result], repeat: int) -> str:
    """The markdown block: machine, method, and one row per result."""
    lines = [
        f"Measured on {machine()}: best of {repeat} interleaved runs, GC off while timing.",
        "",
        "Ratio = ours / peer throughput (higher is better), except memory (lower is better).",
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
    parser.add_argument("--write-readme", type=Path, metavar="PATH", help="update this README")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    results: list[Result] = []
    for name in args.only or list(WORKLOADS):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results += WORKLOADS[name](args.repeat)
    block = table(results, args.repeat)
    print(block)
    if args.write_readme is not None:
        readme: Path = args.write_readme
        readme.write_text(replace_block(readme.read_text(encoding="utf-8"), block), "utf-8")
        print(f"updated {readme}", file=sys.stderr)
    missed = [r for r in results if not r.met]
    for r in missed:
        print(f"target missed: {r.workload}: {r.ratio:.2f}x, target {r.target:g}x", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
