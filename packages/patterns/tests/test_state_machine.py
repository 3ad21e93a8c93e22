"""Tests for patterns.state_machine: the table, illegal events, every (state, event) pair."""

from __future__ import annotations

import itertools
from collections import deque

import pytest

from handbook.patterns.state_machine import (
    TRANSITIONS,
    Event,
    IllegalTransition,
    NaiveOrder,
    Order,
    State,
)

C, P, S, D, X, R = (
    State.CREATED,
    State.PAID,
    State.SHIPPED,
    State.DELIVERED,
    State.CANCELLED,
    State.REFUNDED,
)

# The rules written out independently of the module, one row per state, one
# column per event: the state it moves to, or None for "must raise".
#            PAY   SHIP  DELIVER CANCEL REFUND
EXPECTED_ROWS: dict[State, tuple[State | None, ...]] = {
    C: (P, None, None, X, None),
    P: (None, S, None, X, R),
    S: (None, None, D, None, R),
    D: (None, None, None, None, R),
    X: (None, None, None, None, None),
    R: (None, None, None, None, None),
}
COLUMNS = (Event.PAY, Event.SHIP, Event.DELIVER, Event.CANCEL, Event.REFUND)
EXPECTED = {
    (state, event): row[i]
    for state, row in EXPECTED_ROWS.items()
    for i, event in enumerate(COLUMNS)
}
# Shortest event path from CREATED to each state, to put an order there for real.
PATH_TO: dict[State, tuple[Event, ...]] = {
    C: (),
    P: (Event.PAY,),
    S: (Event.PAY, Event.SHIP),
    D: (Event.PAY, Event.SHIP, Event.DELIVER),
    X: (Event.CANCEL,),
    R: (Event.PAY, Event.REFUND),
}


def order_in(state: State) -> Order:
    order = Order()
    for event in PATH_TO[state]:
        order.handle(event)
    assert order.state is state
    return order


def test_the_expected_table_covers_every_state_event_pair() -> None:
    assert set(COLUMNS) == set(Event)
    assert set(EXPECTED) == set(itertools.product(State, Event))
    assert len(EXPECTED) == len(State) * len(Event)


def outcome(state: State, event: Event) -> State | None:
    """Drive a real order into ``state``, apply ``event``; None if it raised as specified."""
    order = order_in(state)
    history = list(order.history)
    error: IllegalTransition | None = None
    try:
        moved = order.handle(event)
    except IllegalTransition as exc:
        error = exc
    if error is not None:
        assert (error.state, error.event) == (state, event)
        assert order.state is state  # a rejected event changes nothing
        assert order.history == history
        return None
    assert order.state is moved
    assert order.history == [*history, (state, event, moved)]
    return moved


def test_every_pair_moves_to_the_expected_state_or_raises() -> None:
    wrong: dict[tuple[str, str], State | None] = {}
    for state, event in itertools.product(State, Event):
        got = outcome(state, event)
        if got is not EXPECTED[(state, event)]:
            wrong[(state.value, event.value)] = got
    assert wrong == {}


def test_the_table_holds_exactly_the_legal_pairs() -> None:
    legal = {pair: to for pair, to in EXPECTED.items() if to is not None}
    assert dict(TRANSITIONS) == legal


def test_an_illegal_event_raises_naming_state_and_event_and_changes_nothing() -> None:
    order = order_in(S)
    before = list(order.history)
    with pytest.raises(IllegalTransition, match=r"^cannot cancel an order that is shipped$"):
        order.handle(Event.CANCEL)
    assert order.state is S
    assert order.history == before


def test_cancel_is_allowed_only_before_shipping_and_refund_only_after_payment() -> None:
    assert order_in(C).handle(Event.CANCEL) is X
    assert order_in(P).handle(Event.CANCEL) is X
    for state in (S, D):
        with pytest.raises(IllegalTransition):
            order_in(state).handle(Event.CANCEL)
    for state in (P, S, D):
        assert order_in(state).handle(Event.REFUND) is R
    with pytest.raises(IllegalTransition, match="cannot refund an order that is created"):
        order_in(C).handle(Event.REFUND)


def test_the_happy_path_is_recorded_in_history() -> None:
    order = order_in(D)
    assert order.history == [(C, Event.PAY, P), (P, Event.SHIP, S), (S, Event.DELIVER, D)]


def test_every_state_is_reachable_from_created() -> None:
    seen, todo = {C}, deque([C])
    while todo:
        state = todo.popleft()
        for (src, _), dst in TRANSITIONS.items():
            if src is state and dst not in seen:
                seen.add(dst)
                todo.append(dst)
    assert seen == set(State)


def test_terminal_states_accept_no_event() -> None:
    for state in (X, R):
        assert not any(src is state for src, _ in TRANSITIONS)


def test_the_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        TRANSITIONS[(S, Event.CANCEL)] = X  # type: ignore[index]


def test_a_custom_table_changes_the_rules_without_new_code() -> None:
    lenient = {**TRANSITIONS, (S, Event.CANCEL): X}
    order = Order(lenient)
    order.handle(Event.PAY)
    order.handle(Event.SHIP)
    assert order.handle(Event.CANCEL) is X


def test_scattered_guards_let_a_shipped_order_be_cancelled() -> None:
    naive = NaiveOrder()
    naive.pay()
    naive.ship()
    naive.cancel()  # the forgotten rule: no error
    assert naive.state is X
    with pytest.raises(IllegalTransition):
        order_in(S).handle(Event.CANCEL)  # the table-driven order refuses


def test_a_redelivered_pay_webhook_is_a_no_op_not_an_error() -> None:
    order = Order()
    assert order.handle(Event.PAY, event_id="evt_pay") is P
    history = list(order.history)
    assert order.handle(Event.PAY, event_id="evt_pay") is P  # the same webhook again
    assert order.state is P
    assert order.history == history  # one PAY entry: the effect happened once


def test_a_late_duplicate_after_shipping_changes_nothing() -> None:
    order = Order()
    order.handle(Event.PAY, event_id="evt_pay")
    order.handle(Event.SHIP, event_id="evt_ship")
    history = list(order.history)
    assert order.handle(Event.PAY, event_id="evt_pay") is S
    assert order.history == history


def test_a_second_payment_with_a_new_id_still_raises() -> None:
    order = Order()
    order.handle(Event.PAY, event_id="evt_1")
    with pytest.raises(IllegalTransition, match="cannot pay an order that is paid"):
        order.handle(Event.PAY, event_id="evt_2")  # a real double charge, not a repeat
    assert order.history == [(C, Event.PAY, P)]


def test_without_an_event_id_a_second_pay_raises() -> None:
    order = order_in(P)
    with pytest.raises(IllegalTransition):
        order.handle(Event.PAY)


def test_an_event_id_reused_for_another_event_is_rejected() -> None:
    order = Order()
    order.handle(Event.PAY, event_id="evt_1")
    with pytest.raises(ValueError, match=r"'evt_1' was pay, not ship"):
        order.handle(Event.SHIP, event_id="evt_1")
    assert order.state is P


def test_a_rejected_event_is_applied_when_it_is_retried_later() -> None:
    order = Order()
    with pytest.raises(IllegalTransition):
        order.handle(Event.SHIP, event_id="evt_ship")  # arrived before the payment
    order.handle(Event.PAY, event_id="evt_pay")
    assert order.handle(Event.SHIP, event_id="evt_ship") is S  # the retry applies
    assert order.history == [(C, Event.PAY, P), (P, Event.SHIP, S)]
