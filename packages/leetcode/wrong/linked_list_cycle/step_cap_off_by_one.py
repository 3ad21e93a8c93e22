"""Answers from the constraint instead of the list: "at most 10**4 nodes, so 10**4 steps
without reaching the end mean a cycle". One step short: a list of exactly 10**4 nodes
has its end one step further, and is called a cycle."""

from __future__ import annotations

from handbook.leetcode import ListNode


def has_cycle(head: ListNode | None) -> bool:
    node = head
    for _ in range(10**4):
        if node is None:
            return False
        node = node.next
    return True
