"""Benchmark: bulk import of N rows (a record and a sanction each, 3 % bad rows) and its re-import (issue #6).

Run on PostgreSQL (a scratch database; it is migrated and emptied here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_import_bench \\
        .venv/bin/python bench/import_records.py --rows 100000

Generates the CSV in a temporary folder, imports it (validation, one transaction of bulk inserts with the
hash-chained history), then imports it again (everything unchanged). Prints wall time and peak memory:
the process's maximum resident set size (getrusage) and, with --tracemalloc, the Python heap's peak.

The reference, measured in the same run on the same file: parse the CSV (csv.reader, UTF-8) and `COPY` its rows
as text into a scratch table, committed — the least any import of that file must do. With --runs N the file is
imported N times from an emptied database (reference, first import, re-import each time) and medians printed.
"""

import argparse
import csv
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")
# As in production: with DEBUG on, Django keeps every query's SQL, and that alone once added 200 MiB here.
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.common import emit  # noqa: E402
from casework.identifiers import compute_credit_code_check  # noqa: E402
from casework.models import Department  # noqa: E402
from integration.importfile import COLUMNS  # noqa: E402
from integration.imports import records_import  # noqa: E402


def seed() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE integration_importedrow, integration_importbatch, casework_historyevent, "
            "casework_sanction, casework_creditrecord, casework_subject, casework_department CASCADE"
        )
    for code, kind in [("bench-mr", "market_regulation"), ("bench-tax", "tax")]:
        Department.objects.create(code=code, name=code, kind=kind, level="district", division="350102")


def write_csv(path: Path, rows: int) -> int:
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for n in range(rows):
            first17 = f"91350102MA{n:07d}"
            code = first17 + compute_credit_code_check(first17)
            decided_on = "2026-03-02"
            if n % 33 == 7:  # ~3 % bad rows: a wrong check character or an impossible date, alternately
                bad += 1
                if n % 2:
                    code = code[:-1] + ("0" if code[-1] != "0" else "1")
                else:
                    decided_on = "2026-02-30"
            writer.writerow(
                [code, f"示例企业{n}", "", "admin_penalty", "general", "bench-mr", decided_on,
                 f"闽榕市监罚〔2026〕{n}号", "未按规定公示年度报告", "", "限制享受税收优惠", "bench-tax"]
            )  # fmt: skip
    return bad


def reference(path: Path) -> float:
    """Seconds to parse `path` and COPY its rows, as text, into a scratch table, in one committed transaction."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_reference")
        columns = ", ".join(f"{name} text" for name in COLUMNS)
        cursor.execute(f"CREATE TABLE bench_import_reference ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        with cursor.cursor.copy(f"COPY bench_import_reference ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in reader:
                copy.write_row(row + [""] * (len(COLUMNS) - len(row)))
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_import_reference")
    return elapsed


def run(path: Path, label: str, trace: bool) -> tuple[float, float]:
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with path.open("rb") as f:
        report = records_import(file=f, filename=path.name, actor=None)
    elapsed = time.perf_counter() - started
    heap = f", Python heap peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB" if trace else ""
    if trace:
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {elapsed:.1f} s — imported {report.imported_rows}, unchanged {report.unchanged_rows}, "
        f"rejected {report.rejected_rows}; max RSS so far {rss:.0f} MiB{heap}"
    )
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1, help="import the file this many times; medians")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slower)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the numbers in docs/performance.md are PostgreSQL's", file=sys.stderr)
        reference_name = ""
    else:
        reference_name = "parse + COPY of the same file"
    seed()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times: dict[str, list[float]] = {"reference": [], "first import": [], "re-import": []}
    rss = baseline
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        bad = write_csv(path, args.rows)
        print(
            f"{args.rows} rows ({bad} bad), {path.stat().st_size / 2**20:.1f} MiB; RSS before {baseline:.0f} MiB"
        )
        for run_number in range(args.runs):
            if run_number:
                seed()
            if reference_name:
                times["reference"].append(reference(path))
                print(f"reference (parse + COPY of the same file): {times['reference'][-1]:.2f} s")
            for label in ("first import", "re-import"):
                elapsed, rss = run(path, label, args.tracemalloc)
                times[label].append(elapsed)
    ref = statistics.median(times["reference"]) if times["reference"] else None
    load = os.getloadavg()[0]
    for label in ("first import", "re-import"):
        median = statistics.median(times[label])
        if args.runs > 1:
            print(
                f"{label}: median {median:.1f} s of {args.runs}; reference median {ref or 0:.2f} s; load {load:.1f}"
            )
        emit(
            f"import: {label}",
            median,
            "s",
            reference=ref,
            reference_name=reference_name,
            rows=f"{args.rows:,}",
            max_rss=f"{rss:.0f} MiB",
            load=f"{load:.1f}",
        )


if __name__ == "__main__":
    main()
