"""The desk's customer account pages (R19): an account with its TNs, its port-out lock and
the lock's history; the accounts whose holders cannot be told of a port-out request.

Thin views: permission, parse, one service call (carriers.protection), message, redirect.
The account number is only ever shown masked.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from . import protection
from .account_forms import ContactEmailForm, PortOutLockForm
from .models import CustomerAccount

PAGE_SIZE = 50
TN_LIMIT = 500


def _require(user, *perms):
    if not user.has_perms(perms):
        raise PermissionDenied


def _account(pk) -> CustomerAccount:
    return get_object_or_404(CustomerAccount, pk=pk)


@require_safe
def account_detail(request, pk):
    _require(request.user, "carriers.view_customeraccount")
    account = _account(pk)
    numbers = account.numbers.select_related("spid__carrier").order_by("tn")
    user = request.user
    return render(
        request,
        "carriers/account_detail.html",
        {
            "account": account,
            "numbers": numbers[:TN_LIMIT],
            "number_count": account.numbers.count(),
            "tn_limit": TN_LIMIT,
            "history": protection.lock_history(account)[:100],
            "can_lock": user.has_perm("carriers.add_portoutlockchange"),
            "can_edit_contact": user.has_perm("carriers.change_customeraccount"),
            "lock_form": PortOutLockForm(
                initial={"locked": "0" if account.port_out_locked else "1"}
            ),
            "contact_form": ContactEmailForm(initial={"contact_email": account.contact_email}),
        },
    )


@require_POST
def account_lock(request, pk):
    _require(request.user, "carriers.view_customeraccount", "carriers.add_portoutlockchange")
    account = _account(pk)
    form = PortOutLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Port-out lock: give the reason the customer asked for it.")
        return redirect("carriers:account_detail", pk=account.pk)
    locked = form.cleaned_data["locked"]
    try:
        protection.account_lock_set(
            account=account, locked=locked, by=request.user, reason=form.cleaned_data["reason"]
        )
    except protection.AccountChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        what = "locked against port-out" if locked else "no longer locked against port-out"
        messages.success(request, f"The account is {what}.")
    return redirect("carriers:account_detail", pk=account.pk)


@require_POST
def account_contact(request, pk):
    _require(request.user, "carriers.view_customeraccount", "carriers.change_customeraccount")
    account = _account(pk)
    form = ContactEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Contact email: enter a valid email address.")
        return redirect("carriers:account_detail", pk=account.pk)
    try:
        changed = protection.account_details_update(
            account=account, changes=dict(form.cleaned_data), by=request.user
        )
    except protection.AccountChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Contact email saved." if changed else "The contact email is unchanged."
        )
    return redirect("carriers:account_detail", pk=account.pk)


@require_safe
def accounts_without_contact(request):
    _require(request.user, "carriers.view_customeraccount")
    page = Paginator(protection.accounts_without_contact_email(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "carriers/accounts_no_contact.html", {"page": page})
