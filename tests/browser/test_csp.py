"""Chromium reports no Content-Security-Policy violation on the dashboard, a queue and an
order page of each desk (issue 9).

Two listeners catch a violation: a `securitypolicyviolation` event listener injected before
any page script runs (Playwright's init scripts are not subject to the page's CSP), and the
console, where Chromium logs "Refused to ... because it violates the following Content
Security Policy directive". A control step injects an inline style on purpose and checks that
it is caught, so a silent listener cannot pass the test.
"""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.conftest import build_world, populate_desk

# The migrations' data comes back through tests/conftest.py's ensure_reference_data, as for
# every browser test: serialized_rollback would restore content types that the previous
# transactional test's flush already re-created (an IntegrityError when run after one).
pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page):
    console = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(LISTEN)
    return console


def _violations(page, console):
    return list(page.evaluate("window.__cspViolations || []")) + list(console)


def test_no_csp_violation_on_the_dashboard_a_queue_and_order_pages(
    page, live_server, alice, maria, login, artifacts
):
    world = build_world()
    desk = populate_desk(world, staff=alice, manager=maria)
    console = _watch(page)
    login("maria", PASSWORD)
    pages = {
        "dashboard": reverse("dashboard"),
        "queue": reverse("orders:queue", args=["in-submitted"]),
        "rejections-queue": reverse("orders:queue", args=["rejections"]),
        "portin-order": reverse("orders:order_detail", args=[desk.portin["exception"].pk]),
        "portout-order": reverse("orders:order_detail", args=[desk.portout["sup_flag"].pk]),
        "new-order": reverse("orders:portin_new"),
    }
    seen = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert page.locator("main").is_visible(), name
        # Bootstrap's script ran (it is allowed by the nonce): a collapse toggler works.
        assert page.evaluate("typeof bootstrap !== 'undefined'"), name
        seen[name] = _violations(page, console)
        console.clear()
        page.screenshot(path=str(artifacts / f"csp-{name}.png"), full_page=True)
    assert all(not found for found in seen.values()), seen

    # Control: an inline style injected now is blocked and reported by both listeners.
    page.evaluate(
        """document.querySelector("main").insertAdjacentHTML(
             "beforeend", '<div id="csp-probe" style="color: red">probe</div>')"""
    )
    page.wait_for_timeout(300)
    caught = _violations(page, console)
    assert any("style-src" in v for v in caught), caught
