"""The desk's journeys in a real browser (Playwright + Debian's Chromium): a port-in order from
the pasted TNs to completion, a port-out LSR from a reject to the NPAC activation, a manager's
day in the rejection review and decision queues, and the screenshots the README shows.

Data comes from the demo inventory (`carriers.demo.seed`) and, where a journey needs a full
desk, the demo orders (`orders.demo.seed`), both made through the services. Selectors are
roles, labels, `data-testid`s and the order page's `data-action` boxes.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers import demo as carriers_demo
from carriers.models import CustomerAccount, TelephoneNumber
from carriers.services import calendar_for, our_carrier
from carriers.tn import format_tn
from orders import demo as orders_demo
from orders.models import Direction, OrderNumber, PortOrder, Rejection, Status
from orders.roles import STAFF_GROUP
from orders.services.dashboard_summary import refresh_dashboard_summary
from tests.conftest import PASSWORD
from tests.factories import business_day_in

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1400, "height": 900}


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def inventory(db):
    carriers_demo.seed()


@pytest.fixture
def demo_desk(inventory, alice, maria):
    """The demo orders of both desks, worked by alice and maria, with the dashboard's
    summary refreshed as the worker's every-minute job would."""
    orders_demo.seed()
    refresh_dashboard_summary()


@pytest.fixture
def desk(page, live_server):
    """The page at 1400x900, accepting the portal's confirm() dialogs like a person who meant
    it."""
    page.set_viewport_size(VIEWPORT)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


@pytest.fixture
def carol(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "carol", password=PASSWORD, first_name="Carol", email="carol@porting-desk.example.net"
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def business_days_ahead(n: int) -> datetime.date:
    return calendar_for(our_carrier()).add_business_days(timezone.localdate(), n)


def free_tns(spid_code: str, n: int) -> list[str]:
    """Working TNs another carrier serves on `spid_code`, on no order yet."""
    used = OrderNumber.objects.values_list("tn", flat=True)
    return list(
        TelephoneNumber.objects.filter(
            spid__code=spid_code, account__isnull=True, status=TelephoneNumber.Status.WORKING
        )
        .exclude(tn__in=used)
        .order_by("tn")
        .values_list("tn", flat=True)[:n]
    )


def our_account_with_lines(count: int):
    """One of our customers' accounts with exactly `count` working lines, on no order."""
    used = set(OrderNumber.objects.values_list("tn", flat=True))
    # The numbers are encrypted in the database: compared once decrypted, in their order.
    accounts = sorted(
        CustomerAccount.objects.prefetch_related("numbers"), key=lambda a: a.account_number
    )
    for account in accounts:
        numbers = list(account.numbers.all())
        if (
            account.account_number >= "CT-1000100"
            and len(numbers) == count
            and all(n.status == TelephoneNumber.Status.WORKING for n in numbers)
            and not used.intersection(n.tn for n in numbers)
        ):
            return account, sorted(n.tn for n in numbers)
    raise AssertionError(f"no free {count}-line account in the demo inventory")


def no_error(page):
    """Fail with the page's own error message, if it shows one."""
    errors = page.locator(".alert-danger, .invalid-feedback")
    if errors.count():
        texts = [t.strip() for t in errors.all_inner_texts() if t.strip()]
        if texts:
            raise AssertionError(f"the page shows an error: {texts}")


def action_box(page, slug: str):
    """One of the order page's action boxes (<details data-action=...>), opened."""
    box = page.locator(f'details[data-action="{slug}"]')
    expect(box).to_have_count(1)
    if not box.evaluate("el => el.open"):
        box.locator("summary").click()
    return box


def submit(page, locator):
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        locator.click()
    no_error(page)


def status_of(page):
    return page.get_by_test_id("order-status")


def login_as(page, login, username: str):
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))
    login(username, PASSWORD)


# --- port-in ------------------------------------------------------------------------------


