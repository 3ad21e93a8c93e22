"""Copy-on-write after ``fork``, counted in minor page faults on both sides.

The code behind ``copy_on_write.md``. ``cow_faults`` forks, so the tests run it
in a fresh interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import json
import mmap
import os

from fundamentals.os.processes import exit_code, fork_child
from fundamentals.os.procfs import minor_faults


def _touch_pages(m: mmap.mmap, pages: int, value: int) -> int:
    """Write one byte into each page; return the minor faults that cost."""
    before = minor_faults()
    for i in range(pages):
        m[i * mmap.PAGESIZE] = value
    return minor_faults() - before


def _read_pages(m: mmap.mmap, pages: int) -> int:
    """Read one byte from each page; return the minor faults that cost."""
    before = minor_faults()
    total = 0
    for i in range(pages):
        total += m[i * mmap.PAGESIZE]
    return minor_faults() - before


def cow_faults(pages: int) -> dict[str, int]:
    """Fork over ``pages`` populated private pages; count minor faults on both sides.

    Every count is taken with ``getrusage`` inside the process it describes;
    the child reports through a pipe.
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS  # break[shared-not-private]
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        # With transparent huge pages one fault can map 512 pages at once,
        # which would hide the per-page story.
        m.madvise(mmap.MADV_NOHUGEPAGE)
    result = {"first_touch": _touch_pages(m, pages, 1), "rewrite": _touch_pages(m, pages, 2)}
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        counts = {
            "child_read": _read_pages(m, pages),
            "child_write": _touch_pages(m, pages, 3),  # break[child-only-reads]
            "child_rewrite": _touch_pages(m, pages, 4),
            "child_sees": m[0],
        }
        os.write(w, json.dumps(counts).encode())

    pid = fork_child(child)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        result.update(json.loads(reader.read() or b"{}"))
    result["child_exit"] = exit_code(pid)
    result["parent_sees"] = m[0]
    result["parent_write_after_fork"] = _touch_pages(m, pages, 5)
    m.close()
    return result
