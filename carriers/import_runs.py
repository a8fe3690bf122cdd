"""CSV imports, one code path for the commands and the admin.

`csv_import` is the one service both `manage.py import_carriers/import_numbers` and the admin's
upload call: it runs the kind's importer (carriers.importers) as it is, a dry run included.
The admin's upload is an `ImportRun`: `import_run_start` stores the file and queues the
django-q2 task `import_run_execute` after commit; the task calls `csv_import` with a progress
callback that records rows done on the run (the admin page polls it) and keeps the summary or
the row-numbered errors. `import_run_apply` imports for real a file whose dry run was clean.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from carriers.importers.carriers import carriers_import
from carriers.importers.csv_rows import CsvImportError, ImportSummary, Progress, Source
from carriers.importers.numbers import numbers_import
from carriers.models import ImportRun

IMPORTERS = {ImportRun.Kind.CARRIERS: carriers_import, ImportRun.Kind.NUMBERS: numbers_import}
# A file with every row wrong (5M of them) keeps this many errors on the run, and their count.
ERRORS_KEPT = 500


class ImportRunError(ValueError):
    """An import run cannot do what was asked (the message says why, for the admin)."""


def csv_import(
    *, kind: str, source: Source, dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Import (or, with `dry_run`, check and count) a carriers or numbers CSV; raises
    `CsvImportError` with every bad row, nothing saved."""
    return IMPORTERS[kind](source=source, dry_run=dry_run, progress=progress)


def import_run_start(
    *, kind: str, upload: UploadedFile, by, dry_run: bool = True, now=None
) -> ImportRun:
    """Store the uploaded CSV under MEDIA_ROOT and queue its import (a dry run by default)."""
    if kind not in IMPORTERS:
        raise ImportRunError(f"kind: no {kind!r} import")
    run = ImportRun(
        kind=kind,
        original_name=(upload.name or "upload.csv")[:200],
        dry_run=dry_run,
        created_by=by,
        created_at=now or timezone.now(),
    )
    with transaction.atomic():
        run.file.save(upload.name or "upload.csv", upload, save=False)
        run.save()
        _enqueue_after_commit(run)
    return run


def import_run_apply(*, dry_run: ImportRun, by, now=None) -> ImportRun:
    """Import the file a clean dry run checked: a new run (who applied it, when) over the
    same stored file. A dry run is applied once."""
    with transaction.atomic():
        checked = ImportRun.objects.select_for_update().get(pk=dry_run.pk)
        if not checked.dry_run:
            raise ImportRunError("This run was an import, not a dry run.")
        if checked.status != ImportRun.Status.DONE:
            raise ImportRunError("Only a dry run that finished without errors can be imported.")
        if checked.applied_by.exists():
            raise ImportRunError("This dry run has already been imported.")
        if not checked.file:
            raise ImportRunError("The file of this dry run is no longer kept: upload it again.")
        run = ImportRun.objects.create(
            kind=checked.kind,
            file=checked.file.name,
            original_name=checked.original_name,
            dry_run=False,
            dry_run_of=checked,
            created_by=by,
            created_at=now or timezone.now(),
        )
        _enqueue_after_commit(run)
    return run


def _enqueue_after_commit(run: ImportRun) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task(
            "carriers.import_runs.import_run_execute", run.pk, task_name=f"import-run-{run.pk}"
        ),
        robust=True,
    )


def import_run_execute(run_id: int, *, now=None) -> None:
    """The django-q2 task. Claims the queued run with a conditional UPDATE, so a second
    delivery of the task (or a second worker) does nothing."""
    started = now or timezone.now()
    runs = ImportRun.objects.filter(pk=run_id)
    if not runs.filter(status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=started
    ):
        return
    run = runs.get()

    def progress(done: int, total: int) -> None:
        runs.update(rows_done=done, rows_total=total)

    outcome: dict = {
        "status": ImportRun.Status.FAILED,
        "errors": ["the import stopped on an unexpected error: nothing was saved"],
        "error_count": 1,
    }
    try:
        with run.file.open("rb") as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            summary = csv_import(kind=run.kind, source=text, dry_run=run.dry_run, progress=progress)
    except CsvImportError as exc:
        outcome["errors"] = [str(error) for error in exc.errors[:ERRORS_KEPT]]
        outcome["error_count"] = len(exc.errors)
    except UnicodeDecodeError as exc:
        outcome["errors"] = [f"the file is not UTF-8 text (byte {exc.start}): save it as UTF-8"]
        outcome["error_count"] = 1
    except OSError:
        outcome["errors"] = ["the stored file cannot be read: upload it again"]
        outcome["error_count"] = 1
    else:
        outcome = {"status": ImportRun.Status.DONE, "summary": summary.as_json()}
    finally:
        # Anything unexpected (it is re-raised for the worker's log) still ends the run.
        runs.update(**outcome, finished_at=timezone.now())
        if not run.dry_run:
            _forget_file(run)


def _forget_file(run: ImportRun) -> None:
    """An applied file (it may hold account numbers and PINs) is not kept once imported."""
    name = run.file.name
    if name:
        run.file.storage.delete(name)
        ImportRun.objects.filter(file=name).update(file="")
