"""Basics.

Python basics interviewers probe: identity, mutability, copying, hashing, scope and exceptions.
Each lesson is a module of this package; see ``handbook list basics``.
"""
