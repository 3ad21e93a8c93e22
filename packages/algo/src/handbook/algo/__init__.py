"""Algorithms.

Interview algorithms checked against brute-force oracles on seeded random inputs.
Each lesson is a module of this package; see ``handbook list algo``.
"""
