"""Page replacement simulated: FIFO, LRU, OPT and CLOCK on a reference string, step by step.

The code behind ``page_replacement.md``. Ties are broken by the order the
caller gave, never by hashing or timing, so the page's tables print the same
on every machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One memory reference: the page asked for and the frames right after it.

    ``frames[i]`` is the page in physical frame ``i`` (``None`` while empty). A
    faulting page is loaded into the frame its victim occupied, as in textbook
    tables, so a frame's column only changes on a fault.
    """

    page: int
    frames: tuple[int | None, ...]
    fault: bool
    evicted: int | None


def _check_reference(refs: Sequence[int], frames: int) -> None:
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}")
    for page in refs:
        if isinstance(page, bool) or not isinstance(page, int) or page < 0:
            raise ValueError(f"page numbers must be non-negative ints, got {page!r}")


def _replay(
    refs: Sequence[int],
    frames: int,
    choose_victim: Callable[[int, list[int]], int],
    record: Callable[[int, Step], None] = lambda t, step: None,
) -> list[Step]:
    """Run a reference string; ``choose_victim(t, resident)`` picks the page to evict.

    ``record(t, step)`` is called after every reference so a policy can keep
    its own bookkeeping (load times, last use).
    """
    _check_reference(refs, frames)
    slots: list[int | None] = [None] * frames
    steps: list[Step] = []
    for t, page in enumerate(refs):
        evicted: int | None = None
        fault = page not in slots
        if fault:
            if None in slots:
                slots[slots.index(None)] = page
            else:
                resident = [p for p in slots if p is not None]
                evicted = choose_victim(t, resident)
                slots[slots.index(evicted)] = page
        steps.append(Step(page, tuple(slots), fault, evicted))
        record(t, steps[-1])
    return steps


def fifo(refs: Sequence[int], frames: int) -> list[Step]:
    """First in, first out: evict the page that was loaded longest ago.

    O(len(refs) * frames). Subject to Belady's anomaly: more frames can mean
    more faults.

    >>> fault_count(fifo([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 3))
    9
    >>> fault_count(fifo([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 4))
    10
    """
    loaded_at: dict[int, int] = {}

    def victim(t: int, resident: list[int]) -> int:
        return min(resident, key=loaded_at.__getitem__)

    def record(t: int, step: Step) -> None:
        if step.fault:
            loaded_at[step.page] = t

    return _replay(refs, frames, victim, record)


def lru(refs: Sequence[int], frames: int) -> list[Step]:
    """Least recently used: evict the page whose last use is furthest in the past.

    O(len(refs) * frames). A stack algorithm: never more faults with more frames.

    >>> fault_count(lru([7, 0, 1, 2, 0, 3, 0, 4], 3))
    6
    """
    last_use: dict[int, int] = {}

    def victim(t: int, resident: list[int]) -> int:
        return min(resident, key=last_use.__getitem__)

    def record(t: int, step: Step) -> None:
        last_use[step.page] = t  # break[lru-no-refresh-on-hit]

    return _replay(refs, frames, victim, record)


def opt(refs: Sequence[int], frames: int) -> list[Step]:
    """Belady's optimal policy: evict the page whose next use is furthest away.

    Needs the future, so no kernel can run it; it is the yardstick the others
    are measured against. Pages never used again go first; among several of
    them the lowest page number goes first. That tie-break is a fixed priority,
    the same whatever the number of frames, which is what makes this OPT a
    stack algorithm (the pages kept in k frames are always among those kept in
    k + 1). Breaking the tie by frame position instead still faults the optimal
    number of times, but loses that inclusion. O(len(refs)**2) here, which is
    fine for teaching-sized strings.

    >>> fault_count(opt([7, 0, 1, 2, 0, 3, 0, 4], 3))
    6
    >>> opt([2, 1, 3], 2)[2].evicted  # neither is used again: page 1 before page 2
    1
    """

    def victim(t: int, resident: list[int]) -> int:
        def next_use(page: int) -> int:
            for later in range(t + 1, len(refs)):
                if refs[later] == page:
                    return later
            return len(refs)  # never again: the perfect victim

        def priority(page: int) -> tuple[int, int]:
            # Furthest next use first; among pages never used again, the lowest
            # page number. A fixed order, independent of where a page sits.
            return (next_use(page), -page)  # break[opt-ties-by-frame]

        return max(resident, key=priority)  # break[opt-evicts-soonest]

    return _replay(refs, frames, victim)


def clock(refs: Sequence[int], frames: int) -> list[Step]:
    """Second chance (CLOCK): sweep the frames in a circle, sparing pages used since the last pass.

    Each frame has a referenced bit, set when its page is loaded or hit. On a
    fault the hand moves round the frames: a set bit is cleared and its page
    spared once; the first page found with a clear bit is evicted, and the hand
    stops just past its frame. O(len(refs) * frames). Not a stack algorithm:
    like FIFO it shows Belady's anomaly.

    >>> fault_count(clock([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 3))
    9
    >>> fault_count(clock([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 4))
    10
    """
    referenced: dict[int, bool] = {}
    hand = 0  # a frame index; frames fill from 0 upwards, so it starts at frame 0

    def victim(t: int, resident: list[int]) -> int:
        # All frames are full here, so resident[i] is the page in frame i.
        nonlocal hand
        while referenced[resident[hand]]:
            referenced[resident[hand]] = False  # break[clock-no-second-chance]
            hand = (hand + 1) % len(resident)
        chosen = resident[hand]
        hand = (hand + 1) % len(resident)
        return chosen

    def record(t: int, step: Step) -> None:
        referenced[step.page] = True  # a load or a hit sets the bit
        if step.evicted is not None:
            del referenced[step.evicted]

    return _replay(refs, frames, victim, record)


def fault_count(steps: Iterable[Step]) -> int:
    """How many of the references faulted.

    >>> fault_count(fifo([1, 1, 2], 1))
    2
    """
    return sum(step.fault for step in steps)


def frame_table(steps: Sequence[Step]) -> str:
    """Render a frame-by-frame table: one column per reference, ``*`` marks a fault.

    >>> print(frame_table(fifo([1, 2, 1, 3], 2)))
    ref    1  2  1  3
    f0     1  1  1  3
    f1     .  2  2  2
    fault  *  *     *
    """
    if not steps:
        raise ValueError("frame_table needs at least one step")
    width = max(2, *(len(str(s.page)) for s in steps))

    def row(label: str, cells: Iterable[str]) -> str:
        return (label.ljust(5) + "".join(c.rjust(width + 1) for c in cells)).rstrip()

    lines = [row("ref", (str(s.page) for s in steps))]
    for i in range(len(steps[0].frames)):
        cells = ("." if s.frames[i] is None else str(s.frames[i]) for s in steps)
        lines.append(row(f"f{i}", cells))
    lines.append(row("fault", ("*" if s.fault else "" for s in steps)))
    return "\n".join(lines)
