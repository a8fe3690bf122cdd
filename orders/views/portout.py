"""Port-out desk pages: LSR intake, the decision actions on the order detail page,
supplements, NPAC events and NPAC cancel records. CSR requests and authorization disputes
are in `portout_csr.py`.

Views are thin: permission check, a form, one service call, a message and a redirect, the
steps `portout_shared.post_action` runs for every action. Order actions post here and go back
to the shared order detail page (`orders:order_detail`), whose port-out section is
`templates/orders/_detail_portout.html` fed by `detail_context()`.
"""

from django.contrib import messages
from django.db.models import Count, Q, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from orders.forms.portout import (
    DecideForm,
    DisputeActionForm,
    DisputeForm,
    ExpediteForm,
    LsrForm,
    NpacCancelMarkForm,
    NpacEventForm,
    SupFlagForm,
    SupForm,
)
from orders.models import (
    CsrRequest,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Status,
)
from orders.rules.base import RULE_ORDER
from orders.services import portout as services
from orders.views.portin import order_page_prefetches
from orders.views.portout_findings import r18_context
from orders.views.portout_shared import (
    csv_response,
    form_page,
    order_or_404,
    order_url,
    post_action,
    require,
)

# --- port-out home -------------------------------------------------------------------------------


def home(request):
    require(request, "orders.view_portorder")
    now = timezone.now()
    to_decide = (
        PortOrder.objects.filter(
            direction=Direction.PORT_OUT,
            status__in=[Status.RECEIVED, Status.EXPEDITE_REVIEW],
        )
        .select_related("new_carrier")
        .order_by("received_at")[:50]
    )
    counts = CsrRequest.objects.aggregate(
        open=Count("pk", filter=Q(status=CsrRequest.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=CsrRequest.Status.OPEN, due_at__lt=now)),
    )
    flagged = PortOrder.objects.filter(
        direction=Direction.PORT_OUT, sup_flag=PortOrder.Decision.PENDING
    ).count()
    unsent = NpacCancelRecord.objects.filter(sent_at__isnull=True).count()
    return render(
        request,
        "orders/portout/home.html",
        {
            "to_decide": to_decide,
            "csr_counts": counts,
            "flagged": flagged,
            "unsent_cancels": unsent,
        },
    )


# --- LSR intake and decision -------------------------------------------------------------------


def _receive_lsr(request, form):
    order = services.lsr_receive(
        requesting_carrier=form.cleaned_data["requesting_carrier"],
        lsr=form.lsr_data(),
        pin=form.cleaned_data.get("pin") or "",
        new_spid=form.cleaned_data.get("new_spid"),
        by=request.user,
    )
    rejects = (order.rule_evaluation or {}).get("reject_codes") or []
    if order.status == Status.REJECTED:
        missing = [
            f["field_or_tn"]
            for f in (order.rule_evaluation or {}).get("findings", [])
            if f.get("rule") == "R16"
        ]
        said = [
            (
                messages.WARNING,
                f"LSR {order} logged and rejected at once (R16): missing "
                f"{', '.join(missing) or 'a required field'}.",
            )
        ]
    elif rejects:
        said = [
            (
                messages.WARNING,
                f"LSR {order} logged; it fails {', '.join(rejects)}: review and send the reject.",
            )
        ]
    elif blockers := services.open_blockers(order):
        # R18: an end-user name finding has no reject code, yet stops the FOC like one.
        said = [
            (
                messages.WARNING,
                f"LSR {order} logged; {services.blockers_label(blockers)} must be resolved "
                "before any FOC: a SUP 3 fixing it or a manager's override (R18).",
            )
        ]
    else:
        said = f"LSR {order} logged; every rule passes."
    return said, order_url(order)


def lsr_new(request):
    require(request, "orders.add_portorder")
    form = LsrForm(request.POST or None, request.FILES or None)
    return form_page(request, form, "orders/portout/lsr_form.html", _receive_lsr)


def _order_action(request, pk, perm, run, form=None):
    return post_action(
        request, perm, load=lambda: order_or_404(pk), back=order_url, run=run, form=form
    )


def _decide(request, order, form):
    data = form.cleaned_data
    services.lsr_decide(
        order=order,
        decision=data["decision"],
        by=request.user,
        reason_codes=[r.code for r in data["reason_codes"]],
        text=data["text"],
        expected_status=data["expected_status"] or None,
    )
    if order.status == Status.FOC_SENT:
        return f"FOC {order.foc_date:%Y-%m-%d} sent."
    if order.status == Status.EXPEDITE_REVIEW:
        return [(messages.INFO, "Expedite inside the interval: waiting for a manager.")]
    return "Reject sent with every failing rule."


def _rerun(request, order, form):
    findings = services.lsr_rerun(order=order, by=request.user)
    # What stops the FOC now: coded rejects and R18 findings no manager overrode.
    failing = services.blockers_label(services.open_blockers(order, findings))
    return [
        (
            messages.INFO,
            "Rules re-run: " + (f"failing {failing}." if failing else "all pass."),
        )
    ]


