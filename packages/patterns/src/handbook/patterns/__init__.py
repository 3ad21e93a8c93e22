"""Patterns.

Backend design patterns in Python: repository, unit of work, circuit breaker, retries and more.
Each lesson is a module of this package; see ``handbook list patterns``.
"""
