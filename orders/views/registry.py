"""The registry of order actions: every desk's entries in one table, by slug.

To add an order action, add an `Action` to its desk's list (`portin_actions`,
`portout_actions`, or `order_actions` for both desks); the order page offers it where its
statuses and permissions say, and `order_page.order_action` runs it.
"""

from orders.views.actions import Action
from orders.views.order_actions import ORDER_ACTIONS
from orders.views.portin_actions import PORT_IN_ACTIONS
from orders.views.portout_actions import PORT_OUT_ACTIONS


def _by_slug(*actions: Action) -> dict[str, Action]:
    table: dict[str, Action] = {}
    for action in actions:
        if action.slug in table:
            raise ValueError(f"Two order actions are named {action.slug!r}.")
        table[action.slug] = action
    return table


ACTIONS: dict[str, Action] = _by_slug(*PORT_IN_ACTIONS, *ORDER_ACTIONS, *PORT_OUT_ACTIONS)


def offered_actions(user, order) -> dict[str, Action]:
    """The actions this user may take on this order now, in the registry's order."""
    return {slug: a for slug, a in ACTIONS.items() if a.offered_to(user, order)}
