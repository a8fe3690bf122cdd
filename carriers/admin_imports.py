"""The admin's CSV uploads ("Import carriers from CSV", "Import numbers from CSV").

`CsvImportAdmin` adds, to a ModelAdmin that sets `import_kind`, an upload page, the run's page
(a progress bar while the django-q2 task runs, then the dry run's changes or the row-numbered
errors, and an "Import" button), a small JSON status endpoint the page polls and the apply
URL. The views only check permission, parse and call `carriers.import_runs`, the service the
management commands call too. Only an admin who may both add and change the model imports:
an import does both.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .import_runs import ImportRunError, import_run_apply, import_run_start
from .importers.carriers import CARRIERS_HELP
from .importers.numbers import NUMBERS_HELP
from .models import ImportRun

HELP = {ImportRun.Kind.CARRIERS: CARRIERS_HELP, ImportRun.Kind.NUMBERS: NUMBERS_HELP}
# Larger than any CSV the desk loads through a browser (5M TNs: use the command).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row.")
    dry_run = forms.BooleanField(
        label="Dry run: show what would change, save nothing",
        required=False,
        initial=True,
        help_text="Untick only to import straight away.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB: "
                "import it with the management command."
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload a .csv file.")
        return upload


class CsvImportAdmin:
    """A ModelAdmin mixin: set `import_kind` (an ImportRun.Kind)."""

    import_kind: str = ""
    change_list_template = "admin/carriers/change_list_import.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [
            path("import/", wrap(self.import_upload_view), name=name),
            path("import/<int:run_id>/", wrap(self.import_run_view), name=f"{name}_run"),
            path(
                "import/<int:run_id>/status/",
                wrap(self.import_status_view),
                name=f"{name}_status",
            ),
            path(
                "import/<int:run_id>/apply/",
                wrap(require_POST(self.import_apply_view)),
                name=f"{name}_apply",
            ),
            *super().get_urls(),
        ]

    # --- helpers ---------------------------------------------------------------------------

    def may_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _url(self, suffix: str = "", *args) -> str:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_import{suffix}"
        return reverse(name, args=args)

    def _run(self, request, run_id: int) -> ImportRun:
        if not self.may_import(request):
            raise PermissionDenied
        return get_object_or_404(ImportRun, pk=run_id, kind=self.import_kind)

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import {self.opts.verbose_name_plural} from CSV",
            "upload_url": self._url(),
            "changelist_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            ),
            **extra,
        }

    # --- views -----------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra = {"import_url": self._url() if self.may_import(request) else None}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_upload_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = import_run_start(
                kind=self.import_kind,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                by=request.user,
            )
            return redirect(self._url("_run", run.pk))
        recent = ImportRun.objects.filter(kind=self.import_kind).select_related("created_by")
        context = self._context(
            request,
            form=form,
            columns_help=HELP[self.import_kind],
            command=f"import_{self.import_kind}",
            recent=recent[:10],
        )
        return TemplateResponse(request, "admin/carriers/import_upload.html", context)

    def import_run_view(self, request, run_id: int):
        run = self._run(request, run_id)
        summary = run.summary or {}
        context = self._context(
            request,
            run=run,
            counts=summary.get("counts", {}),
            changes=summary.get("changes", []),
            changes_more=_changed_rows(summary) - len(summary.get("changes", [])),
            errors_hidden=max(run.error_count - len(run.errors), 0),
            status_url=self._url("_status", run.pk),
            apply_url=self._url("_apply", run.pk),
            can_apply=(
                run.dry_run
                and run.status == ImportRun.Status.DONE
                and bool(run.file)
                and not run.applied_by.exists()
            ),
            applied=run.applied_by.order_by("pk").last(),
        )
        return TemplateResponse(request, "admin/carriers/import_run.html", context)

    def import_status_view(self, request, run_id: int):
        run = self._run(request, run_id)
        return JsonResponse(
            {
                "status": run.status,
                "status_label": run.get_status_display(),
                "finished": run.finished,
                "rows_done": run.rows_done,
                "rows_total": run.rows_total,
                "percent": run.percent,
            }
        )

    def import_apply_view(self, request, run_id: int):
        dry_run = self._run(request, run_id)
        try:
            run = import_run_apply(dry_run=dry_run, by=request.user)
        except ImportRunError as exc:
            messages.error(request, str(exc))
            return redirect(self._url("_run", dry_run.pk))
        return redirect(self._url("_run", run.pk))


def _changed_rows(summary: dict) -> int:
    counts = summary.get("counts", {}).values()
    return sum(count["created"] + count["updated"] for count in counts)