def test_port_in_from_pasted_tns_to_completion(desk, live_server, login, alice, maria, inventory):
    page = desk
    willamette = free_tns("4417", 2)  # Willamette Fiber: supports CSRs
    bridgeport = free_tns("V517", 1)  # Bridgeport Voice: VoIP, no CSR
    due = timezone.localdate() + datetime.timedelta(days=21)
    # On a business day, not before the requested due date: no confirmation needed.
    foc = business_day_in(21)
    login_as(page, login, "alice")

    # Paste the TNs of two losing carriers, in the formats customers use.
    page.get_by_role("link", name="New port-in").click()
    page.get_by_label("Account (business or end-user) name").fill("Hawthorne Print Shop")
    page.get_by_label("Account number").fill("88120457")
    page.get_by_label("BTN").fill(format_tn(willamette[0]))
    page.get_by_label("Authorized person").fill("Pat Rivera")
    page.get_by_label("Service address").fill("3520 SE Hawthorne Blvd")
    page.get_by_label("City").fill("Portland")
    page.get_by_label("State").fill("OR")
    page.get_by_label("ZIP").fill("97214")
    page.get_by_label("Requested due date").fill(due.isoformat())
    page.get_by_label("Customer notification email").fill("pat@hawthorneprint.example")
    page.get_by_label("PIN / passcode").fill("2468")
    a, b = willamette
    c = bridgeport[0]
    page.get_by_label("TNs", exact=True).fill(
        f"{format_tn(a)}\n{b[:3]}.{b[3:6]}.{b[6:]}, +1 {c[:3]}-{c[3:6]}-{c[6:]}"
    )
    page.get_by_label("The end user authorized this port").check()
    submit(page, page.get_by_role("button", name="Check the numbers and create the orders"))

    # Two orders appear, one per losing carrier; nothing refused.
    created = page.get_by_test_id("created-orders").locator("tbody tr")
    expect(created).to_have_count(2)
    expect(page.get_by_test_id("created-orders")).to_contain_text("Willamette Fiber")
    expect(page.get_by_test_id("created-orders")).to_contain_text("Bridgeport Voice")
    expect(page.get_by_text("None: every number was ordered.")).to_be_visible()
    submit(page, created.filter(has_text="Willamette Fiber").get_by_role("link"))
    expect(status_of(page)).to_have_text("Draft")
    expect(page.get_by_test_id("csr-status")).to_have_text("CSR pending")
    order_url = page.url

    # The losing carrier's CSR names someone else as the authorized person: a mismatch.
    csr = action_box(page, "csr")
    csr.get_by_label("Account name").fill("Hawthorne Print Shop")
    csr.get_by_label("Authorized person").fill("Jordan Rivera")
    csr.get_by_label("Service address").fill("3520 SE Hawthorne Boulevard")
    csr.get_by_label("ZIP").fill("97214")
    csr.get_by_label("TNs on the CSR").fill(f"{a}\n{b}")
    submit(page, csr.get_by_role("button", name="Record and compare the CSR"))
    expect(page.get_by_test_id("csr-status")).to_have_text("Mismatches")
    expect(page.locator('[data-mismatch="authorized_person"]')).to_be_visible()
    # The submit box says why the LSR cannot go yet.
    expect(action_box(page, "submit")).to_contain_text("the CSR does not match")

    # Fix the order: the customer confirms the account is in Jordan's name.
    edit = action_box(page, "edit")
    edit.get_by_label("Authorized person").fill("Jordan Rivera")
    submit(page, edit.get_by_role("button", name="Save the changes"))
    expect(page.get_by_test_id("csr-status")).to_have_text("Matches the order")

    # Send the LSR.
    submit(page, action_box(page, "submit").get_by_role("button", name="Send the LSR"))
    expect(status_of(page)).to_have_text("Submitted")

    # Willamette Fiber rejects it: the desk first tries to fix it (exception).
    reject = action_box(page, "lsp-reject")
    reject.get_by_label("Reasons").select_option(["ADDR"])
    reject.get_by_label("The carrier's reject text").fill("Suite number missing from the address.")
    submit(page, reject.get_by_role("button", name="Record the reject"))
    expect(status_of(page)).to_have_text("Exception (desk fixing)")

    # The desk cannot fix it alone: back to the customer (emailed, F4 clock starts).
    back = action_box(page, "return-to-customer")
    back.get_by_label("Details for the customer").fill("Please send the full service address.")
    submit(page, back.get_by_role("button", name="Return to the customer (email)"))
    expect(status_of(page)).to_have_text("Rejected")
    expect(page.get_by_text("Auto-cancel on")).to_be_visible()

    # The customer answers; the desk reviews and resends.
    resubmit = action_box(page, "customer-resubmission")
    resubmit.get_by_label("What the customer changed or sent").fill(
        "Customer sent a bill copy: the address is 3520 SE Hawthorne Blvd, Suite 200."
    )
    submit(page, resubmit.get_by_role("button", name="Record the resubmission"))
    expect(status_of(page)).to_have_text("In review")
    resend = action_box(page, "review-resend")
    resend.get_by_label("What was fixed").fill("Suite added to the service address.")
    submit(page, resend.get_by_role("button", name="Reviewed: resend the LSR"))
    expect(status_of(page)).to_have_text("Submitted")

    # The FOC comes back.
    focbox = action_box(page, "foc")
    focbox.get_by_label("FOC date").fill(foc.isoformat())
    submit(page, focbox.get_by_role("button", name="Record FOC"))
    expect(status_of(page)).to_have_text("Accepted (FOC)")
    expect(page.get_by_test_id("foc-date")).to_contain_text(foc.isoformat())

    # Port day: one TN is active first, then the order is completed.
    activate = action_box(page, "activate")
    activate.get_by_label("TNs activated").fill(format_tn(a))
    submit(page, activate.get_by_role("button", name="Mark activated"))
    expect(status_of(page)).to_have_text("Accepted (FOC)")
    expect(page.get_by_text("1 activated")).to_be_visible()
    # Completing before the FOC date is a manager's call: alice is not offered it.
    expect(page.get_by_role("button", name="Complete (all TNs ported)")).to_have_count(0)
    login_as(page, login, "maria")
    page.goto(order_url)
    submit(page, action_box(page, "complete").get_by_role("button", name="Complete"))
    expect(status_of(page)).to_have_text("Completed")
    assert page.url == order_url

    # The timeline shows every step, newest first.
    timeline = page.get_by_test_id("timeline")
    for step in [
        "Created as Draft",
        "CSR recorded: mismatches on",
        "Order details changed by alice",
        "Draft → Submitted",
        "Submitted → Exception (desk fixing)",
        "Rejection by losing carrier",
        "Exception (desk fixing) → Rejected",
        "Rejected → In review",
        "From the customer",
        "In review → Submitted",
        "Submitted → Accepted (FOC)",
        "1 TN(s) activated in NPAC.",
        "Accepted (FOC) → Completed",
    ]:
        expect(timeline).to_contain_text(step)
    order = PortOrder.objects.get(numbers__tn=a)
    assert order.status == Status.COMPLETED
    assert list(order.history.order_by("created_at", "pk").values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "exception",
        "rejected",
        "review",
        "submitted",
        "accepted",
        "completed",
    ]
    # The Bridgeport Voice order waits as a draft that needs no CSR.
    other = PortOrder.objects.get(numbers__tn=c)
    assert (other.status, other.csr_status) == (Status.DRAFT, "not_required")


