"""The ``handbook`` command: list, show, test, break and verify lessons."""
