"""Deletes adjacent pairs with ``str.replace`` until none is left: right, but quadratic."""

from __future__ import annotations


def is_valid(s: str) -> bool:
    while "()" in s or "[]" in s or "{}" in s:
        s = s.replace("()", "").replace("[]", "").replace("{}", "")
    return s == ""