# --- port-out -----------------------------------------------------------------------------


def fmt_day(d: datetime.date) -> str:
    """How the FOC explanation writes a day: `Mon 11/23`."""
    return f"{d:%a} {d.month}/{d.day}"


def _log_lsr(page, base_url, *, account, tns, version, due, authorization, pon="PW-77120"):
    page.goto(f"{base_url}{reverse('orders:portout_lsr_new')}")
    page.locator("#id_requesting_carrier").select_option(label="Pinnacle Wireless")
    page.locator("#id_pon").fill(pon)
    page.locator("#id_version").fill(str(version))
    page.locator("#id_reqtype").fill("C")
    page.locator("#id_act").fill("V")
    page.locator("#id_requested_due_date").fill(due.isoformat())
    page.locator("#id_authorization_indicator").select_option(authorization)
    page.locator("#id_tns").fill("\n".join(format_tn(tn) for tn in tns))
    page.locator("#id_account_number").fill(account.account_number)
    page.locator("#id_btn").fill(account.btn)
    page.locator("#id_account_name").fill(account.name)
    page.locator("#id_authorized_person").fill(account.authorized_person)
    page.locator("#id_service_address").fill(account.service_address)
    page.locator("#id_city").fill(account.city)
    page.locator("#id_state").fill(account.state)
    page.locator("#id_zip_code").fill(account.zip_code)
    submit(page, page.get_by_role("button", name="Log the LSR and run the rules"))


