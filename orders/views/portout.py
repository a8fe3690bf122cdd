"""Port-out desk pages: the desk's home, LSR intake and the NPAC cancel records (R11). CSR
requests and authorization disputes are in `portout_csr.py`.

The actions on a port-out order (decide, re-run, expedite, SUPs, NPAC events...) are
registered in `portout_actions.py` and run by the order page's one action view
(`order_page.order_action`); their forms are in the page's port-out section
(`portout_section.py`).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carriers.timefmt import csv_time
from orders.forms.portout_actions import NpacCancelMarkForm
from orders.forms.portout_lsr import LsrForm
from orders.models import CsrRequest, Direction, NpacCancelRecord, PortOrder, Status
from orders.services import portout as services
from orders.views.common import require
from orders.views.portout_shared import (
    csv_response,
    form_page,
    order_or_404,
    order_url,
    post_action,
)

# --- port-out home -------------------------------------------------------------------------------


def home(request):
    require(request.user, "orders.view_portorder")
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
    require(request.user, "orders.add_portorder")
    form = LsrForm(request.POST or None, request.FILES or None)
    return form_page(request, form, "orders/portout/lsr_form.html", _receive_lsr)


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
    require(request.user, "orders.view_npaccancelrecord")
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
    require(request.user, "orders.view_npaccancelrecord")
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
                csv_time(record.created_at),
            ]
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"npac-cancels-{state}-{stamp}.csv", NPAC_CSV_HEADER, rows)


def portout_detail(request, pk):
    """Port-out orders live on the shared order detail page."""
    require(request.user, "orders.view_portorder")
    return redirect(order_url(order_or_404(pk)))
