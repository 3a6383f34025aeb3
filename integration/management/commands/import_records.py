"""manage.py import_records FILE [--user USERNAME]: the same import as the API, with a progress bar."""

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casework.models import User
from integration.imports import records_import


class Bar:
    """A carriage-return progress bar on stderr: rows validated, then records and sanctions written."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done, self.started = stream, max(total, 1), 0, time.monotonic()
        self.stage = ""

    def __call__(self, stage: str, n: int) -> None:
        if stage != self.stage:  # validated, then written: one pass of the bar each
            if self.stage:
                self.stream.write("\n")
            self.stage, self.done = stage, 0
        self.done += n
        width = 30
        filled = int(width * min(self.done, self.total) / self.total)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} rows {stage:<10} "
            f"{time.monotonic() - self.started:6.1f}s"
        )
        self.stream.flush()


class Command(BaseCommand):
    help = "Import credit records and sanctions from a CSV or XLSX file; prints the report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="whose name the history carries (default: system)")

    def handle(self, *args, file, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        with path.open("rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
            bar = Bar(sys.stderr, lines if path.suffix.lower() == ".csv" else 0)
            try:
                batch = records_import(file=f, filename=path.name, actor=actor, progress=bar)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        sys.stderr.write("\n")
        out = self.stdout
        out.write(f"import {batch.public_id}: {batch.total_rows} rows")
        out.write(f"  imported  {batch.imported_rows}")
        out.write(f"  unchanged {batch.unchanged_rows} (imported before)")
        out.write(f"  rejected  {batch.rejected_rows}")
        out.write(
            f"  created   {batch.subjects_created} subjects, {batch.records_created} records, "
            f"{batch.sanctions_created} sanctions"
        )
        for row in batch.rejected[:50]:
            reasons = "; ".join(f"{e['field']}: {e['reason']}" for e in row["errors"])
            out.write(f"  line {row['line']}: {reasons}")
        if batch.rejected_rows > 50:
            out.write(
                f"  … {batch.rejected_rows - 50} more rejected rows (GET /api/v1/imports/{batch.public_id}/)"
            )
