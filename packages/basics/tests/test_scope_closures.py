"""Tests for basics.scope_closures: compile-time locals, nonlocal/global, late binding, scopes."""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable

import pytest

from handbook.basics import scope_closures
from handbook.basics.scope_closures import (
    LIMIT,
    comprehension_variable_does_not_leak,
    default_arg_callbacks,
    for_loop_variable_leaks,
    late_binding_callbacks,
    limit_or_override,
    limit_or_override_fixed,
    make_counter,
    make_counter_without_nonlocal,
    partial_callbacks,
    per_iteration_callbacks,
    record_request,
    request_count,
    reset_requests,
)

# Before 3.11 the message was "local variable 'X' referenced before assignment";
# "local variable 'X'" matches both wordings.
UNBOUND = r"local variable 'LIMIT'"


def test_an_assignment_in_an_untaken_branch_makes_the_name_local() -> None:
    assert limit_or_override(5) == 5
    with pytest.raises(UnboundLocalError, match=UNBOUND):
        limit_or_override(None)
    assert "LIMIT" in limit_or_override.__code__.co_varnames  # decided at compile time


def test_unbound_local_error_is_a_name_error() -> None:
    assert issubclass(UnboundLocalError, NameError)
    with pytest.raises(NameError):
        limit_or_override(None)


def test_the_fix_reads_the_global_and_uses_its_own_local() -> None:
    assert limit_or_override_fixed(None) == LIMIT == 10
    assert limit_or_override_fixed(3) == 3
    assert "LIMIT" not in limit_or_override_fixed.__code__.co_varnames


def test_global_rebinds_the_module_variable() -> None:
    reset_requests()
    try:
        assert record_request() == 1
        assert record_request() == 2
        assert request_count() == 2
        assert scope_closures._requests == 2
    finally:
        reset_requests()


def test_from_import_copies_the_binding_so_global_updates_are_not_seen() -> None:
    reset_requests()
    try:
        from handbook.basics.scope_closures import _requests as copied

        record_request()
        assert copied == 0  # the importer's own name still points at the old int
        assert scope_closures._requests == 1  # the module attribute was rebound
        assert request_count() == 1
    finally:
        reset_requests()


def test_augmented_assignment_without_nonlocal_raises() -> None:
    bump = make_counter_without_nonlocal()
    with pytest.raises(UnboundLocalError, match=r"local variable 'count'"):
        bump()


def test_nonlocal_counter_keeps_counting() -> None:
    bump = make_counter()
    assert [bump(), bump(), bump()] == [1, 2, 3]
    other = make_counter()
    assert other() == 1  # each factory call has its own count


def test_mutating_an_enclosing_object_needs_no_nonlocal() -> None:
    seen: list[int] = []

    def remember(x: int) -> None:
        seen.append(x)  # reads the name, mutates the object

    remember(1)
    remember(2)
    assert seen == [1, 2]
    assert remember.__code__.co_freevars == ("seen",)


def test_late_binding_closures_all_see_the_last_value() -> None:
    callbacks = late_binding_callbacks(3)
    assert [f() for f in callbacks] == [2, 2, 2]
    # One shared cell: the variable, not its value at creation time, was captured.
    cells = [f.__closure__ for f in callbacks]
    assert all(c is not None for c in cells)
    assert cells[0] is not None
    assert cells[2] is not None
    assert cells[0][0] is cells[2][0]


def test_a_closure_reads_the_variable_when_called() -> None:
    callbacks: list[Callable[[], int]] = []
    for i in range(3):
        callbacks.append(lambda: i)  # noqa: B023 - late binding is the point
    i = 10  # rebinding after the loop is seen by every closure
    assert [f() for f in callbacks] == [10, 10, 10]


def test_default_argument_binds_each_value_at_creation() -> None:
    assert [f() for f in default_arg_callbacks(3)] == [0, 1, 2]


