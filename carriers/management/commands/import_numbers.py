"""`manage.py import_numbers FILE.csv [--dry-run]`: the numbers import the admin's upload runs
(carriers.import_runs.csv_import over carriers.importers.numbers)."""

from carriers.importers.numbers import NUMBERS_HELP
from carriers.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Create or update the number inventory (TNs and our customer accounts) from a CSV "
        "file. All or nothing: one bad row imports nothing and every bad row is listed. Safe "
        "to re-run; PINs are stored only as salted hashes.\n\n" + NUMBERS_HELP
    )
    kind = "numbers"
