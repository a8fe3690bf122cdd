"""CSV imports of carriers (with SPIDs) and of the number inventory (with accounts), called by
the management commands and the admin's upload through one service
(`carriers.import_runs.csv_import`). Each reads a CSV with a header row (column
names case-insensitive; unknown or duplicate columns are refused), checks every row with the
models' own rules and, when any row is bad, raises `CsvImportError` listing every problem as
`line N: <field>: <reason>` (the header is line 1) and writes nothing. Re-importing the same
file changes nothing and says so ("0 created, 0 updated, N unchanged"). `dry_run=True` makes
the same writes and rolls them back (the summary lists the first changes); `progress(done,
total)` is told how many rows were checked (the admin's progress bar; the commands pass none).

- `csv_rows`: reading the file, the cell parsers, the results and errors;
- `carriers`: `carriers_import`, one row at a time through a ModelForm over Carrier;
- `numbers`: `numbers_import`, the 5M-TN inventory: checked with the model fields' validators,
  written in bulk by `upserts`.
"""
