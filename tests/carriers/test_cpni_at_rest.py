"""Account numbers are CPNI (issue 14, R18): a Fernet token in the database column, found and
kept unique through a keyed hash that ignores case and punctuation, masked on pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from carriers.cpni import account_number_digest, decrypt_value
from carriers.cpni_migration import (
    drop_account_numbers_from_lsr_snapshots,
    encrypt_account_numbers,
    encrypt_csr_answers,
)
from carriers.fields import with_account_number
from carriers.forms import CustomerAccountAdminForm
from carriers.models import CustomerAccount
from orders.models import Direction, PortInCsr, PortOrder
from orders.services.portin import portin_order_update
from orders.services.portout.lsr import lsr_of
from tests.factories import CustomerAccountFactory, PortOrderFactory

pytestmark = pytest.mark.django_db


def _column(model, pk, column="account_number"):
    """What the database itself holds, read around the ORM."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _write_column(model, pk, **values):
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(column)} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE id = %s", [*values.values(), pk]
        )


def test_an_accounts_number_is_stored_as_a_token_never_in_plaintext():
    account = CustomerAccountFactory(account_number="ACCT-55501234")
    stored = _column(CustomerAccount, account.pk)
    assert "55501234" not in stored
    assert decrypt_value(stored) == "ACCT-55501234"
    assert CustomerAccount.objects.get(pk=account.pk).account_number == "ACCT-55501234"
    assert _column(CustomerAccount, account.pk, "account_number_digest") == (
        account_number_digest("ACCT-55501234")
    )


def test_an_orders_and_its_csrs_number_are_stored_as_tokens_never_in_plaintext():
    order = PortOrderFactory(account_number="ACCT-77712345")
    PortInCsr.objects.create(
        order=order, account_number="OLD-77712345", recorded_at=order.created_at
    )
    assert "77712345" not in _column(PortOrder, order.pk)
    assert "77712345" not in _column(PortInCsr, order.csr.pk)
    assert PortOrder.objects.values_list("account_number", flat=True).get() == "ACCT-77712345"
    assert PortInCsr.objects.get().account_number == "OLD-77712345"


def test_the_digest_matches_the_number_without_case_or_punctuation():
    account = CustomerAccountFactory(account_number="AB-123 45")
    order = PortOrderFactory(account_number="ab12345")
    assert account.account_number_digest == order.account_number_digest
    assert account.account_number_digest == account_number_digest("a.b/12-345")
    assert account.account_number_digest != account_number_digest("AB-123 46")


def test_an_account_and_an_order_are_found_by_their_number_through_the_digest():
    account = CustomerAccountFactory(account_number="CT-1000042")
    CustomerAccountFactory(account_number="CT-1000043")
    order = PortOrderFactory(account_number="CT-1000042")
    assert list(with_account_number(CustomerAccount.objects, "ct 1000042")) == [account]
    assert list(with_account_number(PortOrder.objects, "CT1000042")) == [order]
    assert not with_account_number(CustomerAccount.objects, "").exists()


def test_looking_up_the_encrypted_column_itself_is_refused_not_silently_empty():
    CustomerAccountFactory(account_number="CT-1000042")
    with pytest.raises(FieldError, match="digest"):
        CustomerAccount.objects.filter(account_number="CT-1000042").exists()
    with pytest.raises(FieldError):
        PortOrder.objects.filter(account_number__icontains="1000").exists()


def test_two_accounts_cannot_share_a_number_spelled_differently():
    CustomerAccountFactory(account_number="AB-12345")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAccountFactory(account_number="ab 12345")


def test_accounts_without_a_number_do_not_clash():
    first = CustomerAccountFactory(account_number="")
    second = CustomerAccountFactory(account_number="")
    assert first.account_number_digest is None and second.account_number_digest is None


def test_the_account_form_refuses_a_number_another_account_has_in_another_spelling():
    CustomerAccountFactory(account_number="AB-12345")
    other = CustomerAccountFactory(account_number="ZZ-1")
    data = {
        "account_number": "ab12345",
        "name": other.name,
        "btn": other.btn,
        "service_address": other.service_address,
        "zip_code": other.zip_code,
        "state": other.state,
    }
    form = CustomerAccountAdminForm(data, instance=other)
    assert not form.is_valid()
    assert "case and punctuation ignored" in form.errors["account_number"][0]
    # Its own number, re-spelled, is fine.
    form = CustomerAccountAdminForm({**data, "account_number": "zz 1"}, instance=other)
    assert form.is_valid(), form.errors


