"""Merge Two Sorted Lists: splice two sorted linked lists into one behind a dummy head.

You are given the heads of two linked lists, ``list1`` and ``list2``, each sorted
in non-decreasing order. Merge them into one sorted list made by splicing
together the nodes of the two lists (relinking them, not copying them), and
return the head of the merged list.

Example 1: ``list1 = [1, 2, 4], list2 = [1, 3, 4]`` gives ``[1, 1, 2, 3, 4, 4]``.
Example 2: ``list1 = [], list2 = []`` gives ``[]``.
Example 3: ``list1 = [], list2 = [0]`` gives ``[0]``.

Constraints: each list has 0 to 50 nodes; ``-100 <= Node.val <= 100``; both
lists are sorted in non-decreasing order.

Why interviewers ask this:
    It is the smallest exercise in moving pointers: two cursors, one tail, and a
    decision about what happens when one list runs out. It is also the merge
    step of merge sort and of "merge k sorted lists", so the interviewer learns
    whether the candidate can write it cleanly before building on it. What they
    watch for is a dummy (sentinel) head, which removes the special case of the
    first node, and the single assignment that attaches whatever is left over.

Common pitfalls:
    - Looping while both lists have nodes and then returning: the rest of the
      longer list is dropped. ``[1, 2]`` and ``[3, 4, 5]`` merge to ``[1, 2]``,
      and ``[]`` and ``[0]`` merge to ``[]``.
    - Returning ``dummy`` instead of ``dummy.next``: the placeholder's value
      leads the answer, and two empty lists give ``[0]`` instead of ``[]``.
    - Appending each node by walking from the head to the end of the merged
      list: every append costs the length so far, O((n + m)^2) in all. A
      ``tail`` pointer makes each append O(1).
    - Copying values into new nodes (``ListNode(list1.val)``): a judge that
      compares only the values accepts it, but the statement asks for
      splicing, and the copy costs O(n + m) extra memory. The tests check
      that the answer's nodes are the input's.
    - ``<`` and ``<=`` give the same values for plain integers, so neither is
      a bug here. ``<=`` takes ``list1``'s node first on a tie, which is what
      makes the merge stable when nodes carry more than a number (merge sort
      relies on that).

Key takeaways:
    - A dummy head turns "is this the first node?" into nothing: always link
      after ``tail``, and return ``dummy.next``.
    - Splicing reuses the input nodes: O(1) extra memory, and the inputs are
      consumed (their nodes now belong to the answer).
    - When one list runs out, the other's remainder is sorted and linked
      already: attach it with one assignment, not a loop.
    - The recursive version (the smaller head, whose ``next`` is the merge of
      the rest) is correct and short, but uses one stack frame per node. With
      at most 100 nodes that is fine; CPython's default recursion limit of
      1000 frames (``sys.getrecursionlimit()`` on 3.11 to 3.13) stops it on
      longer lists, which is why the reference is a loop.

What to look for in an answer:
    - Rubric: a dummy head (or a clean first-node case); the remainder
      attached; ``dummy.next`` returned; empty inputs handled without extra
      branches; O(n + m) time and O(1) extra space stated without prompting.
    - Follow-up: "Merge k sorted lists." Model answer: a heap of
      ``(value, i, node)`` over the k current heads, pop the smallest and push
      its successor, O(N log k) for N nodes in all. The index ``i`` breaks
      ties, because ``ListNode`` defines no ``<`` and ``heapq`` would compare
      the nodes. Merging pairs in rounds is also O(N log k); merging the lists
      one by one into the result is O(N k).
    - Follow-up: "Write it recursively. What does that cost?" Model answer:
      the same O(n + m) time, plus one stack frame per node, so O(n + m)
      space; fine at LeetCode's 50 + 50 nodes, a RecursionError for long lists
      in CPython unless the limit is raised.
    - Follow-up: "The inputs must stay intact." Model answer: copy each node
      as it is taken (``tail.next = ListNode(node.val)``) and copy the
      remainder too; O(n + m) extra memory, same time.

Complexity:
    O(n + m) time: each step moves one node into the merged list. O(1) extra
    space: one dummy node and a few pointers; the answer reuses the input nodes.
"""

from __future__ import annotations

from handbook.leetcode import ListNode

DIFFICULTY = "Easy"
TAGS = ("linked list", "recursion")
HINTS = (
    "Both lists are sorted, so the smallest remaining value is always at the "
    "front of one of them. Compare the two fronts and take the smaller.",
    "Start the answer with a placeholder node and keep a pointer to its last "
    "node. When one list runs out, what is left of the other is already sorted.",
)


def merge_two_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    """The sorted list made of the nodes of ``list1`` and ``list2``, relinked.

    >>> from handbook.leetcode import build_list, list_values
    >>> list_values(merge_two_lists(build_list([1, 2, 4]), build_list([1, 3, 4])))
    [1, 1, 2, 3, 4, 4]
    >>> merge_two_lists(None, None) is None
    True
    >>> merge_two_lists(None, build_list([0]))
    ListNode([0])

    On a tie the node of ``list1`` comes first (a stable merge):

    >>> first, second = ListNode(1), ListNode(1)
    >>> merge_two_lists(first, second) is first
    True
    """
    dummy = tail = ListNode()
    while list1 is not None and list2 is not None:
        if list1.val <= list2.val:  # on a tie list1 goes first: the merge is stable
            node, list1 = list1, list1.next
        else:
            node, list2 = list2, list2.next
        tail.next = node
        tail = node
    tail.next = list1 if list1 is not None else list2  # the rest is sorted and linked
    return dummy.next
