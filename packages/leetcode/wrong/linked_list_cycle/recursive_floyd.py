"""Floyd's two pointers written as a recursion, one call per step of the slow pointer:
a list of 10**4 nodes nests thousands of calls, past CPython's default limit of 1000."""

from __future__ import annotations

from handbook.leetcode import ListNode


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
