"""Internals.

CPython internals: the GIL switch interval, bytecode, garbage collection and a tiny event loop.
Each lesson is a module of this package; see ``handbook list internals``.
"""
