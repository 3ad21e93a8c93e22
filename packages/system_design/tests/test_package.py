"""handbook.system_design installs as a typed, dependency-free portion of the handbook namespace."""

from __future__ import annotations

import importlib.metadata
import importlib.resources

import handbook
import handbook.system_design


def test_is_a_typed_zero_dependency_namespace_portion() -> None:
    # PEP 420: a handbook/__init__.py in any package would hide every other domain.
    assert getattr(handbook, "__file__", None) is None
    assert importlib.resources.files("handbook.system_design").joinpath("py.typed").is_file()
    assert not importlib.metadata.requires("handbook-system-design")
    assert handbook.system_design.__doc__