def test_bulk_created_rows_get_their_digest():
    CustomerAccount.objects.bulk_create(
        [
            CustomerAccount(account_number="BULK-1", btn="5035550101", name="A", zip_code="97204"),
            CustomerAccount(account_number="BULK-2", btn="5035550102", name="B", zip_code="97204"),
        ]
    )
    assert with_account_number(CustomerAccount.objects, "bulk 2").get().name == "B"


def test_editing_an_orders_number_moves_its_digest_along():
    user = get_user_model().objects.create_user("editor")
    order = PortOrderFactory(account_number="OLD-1")
    portin_order_update(order=order, by=user, changes={"account_number": "NEW-2"})
    assert list(with_account_number(PortOrder.objects, "new2")) == [order]
    assert not with_account_number(PortOrder.objects, "old1").exists()


# --- the migrations' rewrite of existing rows (carriers 0004, orders 0018) -----------------


def test_the_migration_encrypts_a_plaintext_account_and_fills_its_digest():
    account = CustomerAccountFactory(account_number="CT-1000077")
    _write_column(
        CustomerAccount, account.pk, account_number="CT-1000077", account_number_digest=None
    )
    assert _column(CustomerAccount, account.pk) == "CT-1000077"

    assert encrypt_account_numbers(CustomerAccount, unique=True) == 1

    stored = _column(CustomerAccount, account.pk)
    assert "1000077" not in stored and decrypt_value(stored) == "CT-1000077"
    assert with_account_number(CustomerAccount.objects, "ct-1000077").get() == account
    # Run again: the token decrypts, nothing is rewritten.
    assert encrypt_account_numbers(CustomerAccount, unique=True) == 0


def test_the_migration_stops_on_two_accounts_equal_once_normalized():
    first = CustomerAccountFactory(account_number="AB-1")
    second = CustomerAccountFactory(account_number="AC-1")
    _write_column(CustomerAccount, first.pk, account_number="AB-1", account_number_digest=None)
    _write_column(CustomerAccount, second.pk, account_number="ab1", account_number_digest=None)
    with pytest.raises(RuntimeError, match=f"ids {first.pk} and {second.pk}"):
        encrypt_account_numbers(CustomerAccount, unique=True)


def test_the_migration_encrypts_orders_and_drops_the_number_from_lsr_snapshots():
    order = PortOrderFactory(
        direction=Direction.PORT_OUT,
        account_number="LSR-4242",
        lsr_snapshot={"pon": "P1", "account_number": "LSR-4242", "tns": ["5035550100"]},
    )
    _write_column(PortOrder, order.pk, account_number="LSR-4242", account_number_digest=None)

    encrypt_account_numbers(PortOrder)
    drop_account_numbers_from_lsr_snapshots(PortOrder)

    assert "4242" not in _column(PortOrder, order.pk)
    assert "4242" not in str(_column(PortOrder, order.pk, "lsr_snapshot"))
    order = PortOrder.objects.get(pk=order.pk)
    assert with_account_number(PortOrder.objects, "lsr4242").get() == order
    assert lsr_of(order).end_user.account_number == "LSR-4242"


def test_the_migration_encrypts_the_numbers_in_csr_answers_already_given():
    from orders.models import CsrRequest
    from orders.services.portout import csr_answer_shown
    from tests.factories import CarrierFactory

    answer = {"kind": "csr", "accounts": [{"name": "A", "account_number": "CSR-31337"}]}
    csr_request = CsrRequest.objects.create(
        requesting_carrier=CarrierFactory(),
        tns=["5035550100"],
        authorization_indicator=True,
        received_at=timezone.now(),
        due_at=timezone.now(),
        answer=answer,
    )

    assert encrypt_csr_answers(CsrRequest) == 1

    assert "31337" not in str(_column(CsrRequest, csr_request.pk, "answer"))
    csr_request.refresh_from_db()
    [account] = csr_answer_shown(csr_request.answer)["accounts"]
    assert account["account_number"] == "CSR-31337"
    assert encrypt_csr_answers(CsrRequest) == 0
