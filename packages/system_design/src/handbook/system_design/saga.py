"""Saga: a multi-service transaction as local steps, undone by compensations in reverse order.

Why interviewers ask this:
    "Book a trip: flight, hotel, car, payment, each its own service." There
    is no distributed ACID transaction across them (two-phase commit blocks
    on a dead coordinator and few public APIs support it), so each service
    commits locally and the system undoes completed steps when a later one
    fails. Interviewers want the reverse order, what happens when an undo
    itself fails, and the trade-off between a central orchestrator and
    services reacting to each other's events (choreography).

Common pitfalls:
    - Compensating in forward order: undo must mirror do, newest first
      (release the seat only after the payment that depends on it is
      refunded), exactly like unwinding a stack.
    - Compensating the step that failed: when the failure is known (the
      service answered "refused"), its local transaction did not commit, so
      there is nothing to undo (refunding a charge that was never made).
      Only completed steps are compensated.
    - Treating a timeout as a failure: the outcome is unknown, and the step
      may have committed before the answer was lost. Retry it with its
      idempotency key until it answers, or compensate it too, with a
      compensation that is a no-op when there is nothing to undo
      (``Step(..., uncertain=True)`` here).
    - Treating a failed compensation as the end: a compensation must be
      retried (so it must be idempotent), every attempt recorded, and if it
      still fails the saga is marked ``stuck`` for a human, while the other
      completed steps are still compensated.
    - Calling a compensation a rollback: other transactions may already have
      seen the effect (an email sent, a seat shown as taken). Sagas give up
      isolation; a compensation is a new, semantic undo.

Key takeaways:
    - On failure at step k, steps k-1, ..., 1 are compensated in that order.
    - A failing compensation is retried up to ``compensation_attempts``
      times, each failure logged; then the step is recorded as stuck and
      the remaining compensations still run.
    - Only completed steps are compensated, plus a failed step marked
      ``uncertain`` (its action may have committed before it failed).
    - Orchestration and choreography produce the same log here; they differ
      in who knows the flow: the orchestrator holds the whole step list,
      while in choreography each service only knows the events of its
      neighbours, and the flow exists only as the sum of subscriptions.

What to look for in an answer:
    Local transactions plus compensations, reverse order, idempotent and
    retried compensations, a persisted saga log so a restarted coordinator
    can resume, and an honest word on lost isolation.
    Follow-ups:
    - The orchestrator crashes halfway. (It writes each step's outcome to a
      durable saga log before moving on; on restart it reads the log and
      resumes forwards or compensating. Temporal, AWS Step Functions and
      Camunda are orchestrators that persist this for you.)
    - How do steps avoid double effects on retry? (Idempotency keys per
      saga and step, so a retried charge or refund applies once.)
    - When choose choreography? (Few steps, loosely owned by different
      teams, no central service wanted. It becomes hard to follow and to
      change beyond a handful of steps: nobody owns the whole flow, and
      cycles of events are easy to create.)
    - What about reads of half-finished sagas? (Semantic locks or pending
      states, e.g. an order ``PENDING`` until the saga ends; commutative
      updates; rereading a value before acting on it.)
    - Which steps cannot be compensated? (An email sent cannot be unsent.
      Order the saga as compensatable steps, then the pivot (the go/no-go
      step, e.g. charging the card), then retriable steps that only move
      forward (send the confirmation). After the pivot there is no backward
      recovery, only retry until it succeeds.)
    - The cancel reaches the hotel before the booking does (messages out of
      order). (The compensation records a tombstone for that saga id, so the
      late booking is refused: action and compensation must commute.)
    - Saga vs two-phase commit vs TCC? (2PC gives atomicity but holds locks
      and blocks on a dead coordinator. TCC (try, confirm, cancel) reserves
      first and confirms later, so others see a reservation, not a final
      effect: better isolation than a plain saga, at the cost of a
      reservation API on every service. A saga commits each step at once.)

Complexity:
    O(n) steps forward and at most O(n * attempts) compensation calls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Step:
    """A local transaction and the action that semantically undoes it.

    ``uncertain``: a failure of ``action`` does not prove it did not commit
    (a timeout), so the step is compensated too; ``compensate`` must then be
    a no-op when there is nothing to undo.
    """

    name: str
    action: Callable[[], None]
    compensate: Callable[[], None]
    uncertain: bool = False


@dataclass
class SagaResult:
    """How a saga ended and every event on the way, in order."""

    status: Literal["committed", "compensated", "stuck"]
    failed_step: str | None = None
    stuck: list[str] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)


def _check(steps: list[Step], attempts: int) -> None:
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValueError(f"compensation_attempts must be an int >= 1, got {attempts!r}")
    names = [step.name for step in steps]
    if len(set(names)) != len(names):
        raise ValueError(f"step names must be unique, got {names}")


def _compensate(step: Step, attempts: int, result: SagaResult) -> bool:
    """Run ``step.compensate`` up to ``attempts`` times; log each try; mark stuck if all fail.

    Returns True if the step was compensated, False if it is stuck.
    """
    for attempt in range(1, attempts + 1):  # break[no-retry]
        try:
            step.compensate()
        except Exception as exc:
            result.log.append((step.name, f"compensation failed #{attempt}: {exc}"))
            continue
        result.log.append((step.name, "compensated"))
        return True
    result.log.append((step.name, "stuck"))
    result.stuck.append(step.name)
    return False


def _finish(result: SagaResult) -> SagaResult:
    result.status = "stuck" if result.stuck else "compensated"
    return result


def orchestrate(steps: list[Step], compensation_attempts: int = 3) -> SagaResult:
    """Run ``steps`` in order; on the first failure compensate the completed ones, newest first.

    >>> log = []
    >>> def step(name, fail=False):
    ...     def act():
    ...         if fail:
    ...             raise RuntimeError("no rooms")
    ...         log.append(name)
    ...     return Step(name, act, lambda: log.append("undo " + name))
    >>> r = orchestrate([step("flight"), step("car"), step("hotel", fail=True)])
    >>> r.status, r.failed_step, log
    ('compensated', 'hotel', ['flight', 'car', 'undo car', 'undo flight'])

    Raises ValueError if ``compensation_attempts`` is not an int >= 1 (a
    bool is refused) or two steps share a name.
    """
    _check(steps, compensation_attempts)
    result = SagaResult("committed")
    done: list[Step] = []
    for step in steps:
        try:
            step.action()
        except Exception as exc:
            result.log.append((step.name, f"failed: {exc}"))
            result.failed_step = step.name  # break[compensate-failed-step]
            if step.uncertain:
                done.append(step)
            break
        result.log.append((step.name, "done"))
        done.append(step)
    else:
        return result
    for step in reversed(done):  # break[forward-order]
        _compensate(step, compensation_attempts, result)  # break[give-up-when-stuck]
    return _finish(result)


class EventBus:
    """Synchronous in-process events: ``emit`` calls each handler of that event at once."""

    def __init__(self) -> None:
        self._handlers: defaultdict[str, list[Callable[[], None]]] = defaultdict(list)
        self.trace: list[str] = []

    def on(self, event: str, handler: Callable[[], None]) -> None:
        self._handlers[event].append(handler)

    def emit(self, event: str) -> None:
        self.trace.append(event)
        for handler in self._handlers[event]:
            handler()

    def subscriptions(self) -> int:
        return sum(len(h) for h in self._handlers.values())


def choreograph(steps: list[Step], compensation_attempts: int = 3) -> tuple[SagaResult, EventBus]:
    """The same saga with no coordinator: each service reacts to its neighbours' events.

    Service i listens for ``<previous>.done`` (or ``saga.started``) to act, and
    for ``<next>.failed``, ``<next>.undone`` or ``<next>.stuck`` to compensate;
    it then emits ``<self>.done``, ``<self>.failed``, and after compensating
    ``<self>.undone``, or ``<self>.stuck`` if its compensation gave up (so no
    other subscriber believes it was undone). An ``uncertain`` step that
    fails compensates itself before emitting ``<self>.failed``. Returns the
    result and the bus (whose ``trace`` lists the events).

    Raises ValueError if ``compensation_attempts`` is not an int >= 1 (a
    bool is refused) or two steps share a name.
    """
    _check(steps, compensation_attempts)
    bus = EventBus()
    result = SagaResult("committed")

    def service(i: int, step: Step) -> None:
        def act() -> None:
            try:
                step.action()
            except Exception as exc:
                result.log.append((step.name, f"failed: {exc}"))
                result.failed_step = step.name
                if step.uncertain:
                    _compensate(step, compensation_attempts, result)
                bus.emit(f"{step.name}.failed")
                return
            result.log.append((step.name, "done"))
            bus.emit(f"{step.name}.done")

        def undo() -> None:
            undone = _compensate(step, compensation_attempts, result)
            bus.emit(f"{step.name}.{'undone' if undone else 'stuck'}")  # break[no-undone-event]

        bus.on(f"{steps[i - 1].name}.done" if i else "saga.started", act)
        if i + 1 < len(steps):
            nxt = steps[i + 1].name
            bus.on(f"{nxt}.failed", undo)
            bus.on(f"{nxt}.undone", undo)
            bus.on(f"{nxt}.stuck", undo)

    for i, step in enumerate(steps):
        service(i, step)
    bus.emit("saga.started")
    if result.failed_step is not None:
        _finish(result)
    return result, bus
