"""Reverses the values, not the links: reads them into a list, writes them back from the
end, and returns ``head``, which is still the first node."""

from __future__ import annotations

from handbook.leetcode import ListNode


def reverse_list(head: ListNode | None) -> ListNode | None:
    values: list[int] = []
    node = head
    while node is not None:
        values.append(node.val)
        node = node.next
    node = head
    while node is not None:
        node.val = values.pop()
        node = node.next
    return head
