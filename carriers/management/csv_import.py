"""The shared shape of the CSV import commands: parse the file, report, never half-import."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from carriers.import_runs import csv_import
from carriers.importers.csv_rows import CsvImportError


class CsvImportCommand(BaseCommand):
    """Subclasses set `help` and `kind` (an ImportRun.Kind): the command runs the same
    service (`carriers.import_runs.csv_import`) as the admin's upload."""

    kind = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter  # keep the column table readable
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header row")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would change; save nothing",
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            summary = csv_import(kind=self.kind, source=file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        except CsvImportError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            for change in summary.changes:
                detail = f" ({change.detail})" if change.detail else ""
                self.stdout.write(
                    f"  line {change.line}: {change.action} {change.kind} {change.label}{detail}"
                )
            self.stdout.write(self.style.WARNING(f"Dry run of {file}: nothing saved."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}."))
