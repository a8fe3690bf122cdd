"""The shared shape of the CSV import commands: parse the file, report, never half-import."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from carriers.importers.csv_rows import CsvImportError


class CsvImportCommand(BaseCommand):
    """Subclasses set `help` and `importer` (a carriers.importers function taking source=)."""

    importer = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter  # keep the column table readable
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header row")

    def handle(self, *args, file, **options):
        try:
            summary = self.importer(source=file)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        except CsvImportError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {file}."))
