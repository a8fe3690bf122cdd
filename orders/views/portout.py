"""Port-out desk pages: CSR requests, LSR intake, the decision actions on the order detail
page, supplements, NPAC events and NPAC cancel records.

Views are thin: permission check, a form, one service call, a message and a redirect. Order
actions post here and go back to the shared order detail page (`orders:order_detail`), whose
port-out section is `templates/orders/_detail_portout.html` fed by `detail_context()`.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from orders.forms.portout import (
    CsrRejectForm,
    CsrRequestForm,
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
from orders.lifecycle import DomainError
from orders.models import (
    AuthorizationDispute,
    CsrRequest,
    Direction,
    NpacCancelRecord,
    OrderNumber,
    PortOrder,
    Status,
)
from orders.rules.base import RULE_ORDER, fmt_tn
from orders.services import portout as services
from orders.views.portin import order_page_prefetches


def _require(request, *perms):
    if not all(request.user.has_perm(p) for p in perms):
        raise PermissionDenied("You may not do this.")


def _order(pk) -> PortOrder:
    return get_object_or_404(
        PortOrder.objects.select_related("new_carrier", "losing_carrier"),
        pk=pk,
        direction=Direction.PORT_OUT,
    )


def _detail_url(order) -> str:
    return reverse("orders:order_detail", args=[order.pk])


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- port-out home -------------------------------------------------------------------------------


def home(request):
    _require(request, "orders.view_portorder")
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


# --- CSR requests (R1-R5) --------------------------------------------------------------------


def _time_left(csr_request, now):
    """The R1 countdown: time left before the request is due, or how late it is."""
    if csr_request.status != CsrRequest.Status.OPEN:
        return None
    seconds = int((csr_request.due_at - now).total_seconds())
    overdue = seconds < 0
    seconds = abs(seconds)
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    text = f"{hours} h {minutes:02d} min"
    return {"overdue": overdue, "text": f"overdue by {text}" if overdue else f"{text} left"}


def csr_list(request):
    _require(request, "orders.view_csrrequest")
    now = timezone.now()
    state = request.GET.get("state", "open")
    requests_qs = CsrRequest.objects.select_related("requesting_carrier", "answered_by")
    if state in CsrRequest.Status.values:
        requests_qs = requests_qs.filter(status=state)
    if state == CsrRequest.Status.OPEN:
        requests_qs = requests_qs.order_by("due_at")
    else:
        requests_qs = requests_qs.order_by("-received_at")
    rows = [(r, _time_left(r, now)) for r in requests_qs[:200]]
    return render(
        request,
        "orders/portout/csr_list.html",
        {"rows": rows, "state": state, "states": CsrRequest.Status.choices, "now": now},
    )


def csr_new(request):
    _require(request, "orders.add_csrrequest")
    form = CsrRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            csr_request = services.csr_request_receive(
                requesting_carrier=data["requesting_carrier"],
                tns=data["tns"],
                authorization_indicator=data["authorization_indicator"],
                received_at=data.get("received_at"),
                loa_file=data.get("loa"),
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"CSR request #{csr_request.pk} logged.")
            return redirect("orders:portout_csr_detail", pk=csr_request.pk)
    return render(request, "orders/portout/csr_form.html", {"form": form})


def _csr_request(pk):
    return get_object_or_404(
        CsrRequest.objects.select_related("requesting_carrier", "answered_by", "created_by"),
        pk=pk,
    )


def csr_detail(request, pk):
    _require(request, "orders.view_csrrequest")
    csr_request = _csr_request(pk)
    findings = (
        services.csr_request_findings(csr_request)
        if csr_request.status == CsrRequest.Status.OPEN
        else []
    )
    return render(
        request,
        "orders/portout/csr_detail.html",
        {
            "csr_request": csr_request,
            "time_left": _time_left(csr_request, timezone.now()),
            "findings": findings,
            "rejects": [f for f in findings if f.is_reject],
            "answer": csr_request.answer or {},
            "reject_form": CsrRejectForm(),
            "dispute_form": DisputeForm(),
            "dispute_action_form": DisputeActionForm(),
            "disputes": csr_request.disputes.select_related("opened_by"),
            "documents": csr_request.documents.all(),
            "tns": [fmt_tn(tn) for tn in csr_request.tns],
        },
    )


@require_POST
def csr_answer(request, pk):
    _require(request, "orders.change_csrrequest")
    csr_request = _csr_request(pk)
    try:
        services.csr_request_answer(csr_request=csr_request, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "CSR answered.")
    return redirect("orders:portout_csr_detail", pk=pk)


@require_POST
def csr_reject(request, pk):
    _require(request, "orders.change_csrrequest")
    csr_request = _csr_request(pk)
    form = CsrRejectForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("orders:portout_csr_detail", pk=pk)
    try:
        services.csr_request_reject(
            csr_request=csr_request,
            by=request.user,
            reason_codes=[r.code for r in form.cleaned_data["reason_codes"]],
            text=form.cleaned_data["text"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "CSR request rejected with its coded reasons.")
    return redirect("orders:portout_csr_detail", pk=pk)


def safe_cell(value) -> str:
    """Neutralise spreadsheet formula injection: a cell starting = + - @ (or a tab/CR that
    some spreadsheets strip first) gets a leading single quote."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _csv_response(filename, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSR_CSV_HEADER = [
    "account_name",
    "account_number",
    "btn",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
    "tn",
    "line_type",
    "features",
    "status",
]
CSR_ACCOUNT_KEYS = [
    "name",
    "account_number",
    "btn",
    "authorized_person",
    "service_address",
    "city",
    "state",
    "zip_code",
]


