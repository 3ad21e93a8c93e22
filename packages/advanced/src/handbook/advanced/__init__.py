"""Advanced.

Advanced Python: contextvars, cancellation, descriptors, metaclasses, introspection and mocking.
Each lesson is a module of this package; see ``handbook list advanced``.
"""
