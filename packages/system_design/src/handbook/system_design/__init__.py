"""System design.

System design building blocks you can run: rate limiters, caches, consistent hashing, queues.
Each lesson is a module of this package; see ``handbook list system_design``.
"""
