"""LeetCode-style problems.

Classic interview problems with worked solutions, each checked against an oracle.
Each lesson is a module of this package; see ``handbook list leetcode``.
"""