def test_port_out_from_a_rejected_lsr_to_the_npac_activation(
    desk, live_server, login, alice, inventory
):
    page = desk
    account, tns = our_account_with_lines(3)
    due = business_days_ahead(8)
    new_due = business_days_ahead(10)
    login_as(page, login, "alice")

    # VER 1 breaks two rules: a partial port not identified (R13: one line left out) and no
    # end-user authorization (R4). Both reasons show, by rule.
    _log_lsr(
        page, live_server.url, account=account, tns=tns[:2], version=1, due=due, authorization="N"
    )
    expect(page.get_by_role("alert").filter(has_text="fails R4, R13")).to_be_visible()
    expect(status_of(page)).to_have_text("Received (to decide)")
    findings = page.get_by_test_id("findings")
    expect(findings.locator("tr.table-danger").filter(has_text="R4")).to_have_count(1)
    expect(
        findings.locator("tr.table-danger").filter(has_text="Partial port not identified")
    ).to_have_count(1)
    expect(findings).to_contain_text("authorization")
    expect(page.get_by_text("Failing: R4, R13")).to_be_visible()
    expect(page.get_by_role("button", name="Send FOC")).to_have_count(0)
    submit(page, page.get_by_role("button", name="Send reject (R4, R13)"))
    expect(status_of(page)).to_have_text("Rejected")
    expect(page.get_by_test_id("portout-detail")).to_contain_text("Rejects sent")

    # VER 2 lists every line and indicates the authorization: every rule passes, and the FOC
    # date comes with its arithmetic.
    _log_lsr(page, live_server.url, account=account, tns=tns, version=2, due=due, authorization="Y")
    expect(page.get_by_role("alert").filter(has_text="every rule passes")).to_be_visible()
    expect(page.get_by_text("Failing:")).to_have_count(0)
    foc_line = page.get_by_test_id("foc-line")
    expect(foc_line).to_contain_text("business days")
    expect(foc_line).to_contain_text(f"-> FOC {fmt_day(due)}")
    # The Versions card: VER 1, rejected, and what VER 2 changed (the authorization).
    expect(page.get_by_test_id("version-1")).to_contain_text("Rejected")
    expect(page.get_by_test_id("version-2")).to_contain_text("Authorization indicator")
    submit(page, page.get_by_role("button", name="Send FOC"))
    expect(status_of(page)).to_have_text("FOC sent")
    expect(page.get_by_test_id("portout-detail")).to_contain_text(f"FOC sent: {due:%a %Y-%m-%d}")

    # A SUP 2 moves the due date; sent early enough (R10), the requested date is kept.
    page.get_by_role("link", name="Record a SUP").click()
    page.locator("#id_sup_type").select_option("2")
    page.locator("#id_requested_due_date").fill(new_due.isoformat())
    page.locator("#id_remarks").fill("End user's move date changed.")
    submit(page, page.get_by_role("button", name="Record the SUP"))
    expect(status_of(page)).to_have_text("FOC sent")
    detail = page.get_by_test_id("portout-detail")
    expect(detail).to_contain_text("SUP 2: new due date")
    expect(detail).to_contain_text(f"FOC sent: {new_due:%a %Y-%m-%d}")

    # The new carrier activates in NPAC: every TN is ported, the order completes.
    npac = page.get_by_test_id("npac-form")
    npac.get_by_label("NPAC event").select_option("activate")
    submit(page, npac.get_by_role("button", name="Record"))
    expect(status_of(page)).to_have_text("Completed")
    expect(page.get_by_text("the order is completed")).to_be_visible()
    order = PortOrder.objects.get(pon="PW-77120", version=2)
    assert order.status == Status.COMPLETED
    assert order.numbers.filter(npac_status="active").count() == 3
    assert PortOrder.objects.get(pon="PW-77120", version=1).status == Status.REJECTED


