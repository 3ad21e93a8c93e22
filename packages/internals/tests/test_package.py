"""handbook.internals installs as a typed, dependency-free portion of the handbook namespace."""

from __future__ import annotations

import importlib.metadata
import importlib.resources

import handbook
import handbook.internals


def test_is_a_typed_zero_dependency_namespace_portion() -> None:
    # PEP 420: a handbook/__init__.py in any package would hide every other domain.
    assert getattr(handbook, "__file__", None) is None
    assert importlib.resources.files("handbook.internals").joinpath("py.typed").is_file()
    assert not importlib.metadata.requires("handbook-internals")
    assert handbook.internals.__doc__
