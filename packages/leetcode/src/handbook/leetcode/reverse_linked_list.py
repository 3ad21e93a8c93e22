"""Reverse Linked List: walk the list once, turning each ``next`` pointer around.

Given the head of a singly linked list, reverse the list and return the head of
the reversed list.

Example 1: ``head = [1, 2, 3, 4, 5]`` gives ``[5, 4, 3, 2, 1]``.
Example 2: ``head = [1, 2]`` gives ``[2, 1]``.
Example 3: ``head = []`` gives ``[]``.

Constraints: the list has 0 to 5000 nodes; ``-5000 <= Node.val <= 5000``.
Follow-up: a list can be reversed iteratively or recursively; can you write both?

The tests run on a plain CPython, with its default recursion limit (1000). A
recursive reversal is correct, but it needs one frame per node, so it fails the
5000-node test: that is deliberate, since 5000 nodes are within the constraints.
The tests also check that the answer is the input's own nodes, relinked, and
count the operations your solution makes (O(n) expected).

Why interviewers ask this:
    One loop and three pointers, yet the order of four assignments decides
    whether the list survives. It shows whether a candidate holds an invariant
    ("``prev`` heads the reversed part, ``node`` the rest") instead of
    shuffling pointers until the example works, and it is a building block of
    harder problems: reverse a sublist, reverse in groups of k, check a
    palindrome list in O(1) space. In Python it also shows whether the
    candidate knows what recursion costs.

Common pitfalls:
    - Turning the link before saving it: ``node.next = prev`` and then
      ``node = node.next`` follows the new link backwards. The loop ends
      after one node, and ``[1, 2, 3]`` becomes ``[1]``.
    - Returning ``head``: after the loop it is the old first node, now the
      last one, so ``[1, 2, 3]`` gives ``[1]``. The new head is ``prev``.
    - One tuple assignment with its targets in the wrong order:
      ``prev, node, node.next = node, node.next, prev``. The right side is
      evaluated first, but the targets are assigned left to right, so
      ``node.next`` is looked up after ``node`` has moved on: it cuts the next
      node's link and ends in ``AttributeError`` on ``None``. The order
      ``node.next, prev, node = prev, node, node.next`` is correct, and mypy
      --strict reports the wrong one (``node`` may be ``None`` there).
    - Moving the values instead of the links (read them into a list, write
      them back from the end) or building new nodes: the values come out
      right, but the first returns the old head, still the first node, and
      the second relinks nothing and costs O(n) memory. The tests check that
      the answer is the input's own nodes in reverse order.
    - Detaching the last node again and again and appending it to the
      answer: each round walks the rest of the list to find the node before
      the last, so the reversal is O(n^2): its operation count grows about
      x14 to x16 per x4 in length (16, 64 and 256 nodes, on 3.11 to 3.13),
      where O(n) allows x8.
    - The recursive version uses one stack frame per node. CPython's default
      recursion limit is 1000 frames (``sys.getrecursionlimit()`` on 3.11,
      3.12 and 3.13), and the caller's frames count too: called from a
      script's top level it reverses at most 999 nodes (bisected on 3.11.7,
      3.12.1 and 3.13.0), and 5000 raise ``RecursionError``. The tests
      reject it on purpose: 5000 nodes are within the constraints. Recursive
      solutions are commonly posted as accepted on LeetCode; its judge's
      limit is not documented.
    - Raising the limit is not a reliable fix. Since 3.11 most calls from
      Python to Python use no C stack, so ``sys.setrecursionlimit(10_000)``
      does let this recursion reverse 5000 nodes (measured on 3.11.7, 3.12.1
      and 3.13.0). But the setting is global to the process, the input
      decides how deep it must go, and a recursion that passes through a
      builtin at each level (a generator consumed by ``max()``, say) meets a
      C recursion guard the setting does not move: at 499 levels on 3.12.1
      and 4999 on 3.13.0 whatever the limit, while on 3.11.7 a limit of
      10**6 lets it overflow the C stack and crash the process with a
      segfault (measured with ``maximum_depth_of_binary_tree``'s recursion
      and an 8 MiB stack). The loop is the fix.

Key takeaways:
    - Invariant: ``prev`` heads the reversed prefix, ``node`` the untouched
      rest. Each step moves one node across: save ``node.next``, point it at
      ``prev``, advance both. When ``node`` is ``None``, ``prev`` is the answer.
    - Empty and one-node lists need no special case: the loop runs zero or
      one times.
    - Iteration is O(1) extra space; recursion is O(n) stack, and in Python
      the stack is the recursion limit. Recursion is fine to present in an
      interview as long as you name the depth limit and can write the loop.

What to look for in an answer:
    - Rubric: the invariant said out loud; ``next`` saved before it is
      overwritten; ``prev`` returned; no special cases for 0 or 1 nodes;
      O(n) time and O(1) extra space stated; the recursion's stack cost named
      when the recursive version comes up.
    - Follow-up: "Now recursively." Model answer: reverse the rest, then make
      the old second node point back (``head.next.next = head``), cut
      ``head.next``, and return the rest's new head; base case: an empty or
      one-node list. O(n) time and O(n) stack, so in Python it raises
      ``RecursionError`` past about 1000 nodes unless the limit is raised,
      which is no reliable fix (see the pitfalls).
    - Follow-up: "Reverse only positions left to right (LeetCode 92)." Model
      answer: a dummy head, walk to the node before ``left``, run the same
      loop for ``right - left + 1`` nodes, then reconnect both ends; one pass,
      O(1) space.
    - Follow-up: "Is the list a palindrome, in O(1) extra space?" Model
      answer: find the middle with a slow and a fast pointer, reverse the
      second half, compare the halves, and reverse it back so the caller's
      list is unchanged.

Complexity:
    O(n) time, one pass; O(1) extra space (three pointers). The recursive
    version is O(n) time and O(n) stack.
"""

from __future__ import annotations

from handbook.leetcode import ListNode

DIFFICULTY = "Easy"
TAGS = ("linked list", "recursion")
HINTS = (
    "Walk the list once. At each node you want its next pointer to point at the "
    "node before it; what must you remember before you change it?",
    "Keep two pointers: prev, the head of the part already reversed, and node, "
    "the first node not yet reversed. Save node.next before you overwrite it.",
)


def reverse_list(head: ListNode | None) -> ListNode | None:
    """The head of the list reversed in place.

    >>> from handbook.leetcode import build_list
    >>> reverse_list(build_list([1, 2, 3, 4, 5]))
    ListNode([5, 4, 3, 2, 1])
    >>> reverse_list(build_list([1, 2]))
    ListNode([2, 1])
    >>> reverse_list(None) is None
    True
    """
    prev: ListNode | None = None
    node = head
    while node is not None:
        following = node.next  # saved before the link is turned around
        node.next = prev
        prev = node
        node = following
    return prev