# --- the manager's queues, and what staff cannot do -----------------------------------------


def _rejections_for(carrier_name: str) -> set[int]:
    """Open rejections whose order is with `carrier_name` on the other side (the losing
    carrier of a port-in, the requesting carrier of a port-out)."""
    return set(
        Rejection.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(order__direction=Direction.PORT_IN, order__losing_carrier__name=carrier_name)
            | Q(order__direction=Direction.PORT_OUT, order__new_carrier__name=carrier_name)
        )
        .values_list("pk", flat=True)
    )


def test_alice_cannot_use_the_manager_actions_maria_can(
    desk, live_server, login, demo_desk, alice, maria, carol
):
    page = desk
    expected = _rejections_for("Bridgeport Voice")
    assert len(expected) == 2  # a port-in and a port-out rejection (demo data)
    holders = dict(Rejection.objects.filter(pk__in=expected).values_list("pk", "assignee_id"))
    expedite = PortOrder.objects.get(status=Status.EXPEDITE_REVIEW)
    rejections_url = f"{live_server.url}{reverse('orders:queue', args=['rejections'])}"
    expedites_url = f"{live_server.url}{reverse('orders:queue', args=['out-expedites'])}"
    expedite_url = f"{live_server.url}{reverse('orders:order_detail', args=[expedite.pk])}"

    # Alice (staff) works the same queues but sees none of the manager's buttons...
    login_as(page, login, "alice")
    page.goto(rejections_url)
    expect(page.get_by_test_id("queue-row").first).to_be_visible()
    expect(page.get_by_test_id("bulk-assign")).to_be_visible()
    expect(page.get_by_test_id("bulk-reassign")).to_have_count(0)
    expect(page.get_by_test_id("bulk-return")).to_have_count(0)
    page.goto(expedites_url)
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("decide")).to_have_count(0)
    page.goto(expedite_url)
    expect(status_of(page)).to_have_text("Expedite awaiting manager")
    expect(page.get_by_test_id("expedite-form")).to_have_count(0)

    # ...and posting them by hand is refused (403), with nothing changed.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    reassign = page.request.post(
        f"{live_server.url}{reverse('orders:queue_reassign', args=['rejections'])}",
        form={"csrfmiddlewaretoken": token, "ids": str(min(expected)), "assignee": str(carol.pk)},
        max_redirects=0,
    )
    # The role refuses it (the portal's 403 page), not a CSRF failure.
    assert reassign.status == 403 and "You may not do this" in reassign.text()
    decide = page.request.post(
        f"{live_server.url}{reverse('orders:portout_expedite', args=[expedite.pk])}",
        form={"csrfmiddlewaretoken": token, "accept": "yes", "expected_status": expedite.status},
        max_redirects=0,
    )
    assert decide.status == 403 and "You may not do this" in decide.text()
    assert dict(Rejection.objects.filter(pk__in=expected).values_list("pk", "assignee_id")) == (
        holders
    )
    expedite.refresh_from_db()
    assert expedite.status == Status.EXPEDITE_REVIEW

    # Maria (manager) filters the rejection review by carrier...
    login_as(page, login, "maria")
    page.goto(rejections_url)
    expect(page.get_by_role("heading", name="Rejection review")).to_be_visible()
    page.get_by_role("button", name="Filters").click()
    # Wait for Bootstrap's collapse to finish: a click on "Apply filters" while the panel is
    # still sliding open was once lost (no navigation in 30 s, under CI's load).
    expect(page.locator("#queue-filter-panel")).to_have_class(re.compile(r"\bcollapse show\b"))
    page.get_by_label("Carrier (losing or requesting)").select_option(label="Bridgeport Voice")
    submit(page, page.get_by_test_id("apply-filters"))
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(2)
    shown = {int(rows.nth(i).get_attribute("data-row-id")) for i in range(2)}
    assert shown == expected

    # ...reassigns both rejections to Carol (one was Alice's)...
    for i in range(2):
        rows.nth(i).get_by_role("checkbox").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_test_id("bulk-actions").locator("select[name=assignee]").select_option(
        label="Carol"
    )
    submit(page, page.get_by_test_id("bulk-reassign"))
    expect(page.get_by_role("alert").filter(has_text="Reassigned 2")).to_be_visible()
    expect(rows).to_have_count(2)  # back on the filtered page, both now Carol's
    expect(rows.filter(has_text="Carol")).to_have_count(2)
    assert set(
        Rejection.objects.filter(pk__in=expected).values_list("assignee__username", flat=True)
    ) == {"carol"}

    # ...and accepts the expedite from its queue.
    page.goto(expedites_url)
    submit(page, page.get_by_test_id("decide"))
    expect(status_of(page)).to_have_text("Expedite awaiting manager")
    submit(page, page.get_by_test_id("expedite-form").get_by_role("button", name="Accept"))
    expect(status_of(page)).to_have_text("FOC sent")
    expect(page.get_by_role("alert").filter(has_text="Expedite accepted")).to_be_visible()
    expedite.refresh_from_db()
    assert (expedite.status, expedite.expedite_decision) == (Status.FOC_SENT, "accepted")
    assert expedite.foc_date is not None
    assert expedite.history.filter(to_status=Status.FOC_SENT, actor=maria).exists()


