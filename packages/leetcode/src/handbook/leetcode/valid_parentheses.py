"""Valid Parentheses: brackets match when each closer meets the latest unmatched opener.

Given a string ``s`` made only of the characters ``'('``, ``')'``, ``'['``,
``']'``, ``'{'`` and ``'}'``, decide whether it is valid: every opening bracket
is closed by a bracket of the same type, brackets close in the right order
(the most recently opened one first), and every closing bracket has an
opening bracket of its type before it.

Example 1: ``s = "()"`` gives ``True``.
Example 2: ``s = "()[]{}"`` gives ``True``.
Example 3: ``s = "(]"`` gives ``False``.
Example 4: ``s = "([])"`` gives ``True``.
Example 5: ``s = "([)]"`` gives ``False``.

Constraints: ``1 <= len(s) <= 10**4``; ``s`` holds only ``()[]{}``.

Why interviewers ask this:
    It is the standard first stack problem. The rule "a closer must match the
    most recent opener that is still open" is last in, first out, and the
    candidate should name the stack before writing code. It also shows whether
    someone tests the edges unprompted: a closer when nothing is open, and
    openers left over at the end.

Common pitfalls:
    - Counting each bracket type separately (a running balance per type, or
      ``s.count("(") == s.count(")")`` and so on): the counts of ``"([)]"``
      balance, yet ``)`` closes while ``[`` is the latest opener.
    - ``stack.pop()`` on an empty stack: ``"]"`` or ``"())"`` raises
      ``IndexError: pop from empty list`` instead of answering ``False``.
    - Returning ``True`` after the loop without checking that the stack is
      empty: ``"(("`` never meets a mismatch, and it is still invalid.
    - Deleting ``"()"``, ``"[]"`` and ``"{}"`` with ``str.replace`` until
      nothing changes: correct, but ``"(" * k + ")" * k`` needs ``k`` passes,
      each reading the whole string, so O(n^2).

Key takeaways:
    - Push every opener; at a closer, the top of the stack must be its
      partner, otherwise (or if the stack is empty) the string is invalid.
      At the end, valid means nothing is left open.
    - A dict from closer to opener (``{")": "(", ...}``) keeps the matching
      to one lookup and one comparison, with no chain of ``if``/``elif``.
    - An odd length can never be valid; checking ``len(s) % 2`` first is a
      cheap early exit, not a substitute for the stack.

What to look for in an answer:
    - The stack named with the reason (the latest open bracket closes first),
      both edge cases handled, O(n) time and O(n) space stated.
    - Follow-up: "only one kind of bracket?": a counter replaces the stack,
      O(1) space; it must never go below zero and must end at zero.
    - Follow-up: "the fewest insertions (or deletions) to make it valid?"
      (LeetCode 921, one kind): count the closers that find nothing open plus
      the openers left at the end; each needs one insertion or one deletion.
    - Follow-up: "remove the fewest brackets and return the valid string",
      with letters mixed in (LeetCode 1249): keep a stack of the indices of
      openers still open, and mark each closer that finds it empty; at the
      end the marked closers and the indices left on the stack are the ones
      to drop. Build the string without them, O(n).
    - Follow-up: "a ``*`` may stand for ``(``, ``)`` or nothing" (LeetCode
      678): a stack no longer decides it. Keep the range [low, high] of
      counts of open brackets that some reading allows: ``(`` adds 1 to both,
      ``)`` takes 1 from both, ``*`` takes 1 from low and adds 1 to high;
      fail as soon as high < 0, keep low at least 0, and the string is valid
      when low is 0 at the end. Greedy, O(n) time, O(1) space.
    - Follow-up: "other characters mixed in, as in source code?": skip every
      character that is not a bracket; the stack logic is unchanged (strings
      and comments would need a real tokenizer).
    - Follow-up: "the longest valid substring?" (LeetCode 32): a stack of
      indices, with the index before the current run at its bottom.

Complexity:
    O(n) time: each character is pushed or popped at most once. O(n) extra
    space in the worst case, a string of openers only. The test's count sees
    the instructions in your file and the characters the counted string's
    methods read; it cannot see a stack kept at the front of the list
    (``stack.insert(0, c)`` and ``stack.pop(0)`` shift the whole list, O(n)
    each), nor the replace loop run on a plain copy ``str(s)`` (the package
    README, "What the counting cannot see"). Both pass it and are O(n^2).
"""

from __future__ import annotations

DIFFICULTY = "Easy"
TAGS = ("string", "stack")
HINTS = (
    "When you meet a closing bracket, which opening bracket must it match? Is "
    "it the first one you saw, or the most recent one that is still open?",
    "Keep the openers that are still open in a list used as a stack. A closer "
    "must match the top; what if the stack is empty then, or not empty at the end?",
)

_OPENER = {")": "(", "]": "[", "}": "{"}


def is_valid(s: str) -> bool:
    """Whether every bracket in ``s`` is closed by its own type, in the right order.

    >>> is_valid("()[]{}")
    True
    >>> is_valid("([])")
    True
    >>> is_valid("([)]")
    False
    """
    if len(s) % 2:
        return False
    stack: list[str] = []
    for char in s:
        if char in _OPENER:
            if not stack or stack.pop() != _OPENER[char]:
                return False
        else:
            stack.append(char)
    return not stack
