"""The admin's CSV uploads (carriers/admin_imports.py): a dry run that changes nothing and lists
what would change, row-numbered errors, the apply step, the polled status with its progress,
who may import, and the same service as the management commands."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from carriers import import_runs
from carriers.importers import csv_rows
from carriers.models import SPID, Carrier, ImportRun, TelephoneNumber
from tests.factories import CarrierFactory, OurCarrierFactory, SPIDFactory

pytestmark = pytest.mark.django_db

CARRIERS = """\
name,kind,spids,lsr_cutoff,csr_contact_email
Cascade Telecom,clec,7231,15:00,csr@cascade.example
Columbia Bell,ilec,9102 9103,16:00,
"""
BAD_CARRIERS = CARRIERS + "Klamath Valley,ilec,72A,14:00,\nMystery Co,martian,,,\n"
NUMBERS = "tn,spid,status\n(503) 241-0100,7231,working\n503-241-0101,7231,disconnected\n"

CARRIER_URLS = "admin:carriers_carrier_import"
NUMBER_URLS = "admin:carriers_telephonenumber_import"


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def _upload(client, text, *, urls=CARRIER_URLS, dry_run=True, name="carriers.csv"):
    """Upload through the admin page; the django-q2 task runs inline (Q_CLUSTER sync=True)
    once the upload's transaction commits."""
    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(reverse(urls), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk"), response


@pytest.fixture
def upload(admin, django_capture_on_commit_callbacks):
    def _go(text, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            run, response = _upload(admin, text, **kwargs)
        run.refresh_from_db()
        return run, response

    return _go


def test_the_changelists_link_to_their_imports(admin):
    page = admin.get(reverse("admin:carriers_carrier_changelist")).content.decode()
    assert f'href="{reverse(CARRIER_URLS)}"' in page
    assert "Import carriers from CSV" in page
    page = admin.get(reverse("admin:carriers_telephonenumber_changelist")).content.decode()
    assert f'href="{reverse(NUMBER_URLS)}"' in page
    upload_page = admin.get(reverse(CARRIER_URLS)).content.decode()
    assert "Dry run" in upload_page and "csr_contact_email" in upload_page  # the columns


def test_a_dry_run_changes_nothing_and_lists_what_would_change(admin, upload):
    CarrierFactory(name="Columbia Bell", kind="ilec")

    run, response = upload(CARRIERS)

    assert response["Location"] == reverse(f"{CARRIER_URLS}_run", args=[run.pk])
    assert run.status == "done" and run.dry_run
    assert not Carrier.objects.filter(name="Cascade Telecom").exists()
    assert not SPID.objects.exists()
    assert run.summary["counts"]["carriers"] == {"created": 1, "updated": 1, "unchanged": 0}
    assert run.summary["counts"]["SPIDs"]["created"] == 3
    page = admin.get(response["Location"]).content.decode()
    assert "What the import would change" in page
    assert "create carrier" in page and "Cascade Telecom" in page
    assert "lsr_cutoff: 15:00:00 → 16:00:00" in page  # Columbia Bell's update, field by field
    assert 'value="Import"' in page


def test_errors_are_numbered_by_line_and_nothing_is_saved(admin, upload):
    run, response = upload(BAD_CARRIERS)

    assert run.status == "failed"
    assert run.error_count == 2
    assert run.errors[0].startswith("line 4: spids: '72A'")
    assert run.errors[1].startswith("line 5: kind: 'martian' is not a kind")
    assert not Carrier.objects.exists()
    page = admin.get(response["Location"]).content.decode()
    assert "2 problems in the file" in page and "line 4: spids:" in page
    assert 'value="Import"' not in page


def test_import_applies_a_clean_dry_run_and_forgets_the_file(
    admin, upload, django_capture_on_commit_callbacks
):
    dry_run, _ = upload(CARRIERS)
    stored = dry_run.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse(f"{CARRIER_URLS}_apply", args=[dry_run.pk]))
    applied = ImportRun.objects.get(dry_run_of=dry_run)

    assert response["Location"] == reverse(f"{CARRIER_URLS}_run", args=[applied.pk])
    assert applied.status == "done" and not applied.dry_run
    assert applied.summary["counts"] == dry_run.summary["counts"]
    assert Carrier.objects.get(name="Cascade Telecom").spids.get().code == "7231"
    assert SPID.objects.count() == 3
    # The file (numbers files hold account numbers and PINs) is not kept once imported.
    assert not dry_run.file.storage.exists(stored)
    assert ImportRun.objects.get(pk=dry_run.pk).file == ""
    # A dry run is applied once.
    again = admin.post(reverse(f"{CARRIER_URLS}_apply", args=[dry_run.pk]), follow=True)
    assert "no longer kept" in again.content.decode() or "already" in again.content.decode()
    assert ImportRun.objects.filter(dry_run_of=dry_run).count() == 1


def test_a_failed_dry_run_cannot_be_applied(admin, upload):
    run, _ = upload(BAD_CARRIERS)
    response = admin.post(reverse(f"{CARRIER_URLS}_apply", args=[run.pk]), follow=True)
    assert "finished without errors" in response.content.decode()
    assert not ImportRun.objects.filter(dry_run_of=run).exists()
    assert admin.get(reverse(f"{CARRIER_URLS}_apply", args=[run.pk])).status_code == 405


def test_unticking_dry_run_imports_numbers_at_once(upload):
    SPIDFactory(code="7231", carrier=OurCarrierFactory())

    run, _ = upload(NUMBERS, urls=NUMBER_URLS, dry_run=False, name="numbers.csv")

    assert run.status == "done" and not run.dry_run
    assert run.summary["counts"]["numbers"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert TelephoneNumber.objects.get(tn="5032410101").status == "disconnected"
    assert [c["label"] for c in run.summary["changes"]] == ["(503) 241-0100", "(503) 241-0101"]


def test_a_20000_row_numbers_file_lists_the_first_changes_and_counts_them_all(admin, upload):
    SPIDFactory(code="7231", carrier=OurCarrierFactory())
    rows = "".join(f"503{2000000 + n:07d},7231\n" for n in range(20_000))

    run, response = upload("tn,spid\n" + rows, urls=NUMBER_URLS, name="numbers.csv")

    assert run.status == "done" and (run.rows_done, run.rows_total) == (20_000, 20_000)
    assert run.summary["counts"]["numbers"]["created"] == 20_000
    assert len(run.summary["changes"]) == csv_rows.CHANGES_LISTED
    assert not TelephoneNumber.objects.exists()
    page = admin.get(response["Location"]).content.decode()
    assert "The first 50 changes (19,950 more in the counts)" in page


def test_the_status_endpoint_reports_rows_done(admin, upload, monkeypatch):
    SPIDFactory(code="7231", carrier=OurCarrierFactory())
    monkeypatch.setattr(csv_rows, "PROGRESS_EVERY", 2)
    seen = []
    real = import_runs.csv_import

    def watching(**kwargs):
        progress = kwargs.pop("progress")

        def recorded(done, total):
            progress(done, total)
            seen.append(ImportRun.objects.values_list("rows_done", "rows_total").get())

        return real(progress=recorded, **kwargs)

    monkeypatch.setattr(import_runs, "csv_import", watching)
    rows = "".join(f"503241{n:04d},7231\n" for n in range(200, 205))

    run, _ = upload("tn,spid\n" + rows, urls=NUMBER_URLS, name="numbers.csv")

    assert seen == [(2, 5), (4, 5), (5, 5)]
    state = admin.get(reverse(f"{NUMBER_URLS}_status", args=[run.pk])).json()
    assert state == {
        "status": "done",
        "status_label": "Done",
        "finished": True,
        "rows_done": 5,
        "rows_total": 5,
        "percent": 100,
    }


def test_a_queued_run_shows_a_progress_bar_that_polls_its_status(admin, admin_user):
    # Without the on-commit callbacks the task never runs: the run stays queued.
    run, response = _upload(admin, CARRIERS)
    ImportRun.objects.filter(pk=run.pk).update(rows_done=30, rows_total=120)

    page = admin.get(response["Location"]).content.decode()

    assert run.status == "queued"
    assert f'data-import-status-url="{reverse(f"{CARRIER_URLS}_status", args=[run.pk])}"' in page
    assert 'class="progress"' in page and 'aria-valuenow="25"' in page
    assert "carriers/import_run.js" in page
    state = admin.get(reverse(f"{CARRIER_URLS}_status", args=[run.pk])).json()
    assert state["percent"] == 25 and not state["finished"]


def test_the_task_runs_once_however_often_it_is_delivered(upload):
    run, _ = upload(CARRIERS, dry_run=False)
    finished = run.finished_at

    import_runs.import_run_execute(run.pk)

    run.refresh_from_db()
    assert run.finished_at == finished
    assert Carrier.objects.count() == 2


def test_the_command_and_the_admin_give_the_same_summary(tmp_path, upload):
    """Same service (carriers.import_runs.csv_import): a dry run in the admin and
    `import_carriers --dry-run` report the same counts and changes for one file."""
    path = tmp_path / "carriers.csv"
    path.write_text(CARRIERS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_carriers", str(path), "--dry-run", stdout=out)
    assert not Carrier.objects.exists()

    run, _ = upload(CARRIERS)

    command = import_runs.csv_import(kind="carriers", source=str(path), dry_run=True)
    assert run.summary == command.as_json()
    for line in command.lines():
        assert line in out.getvalue()
    assert "Dry run" in out.getvalue()


# --- who may import -----------------------------------------------------------------------


def _staff(*codenames):
    user = get_user_model().objects.create_user("sam", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize(
    ("codenames", "expected"),
    [
        (("view_carrier",), 403),
        (("view_carrier", "add_carrier"), 403),  # an import also updates carriers
        (("view_carrier", "add_carrier", "change_carrier"), 200),
    ],
)
def test_only_admins_who_may_add_and_change_carriers_import_them(client, codenames, expected):
    client.force_login(_staff(*codenames))
    assert client.get(reverse(CARRIER_URLS)).status_code == expected
    changelist = client.get(reverse("admin:carriers_carrier_changelist")).content.decode()
    assert ("Import carriers from CSV" in changelist) == (expected == 200)
    assert client.get(reverse(NUMBER_URLS)).status_code == 403


def test_a_carrier_importer_cannot_read_a_numbers_run(client, admin, upload):
    SPIDFactory(code="7231", carrier=OurCarrierFactory())
    run, _ = upload(NUMBERS, urls=NUMBER_URLS, name="numbers.csv")
    client.force_login(_staff("view_carrier", "add_carrier", "change_carrier"))
    assert client.get(reverse(f"{NUMBER_URLS}_status", args=[run.pk])).status_code == 403
    # Under the carriers' URL a numbers run does not exist.
    assert client.get(reverse(f"{CARRIER_URLS}_status", args=[run.pk])).status_code == 404