def csr_csv(request, pk):
    """The CSR answer as a CSV (one row per TN, the account columns repeated)."""
    _require(request, "orders.view_csrrequest")
    answer = _csr_request(pk).answer or {}
    if answer.get("kind") != "csr":
        raise PermissionDenied("This request has no CSR answer.")
    rows = []
    for account in answer.get("accounts", []):
        base = [account.get(key, "") for key in CSR_ACCOUNT_KEYS]
        for line in account.get("numbers", []):
            rows.append([*base, line["tn"], line["line_type"], line["features"], line["status"]])
    return _csv_response(f"csr-request-{pk}.csv", CSR_CSV_HEADER, rows)


def csr_print(request, pk):
    _require(request, "orders.view_csrrequest")
    csr_request = _csr_request(pk)
    return render(
        request,
        "orders/portout/csr_print.html",
        {"csr_request": csr_request, "answer": csr_request.answer or {}},
    )


# --- LSR intake and decision -------------------------------------------------------------------


def lsr_new(request):
    _require(request, "orders.add_portorder")
    form = LsrForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.lsr_receive(
                requesting_carrier=form.cleaned_data["requesting_carrier"],
                lsr=form.lsr_data(),
                pin=form.cleaned_data.get("pin") or "",
                new_spid=form.cleaned_data.get("new_spid"),
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            rejects = (order.rule_evaluation or {}).get("reject_codes") or []
            if rejects:
                messages.warning(
                    request,
                    f"LSR {order} logged; it fails {', '.join(rejects)}: review and send the "
                    "reject.",
                )
            else:
                messages.success(request, f"LSR {order} logged; every rule passes.")
            return redirect(_detail_url(order))
    return render(request, "orders/portout/lsr_form.html", {"form": form})


@require_POST
def decide(request, pk):
    _require(request, "orders.change_portorder")
    order = _order(pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(order))
    data = form.cleaned_data
    try:
        services.lsr_decide(
            order=order,
            decision=data["decision"],
            by=request.user,
            reason_codes=[r.code for r in data["reason_codes"]],
            text=data["text"],
            expected_status=data["expected_status"] or None,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if order.status == Status.FOC_SENT:
            messages.success(request, f"FOC {order.foc_date:%Y-%m-%d} sent.")
        elif order.status == Status.EXPEDITE_REVIEW:
            messages.info(request, "Expedite inside the interval: waiting for a manager.")
        else:
            messages.success(request, "Reject sent with every failing rule.")
    return redirect(_detail_url(order))


@require_POST
def rerun(request, pk):
    _require(request, "orders.change_portorder")
    order = _order(pk)
    try:
        findings = services.lsr_rerun(order=order, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        failing = sorted({f.code for f in findings if f.is_reject}, key=RULE_ORDER.get)
        messages.info(
            request,
            "Rules re-run: " + (f"failing {', '.join(failing)}." if failing else "all pass."),
        )
    return redirect(_detail_url(order))


@require_POST
def expedite(request, pk):
    _require(request, "orders.decide_expedite")
    order = _order(pk)
    form = ExpediteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(order))
    accept = form.cleaned_data["accept"] == "yes"
    try:
        services.expedite_decide(
            order=order,
            accept=accept,
            by=request.user,
            expected_status=form.cleaned_data["expected_status"] or None,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        verdict = "accepted" if accept else "refused"
        messages.success(request, f"Expedite {verdict}: FOC {order.foc_date:%Y-%m-%d} sent.")
    return redirect(_detail_url(order))


def sup_new(request, pk):
    _require(request, "orders.add_supplement", "orders.change_portorder")
    order = _order(pk)
    form = SupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sup = services.sup_receive(
                order=order,
                sup_type=data["sup_type"],
                by=request.user,
                received_at=data.get("received_at"),
                requested_due_date=data.get("requested_due_date"),
                remarks=data.get("remarks") or "",
                changes=data.get("changes") or {},
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, sup.explanation or f"{sup.get_sup_type_display()} recorded.")
            return redirect(_detail_url(order))
    return render(request, "orders/portout/sup_form.html", {"form": form, "order": order})


@require_POST
def sup_flag(request, pk):
    _require(request, "orders.decide_sup_flag")
    order = _order(pk)
    form = SupFlagForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(order))
    try:
        services.sup_flag_decide(
            order=order,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
            by=request.user,
            expected_status=form.cleaned_data["expected_status"] or None,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "SUP-threshold flag decided.")
    return redirect(_detail_url(order))


@require_POST
def npac_event(request, pk):
    _require(request, "orders.change_portorder")
    order = _order(pk)
    form = NpacEventForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(order))
    data = form.cleaned_data
    try:
        events = services.npac_event_record(
            order=order,
            kind=data["kind"],
            tns=data["tns"] or None,
            notes=data.get("notes") or "",
            occurred_at=data.get("occurred_at"),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        label = events[0].get_kind_display() if events else data["kind"]
        messages.success(request, f"NPAC {label} recorded for {len(events)} TN(s).")
        if order.status == Status.COMPLETED:
            messages.success(request, "Every TN to port is active: the order is completed.")
    return redirect(_detail_url(order))


# --- authorization disputes (R6) ---------------------------------------------------------------


@require_POST
def dispute_new(request):
    _require(request, "orders.add_authorizationdispute")
    form = DisputeForm(request.POST)
    order = csr_request = None
    if request.POST.get("order"):
        order = _order(request.POST["order"])
        back = _detail_url(order)
    elif request.POST.get("csr_request"):
        csr_request = _csr_request(request.POST["csr_request"])
        back = reverse("orders:portout_csr_detail", args=[csr_request.pk])
    else:
        raise PermissionDenied("A dispute belongs to an order or a CSR request.")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    try:
        services.dispute_open(
            order=order,
            csr_request=csr_request,
            description=form.cleaned_data["description"],
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Authorization dispute recorded (R6).")
    return redirect(back)


@require_POST
def dispute_action(request, pk):
    _require(request, "orders.change_authorizationdispute")
    dispute = get_object_or_404(
        AuthorizationDispute.objects.select_related("order", "csr_request"), pk=pk
    )
    back = (
        _detail_url(dispute.order)
        if dispute.order_id
        else reverse("orders:portout_csr_detail", args=[dispute.csr_request_id])
    )
    form = DisputeActionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] == "request_evidence":
            services.dispute_request_evidence(dispute=dispute, by=request.user, notes=data["notes"])
        elif data["action"] == "record_evidence":
            services.dispute_record_evidence(dispute=dispute, by=request.user, notes=data["notes"])
        else:
            services.dispute_resolve(
                dispute=dispute,
                resolution=data["resolution"],
                by=request.user,
                notes=data["notes"],
            )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Dispute updated.")
    return redirect(back)


# --- NPAC cancel records (R11) -----------------------------------------------------------------

CANCEL_STATES = {
    "to_send": ("To send", Q(sent_at__isnull=True)),
    "sent": ("Sent, awaiting confirmation", Q(sent_at__isnull=False, confirmed_at__isnull=True)),
    "confirmed": ("Confirmed", Q(confirmed_at__isnull=False)),
}


def _cancel_records(state):
    _, condition = CANCEL_STATES.get(state, CANCEL_STATES["to_send"])
    return (
        NpacCancelRecord.objects.filter(condition)
        .select_related("order__new_carrier", "order__new_spid", "order__losing_spid")
        .order_by("created_at", "tn")
    )


def npac_cancels(request):
    _require(request, "orders.view_npaccancelrecord")
    state = request.GET.get("state", "to_send")
    if state not in CANCEL_STATES:
        state = "to_send"
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


@require_POST
def npac_cancels_mark(request):
    _require(request, "orders.change_npaccancelrecord")
    ids = [int(v) for v in request.POST.getlist("records") if v.isdigit()]
    form = NpacCancelMarkForm(request.POST, record_ids=ids)
    state = request.POST.get("state", "to_send")
    if state not in CANCEL_STATES:
        state = "to_send"
    back = f"{reverse('orders:portout_npac_cancels')}?state={state}"
    if not form.is_valid():
        messages.error(request, "Choose the records and what to mark them.")
        return redirect(back)
    records = form.cleaned_data["records"]
    if form.cleaned_data["action"] == "sent":
        done = services.npac_cancel_mark_sent(record_ids=records, by=request.user)
        messages.success(request, f"{done} record(s) marked sent to NPAC.")
    else:
        done = services.npac_cancel_mark_confirmed(record_ids=records, by=request.user)
        skipped = len(records) - done
        note = f" ({skipped} not sent yet or already confirmed)" if skipped else ""
        messages.success(request, f"{done} record(s) marked confirmed{note}.")
    return redirect(back)


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
    _require(request, "orders.view_npaccancelrecord")
    state = request.GET.get("state", "to_send")
    if state not in CANCEL_STATES:
        state = "to_send"
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
    return _csv_response(f"npac-cancels-{state}-{stamp}.csv", NPAC_CSV_HEADER, rows)


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
    disputes = list(order.disputes.select_related("opened_by"))
    return {
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
        "can_reject": can_work and is_open,
        "can_sup": can_work and is_open,
        "can_npac": can_work and is_open,
        "can_expedite": user.has_perm("orders.decide_expedite")
        and order.status == Status.EXPEDITE_REVIEW,
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
    _require(request, "orders.view_portorder")
    return redirect(_detail_url(_order(pk)))
