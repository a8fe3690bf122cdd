"""The admin: inlines, search and filters, masked account numbers, PINs never shown, and
changelists whose query count does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carriers.fields import with_account_number
from carriers.models import SPID, Carrier, Contact, CustomerAccount, IntervalGuideline
from tests.factories import (
    CarrierFactory,
    ContactFactory,
    CustomerAccountFactory,
    IntervalGuidelineFactory,
    NonBusinessDayFactory,
    OurCarrierFactory,
    SPIDFactory,
    TelephoneNumberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


# --- constant query counts --------------------------------------------------------------


def _carriers(start, count):
    peer = CarrierFactory(name="Peer Interconnect")
    for n in range(start, start + count):
        carrier = CarrierFactory(
            name=f"Carrier {n:03d}",
            port_in_route="local_peer" if n % 3 == 0 else "direct",
            porting_peer=peer if n % 3 == 0 else None,
        )
        SPIDFactory(code=f"A{n:03d}", carrier=carrier)
        SPIDFactory(code=f"B{n:03d}", carrier=carrier)
        ContactFactory.create_batch(2, carrier=carrier)


def _spids(start, count):
    for n in range(start, start + count):
        SPIDFactory(code=f"S{n:03d}", carrier=CarrierFactory(name=f"SPID owner {n}"))


def _contacts(start, count):
    for n in range(start, start + count):
        ContactFactory(carrier=CarrierFactory(name=f"Contact carrier {n}"))


def _intervals(start, count):
    for n in range(start, start + count):
        IntervalGuidelineFactory(carrier=CarrierFactory(name=f"Partner {n}"), business_days=3)


def _closed_days(start, count):
    for n in range(start, start + count):
        NonBusinessDayFactory(
            date=datetime.date(2027, 1, 1) + datetime.timedelta(days=n),
            carrier=CarrierFactory(name=f"Closed carrier {n}") if n % 2 else None,
        )


def _accounts(start, count):
    for n in range(start, start + count):
        CustomerAccountFactory(account_number=f"ACCT{n:06d}", pin="4821" if n < 3 else None)


def _numbers(start, count):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    account = with_account_number(CustomerAccount.objects, "ACCT-NUMBERS").first()
    account = account or CustomerAccountFactory(account_number="ACCT-NUMBERS")
    for n in range(start, start + count):
        TelephoneNumberFactory(tn=f"503241{n:04d}", spid=spid, account=account if n % 2 else None)


CHANGELISTS = [
    ("carrier", _carriers),
    ("spid", _spids),
    ("contact", _contacts),
    ("intervalguideline", _intervals),
    ("nonbusinessday", _closed_days),
    ("customeraccount", _accounts),
    ("telephonenumber", _numbers),
]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(("model", "make_rows"), CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(
    admin, model, make_rows, django_assert_max_num_queries
):
    url = reverse(f"admin:carriers_{model}_changelist")
    make_rows(0, 5)
    admin.get(url)  # warm up (session, content types)
    with_5 = _count_queries(admin, url)

    make_rows(5, 45)
    with django_assert_max_num_queries(with_5):
        response = admin.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(("model", "make_rows"), CHANGELISTS)
def test_change_page_renders(admin, model, make_rows):
    make_rows(0, 2)
    obj = {
        "carrier": Carrier,
        "spid": SPID,
        "contact": Contact,
        "intervalguideline": IntervalGuideline,
        "customeraccount": CustomerAccount,
    }.get(model)
    if obj is None:
        from carriers.models import NonBusinessDay, TelephoneNumber

        obj = {"nonbusinessday": NonBusinessDay, "telephonenumber": TelephoneNumber}[model]
    pk = obj.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert admin.get(reverse(f"admin:carriers_{model}_change", args=[pk])).status_code == 200
    assert admin.get(reverse(f"admin:carriers_{model}_add")).status_code == 200


def test_carrier_change_page_query_count_does_not_grow_with_inline_rows(
    admin, django_assert_max_num_queries
):
    carrier = CarrierFactory(name="Columbia Bell")
    url = reverse("admin:carriers_carrier_change", args=[carrier.pk])
    SPIDFactory(code="9102", carrier=carrier)
    ContactFactory(carrier=carrier)
    admin.get(url)
    with_one = _count_queries(admin, url)
    for n in range(10):
        SPIDFactory(code=f"9{n}00", carrier=carrier)
        ContactFactory(carrier=carrier, role=Contact.Role.LSR)
        NonBusinessDayFactory(date=datetime.date(2027, 2, 1 + n), carrier=carrier)
    with django_assert_max_num_queries(with_one):
        admin.get(url)


# --- carriers, SPIDs, contacts -------------------------------------------------------------


def test_carrier_page_has_spid_contact_override_and_closed_day_inlines(admin):
    carrier = CarrierFactory(name="Columbia Bell")
    response = admin.get(reverse("admin:carriers_carrier_change", args=[carrier.pk]))
    content = response.content.decode()
    for prefix in ("spids", "contacts", "interval_overrides", "non_business_days"):
        assert f'name="{prefix}-TOTAL_FORMS"' in content, prefix


def test_carrier_search_finds_by_name_or_spid(admin):
    bell = CarrierFactory(name="Columbia Bell")
    SPIDFactory(code="9102", carrier=bell)
    CarrierFactory(name="Willamette Fiber")
    url = reverse("admin:carriers_carrier_changelist")
    assert "Columbia Bell" in admin.get(url, {"q": "9102"}).content.decode()
    assert "Willamette Fiber" not in admin.get(url, {"q": "9102"}).content.decode()
    assert "Willamette Fiber" in admin.get(url, {"q": "willamette"}).content.decode()


def test_carrier_through_a_local_peer_must_name_it_in_the_admin(admin):
    response = admin.post(
        reverse("admin:carriers_carrier_add"),
        {
            "name": "Klamath Valley",
            "kind": "ilec",
            "supports_csr": "on",
            "port_in_route": "local_peer",
            "time_zone": "America/Los_Angeles",
            "lsr_cutoff": "15:00",
            "csr_answer_hours": 24,
            "max_due_date_days": 30,
            "port_window_business_days": 4,
            "sup_threshold": 3,
            **{
                f"{prefix}-{key}": value
                for prefix in ("spids", "contacts", "interval_overrides", "non_business_days")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 200
    assert "Name the local porting peer" in response.content.decode()
    assert not Carrier.objects.filter(name="Klamath Valley").exists()


def test_spid_typed_in_lower_case_is_stored_upper_case(admin):
    carrier = CarrierFactory()
    response = admin.post(
        reverse("admin:carriers_spid_add"), {"code": " t098 ", "carrier": carrier.pk, "region": ""}
    )
    assert response.status_code == 302
    assert SPID.objects.get().code == "T098"


def test_bad_spid_in_the_admin_is_refused_naming_the_format(admin):
    carrier = CarrierFactory()
    response = admin.post(
        reverse("admin:carriers_spid_add"), {"code": "72-1", "carrier": carrier.pk, "region": ""}
    )
    assert response.status_code == 200
    assert "NPAC SPID format" in response.content.decode()
    assert not SPID.objects.exists()


@pytest.mark.parametrize("term", ["Columbia", "9102", "Robin", "csr@columbiabell.example"])
def test_contact_is_found_by_carrier_spid_name_or_email(admin, term):
    bell = CarrierFactory(name="Columbia Bell")
    SPIDFactory(code="9102", carrier=bell)
    ContactFactory(carrier=bell, name="Robin Sato", email="csr@columbiabell.example")
    ContactFactory(carrier=CarrierFactory(name="Willamette Fiber"), name="Kim Underwood")
    content = admin.get(reverse("admin:carriers_contact_changelist"), {"q": term}).content.decode()
    assert "Robin Sato" in content
    assert "Kim Underwood" not in content


def test_contacts_filter_by_role(admin):
    carrier = CarrierFactory()
    ContactFactory(carrier=carrier, role=Contact.Role.CSR, name="Csr Person")
    ContactFactory(carrier=carrier, role=Contact.Role.NPAC_SOA, name="Soa Person")
    content = admin.get(
        reverse("admin:carriers_contact_changelist"), {"role__exact": "npac_soa"}
    ).content.decode()
    assert "Soa Person" in content and "Csr Person" not in content


# --- numbers and accounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "term", ["5032410100", "(503) 241-0100", "503.241.0100", "+1 503 241 0100", "241-0100"]
)
def test_number_search_accepts_any_usual_format(admin, term):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    TelephoneNumberFactory(tn="5032410100", spid=spid)
    TelephoneNumberFactory(tn="5032460199", spid=spid)
    content = admin.get(
        reverse("admin:carriers_telephonenumber_changelist"), {"q": term}
    ).content.decode()
    assert "(503) 241-0100" in content
    assert "(503) 246-0199" not in content


def test_number_changelist_filters_by_status_toll_free_and_line_type(admin):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    TelephoneNumberFactory(tn="5032410100", spid=spid, status="disconnected")
    TelephoneNumberFactory(tn="8005550100", spid=spid, is_toll_free=True, line_type="toll_free")
    url = reverse("admin:carriers_telephonenumber_changelist")
    content = admin.get(url, {"status__exact": "disconnected"}).content.decode()
    assert "(503) 241-0100" in content and "(800) 555-0100" not in content
    content = admin.get(url, {"is_toll_free__exact": "1"}).content.decode()
    assert "(800) 555-0100" in content and "(503) 241-0100" not in content
    content = admin.get(url, {"line_type__exact": "toll_free"}).content.decode()
    assert "(800) 555-0100" in content


def test_account_numbers_are_masked_in_lists_and_pin_hashes_never_shown(admin):
    account = CustomerAccountFactory(account_number="ACCT-99887766", pin="4821")
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    number = TelephoneNumberFactory(tn="5032410100", spid=spid, account=account)
    pages = {
        "accounts": admin.get(reverse("admin:carriers_customeraccount_changelist")),
        "numbers": admin.get(reverse("admin:carriers_telephonenumber_changelist")),
        "account": admin.get(reverse("admin:carriers_customeraccount_change", args=[account.pk])),
        "number": admin.get(reverse("admin:carriers_telephonenumber_change", args=[number.pk])),
    }
    hash_tail = account.pin_hash.split("$")[-1]
    for name, response in pages.items():
        content = response.content.decode()
        assert hash_tail not in content, name
        assert account.pin_hash.split("$")[0] + "$" not in content, name
    assert "99887766" not in pages["accounts"].content.decode()
    assert "7766" in pages["accounts"].content.decode()
    assert "99887766" not in pages["numbers"].content.decode()
    # The change form is where an administrator may correct the full number.
    assert 'value="ACCT-99887766"' in pages["account"].content.decode()


def _account_post(account, **changes):
    data = {
        "account_number": account.account_number,
        "name": account.name,
        "btn": account.btn,
        "authorized_person": account.authorized_person,
        "service_address": account.service_address,
        "city": account.city,
        "state": account.state,
        "zip_code": account.zip_code,
        "numbers-TOTAL_FORMS": 0,
        "numbers-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_sets_a_new_pin_as_a_hash_and_keeps_it_when_left_blank(admin):
    account = CustomerAccountFactory()
    url = reverse("admin:carriers_customeraccount_change", args=[account.pk])

    assert admin.post(url, _account_post(account, new_pin="7305")).status_code == 302
    account.refresh_from_db()
    assert account.check_pin("7305") and "7305" not in account.pin_hash

    assert admin.post(url, _account_post(account, btn="(503) 241-0101")).status_code == 302
    account.refresh_from_db()
    assert account.check_pin("7305")
    assert account.btn == "5032410101"  # any usual format, stored as 10 digits

    assert admin.post(url, _account_post(account, clear_pin="on")).status_code == 302
    account.refresh_from_db()
    assert account.pin_hash == ""


def test_number_admin_stores_a_tn_typed_in_any_format_as_ten_digits(admin):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    response = admin.post(
        reverse("admin:carriers_telephonenumber_add"),
        {
            "tn": "(503) 241-0100",
            "spid": spid.pk,
            "lrn": "503.241.9999",
            "status": "working",
            "line_type": "pots",
        },
    )
    assert response.status_code == 302, response.content.decode()
    from carriers.models import TelephoneNumber

    number = TelephoneNumber.objects.get()
    assert (number.tn, number.lrn) == ("5032410100", "5032419999")


def test_number_admin_refuses_a_toll_free_flag_that_contradicts_the_npa(admin):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    response = admin.post(
        reverse("admin:carriers_telephonenumber_add"),
        {
            "tn": "5032410100",
            "spid": spid.pk,
            "is_toll_free": "on",
            "status": "working",
            "line_type": "pots",
        },
    )
    assert response.status_code == 200
    assert "503 is not a toll-free NPA" in response.content.decode()


@pytest.mark.parametrize("term", ["(503) 241-0101", "503.241.0100", "Pat Smith"])
def test_account_is_found_by_any_of_its_tns_or_its_name(admin, term):
    spid = SPIDFactory(code="7231", carrier=OurCarrierFactory())
    account = CustomerAccountFactory(name="Pat Smith", btn="5032410100")
    TelephoneNumberFactory(tn="5032410100", spid=spid, account=account)
    TelephoneNumberFactory(tn="5032410101", spid=spid, account=account)
    CustomerAccountFactory(name="Someone Else", btn="5032460100")
    content = admin.get(
        reverse("admin:carriers_customeraccount_changelist"), {"q": term}
    ).content.decode()
    assert "Pat Smith" in content and "Someone Else" not in content
