"""The admin's CSV import in a real browser (issue 16): an admin uploads a carriers CSV from the
changelist, the dry run shows a row-numbered error and saves nothing; the fixed file's dry run
lists what would change; "Import" applies it and the carriers are in the changelist. A queued
run's page shows a progress bar that follows the run's JSON status (static JS, CSP) and turns
into the result when the run is done.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from carriers.models import Carrier, ImportRun
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
GOOD = """\
name,kind,spids,lsr_cutoff,csr_contact_email
Cascade Telecom,clec,7231,15:00,csr@cascade.example
Columbia Bell,ilec,9102 9103,16:00,
"""
# Line 3: a 3-character SPID.
BAD = GOOD.replace("9102 9103", "9102 72A")


def _admin_login(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def _upload(page, text):
    page.get_by_label("CSV file").set_input_files(
        {"name": "carriers.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    expect(page.get_by_label("Dry run: show what would change, save nothing")).to_be_checked()
    page.get_by_role("button", name="Upload and check").click()


def _shots(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"admin-import-{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / f"admin-import-{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESK)
    return width


def test_an_admin_dry_runs_fixes_and_imports_a_carriers_csv(
    page, live_server, admin_user, artifacts
):
    page.set_viewport_size(DESK)
    _admin_login(page, live_server)
    page.goto(live_server.url + reverse("admin:carriers_carrier_changelist"))
    page.get_by_role("link", name="Import carriers from CSV").click()
    _shots(page, artifacts, "upload")

    # A dry run of a file with a bad row: the error names the line, nothing is saved.
    _upload(page, BAD)
    errors = page.locator(".csv-import-errors")
    expect(errors).to_contain_text("line 3: spids: '72A'")
    expect(page.locator(".errornote")).to_contain_text("1 problem in the file")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    assert not Carrier.objects.exists()
    _shots(page, artifacts, "errors")

    # The fixed file: the dry run lists what would change, still nothing saved.
    page.get_by_role("link", name="upload the file again").click()
    _upload(page, GOOD)
    expect(page.get_by_role("heading", name="What the import would change")).to_be_visible()
    counts = page.locator(".csv-import-counts")
    expect(counts.get_by_role("row", name="carriers")).to_contain_text("2")
    expect(page.locator(".csv-import-changes")).to_contain_text("Cascade Telecom")
    assert not Carrier.objects.exists()
    assert _shots(page, artifacts, "dry-run") <= PHONE["width"]

    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="What was imported")).to_be_visible()
    page.get_by_role("link", name="Back to the carriers").click()
    results = page.locator("#result_list")
    expect(results).to_contain_text("Cascade Telecom")
    expect(results).to_contain_text("Columbia Bell")
    assert sorted(Carrier.objects.values_list("name", flat=True)) == [
        "Cascade Telecom",
        "Columbia Bell",
    ]


def test_a_running_import_shows_a_progress_bar_until_it_is_done(
    page, live_server, admin_user, artifacts
):
    page.set_viewport_size(DESK)
    console_errors = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    run = ImportRun.objects.create(
        kind="numbers",
        original_name="inventory.csv",
        status="running",
        rows_done=5000,
        rows_total=20000,
        created_by=admin_user,
        created_at=timezone.now(),
    )
    _admin_login(page, live_server)
    page.goto(live_server.url + reverse("admin:carriers_telephonenumber_import_run", args=[run.pk]))

    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "25")
    expect(page.locator("[data-import-rows]")).to_have_text("5,000 of 20,000 rows checked")
    page.wait_for_function(
        "document.querySelector('[data-import-bar]').getBoundingClientRect().width > 0"
    )
    _shots(page, artifacts, "progress")

    ImportRun.objects.filter(pk=run.pk).update(rows_done=15000)
    expect(bar).to_have_attribute("aria-valuenow", "75")

    ImportRun.objects.filter(pk=run.pk).update(
        rows_done=20000,
        status="done",
        finished_at=timezone.now(),
        summary={
            "counts": {
                "accounts": {"created": 0, "updated": 0, "unchanged": 0},
                "numbers": {"created": 20000, "updated": 0, "unchanged": 0},
            },
            "changes": [
                {"line": 2, "kind": "number", "action": "create", "label": "(503) 241-0100"}
            ],
            "dry_run": True,
        },
    )
    expect(page.get_by_role("heading", name="What the import would change")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.locator(".csv-import-counts")).to_contain_text("20,000")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
