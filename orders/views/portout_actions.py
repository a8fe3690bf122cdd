"""The port-out desk's order actions (seed 000): decide the LSR, re-run the rules, the
manager's expedite, SUP-threshold and R18 override decisions, SUP intake and NPAC events.

Their forms are placed by hand in the order page's port-out section
(`templates/orders/_detail_portout.html`), except the SUP intake, which has its own page.
Forms in `orders.forms.portout_actions`; services in `orders.services.portout`.
"""

from django.contrib import messages

from orders.forms import portout_actions as forms
from orders.models import Direction, PortOrder, Status
from orders.rules.validation_fields import R18
from orders.services import portout as services
from orders.views.actions import PAGE, SECTION, Action, Done, every_status, port_out

S = Status
CHANGE = ("orders.change_portorder",)
OPEN = port_out(services.OPEN_PORT_OUT)


def _decide_args(form, user) -> dict:
    data = form.cleaned_data
    return {
        "decision": data["decision"],
        "reason_codes": [r.code for r in data["reason_codes"]],
        "text": data["text"],
        "expected_status": form.expected,
        "send_to": data.get("send_to") or "",
    }


def _decided(done: Done):
    order = done.order
    if order.status == S.FOC_SENT:
        return f"FOC {order.foc_date:%Y-%m-%d} sent."
    if order.status == S.EXPEDITE_REVIEW:
        return [(messages.INFO, "Expedite inside the interval: waiting for a manager.")]
    return "Reject sent with every failing rule."


def _may_decide(user, order: PortOrder) -> bool:
    # An order waiting for an expedite decision is decided by a manager only, reject included.
    return order.status != S.EXPEDITE_REVIEW or services.may_decide_expedite(user)


def _rerun_done(done: Done):
    # What stops the FOC now: coded rejects and R18 findings no manager overrode.
    failing = services.blockers_label(services.open_blockers(done.order, done.result))
    return [(messages.INFO, "Rules re-run: " + (f"failing {failing}." if failing else "all pass."))]


def _has_r18_finding(order: PortOrder) -> bool:
    # Each R18 finding not yet overridden gets its own override form in the section.
    return any(f.rule == R18 for f in services.stored_findings(order))


def _expedite_args(form, user) -> dict:
    return {
        "accept": form.cleaned_data["accept"] == "yes",
        "expected_status": form.expected,
        "send_to": form.cleaned_data.get("send_to") or "",
    }


def _expedite_decided(done: Done) -> str:
    verdict = "accepted" if done.args["accept"] else "refused"
    return f"Expedite {verdict}: FOC {done.order.foc_date:%Y-%m-%d} sent."


def _sup_args(form, user) -> dict:
    data = form.cleaned_data
    return {
        "sup_type": data["sup_type"],
        "received_at": data.get("received_at"),
        "requested_due_date": data.get("requested_due_date"),
        "remarks": data.get("remarks") or "",
        "changes": data.get("changes") or {},
    }


def _npac_args(form, user) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "tns": data["tns"] or None,
        "notes": data.get("notes") or "",
        "occurred_at": data.get("occurred_at"),
    }


def _npac_recorded(done: Done):
    events = done.result
    label = events[0].get_kind_display() if events else done.args["kind"]
    said = [(messages.SUCCESS, f"NPAC {label} recorded for {len(events)} TN(s).")]
    if done.order.status == S.COMPLETED:
        said.append((messages.SUCCESS, "Every TN to port is active: the order is completed."))
    return said


PORT_OUT_ACTIONS = (
    Action(
        "decide",
        "Send FOC or reject",
        CHANGE,
        OPEN,
        services.lsr_decide,
        _decided,
        form=forms.DecideForm,
        args=_decide_args,
        group=SECTION,
        permitted=_may_decide,
    ),
    Action(
        "rerun",
        "Re-run the rules",
        CHANGE,
        port_out(every_status(Direction.PORT_OUT)),
        services.lsr_rerun,
        _rerun_done,
        group=SECTION,
    ),
    Action(
        "expedite",
        "Decide the expedite (R8)",
        ("orders.decide_expedite",),
        port_out({S.EXPEDITE_REVIEW}),
        services.expedite_decide,
        _expedite_decided,
        form=forms.ExpediteForm,
        args=_expedite_args,
        group=SECTION,
    ),
    Action(
        "override",
        "Override an R18 finding",
        ("orders.override_finding",),
        port_out({S.RECEIVED}),
        services.finding_override,
        lambda d: f"R18 {d.args['field']} finding overridden; the reason is in the history.",
        form=forms.FindingOverrideForm,
        group=SECTION,
        when=_has_r18_finding,
    ),
    Action(
        "sup-receive",
        "Record a SUP",
        ("orders.add_supplement", "orders.change_portorder"),
        OPEN,
        services.sup_receive,
        lambda d: d.result.explanation or f"{d.result.get_sup_type_display()} recorded.",
        form=forms.SupForm,
        args=_sup_args,
        group=PAGE,
        template="orders/portout/sup_form.html",
    ),
    Action(
        "sup-flag",
        "Decide the SUP-threshold flag (R12)",
        ("orders.decide_sup_flag",),
        port_out(every_status(Direction.PORT_OUT)),
        services.sup_flag_decide,
        "SUP-threshold flag decided.",
        form=forms.SupFlagForm,
        group=SECTION,
        when=lambda o: o.sup_flag == PortOrder.Decision.PENDING,
    ),
    Action(
        "npac-event",
        "Record an NPAC event",
        CHANGE,
        OPEN,
        services.npac_event_record,
        _npac_recorded,
        form=forms.NpacEventForm,
        args=_npac_args,
        group=SECTION,
    ),
)
