"""State machine: an order lifecycle as a (state, event) -> state table; illegal moves raise.

Why interviewers ask this:
    Orders, payments, tickets and deployments all have a lifecycle, and the
    classic production bug is an illegal transition that went through: an
    order cancelled after it shipped, refunded twice, shipped before payment.
    Interviewers want the rules in one place (a table, not ``if`` statements
    scattered over handlers), a specific error when an event does not apply,
    and a way to prove that every (state, event) pair was thought about.

Common pitfalls:
    - Guards scattered over methods (``NaiveOrder``): each handler checks
      what its author remembered, so ``cancel()`` after shipping succeeds.
    - Silently ignoring an illegal event (``table.get(key, state)``): the
      caller believes the refund happened.
    - Changing the state (or appending history) before validating, so a
      rejected event still leaves a trace; a failed transition must leave
      the order exactly as it was.
    - Treating a redelivered webhook as an error, or applying it twice.
      Payment providers deliver webhooks at least once, so the same PAY can
      arrive again, even after the order shipped. Deduplicate by the
      provider's event id (``handle(event, event_id=...)``): a repeat is a
      no-op that returns the current state. Making ``(PAID, PAY)`` a legal
      self-loop instead would only cover the PAID state, and it would also
      swallow a PAY with a *new* id, which is a second payment to refund,
      not a duplicate: that one still raises.
    - Marking an event id as processed before the transition succeeded: a
      rejected event (a SHIP that arrived before PAY) is then dropped as a
      "duplicate" when the provider retries it.
    - Strings for states: a typo (``"shiped"``) is a new state nobody
      handles. Enums make the set closed and iterable, which is what makes
      exhaustive checking possible.

Key takeaways:
    - Transitions are data: ``TRANSITIONS[(state, event)] -> state``. Adding
      a rule is one line; the table can be printed, diffed, drawn as a graph.
    - An illegal event raises ``IllegalTransition`` naming the state and the
      event, and leaves ``state`` and ``history`` unchanged.
    - Idempotency comes from the event id, not from the table: an event id
      seen before changes nothing (no second history entry, so no second
      effect); an id is remembered only once its transition applied; reusing
      an id for a different event raises ``ValueError``.
    - With enums, ``itertools.product(State, Event)`` enumerates every pair,
      so a test can check all of them against an explicit expected table:
      every pair either moves to the listed state or raises.
    - Terminal states (``DELIVERED`` except for refund, ``CANCELLED``,
      ``REFUNDED``) accept nothing else, and every state is reachable from
      ``CREATED``.
    - Java: an ``enum`` plus an ``EnumMap`` or an exhaustive ``switch``
      expression (a missing case is a compile error). Go: ``iota``
      constants and a ``map[transition]State``; nothing checks exhaustiveness,
      so the table test matters more. In Python, ``typing.assert_never``
      (3.11) makes mypy check a ``match`` over an enum for missing cases.

What to look for in an answer:
    A strong candidate draws the diagram first, puts it in a table, rejects
    illegal events loudly without side effects, and tests every pair. They
    bring up concurrency and persistence unprompted. Follow-ups:
    - The payment provider sends the same "paid" webhook twice. What
      happens? (The second one must be a no-op, answered with 2xx so the
      provider stops retrying. Store processed event ids with a unique
      constraint, inserted in the same transaction as the state change:
      ``INSERT ... ON CONFLICT DO NOTHING``, and a row count of 0 means
      "already done". A PAY with a different id on a paid order is a real
      double charge: raise, alert, refund.)
    - Two requests pay and cancel the same order at once: what happens?
      (Make the transition atomic where the state lives: ``UPDATE orders SET
      state='cancelled' WHERE id=? AND state IN ('created','paid')`` and check
      the row count, or optimistic locking with a version column.)
    - Where do side effects go (charging the card, emailing)? (After the
      transition commits, ideally via an outbox, so a failed side effect is
      retried and never half-applies a transition.)
    - How do you add "partially shipped"? (A new enum member and table rows;
      the exhaustive test then fails until every new pair is decided.)
    - Why keep history? (Audit and debugging; an event log can rebuild the
      state, which is event sourcing.)

Complexity:
    ``handle``: O(1), one dict lookup. The table has at most |State| x |Event|
    entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

__all__ = [
    "TRANSITIONS",
    "Event",
    "IllegalTransition",
    "NaiveOrder",
    "Order",
    "State",
]


class State(Enum):
    """Where an order is in its lifecycle."""

    CREATED = "created"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Event(Enum):
    """What can happen to an order."""

    PAY = "pay"
    SHIP = "ship"
    DELIVER = "deliver"
    CANCEL = "cancel"
    REFUND = "refund"


TRANSITIONS: Mapping[tuple[State, Event], State] = MappingProxyType(
    {
        (State.CREATED, Event.PAY): State.PAID,
        (State.CREATED, Event.CANCEL): State.CANCELLED,
        (State.PAID, Event.SHIP): State.SHIPPED,
        (State.PAID, Event.CANCEL): State.CANCELLED,  # break[cancel-after-shipping]
        (State.PAID, Event.REFUND): State.REFUNDED,
        (State.SHIPPED, Event.DELIVER): State.DELIVERED,
        (State.SHIPPED, Event.REFUND): State.REFUNDED,
        (State.DELIVERED, Event.REFUND): State.REFUNDED,
    }
)


class IllegalTransition(Exception):
    """``event`` does not apply in ``state``; the order was not changed."""

    def __init__(self, state: State, event: Event) -> None:
        super().__init__(f"cannot {event.value} an order that is {state.value}")
        self.state = state
        self.event = event


class Order:
    """An order driven by the transition table.

    >>> order = Order()
    >>> order.handle(Event.PAY)
    <State.PAID: 'paid'>
    >>> order.handle(Event.DELIVER)
    Traceback (most recent call last):
    ...
    handbook.patterns.state_machine.IllegalTransition: cannot deliver an order that is paid
    >>> order.state
    <State.PAID: 'paid'>
    >>> order.handle(Event.SHIP, event_id="evt_1")
    <State.SHIPPED: 'shipped'>
    >>> order.handle(Event.SHIP, event_id="evt_1")  # redelivered: no change
    <State.SHIPPED: 'shipped'>
    >>> len(order.history)
    2
    """

    def __init__(self, transitions: Mapping[tuple[State, Event], State] = TRANSITIONS) -> None:
        self._transitions = transitions
        self.state = State.CREATED
        self.history: list[tuple[State, Event, State]] = []
        self._applied: dict[str, Event] = {}  # event id -> the event it carried

    def handle(self, event: Event, *, event_id: str | None = None) -> State:
        """Apply ``event``; return the new state or raise ``IllegalTransition`` (no change).

        With ``event_id``, a repeat of an id already applied is a no-op that
        returns the current state; an id reused for another event raises
        ``ValueError``.
        """
        if event_id is not None:
            applied = self._applied.get(event_id)  # break[remember-before-applying]
            if applied is event:
                return self.state  # a redelivery: it already took effect
            if applied is not None:
                raise ValueError(f"event id {event_id!r} was {applied.value}, not {event.value}")
        target = self._transitions.get((self.state, event))  # break[ignore-illegal]
        if target is None:  # break[record-before-check]
            raise IllegalTransition(self.state, event)
        self.history.append((self.state, event, target))
        self.state = target
        if event_id is not None:
            self._applied[event_id] = event  # break[no-dedupe]
        return target


class NaiveOrder:
    """The pitfall: one method per event, each with the guards its author remembered."""

    def __init__(self) -> None:
        self.state = State.CREATED

    def pay(self) -> None:
        """Pay a created order."""
        if self.state is not State.CREATED:
            raise IllegalTransition(self.state, Event.PAY)
        self.state = State.PAID

    def ship(self) -> None:
        """Ship a paid order."""
        if self.state is not State.PAID:
            raise IllegalTransition(self.state, Event.SHIP)
        self.state = State.SHIPPED

    def cancel(self) -> None:
        """Cancel, guarding only against cancelling twice: the forgotten rule."""
        if self.state is State.CANCELLED:
            raise IllegalTransition(self.state, Event.CANCEL)
        self.state = State.CANCELLED