def _decide_expedite(request, order, form):
    accept = form.cleaned_data["accept"] == "yes"
    services.expedite_decide(
        order=order,
        accept=accept,
        by=request.user,
        expected_status=form.cleaned_data["expected_status"] or None,
    )
    verdict = "accepted" if accept else "refused"
    return f"Expedite {verdict}: FOC {order.foc_date:%Y-%m-%d} sent."


@require_POST
def decide(request, pk):
    return _order_action(request, pk, "orders.change_portorder", _decide, DecideForm)


@require_POST
def rerun(request, pk):
    return _order_action(request, pk, "orders.change_portorder", _rerun)


@require_POST
def expedite(request, pk):
    return _order_action(request, pk, "orders.decide_expedite", _decide_expedite, ExpediteForm)


def _receive_sup(request, order, form):
    data = form.cleaned_data
    sup = services.sup_receive(
        order=order,
        sup_type=data["sup_type"],
        by=request.user,
        received_at=data.get("received_at"),
        requested_due_date=data.get("requested_due_date"),
        remarks=data.get("remarks") or "",
        changes=data.get("changes") or {},
    )
    return sup.explanation or f"{sup.get_sup_type_display()} recorded.", order_url(order)


def sup_new(request, pk):
    require(request, "orders.add_supplement", "orders.change_portorder")
    order = order_or_404(pk)
    form = SupForm(request.POST or None)
    return form_page(
        request,
        form,
        "orders/portout/sup_form.html",
        lambda request, form: _receive_sup(request, order, form),
        order=order,
    )


def _decide_sup_flag(request, order, form):
    services.sup_flag_decide(
        order=order,
        action=form.cleaned_data["action"],
        comment=form.cleaned_data["comment"],
        by=request.user,
        expected_status=form.cleaned_data["expected_status"] or None,
    )
    return "SUP-threshold flag decided."


def _record_npac_event(request, order, form):
    data = form.cleaned_data
    events = services.npac_event_record(
        order=order,
        kind=data["kind"],
        tns=data["tns"] or None,
        notes=data.get("notes") or "",
        occurred_at=data.get("occurred_at"),
        by=request.user,
    )
    label = events[0].get_kind_display() if events else data["kind"]
    said = [(messages.SUCCESS, f"NPAC {label} recorded for {len(events)} TN(s).")]
    if order.status == Status.COMPLETED:
        said.append((messages.SUCCESS, "Every TN to port is active: the order is completed."))
    return said


@require_POST
def sup_flag(request, pk):
    return _order_action(request, pk, "orders.decide_sup_flag", _decide_sup_flag, SupFlagForm)


@require_POST
def npac_event(request, pk):
    return _order_action(request, pk, "orders.change_portorder", _record_npac_event, NpacEventForm)


# --- NPAC cancel records (R11) -----------------------------------------------------------------

CANCEL_STATES = {
    "to_send": ("To send", Q(sent_at__isnull=True)),
    "sent": ("Sent, awaiting confirmation", Q(sent_at__isnull=False, confirmed_at__isnull=True)),
    "confirmed": ("Confirmed", Q(confirmed_at__isnull=False)),
}


def _cancel_state(params) -> str:
    """The state asked for, or the records still to send when it names none we know."""
    state = params.get("state", "to_send")
    return state if state in CANCEL_STATES else "to_send"


def _cancel_records(state):
    _, condition = CANCEL_STATES.get(state, CANCEL_STATES["to_send"])
    return (
        NpacCancelRecord.objects.filter(condition)
        .select_related("order__new_carrier", "order__new_spid", "order__losing_spid")
        .order_by("created_at", "tn")
    )


def npac_cancels(request):
    require(request, "orders.view_npaccancelrecord")
    state = _cancel_state(request.GET)
    counts = NpacCancelRecord.objects.aggregate(
        **{key: Count("pk", filter=cond) for key, (_, cond) in CANCEL_STATES.items()}
    )
    records = _cancel_records(state)[:500]
    return render(
        request,
        "orders/portout/npac_cancels.html",
        {
            "records": records,
            "state": state,
            "states": [(k, label, counts[k]) for k, (label, _) in CANCEL_STATES.items()],
        },
    )


def _record_ids(post):
    return [int(v) for v in post.getlist("records") if v.isdigit()]


def _cancels_url(state):
    return f"{reverse('orders:portout_npac_cancels')}?state={state}"


def _mark_cancels(request, state, form):
    records = form.cleaned_data["records"]
    if form.cleaned_data["action"] == "sent":
        done = services.npac_cancel_mark_sent(record_ids=records, by=request.user)
        return f"{done} record(s) marked sent to NPAC."
    done = services.npac_cancel_mark_confirmed(record_ids=records, by=request.user)
    skipped = len(records) - done
    note = f" ({skipped} not sent yet or already confirmed)" if skipped else ""
    return f"{done} record(s) marked confirmed{note}."


