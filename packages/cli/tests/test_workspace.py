"""Guards over the real workspace: PEP 420 namespace, zero dependencies, layout."""

from __future__ import annotations

import tomllib
from pathlib import Path

import handbook

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists())


def test_handbook_is_a_namespace_package() -> None:
    # A stray handbook/__init__.py in any package would hide every other domain.
    assert getattr(handbook, "__file__", None) is None


def test_no_package_ships_handbook_init() -> None:
    stray = [p for p in PACKAGES if (p / "src" / "handbook" / "__init__.py").exists()]
    assert stray == []


def test_every_package_is_a_zero_dependency_typed_distribution() -> None:
    assert len(PACKAGES) == 12
    for package in PACKAGES:
        meta = tomllib.loads((package / "pyproject.toml").read_text())["project"]
        assert meta["name"] == "handbook-" + package.name.replace("_", "-")
        assert meta["dependencies"] == []
        assert meta["version"]
        assert (package / "src" / "handbook" / package.name / "py.typed").exists()
        assert (package / "src" / "handbook" / package.name / "__init__.py").exists()
        assert (package / "README.md").exists()
        assert (package / "tests").is_dir()
