"""Data structures.

Typed, tested, benchmarked data structures: heaps, caches, balanced trees, tries and more.
Each lesson is a module of this package; see ``handbook list ds``.
"""