@require_POST
def npac_cancels_mark(request):
    return post_action(
        request,
        "orders.change_npaccancelrecord",
        load=lambda: _cancel_state(request.POST),
        back=_cancels_url,
        run=_mark_cancels,
        form=lambda post: NpacCancelMarkForm(post, record_ids=_record_ids(post)),
        invalid="Choose the records and what to mark them.",
    )


NPAC_CSV_HEADER = [
    "tn",
    "action",
    "old_spid",
    "new_spid",
    "new_carrier",
    "pon",
    "ver",
    "foc_date",
    "reason",
    "record_id",
    "created_at",
]


def npac_cancels_csv(request):
    """The records in a state as a CSV an SOA operator can upload (formula-safe cells)."""
    require(request, "orders.view_npaccancelrecord")
    state = _cancel_state(request.GET)
    rows = []
    for record in _cancel_records(state).iterator(chunk_size=2000):
        order = record.order
        rows.append(
            [
                record.tn,
                "cancel",
                order.losing_spid.code if order.losing_spid else "",
                order.new_spid.code if order.new_spid else "",
                order.new_carrier.name,
                order.pon,
                order.version,
                order.foc_date.isoformat() if order.foc_date else "",
                record.reason,
                record.pk,
                timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"npac-cancels-{state}-{stamp}.csv", NPAC_CSV_HEADER, rows)


# --- the port-out section of the order detail page ---------------------------------------------


def detail_context(request, order, *, disposition_counts=None) -> dict:
    """Context for `orders/_detail_portout.html`; the template reads it as `portout.*` (the
    order page passes this dict under that name, besides `order`).

    The TNs themselves are listed once, in the page's numbers card; this section shows the
    R13 groups' sizes, `disposition_counts` ({disposition: TNs}) when the page has counted
    them already, else one grouped count. Supplements and rejections come from the order's
    prefetch cache, shared with the timeline.
    """
    user = request.user
    prefetch_related_objects([order], *order_page_prefetches())
    if disposition_counts is None:
        disposition_counts = dict(
            order.numbers.order_by()
            .values_list("disposition")
            .annotate(n=Count("pk"))
            .values_list("disposition", "n")
        )
    evaluation = order.rule_evaluation or {}
    findings = services.stored_findings(order)
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    foc = services.stored_foc(order)
    can_work = user.has_perm("orders.change_portorder")
    is_open = order.status in services.OPEN_PORT_OUT
    # An order waiting for an expedite decision is decided by a manager only, reject included.
    awaits_manager = order.status == Status.EXPEDITE_REVIEW
    can_manage = services.may_decide_expedite(user)
    disputes = list(order.disputes.select_related("opened_by"))
    return {
        **r18_context(user, order, findings),
        "findings": findings,
        "findings_by_rule": sorted(by_rule.items(), key=lambda kv: RULE_ORDER.get(kv[0], 99)),
        "reject_codes": evaluation.get("reject_codes", []),
        "evaluated_at": evaluation.get("evaluated_at"),
        "kind": evaluation.get("kind", ""),
        "foc": foc,
        "foc_line": order.foc_explanation or (foc.explanation if foc else ""),
        "port_count": disposition_counts.get(OrderNumber.Disposition.PORT, 0),
        "disconnect_count": disposition_counts.get(OrderNumber.Disposition.DISCONNECT, 0),
        "remain_count": disposition_counts.get(OrderNumber.Disposition.REMAIN, 0),
        "supplements": order.supplements.all(),
        "npac_events": order.npac_events.select_related("recorded_by")[:200],
        "npac_cancels": order.npac_cancels.all(),
        "disputes": disputes,
        "open_disputes": [d for d in disputes if d.is_open],
        "rejections": order.rejections.all(),
        "versions": PortOrder.objects.filter(
            direction=Direction.PORT_OUT, new_carrier=order.new_carrier, pon=order.pon
        )
        .exclude(pk=order.pk)
        .order_by("version"),
        "can_work": can_work,
        "can_decide": can_work and order.status == Status.RECEIVED,
        "can_reject": can_work and is_open and (can_manage or not awaits_manager),
        "can_sup": can_work and is_open,
        "can_npac": can_work and is_open,
        "can_expedite": can_manage and awaits_manager,
        "can_sup_flag": user.has_perm("orders.decide_sup_flag")
        and order.sup_flag == PortOrder.Decision.PENDING,
        "decide_form": DecideForm(initial={"expected_status": order.status}),
        "expedite_form": ExpediteForm(initial={"expected_status": order.status}),
        "sup_flag_form": SupFlagForm(initial={"expected_status": order.status}),
        "npac_form": NpacEventForm(),
        "dispute_form": DisputeForm(),
        "dispute_action_form": DisputeActionForm(),
    }


def portout_detail(request, pk):
    """Port-out orders live on the shared order detail page."""
    require(request, "orders.view_portorder")
    return redirect(order_url(order_or_404(pk)))
