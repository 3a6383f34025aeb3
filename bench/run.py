"""`make bench`: every benchmark at a scale given by a flag, each figure beside a reference measured in the same
run, with a progress bar; the table is written into docs/performance.md (between the `bench:` markers).

    make bench                    # SCALE=small: minutes
    make bench SCALE=full         # the issue's scale (1M deadlines and cases, 100k rows): much longer

Runs on PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casework_bench, created if
missing). pgbench's simple-update TPS on a scratch database is the machine's reference for the database-bound
figures.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

SCALES = {
    # tiny: seconds; the suite runs it (tests/test_bench.py) so a benchmark cannot drift from the schema.
    "tiny": {
        "escalation": ["--open", "300", "--due", "30", "--runs", "1"],
        "queue": ["--tasks", "200", "--requests", "2"],
        "lists": ["--cases", "400", "--requests", "2"],
        "import": ["--rows", "200"],
        "notice": ["--runs", "1"],
        "lifecycle": ["--lifecycles", "4", "--workers", "2"],
    },
    "small": {
        "escalation": ["--open", "100000", "--due", "1000", "--runs", "3"],
        "queue": ["--tasks", "20000", "--requests", "10"],
        "lists": ["--cases", "100000", "--requests", "20"],
        "import": ["--rows", "10000"],
        "notice": ["--runs", "10"],
        "lifecycle": ["--lifecycles", "200", "--workers", "2"],
    },
    "full": {
        "escalation": ["--open", "1000000", "--due", "10000", "--runs", "3"],
        "queue": ["--tasks", "100000", "--requests", "20"],
        "lists": ["--cases", "1000000", "--requests", "30"],
        "import": ["--rows", "100000"],
        "notice": ["--runs", "20"],
        "lifecycle": ["--lifecycles", "1000", "--workers", "2"],
    },
}
SCRIPTS = {
    "escalation": "escalation_sweep.py",
    "queue": "queue_page.py",
    "lists": "lists.py",
    "import": "import_records.py",
    "notice": "notice_render.py",
    "lifecycle": "lifecycle.py",
}


def _psql(url, *sql: str) -> None:
    parsed = urlparse(url)
    args = ["psql", "-X", "-q", "-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    for statement in sql:
        subprocess.run([*args, "-d", "postgres", "-c", statement], check=False, capture_output=True)


def _fresh_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    _psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def pgbench_tps(url: str, seconds: int = 10, scale: int = 10) -> float:
    """pgbench simple-update (-N), 2 clients, on a scratch database: the machine's transaction rate."""
    parsed = urlparse(url)
    scratch = f"casework_bench_pgbench_{os.getpid()}"  # its own: two runs at once must not drop each other's
    _psql(url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)', f'CREATE DATABASE "{scratch}"')
    base = ["-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    subprocess.run(["pgbench", *base, "-i", "-q", "-s", str(scale), scratch], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", *base, "-N", "-c", "2", "-j", "2", "-T", str(seconds), scratch],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    _psql(url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def run_one(name: str, args: list[str], url: str) -> list[dict]:
    _fresh_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    migrate = subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True)
    if migrate.returncode:
        raise SystemExit(migrate.stderr.decode())
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / SCRIPTS[name]), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stdout}\n{done.stderr}")
    return [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def write_table(results: list[dict], scale: str, tps: float, partial: bool = False) -> None:
    """Write the results between the markers; a partial run (`--only`) replaces its own rows and keeps the rest."""
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"  # an aware clock: the table says when, in UTC
    text = DOC.read_text(encoding="utf-8")
    kept: dict[str, str] = {}
    if partial and START in text:
        for line in text.split(START, 1)[1].split(END, 1)[0].splitlines():
            cells = line.split(" | ")
            if line.startswith("| ") and len(cells) > 3 and not line.startswith("| benchmark |"):
                kept[cells[0][2:]] = line
    fresh: dict[str, str] = {}
    for r in results:
        reference = f"{_fmt(r['reference'], r['unit'])} ({r['reference_name']})" if r["reference"] else "—"
        details = ", ".join(f"{k} {v}" for k, v in r["details"].items())
        stamp = f", at {when}" if partial else ""  # rows kept from earlier runs say when they were measured
        fresh[r["name"]] = (
            f"| {r['name']} | {_fmt(r['figure'], r['unit'])} | {reference} | {details}{stamp} |"
        )
    rows = [
        f"Latest `make bench SCALE={scale}`{' (some benchmarks; each row says when)' if kept else ''}, {when}; "
        f"reference for the machine: pgbench simple-update {tps:,.0f} TPS (2 clients, same run).",
        "",
        "| benchmark | figure | reference (same run) | details |",
        "|---|---:|---|---|",
        *{**kept, **fresh}.values(),
    ]
    table = "\n".join(rows)
    if START in text:
        head, rest = text.split(START, 1)
        text = head + START + "\n" + table + "\n" + END + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## Latest `make bench`\n\n{START}\n{table}\n{END}\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--only", nargs="*", choices=sorted(SCRIPTS), help="run just these")
    parser.add_argument("--no-write", action="store_true", help="print, do not update docs/performance.md")
    parser.add_argument("--json", type=Path, help="also write the results to this file (JSON list)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_bench")
    if not url.startswith("postgres"):
        sys.exit("make bench runs on PostgreSQL (DATABASE_URL=postgres://…).")
    names = args.only or list(SCRIPTS)
    results: list[dict] = []
    with tqdm(total=len(names) + 1, desc="bench", unit="step") as bar:
        bar.set_postfix_str("pgbench")
        tps = pgbench_tps(url, seconds=1, scale=1) if args.scale == "tiny" else pgbench_tps(url)
        bar.update()
        for name in names:
            bar.set_postfix_str(name)
            results.extend(run_one(name, SCALES[args.scale][name], url))
            bar.update()
    for r in results:
        print(
            f"{r['name']}: {_fmt(r['figure'], r['unit'])}  reference: {_fmt(r['reference'], r['unit'])} "
            f"{r['reference_name']}  {r['details']}"
        )
    print(f"pgbench simple-update: {tps:,.0f} TPS")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_write:
        write_table(results, args.scale, tps, partial=bool(args.only))


if __name__ == "__main__":
    main()
