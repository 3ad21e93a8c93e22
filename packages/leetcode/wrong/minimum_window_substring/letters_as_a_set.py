"""Treats ``t`` as a set of letters: one copy of each covers it, whatever ``t`` repeats."""

from __future__ import annotations


def min_window(s: str, t: str) -> str:
    need = set(t)
    window: dict[str, int] = {}
    have = 0  # letters of t present in the window
    best_start, best_len = 0, len(s) + 1
    left = 0
    for right, ch in enumerate(s):
        window[ch] = window.get(ch, 0) + 1
        if ch in need and window[ch] == 1:
            have += 1
        while have == len(need):
            if right - left + 1 < best_len:
                best_start, best_len = left, right - left + 1
            out = s[left]
            window[out] -= 1
            if out in need and window[out] == 0:
                have -= 1
            left += 1
    return s[best_start : best_start + best_len] if best_len <= len(s) else ""
