"""Concurrency.

Concurrency in Python, proven deterministically: threads, the GIL, asyncio and processes.
Each lesson is a module of this package; see ``handbook list concurrency``.
"""
