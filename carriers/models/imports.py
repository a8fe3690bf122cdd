"""A CSV import started from the admin (`carriers.import_runs`): who ran which file, whether it
was a dry run, how far it got and what it found. The file itself is kept only until an import
of it has been applied (it may carry account numbers and PINs)."""

import uuid

from django.conf import settings
from django.db import models


def import_upload_path(instance, filename):
    # Never the uploaded name: a random path is neither guessable nor an injection vector.
    return f"imports/{uuid.uuid4().hex}.csv"


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        CARRIERS = "carriers", "Carriers"
        NUMBERS = "numbers", "Numbers"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=import_upload_path, blank=True)
    original_name = models.CharField(max_length=200)
    dry_run = models.BooleanField(default=True)
    # The dry run an applied import was started from (same file).
    dry_run_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="applied_by"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # ImportSummary.as_json(): counts per kind, the first changes, dry_run.
    summary = models.JSONField(default=dict, blank=True)
    # ["line 7: spids: ...", ...] (the first ERRORS_KEPT) and their total in `error_count`.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        what = "dry run" if self.dry_run else "import"
        return f"{self.get_kind_display()} {what} of {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0
