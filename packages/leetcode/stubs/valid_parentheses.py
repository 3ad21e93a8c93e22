"""Valid Parentheses.

Given a string ``s`` made only of the characters ``'('``, ``')'``, ``'['``,
``']'``, ``'{'`` and ``'}'``, decide whether it is valid: every opening bracket
is closed by a bracket of the same type, brackets close in the right order
(the most recently opened one first), and every closing bracket has an
opening bracket of its type before it.

Example 1: s = "()"      ->  True
Example 2: s = "()[]{}"  ->  True
Example 3: s = "(]"      ->  False
Example 4: s = "([])"    ->  True
Example 5: s = "([)]"    ->  False

Constraints: 1 <= len(s) <= 10**4; s holds only ()[]{}. Aim for O(n) time: the
tests count the operations your solution makes, inside builtins too.
"""

from __future__ import annotations


def is_valid(s: str) -> bool:
    """Whether every bracket in ``s`` is closed by its own type, in the right order."""
    # TODO: write your solution here, then run: uv run handbook practice valid_parentheses
    raise NotImplementedError("is_valid is not written yet")
