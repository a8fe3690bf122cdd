"""Fill the database with a national-size, reproducible load data set (issue 8).

    python manage.py generate_load_data --orders 1000000 --tns-per-order 5 --seed 1
    python manage.py generate_load_data --reset

On PostgreSQL rows go in with COPY (psycopg 3); elsewhere with batched INSERTs. The logic
lives in the orders/loaddata/ package so tests and bench/run.py can call it directly.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from orders import loaddata


class Command(BaseCommand):
    help = (
        "Generate load data: N port orders (both directions, every status) with about "
        "N*M TNs, their history, rejections, SUPs, comments, status checks, CSR requests, "
        "NPAC cancel records, carriers and the number inventory. Reproducible per --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=0, help="number of port orders")
        parser.add_argument(
            "--tns-per-order",
            type=float,
            default=5.0,
            help="mean TNs per order over the whole set (default 5)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="the date the data set is counted back from (YYYY-MM-DD; default today)",
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=20_000,
            help="orders generated and written per transaction (default 20000)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete previously generated load data first (alone: only delete)",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            started = time.perf_counter()
            self.stdout.write("Deleting previously generated load data...")
            loaddata.reset(log=self.stdout.write)
            self.stdout.write(f"Deleted in {time.perf_counter() - started:.1f}s.")
            if not options["orders"]:
                return
        if options["orders"] < 1:
            raise CommandError("Give --orders N (at least 1), or --reset alone.")
        self.stdout.write(
            f"Generating {options['orders']:,} orders, about "
            f"{options['orders'] * options['tns_per_order']:,.0f} TNs, seed {options['seed']} "
            f"on {connection.vendor}..."
        )
        try:
            stats = loaddata.generate(
                orders=options["orders"],
                tns_per_order=options["tns_per_order"],
                seed=options["seed"],
                today=options["today"],
                chunk_orders=options["chunk"],
                log=self.stdout.write if options["verbosity"] >= 1 else None,
            )
        except loaddata.LoadDataError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in stats.counts.items():
            self.stdout.write(f"  {name:20} {count:>12,}")
        seconds = stats.seconds
        if options["verbosity"] >= 2:
            for name, value in sorted(seconds.items()):
                self.stdout.write(f"  {name:24} {value:8.2f}s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {seconds['total']:.1f}s "
                f"(busy: generate {seconds.get('generate', 0):.1f}s, "
                f"write parents {seconds.get('write:parents', 0):.1f}s, "
                f"write the rest {seconds.get('write:children', 0):.1f}s; "
                f"analyze {seconds.get('analyze', 0):.1f}s)."
            )
        )
