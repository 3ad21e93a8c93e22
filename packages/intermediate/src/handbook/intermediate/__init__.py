"""Intermediate.

Intermediate Python: context managers, decorators, generators, the data model and the MRO.
Each lesson is a module of this package; see ``handbook list intermediate``.
"""
