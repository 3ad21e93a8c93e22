"""Floyd's two pointers as a recursion, with the recursion limit raised so that 10**4 nodes
fit: no object grows, but every step leaves a frame waiting, O(n) extra memory."""

from __future__ import annotations

import sys

from handbook.leetcode import ListNode

sys.setrecursionlimit(100_000)


def _chase(slow: ListNode | None, fast: ListNode | None) -> bool:
    if fast is None or fast.next is None:
        return False
    assert slow is not None  # slow trails fast
    slow, fast = slow.next, fast.next.next
    if slow is fast:
        return True
    return _chase(slow, fast)


def has_cycle(head: ListNode | None) -> bool:
    return _chase(head, head)
