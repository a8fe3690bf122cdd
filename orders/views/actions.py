"""What an order action is: the registry's entry type and the helpers its entries use.

An order action is one thing the desk does to one order (submit the LSR, record the FOC,
send a reject, comment...). Each entry says who may take it (`perms`), on which desk and in
which statuses it is offered (`statuses`, from the lifecycle's tables), the form that parses
its input and the service it calls. `orders.views.order_page.order_action` is the one view
that runs them all; `orders.views.registry` collects the entries each desk declares
(`portin_actions`, `portout_actions`, `order_actions` for both desks).

The service is called as `service(order=order, by=user, **args(form, user))`: by default the
form's cleaned data with the page's `expected_status` (and `revision`, as
`expected_revision`); an entry maps the names itself where the service's differ.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from orders.lifecycle import TRANSITIONS, closes_order
from orders.models import Direction, PortOrder
from orders.views.common import Said

# Where an action's form is shown, which decides what an invalid form gives back:
# - the order page's action panel: the page again, with the form and its errors;
PANEL_GROUPS = ("moves", "csr", "edit", "side", "document")
# - the port-out section (hand-placed forms): each field's error as a message, then back;
SECTION = "portout"
# - a page of its own (`template`): that page again, with the form and its errors.
PAGE = "page"


@dataclass(frozen=True)
class Done:
    """What an action did, for the message that tells the desk."""

    order: PortOrder
    result: Any  # what the service returned
    args: dict  # what the service was given
    before: str  # the order's status before the action


@dataclass(frozen=True)
class Action:
    slug: str
    title: str
    perms: tuple[str, ...]
    # desk (Direction) -> the statuses the action is offered in; a desk not named: never.
    statuses: Mapping[str, frozenset[str]]
    service: Callable[..., Any]
    done: str | Callable[[Done], Said]
    form: type | None = None
    args: Callable[[Any, Any], dict] | None = None
    group: str = "moves"
    template: str = ""  # for group PAGE: the action's own page
    # Beyond the status: whether the order is in a state the action applies to.
    when: Callable[[PortOrder], bool] | None = None
    # Beyond `perms`: whether this user may take the action on this order now (the service
    # checks again); None: `perms` is enough.
    permitted: Callable[[Any, PortOrder], bool] | None = None

    def applies_to(self, order: PortOrder) -> bool:
        """Offered on this order's desk, in its status and state (nothing about the user)."""
        if order.status not in self.statuses.get(order.direction, ()):
            return False
        return self.when is None or self.when(order)

    def offered_to(self, user, order: PortOrder) -> bool:
        if not self.applies_to(order) or not user.has_perms(self.perms):
            return False
        return self.permitted is None or self.permitted(user, order)

    def service_args(self, form, user) -> dict:
        if self.args is not None:
            return self.args(form, user)
        return form_args(form, user) if form is not None else {}

    def message(self, done: Done) -> Said:
        return self.done if isinstance(self.done, str) else self.done(done)


def form_args(form, user=None) -> dict:
    """The default service arguments: the form's fields by name, with what the page saw."""
    args = {k: v for k, v in form.cleaned_data.items() if k not in ("expected_status", "revision")}
    if "expected_status" in form.fields:
        args["expected_status"] = form.expected
    if "revision" in form.fields:
        args["expected_revision"] = form.seen_revision
    return args


def every_status(direction: str) -> frozenset[str]:
    return frozenset(TRANSITIONS[direction])


def open_statuses(direction: str) -> frozenset[str]:
    return frozenset(s for s in TRANSITIONS[direction] if not closes_order(direction, s))


def moving_to(direction: str, to: str) -> frozenset[str]:
    """The statuses the lifecycle lets an order of `direction` leave for `to`."""
    return frozenset(s for s, moves in TRANSITIONS[direction].items() if to in moves)


def port_in(statuses) -> dict[str, frozenset[str]]:
    return {Direction.PORT_IN: frozenset(statuses)}


def port_out(statuses) -> dict[str, frozenset[str]]:
    return {Direction.PORT_OUT: frozenset(statuses)}


def both_desks(statuses: Callable[[str], frozenset[str]]) -> dict[str, frozenset[str]]:
    return {d: statuses(d) for d in (Direction.PORT_IN, Direction.PORT_OUT)}
