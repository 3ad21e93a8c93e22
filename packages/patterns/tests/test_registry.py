"""Tests for patterns.registry: self-registering subclasses, duplicates, opt-out, entry points."""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from handbook.patterns.registry import (
    CsvExporter,
    DuplicateKeyError,
    Exporter,
    JsonExporter,
    Plugin,
    TextExporter,
    load_entry_points,
)


def test_subclasses_register_themselves_by_key() -> None:
    class Payment(Plugin, root=True):
        pass

    class Stripe(Payment, key="stripe"):
        pass

    class Adyen(Payment, key="adyen"):
        pass

    assert Payment.registry == {"stripe": Stripe, "adyen": Adyen}
    assert Payment.lookup("adyen") is Adyen
    assert Stripe.key == "stripe"


def test_the_shipped_exporters_are_found_by_key() -> None:
    assert Exporter.registry == {"json": JsonExporter, "csv": CsvExporter}
    assert Exporter.lookup("csv")().export([{"a": 1, "b": 2}, {"a": 3, "b": 4}]) == "1,2\n3,4"


def test_a_duplicate_key_raises_naming_both_classes_and_keeps_the_first() -> None:
    class Storage(Plugin, root=True):
        pass

    class Disk(Storage, key="local"):
        pass

    with pytest.raises(DuplicateKeyError, match=r"'local' is already registered by .*Disk;.*Tmp"):

        class Tmp(Storage, key="local"):
            pass

    assert Storage.registry == {"local": Disk}


def test_the_same_qualname_from_another_module_is_still_a_duplicate() -> None:
    class Storage(Plugin, root=True):
        pass

    class Disk(Storage, key="local"):
        pass

    with pytest.raises(DuplicateKeyError, match=r"'local' is already registered by .*Disk"):

        class Impostor(Storage, key="local"):
            __module__ = "someone_else.plugins"
            __qualname__ = Disk.__qualname__

    assert Storage.registry == {"local": Disk}


