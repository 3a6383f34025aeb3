"""`make bench` at its tiny scale: every benchmark seeds, runs and reports a figure beside its reference.

The benchmarks seed a province with set-based SQL that names columns, so a migration adding a column (a flag,
a counter) used to break them silently until the next full run; this keeps each of them working on the schema
the suite has just migrated to. Figures are not judged here (a timed test would be flaky); docs/performance.md
holds them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmarks run on PostgreSQL")

EXPECTED = {
    "escalation sweep (median)",
    "department queue selector, 16k open (p95)",
    "import: first import",
    "import: re-import",
    "two-page notice, warm (median)",
}


def test_every_benchmark_runs_at_tiny_scale(tmp_path):
    settings_url = os.environ["DATABASE_URL"]
    scratch = urlunparse(urlparse(settings_url)._replace(path=f"/casework_bench_tiny_{os.getpid()}"))
    env = {**os.environ, "DATABASE_URL": scratch}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--scale",
            "tiny",
            "--no-write",
            "--json",
            str(tmp_path / "out.json"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "out.json").read_text())
    names = {r["name"] for r in results}
    assert names >= EXPECTED, sorted(names)
    assert any(n.startswith("GET /api/v1/cases/ admin") for n in names), sorted(names)
    assert any(n.startswith("objection lifecycles") for n in names), sorted(names)
    for r in results:
        assert r["figure"] is not None and r["figure"] >= 0, r
    assert all(r["reference"] for r in results if r["reference_name"]), results
