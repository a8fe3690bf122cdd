"""New port-in orders: one per losing SPID, toll-free to Somos, refusals with their reasons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.crypto import decrypt_pin
from orders.lifecycle import DomainError
from orders.models import Direction, OrderNumber, PortOrder, Status, StatusChange
from orders.services import portin
from tests.factories import OrderNumberFactory, PortOrderFactory, TelephoneNumberFactory

from .conftest import END_USER, create_kwargs, due_in

pytestmark = pytest.mark.django_db


def _create(tns, alice, **overrides):
    data = {**END_USER, "requested_due_date": due_in(), **overrides}
    return portin.portin_orders_create(tns=tns, by=alice, **create_kwargs(data))


def test_a_mixed_list_is_split_into_one_order_per_losing_spid(desk, alice):
    a = desk.numbers(desk.lsp_spid, "5035550101", "5035550102")
    b = desk.numbers(desk.lsp_spid_2, "5415550101")
    c = desk.numbers(desk.rural_spid, "5095550101")
    toll_free = desk.numbers(desk.resporg_spid, "8005550101", is_toll_free=True)

    result = _create([c[0], a[0], toll_free[0], b[0], a[1]], alice)

    assert result.refused == []
    by_spid = {o.losing_spid.code: o for o in result.orders}
    assert set(by_spid) == {"9100", "9101", "4420", "T098"}
    for code, tns in {"9100": a, "9101": b, "4420": c, "T098": toll_free}.items():
        order = by_spid[code]
        assert sorted(order.numbers.values_list("tn", flat=True)) == sorted(tns)
        assert order.tn_count == len(tns)
        assert order.direction == Direction.PORT_IN
        assert order.status == Status.DRAFT
        assert order.new_carrier == desk.ours
        assert order.new_spid == desk.our_spid
        assert StatusChange.objects.filter(order=order, from_status="", to_status="draft").exists()
    # Same carrier, two SPIDs: two orders.
    assert by_spid["9100"].losing_carrier == by_spid["9101"].losing_carrier == desk.lsp


def test_routes_and_csr_requirement_follow_the_losing_carrier(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.rural_spid, "5095550101")
    desk.numbers(desk.resporg_spid, "8885550101", is_toll_free=True)

    orders = {
        o.losing_spid.code: o
        for o in _create(["5035550101", "5095550101", "8885550101"], alice).orders
    }

    direct, peer, somos = orders["9100"], orders["4420"], orders["T098"]
    assert (direct.route, direct.route_via, direct.csr_status) == ("direct", None, "pending")
    assert (peer.route, peer.route_via, peer.csr_status) == (
        "local_peer",
        desk.peer,
        "not_required",
    )
    assert (somos.route, somos.route_via, somos.csr_status) == ("somos", None, "not_required")


def test_toll_free_never_needs_a_csr_even_if_the_carrier_supports_them(desk, alice):
    desk.resporg.supports_csr = True
    desk.resporg.save()
    desk.numbers(desk.resporg_spid, "8665550101")  # toll-free by its NPA

    (order,) = _create(["8665550101"], alice).orders

    assert order.route == PortOrder.Route.SOMOS
    assert order.csr_status == PortOrder.CsrStatus.NOT_REQUIRED


def test_unknown_duplicate_open_order_and_ours_are_refused_with_their_reasons(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101", "5035550102")
    desk.numbers(desk.our_spid, "5035550150")  # already ours
    busy = PortOrderFactory(losing_carrier=desk.lsp)
    OrderNumberFactory(order=busy, tn="5035550102")
    closed = PortOrderFactory(losing_carrier=desk.lsp, status=Status.CANCELLED)
    desk.numbers(desk.lsp_spid, "5035550103")
    OrderNumberFactory(order=closed, tn="5035550103")  # a cancelled order does not block

    result = _create(
        ["5035550101", "503-555-0101", "5035550102", "5035550150", "2065550199", "5035550103"],
        alice,
    )

    reasons = {r.tn: r.reason for r in result.refused}
    assert reasons["5035550101"] == "listed more than once"
    assert reasons["5035550102"].startswith(f"already on open port-in order {busy.pon}")
    assert reasons["5035550150"] == "already ours (served by our SPID 7231)"
    assert reasons["2065550199"] == "not found in the NPAC view"
    assert len(reasons) == 4
    (order,) = result.orders
    assert sorted(order.numbers.values_list("tn", flat=True)) == ["5035550101", "5035550103"]


def test_all_refused_creates_nothing(desk, alice):
    result = _create(["2065550199"], alice)

    assert result.orders == []
    assert [r.reason for r in result.refused] == ["not found in the NPAC view"]
    assert not PortOrder.objects.exists()


def test_the_pin_is_stored_encrypted_and_the_pon_is_ours(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101")

    (order,) = _create(["5035550101"], alice, pin="8642").orders

    order.refresh_from_db()
    assert order.pin_encrypted and "8642" not in order.pin_encrypted
    assert decrypt_pin(order.pin_encrypted) == "8642"
    assert order.pon.startswith("PI") and str(order.pk) in order.pon


def test_a_past_due_date_is_refused(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101")
    with pytest.raises(DomainError, match="past"):
        _create(["5035550101"], alice, requested_due_date=due_in(-1))
    assert not PortOrder.objects.exists()


def test_a_project_port_is_flagged_at_50_tns(desk, alice):
    tns = [f"50355502{n:02d}" for n in range(50)]
    desk.numbers(desk.lsp_spid, *tns)

    (order,) = _create(tns, alice).orders

    assert order.is_project_port and order.tn_count == 50
    assert not order.simple_port


def test_a_single_plain_line_is_a_simple_port(desk, alice):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.lsp_spid, "5035550102", has_centrex=True)

    (simple,) = _create(["5035550101"], alice).orders
    (centrex,) = _create(["5035550102"], alice).orders

    assert simple.simple_port is True
    assert centrex.simple_port is False


# --- the page ----------------------------------------------------------------------------------


def _form(**overrides):
    data = {**END_USER, "requested_due_date": due_in().isoformat(), "authorization": "on"}
    data.update(overrides)
    return data


def test_the_page_creates_orders_and_lists_refused_tns(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101")
    desk.numbers(desk.resporg_spid, "8005550101", is_toll_free=True)

    response = alice_client.post(
        reverse("orders:portin_new"),
        _form(tns="(503) 555-0101\n800-555-0101, 206 555 0199\n503.555.0101"),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("orders:portin_new") + "?created=1", 302)]
    html = response.content.decode()
    assert html.count('href="/orders/') >= 2
    orders = list(PortOrder.objects.order_by("pk"))
    assert len(orders) == 2
    for order in orders:
        assert order.pon in html
    assert "not found in the NPAC view" in html
    assert "(206) 555-0199" in html
    assert "listed more than once" in html


def test_a_csv_upload_reads_the_tn_column(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101", "5035550102")
    csv_file = SimpleUploadedFile(
        "numbers.csv",
        b"name,tn\nmain line,(503) 555-0101\nfax,503-555-0102\n",
        content_type="text/csv",
    )

    response = alice_client.post(reverse("orders:portin_new"), _form(tn_file=csv_file))

    assert response.status_code == 302
    assert sorted(OrderNumber.objects.values_list("tn", flat=True)) == ["5035550101", "5035550102"]


def test_a_csv_without_a_tn_column_uses_the_first_one(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101")
    csv_file = SimpleUploadedFile("n.csv", b"5035550101,main\n", content_type="text/csv")

    alice_client.post(reverse("orders:portin_new"), _form(tn_file=csv_file))

    assert list(OrderNumber.objects.values_list("tn", flat=True)) == ["5035550101"]


def test_invalid_tns_are_named_by_line_and_csv_row_and_nothing_is_created(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101")
    csv_file = SimpleUploadedFile("n.csv", b"tn\n5035550101\n555-0100\n", content_type="text/csv")

    response = alice_client.post(
        reverse("orders:portin_new"),
        _form(tns="5035550101\n503555010x", tn_file=csv_file),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 2:" in html and "503555010x" in html
    assert "CSV row 3:" in html and "555-0100" in html
    assert not PortOrder.objects.exists()


def test_the_form_requires_some_numbers(desk, alice_client):
    response = alice_client.post(reverse("orders:portin_new"), _form(tns=""))
    assert "Paste the TNs to port or upload a CSV" in response.content.decode()
    assert not PortOrder.objects.exists()


def test_a_valid_post_redirects_so_a_reload_never_resubmits(desk, alice_client):
    desk.numbers(desk.lsp_spid, "5035550101")
    url = reverse("orders:portin_new")

    response = alice_client.post(url, _form(tns="5035550101"))

    assert response.status_code == 302 and response.url == url + "?created=1"
    # The browser's reload repeats the GET it was sent to: the result again, no new order.
    for _ in range(2):
        page = alice_client.get(response.url)
        assert page.status_code == 200
        assert PortOrder.objects.get().pon in page.content.decode()
    assert PortOrder.objects.count() == 1


def test_users_outside_the_desk_cannot_create_orders(bob, client):
    client.force_login(bob)
    assert client.get(reverse("orders:portin_new")).status_code == 403


def test_known_inventory_is_needed_even_for_toll_free_numbers(desk, alice):
    # A toll-free TN unknown to the NPAC view is not guessed into a Somos order.
    result = _create(["8775550123"], alice)
    assert result.orders == []
    assert result.refused[0].reason == "not found in the NPAC view"
    TelephoneNumberFactory(tn="8775550123", spid=desk.resporg_spid, is_toll_free=True)
    assert _create(["8775550123"], alice).orders[0].route == "somos"