@pytest.fixture
def plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A family module and a plugin module that registers at import time."""
    (tmp_path / "hb_reg_family.py").write_text(
        "from handbook.patterns.registry import Plugin\n\n\n"
        "class Codec(Plugin, root=True):\n    pass\n"
    )
    (tmp_path / "hb_reg_gzip.py").write_text(
        "from hb_reg_family import Codec\n\n\nclass Gzip(Codec, key='gzip'):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield "hb_reg_gzip"
    finally:
        for name in ("hb_reg_gzip", "hb_reg_family"):
            sys.modules.pop(name, None)


def test_reloading_a_plugin_module_replaces_its_entry_instead_of_raising(
    plugin_module: str,
) -> None:
    module = importlib.import_module(plugin_module)
    family = importlib.import_module("hb_reg_family")
    old = module.Gzip
    made_before = old()
    importlib.reload(module)  # runs `class Gzip(Codec, key="gzip")` again
    assert module.Gzip is not old
    assert family.Codec.registry == {"gzip": module.Gzip}  # the new class, no error
    assert not isinstance(made_before, module.Gzip)  # old objects keep the old class
    assert isinstance(made_before, old)


def test_reloading_the_family_module_starts_an_empty_registry(plugin_module: str) -> None:
    module = importlib.import_module(plugin_module)
    family = importlib.import_module("hb_reg_family")
    old_root = family.Codec
    importlib.reload(family)
    assert family.Codec is not old_root
    assert family.Codec.registry == {}  # Gzip registered with the old root
    assert old_root.registry == {"gzip": module.Gzip}
    importlib.reload(module)  # its class statement now subclasses the new root
    assert family.Codec.registry == {"gzip": module.Gzip}


def test_an_abstract_intermediate_is_not_registered_but_its_subclasses_are() -> None:
    class Notifier(Plugin, root=True):
        pass

    class HttpNotifier(Notifier, abstract=True):
        pass

    class Slack(HttpNotifier, key="slack"):
        pass

    assert Notifier.registry == {"slack": Slack}
    assert TextExporter not in Exporter.registry.values()
    assert not hasattr(HttpNotifier, "key")


def test_a_concrete_subclass_without_a_key_is_a_type_error() -> None:
    class Codec(Plugin, root=True):
        pass

    with pytest.raises(TypeError, match="needs key="):

        class Forgot(Codec):
            pass

    assert Codec.registry == {}


def test_each_root_has_its_own_registry() -> None:
    class A(Plugin, root=True):
        pass

    class B(Plugin, root=True):
        pass

    class OnlyA(A, key="x"):
        pass

    class OnlyB(B, key="x"):  # the same key in another family is fine
        pass

    assert A.registry == {"x": OnlyA}
    assert B.registry == {"x": OnlyB}


def test_an_unknown_key_raises_key_error_listing_known_keys() -> None:
    with pytest.raises(KeyError, match=r"no Exporter for 'xml'; known: csv, json"):
        Exporter.lookup("xml")


def test_the_hook_cooperates_with_other_bases_through_super() -> None:
    seen: list[str] = []

    class Audited:
        audited: ClassVar[list[str]] = seen

        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            cls.audited.append(cls.__name__)

    class Job(Plugin, Audited, root=True):
        pass

    class Nightly(Job, key="nightly"):
        pass

    assert seen == ["Job", "Nightly"]  # Plugin's hook passed control on
    assert Job.registry == {"nightly": Nightly}


def test_registration_happens_when_the_class_statement_runs() -> None:
    class Parser(Plugin, root=True):
        pass

    def define_plugin() -> type[Parser]:
        class Yaml(Parser, key="yaml"):
            pass

        return Yaml

    assert "yaml" not in Parser.registry  # "module not imported yet"
    yaml = define_plugin()
    assert Parser.lookup("yaml") is yaml


def test_entry_points_by_group_return_an_entry_points_object() -> None:
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert isinstance(scripts, importlib.metadata.EntryPoints)
    assert all(ep.group == "console_scripts" for ep in scripts)
    assert len(importlib.metadata.entry_points(group="handbook.no-such-group")) == 0


def test_entry_points_without_arguments_changed_type_in_3_12() -> None:
    everything = importlib.metadata.entry_points()
    if sys.version_info >= (3, 12):
        assert isinstance(everything, importlib.metadata.EntryPoints)
    else:
        assert type(everything).__name__ == "SelectableGroups"
        with pytest.warns(DeprecationWarning, match="dict interface is deprecated"):
            everything["console_scripts"]  # the 3.11 dict interface


def test_an_entry_point_imports_its_target_only_on_load() -> None:
    ep = importlib.metadata.EntryPoint(
        name="missing", value="handbook_no_such_module:thing", group="handbook.demo"
    )
    assert (ep.module, ep.attr) == ("handbook_no_such_module", "thing")  # no import yet
    with pytest.raises(ModuleNotFoundError):
        ep.load()


GROUP = "handbook.test_exporters"


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fake installed distribution: a dist-info folder and a plugin module on sys.path."""
    module = "hb_fake_xml_plugin"
    info = tmp_path / "hb_fake_xml-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hb-fake-xml\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\nxml = {module}:export\n")
    (tmp_path / f"{module}.py").write_text("def export(rows):\n    return '<rows/>'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield module
    finally:
        sys.modules.pop(module, None)


def test_discovering_entry_points_imports_no_plugin_until_load(installed_plugin: str) -> None:
    assert installed_plugin not in sys.modules
    [ep] = importlib.metadata.entry_points(group=GROUP)
    assert (ep.name, ep.value) == ("xml", f"{installed_plugin}:export")
    assert ep.dist is not None
    assert ep.dist.name == "hb-fake-xml"
    assert installed_plugin not in sys.modules  # listed from metadata alone
    export = ep.load()
    assert installed_plugin in sys.modules  # load() is the import
    assert export is sys.modules[installed_plugin].export
    assert load_entry_points(importlib.metadata.entry_points(group=GROUP)) == {"xml": export}


def test_load_entry_points_loads_targets_by_name_and_rejects_duplicates() -> None:
    dumps = importlib.metadata.EntryPoint(name="dumps", value="json:dumps", group="g")
    loads = importlib.metadata.EntryPoint(name="loads", value="json:loads", group="g")
    loaded = load_entry_points([dumps, loads])
    assert sorted(loaded) == ["dumps", "loads"]
    assert loaded["dumps"] is __import__("json").dumps
    with pytest.raises(DuplicateKeyError, match="'dumps' declared twice"):
        load_entry_points([dumps, dumps])
