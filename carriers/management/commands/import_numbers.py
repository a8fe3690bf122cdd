"""`manage.py import_numbers FILE.csv`: a thin wrapper around carriers.importers.numbers."""

from carriers.importers.numbers import NUMBERS_HELP, numbers_import
from carriers.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Create or update the number inventory (TNs and our customer accounts) from a CSV "
        "file. All or nothing: one bad row imports nothing and every bad row is listed. Safe "
        "to re-run; PINs are stored only as salted hashes.\n\n" + NUMBERS_HELP
    )
    importer = staticmethod(numbers_import)
