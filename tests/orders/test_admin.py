import pytest
from django.urls import reverse

from tests.factories import OrderNumberFactory, PortOrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [3, 40])
def test_order_changelist_runs_a_constant_number_of_queries(
    admin_client_, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        OrderNumberFactory(order=PortOrderFactory())
    with django_assert_max_num_queries(12):
        response = admin_client_.get(reverse("admin:orders_portorder_changelist"))
    assert response.status_code == 200


def test_order_admin_never_shows_the_account_number_or_offers_status(admin_client_):
    order = PortOrderFactory(account_number="ACCT-55501234")
    listing = admin_client_.get(reverse("admin:orders_portorder_changelist"))
    change = admin_client_.get(reverse("admin:orders_portorder_change", args=[order.pk]))
    for response in (listing, change):
        assert b"ACCT-55501234" not in response.content
    assert b'name="status"' not in change.content
    assert b"1234" in change.content  # the masked tail helps staff match a bill


def test_orders_cannot_be_added_or_deleted_in_the_admin(admin_client_):
    order = PortOrderFactory()
    assert admin_client_.get(reverse("admin:orders_portorder_add")).status_code == 403
    assert (
        admin_client_.get(reverse("admin:orders_portorder_delete", args=[order.pk])).status_code
        == 403
    )


def test_rejection_catalogue_is_installed_with_rule_codes(admin_client_):
    response = admin_client_.get(reverse("admin:orders_rejectionreason_changelist") + "?q=R13")
    assert b"Partial port not identified" in response.content


@pytest.mark.parametrize("emails", [2, 30])
def test_sent_mail_renders_its_subjects_in_a_constant_number_of_queries(
    admin_client_, django_assert_max_num_queries, emails
):
    from orders import emails as kinds
    from orders.services import outbox

    for _ in range(emails):
        order = PortOrderFactory(notification_email="customer@example.net")
        OrderNumberFactory(order=order)
        outbox.queue(kinds.COMPLETION, order=order)
    with django_assert_max_num_queries(12):
        response = admin_client_.get(reverse("admin:orders_outboundemail_changelist"))
    assert response.status_code == 200
    assert response.content.count(b"is complete") == emails
