"""Port-out desk pages for CSR requests (R1-R5) and authorization disputes (R6).

A dispute belongs to an order or a CSR request and sends the desk back to that page. The
shared steps (permission, load, form, service, message, redirect) are in `portout_shared`.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carriers.end_user import ACCOUNT_FIELD_NAMES, END_USER_FIELDS
from orders.forms.portout_csr import CsrRejectForm, CsrRequestForm, DisputeActionForm, DisputeForm
from orders.models import AuthorizationDispute, CsrRequest
from orders.rules.base import fmt_tn
from orders.services import portout as services
from orders.views.common import require
from orders.views.portout_shared import (
    csr_request_or_404,
    csr_request_url,
    csv_response,
    form_page,
    order_or_404,
    order_url,
    post_action,
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
    require(request.user, "orders.view_csrrequest")
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


def _receive_csr_request(request, form):
    data = form.cleaned_data
    csr_request = services.csr_request_receive(
        requesting_carrier=data["requesting_carrier"],
        tns=data["tns"],
        authorization_indicator=data["authorization_indicator"],
        received_at=data.get("received_at"),
        loa_file=data.get("loa"),
        by=request.user,
    )
    return f"CSR request #{csr_request.pk} logged.", csr_request_url(csr_request.pk)


def csr_new(request):
    require(request.user, "orders.add_csrrequest")
    form = CsrRequestForm(request.POST or None, request.FILES or None)
    return form_page(request, form, "orders/portout/csr_form.html", _receive_csr_request)


def csr_detail(request, pk):
    require(request.user, "orders.view_csrrequest")
    csr_request = csr_request_or_404(pk)
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
            "answer": services.csr_answer_shown(csr_request.answer),
            "reject_form": CsrRejectForm(),
            "dispute_form": DisputeForm(),
            "dispute_action_form": DisputeActionForm(),
            "disputes": csr_request.disputes.select_related("opened_by"),
            "documents": csr_request.documents.all(),
            "tns": [fmt_tn(tn) for tn in csr_request.tns],
        },
    )


def _csr_request_action(request, pk, run, form=None):
    return post_action(
        request,
        "orders.change_csrrequest",
        load=lambda: csr_request_or_404(pk),
        back=lambda csr_request: csr_request_url(csr_request.pk),
        run=run,
        form=form,
    )


def _answer(request, csr_request, form):
    services.csr_request_answer(csr_request=csr_request, by=request.user)
    return "CSR answered."


def _reject(request, csr_request, form):
    services.csr_request_reject(
        csr_request=csr_request,
        by=request.user,
        reason_codes=[r.code for r in form.cleaned_data["reason_codes"]],
        text=form.cleaned_data["text"],
    )
    return "CSR request rejected with its coded reasons."


@require_POST
def csr_answer(request, pk):
    return _csr_request_action(request, pk, _answer)


@require_POST
def csr_reject(request, pk):
    return _csr_request_action(request, pk, _reject, CsrRejectForm)


# One row per TN: the end user's fields (from the snapshot's account columns, where the
# account name is `name`), then the TN's line.
CSR_CSV_HEADER = [
    *END_USER_FIELDS,
    "tn",
    "line_type",
    "features",
    "status",
]


def csr_csv(request, pk):
    """The CSR answer as a CSV (one row per TN, the account columns repeated)."""
    require(request.user, "orders.view_csrrequest")
    answer = services.csr_answer_shown(csr_request_or_404(pk).answer)
    if answer.get("kind") != "csr":
        raise PermissionDenied("This request has no CSR answer.")
    rows = []
    for account in answer.get("accounts", []):
        base = [account.get(ACCOUNT_FIELD_NAMES[name], "") for name in END_USER_FIELDS]
        for line in account.get("numbers", []):
            rows.append([*base, line["tn"], line["line_type"], line["features"], line["status"]])
    return csv_response(f"csr-request-{pk}.csv", CSR_CSV_HEADER, rows)


def csr_print(request, pk):
    require(request.user, "orders.view_csrrequest")
    csr_request = csr_request_or_404(pk)
    return render(
        request,
        "orders/portout/csr_print.html",
        {"csr_request": csr_request, "answer": services.csr_answer_shown(csr_request.answer)},
    )


# --- authorization disputes (R6) ---------------------------------------------------------------


def _disputed(request):
    """What a new dispute is about, from the POST: (order, None) or (None, CSR request)."""
    if request.POST.get("order"):
        return order_or_404(request.POST["order"]), None
    if request.POST.get("csr_request"):
        return None, csr_request_or_404(request.POST["csr_request"])
    raise PermissionDenied("A dispute belongs to an order or a CSR request.")


def _disputed_url(disputed):
    order, csr_request = disputed
    return order_url(order) if order is not None else csr_request_url(csr_request.pk)


def _open(request, disputed, form):
    order, csr_request = disputed
    services.dispute_open(
        order=order,
        csr_request=csr_request,
        description=form.cleaned_data["description"],
        by=request.user,
    )
    return "Authorization dispute recorded (R6)."


@require_POST
def dispute_new(request):
    return post_action(
        request,
        "orders.add_authorizationdispute",
        load=lambda: _disputed(request),
        back=_disputed_url,
        run=_open,
        form=DisputeForm,
    )


def _dispute_url(dispute):
    if dispute.order_id:
        return order_url(dispute.order)
    return csr_request_url(dispute.csr_request_id)


def _act_on_dispute(request, dispute, form):
    data = form.cleaned_data
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
    return "Dispute updated."


@require_POST
def dispute_action(request, pk):
    return post_action(
        request,
        "orders.change_authorizationdispute",
        load=lambda: get_object_or_404(
            AuthorizationDispute.objects.select_related("order", "csr_request"), pk=pk
        ),
        back=_dispute_url,
        run=_act_on_dispute,
        form=DisputeActionForm,
    )
