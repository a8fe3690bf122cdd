"""The customer's pages (issue 19), reached by the link the desk emailed, without a login:
the LOA to sign, or the order's status (with the corrections a reject asks for, and the
cancel of a draft).

Thin: rate limit, resolve the link (`customer_access`: unknown, revoked or expired links get
a clear page and change nothing), parse the form, call the service, render. Every response
is `no-store` with a same-origin referrer policy (the token is in the URL: it must not leak
to another site or a shared cache) and kept out of search engines. The customer's address
is REMOTE_ADDR: the portal trusts no forwarding header (a proxy in front must set it).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from carriers.tn import format_tn
from orders.documents.loa import content_from_json
from orders.forms.customer import CancelDraftForm, CorrectionsForm, LoaSignForm
from orders.lifecycle import DomainError
from orders.models import Status
from orders.services.portin import customer_access as access
from orders.services.portin import customer_loa, customer_status
from orders.services.portin.customer_access import LinkRefused, Visitor
from orders.services.portin.customer_links import Purpose

# What the customer reads about each status of their port-in: where it stands, what next.
NEXT_STEPS = {
    Status.DRAFT: "We are preparing your port request. Once it is complete we send it to your "
    "current carrier.",
    Status.SUBMITTED: "We sent your port request to your current carrier and are waiting for "
    "their answer (usually a few business days).",
    Status.ACCEPTED: "Your current carrier accepted the port. Your numbers move to us on the "
    "date below; keep your current service active until then.",
    Status.EXCEPTION: "Your current carrier returned the request; we are checking it and may "
    "need your help.",
    Status.REVIEW: "We received your corrections and are checking them before we send the "
    "request again.",
    Status.REJECTED: "Your current carrier rejected the request. Please correct what is "
    "listed below so we can send it again.",
    Status.COMPLETED: "The port is complete: your numbers are now with us.",
    Status.CANCELLED: "This port order is cancelled.",
}


def customer_page_view(view):
    """No login, and headers that keep the token to this page."""

    @login_not_required
    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        visitor = Visitor.of(request.META.get("REMOTE_ADDR"), request.headers.get("User-Agent"))
        if access.rate_limited(visitor.ip_address):
            response = render(request, "customer/too_many.html", status=429)
            response["Retry-After"] = "60"
        else:
            try:
                response = view(request, token, visitor, *args, **kwargs)
            except LinkRefused as refused:
                access.link_refusal_record(refused, visitor=visitor)
                response = _refused(request, refused)
        response["Cache-Control"] = "no-store"
        # same-origin, not no-referrer: the token never leaves for another site, and the
        # browser still sends this origin on the forms' POST (CSRF checks it; with
        # no-referrer Chromium sends "Origin: null" and the post is refused).
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _refused(request, refused: LinkRefused):
    status = 404 if refused.reason == access.UNKNOWN else 410
    return render(request, "customer/refused.html", {"reason": refused.reason}, status=status)


@require_GET
@customer_page_view
def customer_page(request, token, visitor):
    link = access.link_open(token, visitor=visitor)
    return _page(request, link, token)


def _page(request, link, token, *, sign_form=None, corrections=None, cancel_form=None, status=200):
    order = link.order
    context = {
        "token": token,
        "link": link,
        "order": order,
        "closed": access.accepts_nothing(order),
        "tns": [format_tn(tn) for tn in order.numbers.order_by("tn").values_list("tn", flat=True)],
    }
    if link.purpose == Purpose.LOA:
        context["loa"] = content_from_json(link.loa_content)
        context["signature"] = getattr(link, "signature", None) if link.used_at else None
        context["form"] = sign_form or LoaSignForm(initial={"document_sha256": link.loa_sha256})
        return render(request, "customer/loa.html", context, status=status)
    rejections = customer_status.open_customer_rejections(order)
    named = customer_status.correctable_fields(rejections)
    context.update(
        next_step=NEXT_STEPS.get(order.status, ""),
        comments=customer_status.customer_comments(order),
        rejections=rejections,
        corrections=corrections
        or (CorrectionsForm(order=order, fields=named) if rejections else None),
        cancel_form=cancel_form or (CancelDraftForm() if order.status == Status.DRAFT else None),
    )
    return render(request, "customer/status.html", context, status=status)


@require_POST
@customer_page_view
def customer_sign(request, token, visitor):
    link = access.link_resolve(token, visitor=visitor)
    form = LoaSignForm(request.POST)
    if form.is_valid():
        try:
            customer_loa.loa_sign(token=token, visitor=visitor, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you: your LOA is signed and on its way to us.")
            return redirect("orders:customer_page", token=token)
        link.refresh_from_db()
    return _page(request, link, token, sign_form=form)


@require_POST
@customer_page_view
def customer_correct(request, token, visitor):
    link = access.link_resolve(token, visitor=visitor)
    order = link.order
    named = customer_status.correctable_fields(customer_status.open_customer_rejections(order))
    form = CorrectionsForm(request.POST, request.FILES, order=order, fields=named)
    if form.is_valid():
        try:
            customer_status.customer_corrections_send(
                token=token,
                changes=form.changes(),
                pin=form.cleaned_data.get("pin") or "",
                bill=form.cleaned_data.get("bill"),
                note=form.cleaned_data.get("note") or "",
                visitor=visitor,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Thank you: we received your corrections and will check them."
            )
            return redirect("orders:customer_page", token=token)
    return _page(request, link, token, corrections=form)


@require_POST
@customer_page_view
def customer_cancel(request, token, visitor):
    link = access.link_resolve(token, visitor=visitor)
    form = CancelDraftForm(request.POST)
    if form.is_valid():
        try:
            customer_status.customer_draft_cancel(
                token=token, reason=form.cleaned_data["reason"], visitor=visitor
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your port order is cancelled. We emailed you a copy.")
            return redirect("orders:customer_page", token=token)
    return _page(request, link, token, cancel_form=form)


@require_GET
@customer_page_view
def customer_loa_pdf(request, token, visitor):
    link = access.link_open(token, visitor=visitor)
    if link.purpose != Purpose.LOA or not link.loa_file:
        raise Http404("No LOA on this link.")
    response = FileResponse(
        link.loa_file.open("rb"),
        content_type="application/pdf",
        filename=content_from_json(link.loa_content).filename,
    )
    return response
