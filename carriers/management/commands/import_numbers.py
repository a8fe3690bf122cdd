"""`manage.py import_numbers FILE.csv`: a thin wrapper around carriers.importers."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from carriers.importers import NUMBERS_HELP, CsvImportError, numbers_import


class Command(BaseCommand):
    help = (
        "Create or update the number inventory (TNs and our customer accounts) from a CSV "
        "file. All or nothing: one bad row imports nothing and every bad row is listed. Safe "
        "to re-run; PINs are stored only as salted hashes.\n\n" + NUMBERS_HELP
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header row")

    def handle(self, *args, file, **options):
        try:
            summary = numbers_import(source=file)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        except CsvImportError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {file}."))
