"""The registry of order actions: every entry is complete, and the order page of each desk
offers exactly the entries whose desk and statuses match the order."""

import inspect

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, reverse

from orders.lifecycle import TRANSITIONS
from orders.models import Direction, PortOrder
from orders.rules import Finding
from orders.rules.validation_fields import CODE_ZIP, R18
from orders.views import portin_urls, portout_urls
from orders.views.actions import PAGE, PANEL_GROUPS, SECTION
from orders.views.order_page import order_action
from orders.views.registry import ACTIONS
from tests.factories import PortOrderFactory, PortOutOrderFactory

ALL_ACTIONS = list(ACTIONS.values())


def _own_urls() -> dict[str, str]:
    """Actions that keep a URL of their own ({slug: URL name}); the others post to
    orders:order_action with their slug."""
    urls = {}
    for pattern in [*portin_urls.urlpatterns, *portout_urls.urlpatterns]:
        assert isinstance(pattern, URLPattern)
        if pattern.callback is order_action and "action" in pattern.default_args:
            urls[pattern.default_args["action"]] = f"orders:{pattern.name}"
    return urls


def _url(action, order) -> str:
    name = _own_urls().get(action.slug)
    if name:
        return reverse(name, args=[order.pk])
    return reverse("orders:order_action", kwargs={"pk": order.pk, "action": action.slug})


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.slug)
def test_every_registered_action_names_its_permission_statuses_and_service(action):
    assert action.perms, "an action needs a permission"
    assert action.statuses, "an action applies to at least one desk"
    for desk, statuses in action.statuses.items():
        assert desk in Direction.values
        assert statuses, f"{action.slug} applies to no status of the {desk} desk"
        assert statuses <= set(TRANSITIONS[desk]), f"{action.slug}: unknown statuses"
    parameters = inspect.signature(action.service).parameters
    assert {"order", "by"} <= set(parameters), f"{action.slug}: service(order=, by=)"
    assert action.group in (*PANEL_GROUPS, SECTION, PAGE)
    if action.group == PAGE:
        assert action.template and action.form is not None
    if action.group in PANEL_GROUPS:
        assert action.form is not None and action.form.action == action.slug
    assert action.title and (isinstance(action.done, str) or callable(action.done))


@pytest.mark.django_db
@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.slug)
def test_every_action_permission_exists(action):
    for perm in action.perms:
        app_label, codename = perm.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), perm


def test_every_port_out_action_url_runs_the_one_action_view():
    own = _own_urls()
    for slug, name in own.items():
        assert slug in ACTIONS, f"{name} names no registered action"
    # Each action that keeps a URL of its own keeps the name it had before the registry.
    assert own == {
        "document": "orders:document_upload",
        "decide": "orders:portout_decide",
        "rerun": "orders:portout_rerun",
        "expedite": "orders:portout_expedite",
        "override": "orders:portout_override",
        "sup-receive": "orders:portout_sup_new",
        "sup-flag": "orders:portout_sup_flag",
        "npac-event": "orders:portout_npac_event",
    }


def _order(direction, status):
    # The states the actions' extra conditions look at, set so that those actions show
    # wherever their statuses allow (a CSR mismatch, a SUP-threshold flag, an R18 finding).
    if direction == Direction.PORT_IN:
        return PortOrderFactory(status=status, csr_status=PortOrder.CsrStatus.MISMATCHED)
    zip_finding = Finding(R18, "zip_code", "The ZIP does not match the account.", CODE_ZIP)
    return PortOutOrderFactory(
        status=status,
        sup_flag=PortOrder.Decision.PENDING,
        rule_evaluation={"findings": [zip_finding.as_dict()], "reject_codes": [CODE_ZIP]},
    )


CASES = [(d, s) for d in (Direction.PORT_IN, Direction.PORT_OUT) for s in TRANSITIONS[d]]


@pytest.mark.django_db
@pytest.mark.parametrize(("direction", "status"), CASES, ids=lambda v: str(v))
def test_the_order_page_offers_only_the_actions_whose_desk_and_statuses_match(
    admin_client_, direction, status
):
    order = _order(direction, status)
    html = admin_client_.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    for action in ALL_ACTIONS:
        matches = status in action.statuses.get(direction, ())
        shown = _url(action, order) in html
        assert shown == matches, (
            f"{action.slug} on a {direction} order in {status}: "
            f"{'shown' if shown else 'not shown'}, statuses say {'yes' if matches else 'no'}"
        )


@pytest.mark.django_db
def test_the_desks_pages_differ_as_their_tables_say(admin_client_):
    """A spot check in the desk's words, independent of the registry's own data."""
    draft = _order(Direction.PORT_IN, "draft")
    html = admin_client_.get(reverse("orders:order_detail", args=[draft.pk])).content.decode()
    assert 'data-action="submit"' in html and 'data-action="foc"' not in html
    assert reverse("orders:portout_decide", args=[draft.pk]) not in html

    received = _order(Direction.PORT_OUT, "received")
    html = admin_client_.get(reverse("orders:order_detail", args=[received.pk])).content.decode()
    assert 'data-testid="decide-form"' in html and 'data-testid="expedite-form"' not in html
    assert 'data-action="submit"' not in html and 'data-action="comment"' in html


@pytest.mark.django_db
def test_a_port_in_action_posted_on_a_port_out_order_is_not_found(admin_client_):
    order = _order(Direction.PORT_OUT, "received")
    url = reverse("orders:order_action", kwargs={"pk": order.pk, "action": "submit"})
    assert admin_client_.post(url, {"submit-expected_status": "received"}).status_code == 404
