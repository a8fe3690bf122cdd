"""Write the load run's p95 per page into BENCHMARKS.md (a "Load" section between markers,
replaced on each run; the rest of the file is kept).

    python bench/locust/report.py STATS_CSV --users 50 --run-time 60s --workers 4 --orders N
"""

import argparse
import csv
import datetime
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEGIN = "<!-- bench/locust/run.sh: begin -->"
END = "<!-- bench/locust/run.sh: end -->"


def _int(value):
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def section(rows, *, logins, users, run_time, workers, orders, load) -> str:
    lines = [
        BEGIN,
        "## Load (locust, issue 9)",
        "",
        f"`bench/locust/run.sh`, {datetime.date.today():%Y-%m-%d}: {users} simulated staff "
        f"(log in, then dashboard, queues, order pages, comments; 1-3 s between actions) for "
        f"{run_time} against gunicorn with {workers} sync workers on PostgreSQL "
        f"({orders} orders in the database), over loopback, DEBUG off. Load average at the "
        f"start: {load}. Times in ms, measured by locust (client side, so they include "
        "queueing in gunicorn).",
        "",
        "| page | requests | failures | median | p95 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {_int(row['Request Count'])} | {_int(row['Failure Count'])} | "
            f"{_int(row['Median Response Time'])} | {_int(row['95%'])} | {_int(row['99%'])} | "
            f"{_int(row['Max Response Time'])} |"
        )
    if logins:
        lines += [
            "",
            f"Before the timed window the {logins['logins']} users logged in through the form, "
            f"4 at a time: {logins['wall_seconds']} s in all, median {logins['median_ms']} ms, "
            f"p95 {logins['p95_ms']} ms per log-in (one PBKDF2 hash of 1,500,000 iterations "
            "each; kept out of the 60 s so they do not crowd out the desk's work).",
        ]
    lines += ["", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stats_csv")
    parser.add_argument("--users", default="50")
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--workers", default="4")
    parser.add_argument("--orders", default="?")
    parser.add_argument("--load", default=" ".join(f"{x:.1f}" for x in os.getloadavg()))
    parser.add_argument("--benchmarks", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--logins", default="", help="bench/locust/login.py's JSON")
    args = parser.parse_args()
    with open(args.stats_csv, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
        handle.seek(0)
        total = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]
    rows.sort(key=lambda r: r["Name"])
    rows += [{**total[0], "Name": "**all requests**"}] if total else []
    logins = None
    if args.logins and Path(args.logins).exists():
        logins = json.loads(Path(args.logins).read_text())
    text = section(
        rows,
        logins=logins,
        users=args.users,
        run_time=args.run_time,
        workers=args.workers,
        orders=args.orders,
        load=args.load,
    )
    path = Path(args.benchmarks)
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(updated)
    print(text)
    failures = sum(_int(r["Failure Count"]) for r in total)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
