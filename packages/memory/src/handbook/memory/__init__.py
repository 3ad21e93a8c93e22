"""Memory.

Memory in CPython: over-allocation, __slots__, reference cycles, leaks and profiling.
Each lesson is a module of this package; see ``handbook list memory``.
"""
