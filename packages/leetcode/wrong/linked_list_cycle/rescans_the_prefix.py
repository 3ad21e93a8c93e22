"""O(1) extra memory without a second pointer: for the k-th node, walks the first k + 1
nodes again to ask whether its ``next`` is one of them. Right answers, O(n^2) time."""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    node, k = head, 0
    while node is not None:
        probe = head
        for _ in range(k + 1):
            assert probe is not None  # the first k + 1 nodes exist: node is the k-th
            if node.next is probe:
                return True
            probe = probe.next
        node, k = node.next, k + 1
    return False
