"""Reverses in one tuple assignment whose targets are in the wrong order: ``node`` moves
on before ``node.next`` is assigned, so the assignment lands on the next node (or None)."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    prev: ListNode | None = None
    node = head
    while node is not None:
        # mypy --strict reports this line: by the third target, node may be None.
        prev, node, node.next = node, node.next, prev  # type: ignore[union-attr]
    return prev
