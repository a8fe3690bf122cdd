"""The port-out pages through the test client: logging, deciding, NPAC, manager-only
decisions, CSR requests and NPAC cancel records."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carriers.tn import format_tn
from orders.models import CsrRequest, NpacCancelRecord, PortOrder, Status
from orders.services import portout as services
from tests.factories import NpacCancelRecordFactory

from .conftest import MONDAY, account_fields, fresh_tn, make_lsr

pytestmark = pytest.mark.django_db
D = datetime.date


def lsr_post(requester, tn_list, **overrides):
    tns = tn_list
    data = {
        "requesting_carrier": requester.pk,
        "pon": "PON-PAGE-1",
        "version": "1",
        "reqtype": "C",
        "act": "V",
        "mi": "",
        "requested_due_date": "2026-11-20",
        "tns": "\n".join(format_tn(tn) for tn in tns),
        "disconnect_tns": "",
        "remarks": "",
        "btn": tns[0],
        **account_fields(tns),
        "authorization_indicator": "Y",
        "received_at": "2026-11-16T10:00",
    }
    data.update(overrides)
    return data


def detail(order):
    return reverse("orders:order_detail", args=[order.pk])


def test_staff_logs_an_lsr_and_sees_the_decision_page(alice_client, make_account, requester):
    _, tns = make_account(1)
    response = alice_client.post(reverse("orders:portout_lsr_new"), lsr_post(requester, tns))
    order = PortOrder.objects.get(pon="PON-PAGE-1")
    assert response.status_code == 302 and response.url == detail(order)
    assert order.is_port_out and order.status == Status.RECEIVED
    page = alice_client.get(detail(order)).content.decode()
    assert 'data-testid="portout-detail"' in page
    assert (
        "received Mon 11/16 10:00 -&gt; Mon 11/16; simple port 1 business day -&gt; Tue 11/17; "
        "requested Fri 11/20 -&gt; FOC Fri 11/20"
    ) in page
    assert "Send FOC" in page and "Send reject" in page
    assert 'data-testid="expedite-form"' not in page


def test_the_order_page_lists_each_tn_once_with_the_r13_groups(
    alice_client, make_account, requester
):
    _, tns = make_account(5)
    order = received_order(requester, tns[:2], mi="A", disconnect_tns=tns[2:3])
    page = alice_client.get(detail(order)).content.decode()
    assert 'data-testid="tns-port">Port 2<' in page
    assert 'data-testid="tns-disconnect">Disconnect 1<' in page
    assert 'data-testid="tns-remain">Remain with us, still billed 2<' in page
    numbers = page[
        page.index('data-testid="numbers"') : page.index('data-testid="portout-section"')
    ]
    # A small order: one line per TN, with its disposition, in the numbers card only.
    for tn, disposition in zip(tns, ["Port", "Port", "Disconnect", "Remain with us"], strict=False):
        assert f'<td class="tn">{format_tn(tn)}</td><td>{disposition}</td>' in numbers
    section = page[page.index('data-testid="portout-detail"') :]
    assert format_tn(tns[1]) not in section


def test_a_project_port_out_shows_its_numbers_as_ranges(alice_client, make_account, requester):
    _, tns = make_account(120)
    order = received_order(requester, tns[:100], mi="A", disconnect_tns=tns[100:110])
    response = alice_client.get(detail(order))
    lines = [(r.tns, r.count, r.disposition) for r in response.context["number_rows"]]
    assert lines == [
        (f"{format_tn(tns[0])} – {tns[99][6:]}", 100, "Port"),
        (f"{format_tn(tns[100])} – {tns[109][6:]}", 10, "Disconnect"),
        (f"{format_tn(tns[110])} – {tns[119][6:]}", 10, "Remain with us"),
    ]
    page = response.content.decode()
    assert "Numbers (120: 100 port, 10 disconnect, 10 remain with us)" in page
    assert 'data-testid="tns-port">Port 100<' in page
    download = alice_client.get(reverse("orders:order_numbers_csv", args=[order.pk]))
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [r["tn"] for r in rows] == tns
    assert {r["disposition"] for r in rows[100:110]} == {"Disconnect"}


def test_lsr_tn_list_from_a_csv_upload(alice_client, make_account, requester):
    _, tns = make_account(3)
    upload = SimpleUploadedFile(
        "tns.csv", ("TN,note\n" + "\n".join(f"{format_tn(t)},x" for t in tns)).encode()
    )
    data = lsr_post(requester, tns, tns="", tns_csv=upload)
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code == 302
    order = PortOrder.objects.get(pon="PON-PAGE-1")
    assert sorted(order.numbers.values_list("tn", flat=True)) == tns


def test_lsr_csv_with_a_bad_row_names_it(alice_client, make_account, requester):
    _, tns = make_account(1)
    upload = SimpleUploadedFile("tns.csv", b"TN\n503-555-01\n")
    data = lsr_post(requester, tns, tns="", tns_csv=upload)
    response = alice_client.post(reverse("orders:portout_lsr_new"), data)
    assert response.status_code == 200
    assert "CSV row 2" in response.content.decode()
    assert not PortOrder.objects.exists()


def test_lsr_without_a_pon_is_logged_and_rejected_at_once_with_r16(
    alice_client, make_account, requester
):
    _, tns = make_account(1)
    response = alice_client.post(
        reverse("orders:portout_lsr_new"), lsr_post(requester, tns, pon=""), follow=True
    )
    order = PortOrder.objects.get()
    assert response.redirect_chain[-1][0] == detail(order)
    assert order.status == Status.REJECTED and order.pon == "(no PON)"
    rejection = order.rejections.get()
    assert [r.code for r in rejection.reasons.all()] == ["R16"]
    assert "R16 PON:" in rejection.text
    assert "rejected at once (R16): missing PON" in response.content.decode()


def received_order(requester, tns, **overrides):
    return services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns, **overrides), now=MONDAY
    )


def test_staff_sends_the_foc(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns, requested_due_date=D(2026, 11, 18))
    response = alice_client.post(
        reverse("orders:portout_decide", args=[order.pk]),
        {"decision": "foc", "expected_status": "received"},
    )
    assert response.status_code == 302 and response.url == detail(order)
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT and order.foc_date == D(2026, 11, 18)
    assert order.port_window_ends_on == D(2026, 11, 24)


def test_staff_sends_the_reject_with_every_failing_rule(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, [*tns, fresh_tn()], authorization_indicator=False)
    alice_client.post(
        reverse("orders:portout_decide", args=[order.pk]),
        {"decision": "reject", "expected_status": "received"},
    )
    order.refresh_from_db()
    assert order.status == Status.REJECTED
    assert sorted(r.code for r in order.rejections.get().reasons.all()) == ["R2", "R4"]
    page = alice_client.get(detail(order)).content.decode()
    assert "Rejects sent" in page


def test_a_stale_page_does_not_act_twice(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    url = reverse("orders:portout_decide", args=[order.pk])
    alice_client.post(url, {"decision": "foc", "expected_status": "received"})
    response = alice_client.post(
        url, {"decision": "reject", "expected_status": "received"}, follow=True
    )
    assert "changed while you were working on it" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT


def test_npac_activation_through_the_page_completes_the_order(
    alice_client, make_account, requester
):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    url = reverse("orders:portout_npac_event", args=[order.pk])
    alice_client.post(url, {"kind": "create", "tns": ""})
    response = alice_client.post(url, {"kind": "activate", "tns": format_tn(tns[0])}, follow=True)
    order.refresh_from_db()
    assert order.status == Status.COMPLETED and order.completed_at is not None
    assert "the order is completed" in response.content.decode()


def expedite_order(requester, tns):
    order = received_order(requester, tns, requested_due_date=D(2026, 11, 17), expedite=True)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    assert order.status == Status.EXPEDITE_REVIEW
    return order


def test_expedite_decision_is_manager_only(alice_client, make_account, requester):
    _, tns = make_account(2)
    order = expedite_order(requester, tns)
    page = alice_client.get(detail(order)).content.decode()
    assert 'data-testid="expedite-form"' not in page
    response = alice_client.post(
        reverse("orders:portout_expedite", args=[order.pk]),
        {"accept": "yes", "expected_status": "expedite_review"},
    )
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Status.EXPEDITE_REVIEW


def test_manager_accepts_the_expedite(maria_client, make_account, requester):
    _, tns = make_account(2)
    order = expedite_order(requester, tns)
    page = maria_client.get(detail(order)).content.decode()
    assert 'data-testid="expedite-form"' in page
    maria_client.post(
        reverse("orders:portout_expedite", args=[order.pk]),
        {"accept": "yes", "expected_status": "expedite_review"},
    )
    order.refresh_from_db()
    assert order.status == Status.FOC_SENT and order.foc_date == D(2026, 11, 17)


def flagged_order(requester, tns):
    order = received_order(requester, tns)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    PortOrder.objects.filter(pk=order.pk).update(
        sup_flag=PortOrder.Decision.PENDING, due_date_sup_count=3
    )
    order.refresh_from_db()
    return order


def test_sup_flag_decision_is_manager_only(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = flagged_order(requester, tns)
    assert 'data-testid="sup-flag-form"' not in alice_client.get(detail(order)).content.decode()
    response = alice_client.post(
        reverse("orders:portout_sup_flag", args=[order.pk]),
        {"action": "contact", "comment": "Called", "expected_status": "foc_sent"},
    )
    assert response.status_code == 403


def test_manager_decides_the_sup_flag(maria_client, make_account, requester):
    _, tns = make_account(1)
    order = flagged_order(requester, tns)
    assert 'data-testid="sup-flag-form"' in maria_client.get(detail(order)).content.decode()
    maria_client.post(
        reverse("orders:portout_sup_flag", args=[order.pk]),
        {"action": "reject", "comment": "No firm date", "expected_status": "foc_sent"},
    )
    order.refresh_from_db()
    assert order.status == Status.REJECTED


def test_sup_page_records_a_due_date_sup(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    services.lsr_decide(order=order, decision="foc", by=None, now=MONDAY)
    url = reverse("orders:portout_sup_new", args=[order.pk])
    assert alice_client.get(url).status_code == 200
    new_date = timezone.localdate() + datetime.timedelta(days=20)
    response = alice_client.post(url, {"sup_type": "2", "requested_due_date": new_date.isoformat()})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.due_date_sup_count == 1 and order.supplements.count() == 1
    assert order.requested_due_date == new_date


def test_disputes_are_recorded_from_the_order_page(alice_client, make_account, requester):
    _, tns = make_account(1)
    order = received_order(requester, tns)
    alice_client.post(
        reverse("orders:portout_dispute_new"), {"order": order.pk, "description": "Denied"}
    )
    dispute = order.disputes.get()
    page = alice_client.get(detail(order)).content.decode()
    assert 'data-testid="open-dispute"' in page
    alice_client.post(
        reverse("orders:portout_dispute_action", args=[dispute.pk]),
        {"action": "resolve", "resolution": "withdrawn", "notes": ""},
    )
    dispute.refresh_from_db()
    assert dispute.resolution == "withdrawn"


# --- CSR requests --------------------------------------------------------------------------------


def test_csr_request_pages(alice_client, make_account, requester):
    account, tns = make_account(2, pin="918273")
    response = alice_client.post(
        reverse("orders:portout_csr_new"),
        {
            "requesting_carrier": requester.pk,
            "tns": format_tn(tns[0]),
            "authorization_indicator": "on",
        },
    )
    csr_request = CsrRequest.objects.get()
    assert response.url == reverse("orders:portout_csr_detail", args=[csr_request.pk])
    listing = alice_client.get(reverse("orders:portout_csr_list")).content.decode()
    assert "23 h 59 min left" in listing or "24 h 00 min left" in listing
    assert "No findings" in alice_client.get(response.url).content.decode()
    alice_client.post(reverse("orders:portout_csr_answer", args=[csr_request.pk]))
    csr_request.refresh_from_db()
    assert csr_request.status == CsrRequest.Status.ANSWERED
    download = alice_client.get(reverse("orders:portout_csr_csv", args=[csr_request.pk]))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [r["tn"] for r in rows] == tns
    assert rows[0]["account_number"] == account.account_number
    printable = alice_client.get(reverse("orders:portout_csr_print", args=[csr_request.pk]))
    for body in (download.content.decode(), printable.content.decode()):
        assert "918273" not in body and account.pin_hash not in body
    assert account.name in printable.content.decode()


def test_csr_request_with_an_loa_upload(alice_client, make_account, agent):
    _, tns = make_account(1)
    loa = SimpleUploadedFile("loa.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    alice_client.post(
        reverse("orders:portout_csr_new"),
        {"requesting_carrier": agent.pk, "tns": tns[0], "loa": loa},
    )
    csr_request = CsrRequest.objects.get()
    assert csr_request.documents.get().kind == "loa"


def test_csr_coded_reject_from_the_page(alice_client, make_account, requester):
    csr_request = services.csr_request_receive(
        requesting_carrier=requester, tns=[fresh_tn()], authorization_indicator=True, by=None
    )
    page = alice_client.get(reverse("orders:portout_csr_detail", args=[csr_request.pk]))
    assert "Answer with the CSR" not in page.content.decode()
    alice_client.post(reverse("orders:portout_csr_reject", args=[csr_request.pk]), {"text": ""})
    csr_request.refresh_from_db()
    assert csr_request.status == CsrRequest.Status.REJECTED
    page = alice_client.get(reverse("orders:portout_csr_detail", args=[csr_request.pk]))
    assert "TN not served by us in NPAC" in page.content.decode()


# --- NPAC cancel records -------------------------------------------------------------------------


def test_npac_cancel_records_page_marks_and_exports(alice_client, make_account, requester):
    _, tns = make_account(2)
    order = received_order(requester, tns)
    first = NpacCancelRecordFactory(order=order, tn=tns[0], reason='=HYPERLINK("x")')
    second = NpacCancelRecordFactory(order=order, tn=tns[1])
    url = reverse("orders:portout_npac_cancels")
    assert format_tn(tns[0]) in alice_client.get(url).content.decode()
    export = alice_client.get(reverse("orders:portout_npac_cancels_csv") + "?state=to_send")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["tn"] for r in rows] == [tns[0], tns[1]]
    assert rows[0]["reason"] == '\'=HYPERLINK("x")'
    assert rows[0]["old_spid"] == "7231" and rows[0]["action"] == "cancel"
    mark = reverse("orders:portout_npac_cancels_mark")
    alice_client.post(mark, {"action": "sent", "records": [first.pk, second.pk]})
    assert NpacCancelRecord.objects.filter(sent_at__isnull=False).count() == 2
    alice_client.post(mark, {"action": "confirmed", "records": [first.pk], "state": "sent"})
    assert NpacCancelRecord.objects.get(pk=first.pk).state == "confirmed"
    assert format_tn(tns[1]) in alice_client.get(url + "?state=sent").content.decode()


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "portout_home",
        "portout_csr_list",
        "portout_csr_new",
        "portout_lsr_new",
        "portout_npac_cancels",
    ],
)
def test_pages_open_for_staff_and_closed_to_bob(client, alice, bob, ours, name):
    client.force_login(alice)
    assert client.get(reverse(f"orders:{name}")).status_code == 200
    client.force_login(bob)
    assert client.get(reverse(f"orders:{name}")).status_code == 403
