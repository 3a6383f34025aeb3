"""`manage.py calendar_year`: show, enter or correct a year's working-day calendar (issue 11).

    manage.py calendar_year show 2027
    manage.py calendar_year enter 2027 --file 2027.txt --notice "国办发明电〔2026〕7号" [--wait 120]
    manage.py calendar_year correct 2027 --file 2027.txt [--notice …] [--wait 120]

The file lists the days that differ from Monday–Friday, one per line (`#` comments, blank lines ignored):

    2027-01-01 holiday 元旦
    2027-02-07 workday 春节调休

Entering or correcting queues the re-dating of every dependent date in Celery; `--wait N` waits up to N
seconds for the worker and prints what moved (otherwise `show` prints it once the worker is done). Bad input
exits with status 2 (CommandError) naming every bad line; nothing is saved.
"""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casework import calendar
from casework.exceptions import Conflict
from casework.models import CalendarRevision, CalendarYear
from casework.services.calendar_years import calendar_file_parse, calendar_year_save, schedule_of


class Command(BaseCommand):
    help = "Show, enter or correct a year's working-day calendar (holidays and make-up working days)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "enter", "correct"])
        parser.add_argument("year", type=int)
        parser.add_argument("--file", help="The schedule: lines `YYYY-MM-DD holiday|workday name`.")
        parser.add_argument("--notice", default="", help="The State Council notice the schedule comes from.")
        parser.add_argument(
            "--wait", type=float, default=0, help="Seconds to wait for the re-dating and print what moved."
        )

    def handle(self, *args, action, year, file, notice, wait, **options):
        if action == "show":
            return self._show(year)
        if not file:
            raise CommandError("--file is required to enter or correct a year.")
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        correct = action == "correct"
        if correct and not notice:
            entry = CalendarYear.objects.filter(year=year).first()
            notice = entry.notice if entry else ""
        try:
            days = calendar_file_parse(text, year)
            revision = calendar_year_save(year=year, notice=notice, days=days, actor=None, correct=correct)
        except Conflict as exc:
            raise CommandError(str(exc.message)) from exc
        except ValidationError as exc:
            lines = [
                f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages
            ]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(
            f"{year} {revision.get_kind_display()}: {len(days)} days listed; re-dating queued (revision "
            f"{revision.pk})."
        )
        if wait > 0:
            self._wait(revision.pk, wait)

    def _wait(self, pk: int, seconds: float) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            revision = CalendarRevision.objects.get(pk=pk)
            if revision.redated_at:
                self._report(revision)
                return
            time.sleep(0.5)
        raise CommandError(f"The re-dating did not finish within {seconds:g} s; is a Celery worker running?")

    def _report(self, revision: CalendarRevision) -> None:
        report = revision.report
        self.stdout.write(
            f"Re-dated at {revision.redated_at:%Y-%m-%d %H:%M}: {len(report.get('moved', []))} of "
            f"{report.get('checked', 0)} dates moved {report.get('counts', {})}"
        )
        for row in report.get("moved", []):
            owner = row.get("case") or row.get("sanction") or ""
            flags = f"{'~' if row['was_provisional'] else ''}{row['from']} → {'~' if row['provisional'] else ''}{row['to']}"
            self.stdout.write(f"  {row['what']:<10} {owner:<20} {flags}")

    def _show(self, year: int) -> None:
        source = calendar.year_source(year)
        self.stdout.write(f"{year}: {source or 'unknown'} ('~' marks an estimated date)")
        entry = CalendarYear.objects.filter(year=year).first()
        if entry is None:
            return
        self.stdout.write(f"Notice: {entry.notice}")
        for day in schedule_of(year):
            self.stdout.write(f"{day.day.isoformat()} {day.kind} {day.name}".rstrip())
        for revision in entry.revisions.order_by("id"):
            self.stdout.write(
                f"Revision {revision.pk}: {revision.get_kind_display()} {revision.at:%Y-%m-%d %H:%M}"
            )
            if revision.redated_at:
                self._report(revision)
            else:
                self.stdout.write("  re-dating pending")
