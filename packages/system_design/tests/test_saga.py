"""Sagas: reverse-order compensation, retried and recorded compensations, two coordinations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from handbook.system_design.saga import SagaResult, Step, choreograph, orchestrate

Run = Callable[..., SagaResult]


def _orchestrate(steps: list[Step], compensation_attempts: int = 3) -> SagaResult:
    return orchestrate(steps, compensation_attempts)


def _choreograph(steps: list[Step], compensation_attempts: int = 3) -> SagaResult:
    return choreograph(steps, compensation_attempts)[0]


BOTH = pytest.mark.parametrize("run", [_orchestrate, _choreograph], ids=["orch", "choreo"])


class World:
    """Services that record what happened; ``flaky`` compensations fail n times first."""

    def __init__(self) -> None:
        self.effects: list[str] = []

    def step(
        self,
        name: str,
        fail: bool = False,
        undo_failures: int = 0,
        *,
        timeout_after_commit: bool = False,
        uncertain: bool = False,
    ) -> Step:
        left = [undo_failures]

        def act() -> None:
            if fail:
                raise RuntimeError(f"{name} refused")
            self.effects.append(name)
            if timeout_after_commit:
                raise TimeoutError(f"{name} timed out")

        def undo() -> None:
            if left[0] > 0:
                left[0] -= 1
                raise ConnectionError(f"{name} service down")
            if name in self.effects:  # a no-op when the action never committed
                self.effects.append(f"undo {name}")

        return Step(name, act, undo, uncertain)


@BOTH
def test_all_steps_succeed_and_nothing_is_compensated(run: Run) -> None:
    w = World()
    r = run([w.step("flight"), w.step("hotel"), w.step("pay")])
    assert r.status == "committed"
    assert r.failed_step is None
    assert w.effects == ["flight", "hotel", "pay"]


def _reverse_order(run: Run) -> None:
    w = World()
    r = run([w.step("flight"), w.step("hotel"), w.step("car"), w.step("pay", fail=True)])
    assert r.status == "compensated"
    assert r.failed_step == "pay"
    assert w.effects == ["flight", "hotel", "car", "undo car", "undo hotel", "undo flight"]
    assert ("pay", "compensated") not in r.log


def test_orchestrated_completed_steps_are_undone_newest_first_the_failed_one_not() -> None:
    _reverse_order(_orchestrate)


def test_choreographed_completed_steps_are_undone_newest_first_the_failed_one_not() -> None:
    _reverse_order(_choreograph)


@BOTH
def test_a_failing_compensation_is_retried_and_every_attempt_recorded(run: Run) -> None:
    w = World()
    r = run([w.step("flight", undo_failures=2), w.step("pay", fail=True)], 3)
    assert r.status == "compensated"
    assert w.effects == ["flight", "undo flight"]
    assert r.log == [
        ("flight", "done"),
        ("pay", "failed: pay refused"),
        ("flight", "compensation failed #1: flight service down"),
        ("flight", "compensation failed #2: flight service down"),
        ("flight", "compensated"),
    ]


def _stuck(run: Run) -> None:
    w = World()
    steps = [w.step("flight"), w.step("hotel", undo_failures=99), w.step("pay", fail=True)]
    r = run(steps, 2)
    assert r.status == "stuck"
    assert r.stuck == ["hotel"]
    assert w.effects == ["flight", "hotel", "undo flight"]
    assert [e for n, e in r.log if n == "hotel"] == [
        "done",
        "compensation failed #1: hotel service down",
        "compensation failed #2: hotel service down",
        "stuck",
    ]


def test_orchestrated_stuck_compensation_is_recorded_and_the_others_still_run() -> None:
    _stuck(_orchestrate)


def test_choreographed_stuck_compensation_is_recorded_and_the_others_still_run() -> None:
    _stuck(_choreograph)


def test_in_choreography_a_stuck_compensation_is_announced_as_stuck_not_undone() -> None:
    w = World()
    steps = [w.step("flight"), w.step("hotel", undo_failures=99), w.step("pay", fail=True)]
    r, bus = choreograph(steps, 2)
    assert r.stuck == ["hotel"]
    # An audit or notification service listening to hotel.undone must not hear it.
    assert bus.trace == [
        "saga.started",
        "flight.done",
        "hotel.done",
        "pay.failed",
        "hotel.stuck",
        "flight.undone",
    ]


@BOTH
def test_a_step_that_timed_out_after_committing_is_left_in_place_unless_uncertain(
    run: Run,
) -> None:
    w = World()
    r = run([w.step("flight"), w.step("pay", timeout_after_commit=True)])
    assert r.failed_step == "pay"
    assert w.effects == ["flight", "pay", "undo flight"]  # charged, never refunded

    w = World()
    r = run([w.step("flight"), w.step("pay", timeout_after_commit=True, uncertain=True)])
    assert r.status == "compensated"
    assert w.effects == ["flight", "pay", "undo pay", "undo flight"]


@BOTH
def test_an_uncertain_step_that_did_not_commit_is_compensated_as_a_no_op(run: Run) -> None:
    w = World()
    r = run([w.step("flight"), w.step("pay", fail=True, uncertain=True)])
    assert r.status == "compensated"
    assert w.effects == ["flight", "undo flight"]
    assert ("pay", "compensated") in r.log


def test_orchestration_and_choreography_write_the_same_log() -> None:
    def steps(w: World) -> list[Step]:
        return [w.step("a"), w.step("b", undo_failures=1), w.step("c"), w.step("d", fail=True)]

    def uncertain(w: World) -> list[Step]:
        return [
            w.step("a"),
            w.step("b", undo_failures=9),
            w.step("c"),
            w.step("d", timeout_after_commit=True, uncertain=True),
        ]

    for make in (steps, uncertain):
        w1, w2 = World(), World()
        assert orchestrate(make(w1), 2).log == choreograph(make(w2), 2)[0].log
        assert w1.effects == w2.effects


def test_in_choreography_the_flow_is_only_the_events_between_neighbours() -> None:
    w = World()
    r, bus = choreograph([w.step("a"), w.step("b"), w.step("c", fail=True)])
    assert r.status == "compensated"
    # Each service listens to its predecessor (to act) and, but for the last, to
    # its successor's failed/undone/stuck (to compensate): 3 + 2 * 3 subscriptions.
    assert bus.subscriptions() == 9
    assert bus.trace == ["saga.started", "a.done", "b.done", "c.failed", "b.undone", "a.undone"]


@BOTH
@pytest.mark.parametrize("attempts", [0, -1, 1.5, True])
def test_fewer_than_one_or_a_non_int_compensation_attempt_is_refused(
    run: Run, attempts: int
) -> None:
    with pytest.raises(ValueError, match="compensation_attempts"):
        run([World().step("a")], attempts)


@BOTH
def test_duplicate_step_names_are_refused(run: Run) -> None:
    w = World()
    with pytest.raises(ValueError, match="unique"):
        run([w.step("a"), w.step("a")])
