"""Virtual memory: mapping reserves addresses, the first touch of each page costs a fault.

The code behind ``virtual_memory.md``. ``demo_page_faults`` measures the
current process, so the tests run it in a fresh interpreter.
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Any

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.procfs import minor_faults, resident_pages


def _no_huge_pages(m: mmap.mmap) -> bool:
    """Ask for 4 KiB pages only; ``True`` if huge pages are ruled out for ``m``.

    One transparent huge page (2 MiB) is one fault for 512 pages: with THP the
    "one fault per page" count would be far lower, and right.
    """
    advice = getattr(mmap, "MADV_NOHUGEPAGE", None)
    if advice is not None:
        try:
            m.madvise(advice)
            return True
        except OSError:  # EINVAL: a kernel built without THP, so no huge pages anyway
            return True
    try:
        mode = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return True
    return "[always]" not in mode


def _touch(m: mmap.mmap, *, write: bool) -> tuple[int, int]:
    """Read or write a byte in every page of ``m``; return (minor faults, resident pages) added."""
    faults, rss = minor_faults(), resident_pages()
    total = 0
    for offset in range(0, len(m), mmap.PAGESIZE):
        if write:
            m[offset] = 1
        else:
            total += m[offset]
    return minor_faults() - faults, resident_pages() - rss


def demo_page_faults(pages: int = 2048) -> dict[str, Any]:
    """Count minor faults and resident pages for fresh private anonymous mappings.

    ``write``: write every page once. ``read`` then ``read_then_write``: read
    every page of another mapping, then write it. ``untouched``: map 1 GiB and
    touch nothing (read-only if the kernel refuses to overcommit that much
    writable memory; ``untouched_writable`` says which).
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    result: dict[str, Any] = {"pages": pages}
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    result["small_pages_only"] = _no_huge_pages(m)
    result["write"] = _touch(m, write=True)
    m.close()
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    _no_huge_pages(m)
    result["read"] = _touch(m, write=False)
    result["read_then_write"] = _touch(m, write=True)
    m.close()
    faults, rss = minor_faults(), resident_pages()
    try:
        big = mmap.mmap(-1, 1 << 30, flags=flags)
        result["untouched_writable"] = True
    except OSError:  # strict overcommit (vm.overcommit_memory=2) refuses to promise 1 GiB;
        # a read-only private mapping is never charged against the commit limit.
        big = mmap.mmap(-1, 1 << 30, flags=flags, prot=mmap.PROT_READ)
        result["untouched_writable"] = False
    result["untouched"] = (minor_faults() - faults, resident_pages() - rss)
    result["untouched_pages"] = len(big) // mmap.PAGESIZE
    big.close()
    return result


def page_fault_table(pages: int = 2048) -> str:
    """Run ``demo_page_faults`` in a fresh interpreter; tabulate the cost per page.

    Costs are rounded to whole faults (or resident pages) per page touched,
    so the table is the same on every Linux machine while small noise (a few
    faults from the interpreter itself) disappears.
    """
    r = call_in_subprocess(demo_page_faults)
    if not r["small_pages_only"]:
        raise RuntimeError("transparent huge pages could not be ruled out; counts would be lower")
    rows = [
        (f"write 1 byte in each of {pages} fresh pages", r["write"], pages),
        (f"read 1 byte in each of {pages} fresh pages", r["read"], pages),
        ("...then write 1 byte in each of them", r["read_then_write"], pages),
        ("map 1 GiB, touch nothing", r["untouched"], r["untouched_pages"]),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [
        f"| {'what the program did':<{width}} | faults per page | new resident pages per page |",
        f"|{'-' * (width + 2)}|----------------:|----------------------------:|",
    ]
    for label, (faults, rss), n in rows:
        lines.append(f"| {label:<{width}} | {round(faults / n):>15} | {round(rss / n):>27} |")
    return "\n".join(lines)
