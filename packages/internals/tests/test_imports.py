"""Tests for internals.imports: sys.modules caching, circular imports, reload pitfalls."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from handbook.internals.imports import (
    CIRCULAR_ATTRIBUTE,
    CIRCULAR_FROM_IMPORT,
    COUNTED,
    FAILS_HALF_WAY,
    FIXED_BY_LATE_LOOKUP,
    RELOADABLE,
    RUN_AS_MAIN,
    fresh,
    import_from,
    run_python,
    write_modules,
)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[types.SimpleNamespace]:
    """Write demo modules into tmp_path and import them; everything is undone afterwards."""
    written: list[str] = []

    def install(sources: Mapping[str, str]) -> None:
        written.extend(write_modules(tmp_path, sources))

    with import_from(tmp_path, written):
        yield types.SimpleNamespace(install=install)


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A module-shaped counter the demo's top level increments each time it runs."""
    log = types.SimpleNamespace(runs=0)
    monkeypatch.setitem(sys.modules, "counted_log", log)
    return log


def test_a_module_top_level_runs_once_and_every_import_gets_the_same_object(
    demo: types.SimpleNamespace, counter: types.SimpleNamespace
) -> None:
    demo.install(COUNTED)
    first = importlib.import_module("counted")
    second = importlib.import_module("counted")
    assert first is second is sys.modules["counted"]
    assert counter.runs == 1


def test_a_module_is_in_sys_modules_before_its_top_level_runs(
    demo: types.SimpleNamespace, counter: types.SimpleNamespace
) -> None:
    demo.install(COUNTED)
    assert importlib.import_module("counted").REGISTERED_WHILE_RUNNING is True


def test_removing_it_from_sys_modules_makes_the_next_import_run_it_again(
    demo: types.SimpleNamespace, counter: types.SimpleNamespace
) -> None:
    demo.install(COUNTED)
    old = importlib.import_module("counted")
    new = fresh("counted")
    assert counter.runs == 2
    assert new is not old


def _assert_names_a_circular_import(message: str, module: str) -> None:
    """The "partially initialized ... circular import" wording, where the version prints it."""
    assert f"partially initialized module '{module}'" in message
    assert "circular import" in message