def test_partial_binds_each_value_at_creation() -> None:
    assert [f() for f in partial_callbacks(3)] == [0, 1, 2]


def test_a_factory_gives_each_closure_its_own_variable_like_go_1_22() -> None:
    callbacks = per_iteration_callbacks(3)
    assert [f() for f in callbacks] == [0, 1, 2]
    cells = [f.__closure__ for f in callbacks]
    assert cells[0] is not None
    assert cells[1] is not None
    assert cells[0][0] is not cells[1][0]


def test_the_default_argument_fix_can_be_overridden_by_a_caller() -> None:
    first = default_arg_callbacks(3)[0]
    assert first(99) == 99  # type: ignore[call-arg]  # the extra parameter is real


def test_a_positional_partial_cannot_be_overridden_but_a_keyword_one_can() -> None:
    first = partial_callbacks(3)[0]
    with pytest.raises(TypeError, match="positional argument"):
        first(99)  # type: ignore[call-arg]
    keyword = functools.partial(scope_closures._identity, value=0)
    assert keyword(value=99) == 99


def test_comprehension_variable_does_not_leak_but_a_for_loop_does() -> None:
    assert comprehension_variable_does_not_leak() == "outer"
    assert for_loop_variable_leaks() == 2


def test_class_attributes_are_invisible_inside_a_class_body_comprehension() -> None:
    namespace: dict[str, object] = {}
    broken = "class Config:\n    base = 10\n    scaled = [base * k for k in range(3)]\n"
    with pytest.raises(NameError, match="base"):
        exec(broken, namespace)
    # The first iterable is evaluated in the class body, so this one works.
    works = "class Config:\n    n = 3\n    ks = [k for k in range(n)]\n"
    exec(works, namespace)
    assert getattr(namespace["Config"], "ks") == [0, 1, 2]  # noqa: B009


def test_method_bodies_do_not_see_class_attributes_either() -> None:
    namespace: dict[str, object] = {}
    code = (
        "class Config:\n"
        "    n = 1\n"
        "    def bare(self):\n"
        "        return n\n"
        "    def qualified(self):\n"
        "        return self.n + Config.n\n"
    )
    exec(code, namespace)
    config_class = namespace["Config"]
    assert isinstance(config_class, type)
    config = config_class()
    with pytest.raises(NameError, match="'n'"):
        config.bare()
    assert config.qualified() == 2


def _nested_code_names(source: str) -> list[str]:
    """Names of every code object compiled inside ``source`` (recursively)."""
    names: list[str] = []
    pending = [compile(source, "<scope>", "exec")]
    while pending:
        code = pending.pop()
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names.append(const.co_name)
                pending.append(const)
    return names


@pytest.mark.parametrize(
    "source",
    [
        "r = [x for x in y]",
        "r = {x for x in y}",
        "r = {x: 1 for x in y}",
        "class C:\n    r = [x for x in y]\n",
        "def f(y):\n    return [x for x in y]\n",
    ],
)
def test_list_set_and_dict_comprehensions_are_inlined_since_3_12(source: str) -> None:
    own_code = {"<listcomp>", "<setcomp>", "<dictcomp>"}
    names = set(_nested_code_names(source))
    if sys.version_info >= (3, 12):
        assert not names & own_code  # PEP 709: part of the enclosing code, at any scope
    else:
        assert len(names & own_code) == 1  # 3.11: a hidden function of its own


def test_generator_expressions_are_never_inlined() -> None:
    assert "<genexpr>" in _nested_code_names("r = (x for x in y)")


def test_locals_inside_a_comprehension_changed_with_pep_709() -> None:
    def names_seen() -> list[str]:
        enclosing = 1
        assert enclosing
        snapshots = [locals() for x in range(1)]
        return sorted(snapshots[0])

    if sys.version_info >= (3, 12):
        assert names_seen() == ["enclosing", "x"]  # inlined: the function's frame
    else:
        assert names_seen() == [".0", "x"]  # its own function, with the iterator as .0
