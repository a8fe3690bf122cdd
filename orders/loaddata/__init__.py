"""A national-size, reproducible load data set for benchmarks (issue 8).

`generate(orders=N, tns_per_order=M, seed=S)` fills the database with a realistic mix of
port orders of both directions in every status, with the rows a desk accumulates around
them: numbers (and the number inventory they come from), status history, rejections with
coded reasons, supplements, comments, status checks, CSR requests and NPAC cancel records.

Everything random comes from one `random.Random(seed)`, and every date is counted back from
one `today`, so the same arguments give the same rows (same PONs, same counts).

How rows reach the database:
- PostgreSQL: COPY through psycopg 3 (`cursor.copy(...).write_row`), table by table in
  dependency order, in chunks of orders, one transaction per chunk. Ids are generated here
  (continuing after the table's current maximum) and each identity sequence is moved past
  them with `setval` afterwards. No constraint, index or trigger is disabled.
- Any other database (SQLite in tests and development): plain multi-row INSERTs
  (`executemany`) with values prepared by each model field, which is what bulk_create does
  minus its `auto_now_add` override (we need historical `created_at` values).

Generated rows are marked so that `reset()` can remove them: PONs and account numbers
start with "LD", load users are named `ld-...`. Carriers created here are kept (they are
reused by the next run).

This package writes rows directly, not through `orders.lifecycle`: it loads history that
already happened (one StatusChange row per status each order passed through), it does not
move orders. Nothing here runs in a request.

The package, by part: `plan` (markers, proportions, status paths, random picks), `names`
(the texts rows carry), `tables` (the columns filled per table), `sinks` (COPY / INSERT),
`reference` (users, carriers, SPIDs, accounts and the number inventory), `portin` and
`portout` (the orders and their numbers), `children` (history, comments, rejections, SUPs,
CSR requests), `generator` (the run: chunks, pipeline, timings) and `reset`.
"""

from orders.loaddata.generator import Generator, Stats, generate
from orders.loaddata.plan import ACCOUNT_PREFIX, PON_PREFIX, USER_PREFIX, LoadDataError
from orders.loaddata.reset import reset
from orders.loaddata.sinks import CopySink, InsertSink, Sink
from orders.loaddata.tables import Table

__all__ = [
    "ACCOUNT_PREFIX",
    "PON_PREFIX",
    "USER_PREFIX",
    "CopySink",
    "Generator",
    "InsertSink",
    "LoadDataError",
    "Sink",
    "Stats",
    "Table",
    "generate",
    "reset",
]