# --- screenshots for the README -------------------------------------------------------------


def screenshot(page, path, *, max_height: int = VIEWPORT["height"]):
    """The page from its top, 1400 px wide, down to the end of its content but at most
    `max_height` (the viewport by default): readable in a README without a whole long page."""
    content = page.evaluate(
        "Math.ceil(document.querySelector('main').getBoundingClientRect().bottom + scrollY + 24)"
    )
    height = max(400, min(content, max_height))
    page.screenshot(
        path=str(path),
        full_page=height > VIEWPORT["height"],
        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
    )


def test_screenshots_of_the_dashboard_a_queue_and_an_order(
    desk, live_server, login, demo_desk, artifacts
):
    page = desk
    login_as(page, login, "maria")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("chart-statuses").get_by_test_id("chart-svg")).to_be_visible()
    screenshot(page, artifacts / "readme-dashboard.png", max_height=1900)

    page.goto(f"{live_server.url}{reverse('orders:queue', args=['rejections'])}")
    expect(page.get_by_test_id("queue-row").first).to_be_visible()
    screenshot(page, artifacts / "readme-queue.png")
    page.goto(f"{live_server.url}{reverse('orders:queue', args=['in-submitted'])}")
    expect(page.get_by_test_id("queue-row").first).to_be_visible()
    screenshot(page, artifacts / "readme-queue-port-in-submitted.png")

    review = PortOrder.objects.filter(direction=Direction.PORT_IN, status=Status.REVIEW).first()
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[review.pk])}")
    expect(page.get_by_test_id("timeline")).to_contain_text("From the customer")
    screenshot(page, artifacts / "readme-order.png", max_height=1500)

    failing = PortOrder.objects.get(pon=f"{orders_demo.DEMO_PON_PREFIX}SM-5521")
    page.goto(f"{live_server.url}{reverse('orders:order_detail', args=[failing.pk])}")
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("R13")
    findings.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "readme-order-port-out-findings.png"))
    for name in ("dashboard", "queue", "order"):
        assert (artifacts / f"readme-{name}.png").stat().st_size > 10_000
