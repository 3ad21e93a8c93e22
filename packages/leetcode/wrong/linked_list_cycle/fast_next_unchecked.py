"""Takes two steps with ``fast.next.next`` after checking only ``fast``: a list without a
cycle and of odd length ends with ``None.next``."""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    slow = fast = head
    while fast is not None:
        # mypy --strict reports this line: fast.next may be None.
        fast = fast.next.next  # type: ignore[union-attr]
        assert slow is not None
        slow = slow.next
        if slow is fast:
            return True
    return False
