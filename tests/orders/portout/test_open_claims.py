"""F7 on the port-out desk: an LSR claims the TNs it ports (not its disconnect or remain
lines); a TN another open LSR ports is refused with the clear message; a reject, a cancel or
a completion releases the claims; a new VER takes them over from the version it supersedes."""

import pytest

from orders.lifecycle import transition
from orders.models import Direction, OpenTnClaim, OutboundEmail, Status
from orders.services import portout as services
from tests.factories import CarrierFactory, PortOrderFactory, SPIDFactory

from .conftest import MONDAY, at, make_lsr

pytestmark = pytest.mark.django_db


def claims():
    return set(OpenTnClaim.objects.values_list("tn", "direction", "order_id"))


def receive(requester, tns, **lsr_fields):
    return services.lsr_receive(
        requesting_carrier=requester, lsr=make_lsr(tns, **lsr_fields), now=MONDAY
    )


def test_an_lsr_claims_only_the_tns_it_ports(make_account, requester):
    _account, tns = make_account(3)

    order = receive(requester, tns[:1], mi="A", disconnect_tns=tns[1:2])

    assert claims() == {(tns[0], "out", order.pk)}


def test_an_lsr_for_a_tn_on_another_open_lsr_is_logged_and_rejected_at_once_with_f7(
    make_account, requester
):
    account, tns = make_account(2, contact_email="holder@example.net")
    first = receive(requester, tns)
    rival = CarrierFactory(name="Rival Mobile")
    SPIDFactory(code="R001", carrier=rival)

    second = receive(rival, tns[1:], pon="RIVAL-1", mi="A")

    assert second.status == Status.REJECTED
    rejection = second.rejections.get()
    assert list(rejection.reasons.values_list("code", flat=True)) == ["F7"]
    # The requester learns which TN, never whose request holds it.
    assert "pending port request" in rejection.text
    assert first.pon not in rejection.text
    reason = second.history.get(to_status=Status.REJECTED).reason
    assert f"open port-out order {first.pon} v1 (order #{first.pk})" in reason
    # The first LSR keeps its TNs; the holder is told of the second request too (R19).
    assert claims() == {(tn, "out", first.pk) for tn in tns}
    assert [row.recipients for row in OutboundEmail.objects.order_by("pk")] == [
        ["holder@example.net"]
    ] * 2


def test_a_port_in_of_the_same_tn_does_not_block_a_port_out(make_account, requester):
    _account, tns = make_account(1)
    port_in = PortOrderFactory()
    OpenTnClaim.objects.create(tn=tns[0], direction=Direction.PORT_IN, order=port_in)

    order = receive(requester, tns)

    assert claims() == {(tns[0], "in", port_in.pk), (tns[0], "out", order.pk)}


def test_a_new_version_takes_over_the_claims_of_the_version_it_supersedes(make_account, requester):
    _account, tns = make_account(2)
    v1 = receive(requester, tns)

    v2 = receive(requester, tns, version=2)

    v1.refresh_from_db()
    assert v1.status == Status.CANCELLED
    assert claims() == {(tn, "out", v2.pk) for tn in tns}


@pytest.mark.parametrize("closing", [Status.REJECTED, Status.CANCELLED])
def test_rejecting_or_cancelling_an_lsr_releases_its_tns(make_account, requester, closing):
    _account, tns = make_account(1)
    order = receive(requester, tns)

    transition(order, closing, actor_label="test", now=MONDAY)

    assert claims() == set()
    rival = CarrierFactory(name="Rival Mobile")
    again = receive(rival, tns, pon="RIVAL-1")
    assert claims() == {(tns[0], "out", again.pk)}


def test_a_sup1_cancel_releases_the_claims(make_account, requester, alice):
    _account, tns = make_account(1)
    order = receive(requester, tns)

    services.sup_receive(order=order, sup_type=1, by=alice, received_at=MONDAY, now=MONDAY)

    assert claims() == set()


def test_completion_by_npac_activation_releases_the_claims(make_account, requester, alice):
    _account, tns = make_account(1)
    order = receive(requester, tns)
    transition(order, Status.FOC_SENT, actor_label="test", now=MONDAY)

    services.npac_event_record(order=order, kind="activate", by=alice, now=at(2026, 11, 30))

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert claims() == set()


def test_a_sup3_that_changes_the_tns_moves_the_claims_with_them(make_account, requester, alice):
    account, tns = make_account(3)
    order = receive(requester, tns[:1], mi="A", account_number=account.account_number)

    services.sup_receive(
        order=order, sup_type=3, by=alice, received_at=MONDAY, changes={"tns": tns[1:]}, now=MONDAY
    )

    assert claims() == {(tn, "out", order.pk) for tn in tns[1:]}
