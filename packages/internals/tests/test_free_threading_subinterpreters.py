"""Tests for internals.free_threading_subinterpreters: private modules per version, isolation."""

from __future__ import annotations

import fcntl
import importlib
import itertools
import os
import subprocess
import sys
import sysconfig

import pytest

from handbook.internals import free_threading_subinterpreters as lesson
from handbook.internals.free_threading_subinterpreters import (
    SubinterpreterError,
    compare_startup_costs,
    interpreters_module,
    interpreters_module_name,
    run_in_subinterpreter,
)

FREE_THREADED = sysconfig.get_config_var("Py_GIL_DISABLED") == 1

# Loads the lesson module from its file in a child process, so that a test can
# give a run that might deadlock a timeout (the child is killed, the test fails).
_CHILD = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("lesson", sys.argv[1])
lesson = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lesson)
print(lesson.run_in_subinterpreter(sys.argv[2]))
"""


def _in_child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CHILD, lesson.__file__, code],
        capture_output=True,
        text=True,
        timeout=10,
    )


def _absent(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return True
    return False


def test_each_version_offers_its_own_private_module() -> None:
    if sys.version_info >= (3, 13):
        assert interpreters_module_name() == "_interpreters"
        assert _absent("_xxsubinterpreters")  # renamed in 3.13
    else:
        # Checked on 3.11.7 and 3.12.1: the module exists on both.
        assert interpreters_module_name() == "_xxsubinterpreters"
        assert _absent("_interpreters")
    assert hasattr(interpreters_module(), "run_string")


def test_the_gil_detection_hooks_exist_from_313() -> None:
    if sys.version_info >= (3, 13):
        assert hasattr(sys, "_is_gil_enabled")
    else:
        assert not hasattr(sys, "_is_gil_enabled")
    if sysconfig.get_config_var("Py_GIL_DISABLED") != 1:  # the matrix runs GIL builds
        assert getattr(sys, "_is_gil_enabled", lambda: True)()


def test_a_subinterpreter_has_its_own_sys_modules() -> None:
    here = __name__
    assert here in sys.modules
    assert run_in_subinterpreter(f"import sys\nemit({here!r} in sys.modules)") == "False"
    assert run_in_subinterpreter("import sys\nemit(sys.modules['sys'] is sys)") == "True"


def test_a_module_level_change_is_not_seen_across_interpreters() -> None:
    sys.handbook_marker = "main"  # type: ignore[attr-defined]
    try:
        seen = run_in_subinterpreter(
            "import sys\n"
            "emit(getattr(sys, 'handbook_marker', 'absent'))\n"
            "sys.handbook_marker = 'sub'\n"
        )
        assert seen == "absent"
        assert sys.handbook_marker == "main"  # type: ignore[attr-defined]
    finally:
        del sys.handbook_marker  # type: ignore[attr-defined]


def test_destroying_the_interpreter_leaves_the_list_as_it_was() -> None:
    interp = interpreters_module()
    before = len(interp.list_all())
    run_in_subinterpreter("emit(1)")
    assert len(interp.list_all()) == before


def test_a_313_interpreter_lives_until_destroyed_but_a_312_id_owned_it() -> None:
    interp = interpreters_module()
    before = len(interp.list_all())
    iid = interp.create()
    ident = int(iid)
    del iid
    if sys.version_info >= (3, 13):
        assert len(interp.list_all()) == before + 1  # a plain int owns nothing
        interp.destroy(ident)
    else:
        assert len(interp.list_all()) == before  # the InterpreterID object was the owner
    assert len(interp.list_all()) == before


def test_an_exception_in_the_subinterpreter_is_reported_on_every_version() -> None:
    with pytest.raises(SubinterpreterError, match="boom"):
        run_in_subinterpreter("raise ValueError('boom')")
    # 3.11/3.12 raise RunFailedError; 3.13 returns a summary instead.
    interp = interpreters_module()
    iid = interp.create()
    try:
        if sys.version_info >= (3, 13):
            assert interp.run_string(iid, "raise ValueError('x')") is not None
        else:
            with pytest.raises(interp.RunFailedError):
                interp.run_string(iid, "raise ValueError('x')")
    finally:
        interp.destroy(iid)


def test_an_isolated_subinterpreter_refuses_to_fork() -> None:
    out = run_in_subinterpreter(
        "import os\ntry:\n    os.fork()\nexcept RuntimeError as exc:\n    emit(exc)\n"
    )
    assert "fork not supported" in out


def test_exec_is_refused_from_312_but_replaced_the_process_on_311() -> None:
    # In a child: on 3.11 the exec really happens and replaces that process.
    code = (
        "import os, sys\n"
        "try:\n"
        "    os.execv(sys.executable, [sys.executable, '-c', 'print(\"exec ran\")'])\n"
        "except RuntimeError as exc:\n"
        "    emit(exc)\n"
    )
    proc = _in_child(code)
    assert proc.returncode == 0, proc.stderr
    if sys.version_info >= (3, 12):
        assert proc.stdout == "exec not supported for isolated subinterpreters\n"
    else:
        assert proc.stdout == "exec ran\n"


def test_output_larger_than_the_pipe_buffer_arrives_whole() -> None:
    size = 1 << 20
    read_fd, write_fd = os.pipe()
    try:
        capacity = fcntl.fcntl(read_fd, fcntl.F_GETPIPE_SZ)  # Linux: 64 KiB by default
    finally:
        os.close(read_fd)
        os.close(write_fd)
    assert size > capacity  # the writer would block if nobody read meanwhile
    proc = _in_child(f"emit('x' * {size})")  # TimeoutExpired if it deadlocks
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "x" * size + "\n"


def test_312_refuses_a_single_phase_extension_in_an_isolated_interpreter() -> None:
    out = run_in_subinterpreter(
        "import sys\n"
        "try:\n"
        "    import _datetime\n"
        "except ImportError as exc:\n"
        "    emit(exc)\n"
        "else:\n"
        "    emit('loaded')\n"
        "import datetime\n"
        "emit(' pure' if '_pydatetime' in sys.modules else ' C')\n"
    )
    if sys.version_info[:2] == (3, 12):
        # Checked on 3.12.1, where _datetime is a shared library with single-phase init.
        assert out == "module _datetime does not support loading in subinterpreters pure"
    else:
        # 3.11 does not check; 3.13 converted _datetime to multi-phase init.
        assert out == "loaded C"


def test_only_shareable_values_cross_and_the_set_grew_in_313() -> None:
    interp = interpreters_module()
    always: tuple[object, ...] = (1, "s", b"b", None)
    never: tuple[object, ...] = ([], {}, bytearray(b"b"))
    from_313: tuple[object, ...] = (1.5, (1,), True, memoryview(b"b"))
    for value in always:
        assert interp.is_shareable(value)
    for value in never:
        assert not interp.is_shareable(value)
    for value in from_313:
        assert interp.is_shareable(value) is (sys.version_info >= (3, 13))


def _share(interp: object, iid: object, name: str, value: object) -> None:
    if sys.version_info >= (3, 13):
        interp.set___main___attrs(iid, {name: value})  # type: ignore[attr-defined]
    else:
        interp.run_string(iid, "pass", shared={name: value})  # type: ignore[attr-defined]


def test_is_shareable_judges_the_type_only() -> None:
    interp = interpreters_module()
    iid = interp.create()
    try:
        assert interp.is_shareable(2**100)
        with pytest.raises(OverflowError):  # an int crosses only if it fits a C ssize_t
            _share(interp, iid, "big", 2**100)
        if sys.version_info >= (3, 13):
            assert interp.is_shareable((1, []))
            with pytest.raises(interp.NotShareableError):
                _share(interp, iid, "pair", (1, []))
    finally:
        interp.destroy(iid)


def test_a_313_memoryview_crosses_without_a_copy() -> None:
    interp = interpreters_module()
    buf = bytearray(b"hello")
    if sys.version_info >= (3, 13):
        iid = interp.create()
        try:
            # The receiver rebuilds the view with code from _interpreters: import it first.
            assert interp.run_string(iid, "import _interpreters") is None
            interp.set___main___attrs(iid, {"view": memoryview(buf)})
            assert interp.run_string(iid, "view[0] = ord('J')") is None
        finally:
            interp.destroy(iid)
        assert buf == bytearray(b"Jello")  # the other interpreter wrote into our buffer
    else:
        assert not interp.is_shareable(memoryview(buf))


def _refcount_moves(obj: object) -> bool:
    before = sys.getrefcount(obj)
    held = [obj, obj, obj]
    after = sys.getrefcount(obj)
    del held
    return after != before


def test_immortal_objects_per_version() -> None:
    assert _refcount_moves([])  # an ordinary object: the probe can say "mortal"
    singletons: tuple[object, ...] = (None, True, 1, "a")
    assert [_refcount_moves(o) for o in singletons] == [sys.version_info < (3, 12)] * 4
    unique = f"handbook_interned_{os.getpid()}"
    code = compile(f"{unique}_name = '{unique}_const'", "<test>", "exec")
    name, const = code.co_names[0], code.co_consts[0]
    # Equal strings built at run time intern to the compiler's objects: it interned both.
    assert sys.intern(f"{unique}_name") is name
    assert sys.intern(f"{unique}_const") is const
    by_intern = sys.intern(f"{unique}_runtime")
    if sys.version_info < (3, 12):
        expected = {"name": True, "const": True, "sys.intern": True}  # no immortals
    elif sys.version_info < (3, 12, 7) or FREE_THREADED:
        expected = {"name": False, "const": False, "sys.intern": False}  # all immortal
    else:  # 3.13 GIL build (and 3.12.7+, gh-113993): identifiers immortal, the rest mortal
        expected = {"name": False, "const": True, "sys.intern": True}
    seen = {
        "name": _refcount_moves(name),
        "const": _refcount_moves(const),
        "sys.intern": _refcount_moves(by_intern),
    }
    assert seen == expected


def test_isolated_config_has_its_own_gil_from_313_api() -> None:
    interp = interpreters_module()
    if sys.version_info >= (3, 13):
        assert interp.new_config("isolated").gil == "own"
        assert interp.new_config("legacy").gil == "shared"
        iid = interp.create()  # the default config is "isolated"
        try:
            config = interp.get_config(iid)
            assert (config.gil, config.check_multi_interp_extensions) == ("own", True)
        finally:
            interp.destroy(iid)
    else:
        assert not hasattr(interp, "new_config")  # 3.12: config only via the C API


def test_python_gil_zero_is_fatal_on_a_313_gil_build_and_ignored_before() -> None:
    env = {**os.environ, "PYTHON_GIL": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", "print('ran')"], env=env, capture_output=True, text=True
    )
    if sysconfig.get_config_var("Py_GIL_DISABLED") == 1:
        assert proc.returncode == 0
    elif sys.version_info >= (3, 13):
        assert proc.returncode != 0
        assert "not supported by this build" in proc.stderr
    else:
        assert proc.returncode == 0
        assert proc.stdout == "ran\n"


def test_startup_cost_comparison_reports_a_median_per_way() -> None:
    ticks = itertools.count()
    costs = compare_startup_costs(runs=1, clock=lambda: float(next(ticks)))
    # Each way runs between two ticks of the fake clock: 1 "second" each time.
    assert costs == {"interpreter": 1000.0, "fork": 1000.0, "spawn": 1000.0, "thread": 1000.0}
