"""R19 on our customer accounts: the port-out lock with who/when/why, the holder's contact
details stamped when they change (by the service, the desk page and the admin alike), the
desk's account page and its list of accounts without a contact email."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carriers import protection
from carriers.models import CustomerAccount, PortOutLockChange
from tests.factories import (
    CustomerAccountFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNT_NUMBER = "ACCT-55509876"
T0 = timezone.make_aware(datetime.datetime(2026, 11, 16, 10, 0))


@pytest.fixture
def account(db):
    account = CustomerAccountFactory(account_number=ACCOUNT_NUMBER, name="ABC Company Inc.")
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    TelephoneNumberFactory(tn="5035550140", spid=spid, account=account)
    return account


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- the services ---------------------------------------------------------------------------


def test_lock_and_unlock_are_recorded_with_who_when_and_why(account, alice, maria):
    protection.account_lock_set(
        account=account, locked=True, by=alice, reason="Holder called, PIN verified.", now=T0
    )
    later = T0 + datetime.timedelta(days=3)
    protection.account_lock_set(
        account=account, locked=False, by=maria, reason="Holder is moving to Rival.", now=later
    )
    account.refresh_from_db()
    assert account.port_out_locked is False
    history = [
        (c.locked, c.changed_by, c.changed_at, c.reason) for c in protection.lock_history(account)
    ]
    assert history == [
        (False, maria, later, "Holder is moving to Rival."),
        (True, alice, T0, "Holder called, PIN verified."),
    ]


def test_a_lock_needs_a_reason_and_a_real_change(account, alice):
    with pytest.raises(protection.AccountChangeRefused, match="Reason"):
        protection.account_lock_set(account=account, locked=True, by=alice, reason="  ")
    protection.account_lock_set(account=account, locked=True, by=alice, reason="Asked.")
    with pytest.raises(protection.AccountChangeRefused, match="already locked"):
        protection.account_lock_set(account=account, locked=True, by=alice, reason="Again.")
    assert PortOutLockChange.objects.filter(account=account).count() == 1


def test_a_contact_or_address_change_is_stamped_and_a_non_change_is_not(account, alice):
    assert protection.account_details_update(account=account, changes={}, by=alice) == []
    changed = protection.account_details_update(
        account=account,
        changes={"contact_email": "new@abc.example", "zip_code": account.zip_code},
        by=alice,
        now=T0,
    )
    assert changed == ["contact_email"]
    account.refresh_from_db()
    assert account.contact_email == "new@abc.example" and account.details_changed_at == T0
    protection.account_details_update(
        account=account, changes={"contact_email": "new@abc.example"}, by=alice
    )
    account.refresh_from_db()
    assert account.details_changed_at == T0
    with pytest.raises(protection.AccountChangeRefused, match="not name"):
        protection.account_details_update(account=account, changes={"name": "X"}, by=alice)


# --- the desk's pages --------------------------------------------------------------------------


def test_the_account_page_shows_the_account_masked_its_tns_and_the_lock(account, alice):
    protection.account_lock_set(account=account, locked=True, by=alice, reason="Holder asked.")
    page = logged_in(alice).get(reverse("carriers:account_detail", args=[account.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert ACCOUNT_NUMBER not in content and "9876" in content
    assert "(503) 555-0140" in content
    assert "Locked against port-out" in content and "Holder asked." in content
    assert "Remove the lock" in content


def test_staff_lock_an_account_from_its_page(account, alice):
    client = logged_in(alice)
    url = reverse("carriers:account_lock", args=[account.pk])
    refused = client.post(url, {"locked": "1", "reason": ""})
    assert refused.status_code == 302
    account.refresh_from_db()
    assert not account.port_out_locked
    done = client.post(url, {"locked": "1", "reason": "Holder called."}, follow=True)
    assert "The account is locked against port-out." in done.content.decode()
    account.refresh_from_db()
    assert account.port_out_locked
    change = PortOutLockChange.objects.get(account=account)
    assert (change.changed_by, change.reason) == (alice, "Holder called.")


def test_staff_set_the_contact_email_from_the_account_page(account, alice):
    logged_in(alice).post(
        reverse("carriers:account_contact", args=[account.pk]), {"contact_email": "a@abc.example"}
    )
    account.refresh_from_db()
    assert account.contact_email == "a@abc.example" and account.details_changed_at is not None


def test_someone_outside_the_desk_may_not_lock(account, bob):
    client = logged_in(bob)
    url = reverse("carriers:account_lock", args=[account.pk])
    assert client.post(url, {"locked": "1", "reason": "x"}).status_code == 403
    assert client.get(reverse("carriers:account_detail", args=[account.pk])).status_code == 403
    assert not PortOutLockChange.objects.exists()


def test_accounts_without_a_contact_email_are_listed_those_that_missed_a_notice_first(
    account, alice
):
    CustomerAccountFactory(name="Aardvark Ltd", contact_email="")
    CustomerAccountFactory(name="Has Email", contact_email="x@y.example")
    protection.accounts_notice_missed(account_ids=[account.pk], now=T0)
    page = logged_in(alice).get(reverse("carriers:accounts_no_contact"))
    names = [a.name for a in page.context["page"]]
    assert names == ["ABC Company Inc.", "Aardvark Ltd"]
    assert ACCOUNT_NUMBER not in page.content.decode()


def test_the_port_out_desk_home_links_the_list(alice):
    page = logged_in(alice).get(reverse("orders:portout_home")).content.decode()
    assert reverse("carriers:accounts_no_contact") in page


# --- the admin goes through the services --------------------------------------------------------


def test_the_admin_shows_the_lock_read_only_and_stamps_a_contact_change(account, admin_user):
    client = logged_in(admin_user)
    url = reverse("admin:carriers_customeraccount_change", args=[account.pk])
    content = client.get(url).content.decode()
    assert "change on the account page" in content
    assert 'name="port_out_locked"' not in content
    data = {
        "account_number": ACCOUNT_NUMBER,
        "name": account.name,
        "btn": account.btn,
        "authorized_person": account.authorized_person,
        "service_address": account.service_address,
        "city": account.city,
        "state": account.state,
        "zip_code": account.zip_code,
        "contact_email": "holder@abc.example",
        "numbers-TOTAL_FORMS": 0,
        "numbers-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302
    account = CustomerAccount.objects.get(pk=account.pk)
    assert account.contact_email == "holder@abc.example"
    assert account.details_changed_at is not None