def test_from_import_in_a_cycle_raises_import_error_naming_the_circular_import(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(CIRCULAR_FROM_IMPORT)
    with pytest.raises(ImportError) as caught:
        importlib.import_module("cf_models")
    assert "cannot import name 'User'" in str(caught.value)
    _assert_names_a_circular_import(str(caught.value), "cf_models")
    assert caught.value.name == "cf_models"


def test_a_from_import_cycle_fails_in_either_order_on_a_different_name(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(CIRCULAR_FROM_IMPORT)
    with pytest.raises(ImportError) as caught:
        importlib.import_module("cf_services")
    # Now cf_models runs inside cf_services and cannot get notify from it.
    assert "cannot import name 'notify'" in str(caught.value)
    _assert_names_a_circular_import(str(caught.value), "cf_services")
    assert caught.value.name == "cf_services"


def test_attribute_access_in_a_cycle_raises_attribute_error(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(CIRCULAR_ATTRIBUTE)
    with pytest.raises(AttributeError) as caught:
        importlib.import_module("ca_models")
    assert "has no attribute 'User'" in str(caught.value)
    if sys.version_info < (3, 13):
        _assert_names_a_circular_import(str(caught.value), "ca_models")
    # 3.13.0 words it as "module 'ca_models' has no attribute 'User'" plus a
    # rename hint; later patch releases may restore the circular-import hint.


def test_the_same_cycle_fails_or_works_depending_on_which_module_is_imported_first(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(CIRCULAR_ATTRIBUTE)
    with pytest.raises(AttributeError):
        importlib.import_module("ca_models")  # ca_services runs while ca_models has no User
    assert "ca_models" not in sys.modules
    # Services first: ca_models runs to the end inside it, so User exists when read.
    services = importlib.import_module("ca_services")
    assert services.DEFAULT is sys.modules["ca_models"].User


def test_a_failed_import_leaves_nothing_half_built_in_sys_modules(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(CIRCULAR_FROM_IMPORT)
    with pytest.raises(ImportError):
        importlib.import_module("cf_models")
    assert "cf_models" not in sys.modules
    assert "cf_services" not in sys.modules


def test_a_module_that_imported_the_failed_one_keeps_the_dead_half_built_object(
    demo: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = types.SimpleNamespace(fail=True)
    monkeypatch.setitem(sys.modules, "hb_switch", switch)
    demo.install(FAILS_HALF_WAY)
    with pytest.raises(RuntimeError, match="settings missing"):
        importlib.import_module("hb_models")
    assert "hb_models" not in sys.modules
    audit = sys.modules["hb_audit"]  # it finished its own run, so it stays cached
    dead = audit.hb_models
    assert isinstance(dead.User, type)  # defined before the raise

    switch.fail = False
    models = importlib.import_module("hb_models")  # a new run into a new module object
    assert models is sys.modules["hb_models"]
    assert models is not dead
    assert audit.hb_models is dead  # import hb_audit was a cache hit: never re-bound
    assert audit.user_class() is dead.User
    assert audit.user_class() is not models.User


@pytest.mark.parametrize("command", [["mn_app.py"], ["-m", "mn_app"]], ids=["script", "dash-m"])
def test_a_module_run_as_main_and_imported_by_name_runs_twice(
    tmp_path: Path, command: list[str]
) -> None:
    write_modules(tmp_path, RUN_AS_MAIN)
    assert run_python(tmp_path, *command) == [
        "top level ran as __main__",
        "top level ran as mn_app",  # mn_plugins' `import mn_app`: not cached under that name
        "registry []",  # the plugin registered itself in the other copy
    ]


def test_an_entry_script_that_imports_the_app_runs_its_top_level_once(tmp_path: Path) -> None:
    write_modules(tmp_path, RUN_AS_MAIN)
    assert run_python(tmp_path, "mn_run.py") == [
        "top level ran as mn_app",
        "registry ['plugin']",
    ]


def test_looking_names_up_at_call_time_fixes_the_cycle(demo: types.SimpleNamespace) -> None:
    demo.install(FIXED_BY_LATE_LOOKUP)
    models = importlib.import_module("fx_models")
    services = sys.modules["fx_services"]
    assert services.default() is models.User
    assert services.lazy() is models.User


def test_reload_reruns_the_code_in_the_same_module_object(
    demo: types.SimpleNamespace,
) -> None:
    demo.install(RELOADABLE)
    module = importlib.import_module("settings_mod")
    old_class = module.Config
    reloaded = importlib.reload(module)
    assert reloaded is module
    assert module.Config is not old_class  # a brand-new class object


def test_after_reload_old_references_and_instances_keep_the_old_class(
    demo: types.SimpleNamespace, tmp_path: Path
) -> None:
    demo.install(RELOADABLE)
    module = importlib.import_module("settings_mod")
    imported_config = module.Config  # what `from settings_mod import Config` binds
    instance = imported_config()
    (tmp_path / "settings_mod.py").write_text("class Config:\n    debug = True\n", encoding="utf-8")
    # A cached .pyc is reused only if the source's mtime and size match; the size
    # changes here ("False" -> "True"), so the new source is always recompiled.
    importlib.reload(module)
    assert module.Config.debug is True  # the module sees the new code
    assert imported_config.debug is False  # the old binding does not
    assert not isinstance(instance, module.Config)
    assert isinstance(instance, imported_config)


def test_import_from_restores_sys_path_and_forgets_the_modules(tmp_path: Path) -> None:
    saved = list(sys.path)
    names = write_modules(tmp_path, RELOADABLE)
    with import_from(tmp_path, names):
        importlib.import_module("settings_mod")
        assert str(tmp_path) in sys.path
    assert sys.path == saved
    assert "settings_mod" not in sys.modules
