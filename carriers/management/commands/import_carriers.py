"""`manage.py import_carriers FILE.csv [--dry-run]`: the carriers import the admin's upload runs
(carriers.import_runs.csv_import over carriers.importers.carriers)."""

from carriers.importers.carriers import CARRIERS_HELP
from carriers.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Create or update carriers, their SPIDs and CSR contacts from a CSV file. All or "
        "nothing: one bad row imports nothing and every bad row is listed. Safe to re-run.\n\n"
        + CARRIERS_HELP
    )
    kind = "carriers"
