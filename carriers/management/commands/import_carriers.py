"""`manage.py import_carriers FILE.csv`: a thin wrapper around carriers.importers.carriers."""

from carriers.importers.carriers import CARRIERS_HELP, carriers_import
from carriers.management.csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Create or update carriers, their SPIDs and CSR contacts from a CSV file. All or "
        "nothing: one bad row imports nothing and every bad row is listed. Safe to re-run.\n\n"
        + CARRIERS_HELP
    )
    importer = staticmethod(carriers_import)
