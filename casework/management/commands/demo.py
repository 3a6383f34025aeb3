"""`manage.py demo`: idempotent demo data (DESIGN contract) — departments, users for each role with printed
credentials, subjects, records, sanctions, and cases of every kind in every state their workflow reaches.

Every change goes through `casework.services`, the way the API makes it (invariant 1), so the cases carry
real tasks, deadlines, history chains and outbox rows. What `demo_data` describes is looked up by its
natural key first and only created when absent: a second run changes nothing.
"""

import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from casework.management import demo_data
from casework.management.demo.history import MONTHS, history_build
from casework.management.demo.lapsed import lapsed_build
from casework.management.demo.runner import case_run, department_staff, listings_expire, scenario_applies
from casework.models import Case, CaseKind, CreditRecord, Department, Sanction, Subject, User
from casework.services.records import record_create
from casework.services.registry import department_create, subject_create, user_create
from casework.services.sanctions import sanction_create

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Load demo data: departments, users for each role (fixed demo passwords, printed), subjects, records, "
        "sanctions and cases of every kind in every state. Safe to run again: what exists is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off. The demo creates an administrator with a published password.",
        )
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help="Where the server will listen, for the printed links.",
        )

    def handle(self, *args, allow_production=False, base_url=DEFAULT_BASE_URL, **options):
        if not settings.DEBUG and not settings.CASEWORK_DEMO and not allow_production:
            raise CommandError(
                _(
                    "DEBUG is off, so this may be a production database. The demo creates users, an "
                    "administrator among them, whose passwords are printed here. Pass --allow-production "
                    "if this database really is for demonstration."
                )
            )
        self.tally: dict[type, list[int]] = {}  # model -> [created, already there]
        # One transaction: a run that fails half-way leaves nothing behind, so the next run starts clean
        # instead of finding half a case it would skip.
        with transaction.atomic():
            departments = self._departments()
            subjects = self._subjects()
            users = self._users(departments, subjects)
            # The back-dated months first, so history and outbox rows stay in time order.
            history = [
                self._tally(h["case"], h["created"]) for h in history_build(subjects, departments, users)
            ]
            # Then what ended by a date passing (a 补正 left unanswered, a publication period over).
            lapsed = lapsed_build(subjects, departments, users)
            if lapsed.withdrawn is not None:
                self._tally(lapsed.withdrawn, lapsed.created)
            records = self._records(subjects, departments, users)
            cases = self._cases(records, users)
            expired = listings_expire([records[key] for key in demo_data.EXPIRING])
        self._report(users, cases, expired, base_url, history)
        self._report_lapsed(lapsed)

    # -- registry ------------------------------------------------------------------------------------

    def _tally(self, obj, created: bool):
        """Count what was created and what was already there, per model, for the summary."""
        self.tally.setdefault(type(obj), [0, 0])[0 if created else 1] += 1
        return obj

    def _departments(self) -> dict[str, Department]:
        departments = {}
        for spec in demo_data.DEPARTMENTS:  # parents come before their children
            department = Department.objects.filter(code=spec.code).first()
            if department is None:
                department = department_create(
                    code=spec.code,
                    name=spec.name,
                    kind=spec.kind,
                    level=spec.level,
                    division=spec.division,
                    parent=departments.get(spec.parent) if spec.parent else None,
                )
                departments[spec.code] = self._tally(department, True)
            else:
                departments[spec.code] = self._tally(department, False)
        return departments

    def _subjects(self) -> dict[str, Subject]:
        subjects = {}
        for spec in demo_data.SUBJECTS:
            subject = Subject.objects.filter(code=spec.code).first()
            created = subject is None
            if created:
                subject = subject_create(kind=spec.kind, code=spec.code, name=spec.name)
            subjects[spec.key] = self._tally(subject, created)
        return subjects

    def _users(self, departments, subjects) -> dict[str, User]:
        users = {}
        for spec in demo_data.USERS:
            user = User.objects.filter(username=spec.username).first()
            created = user is None
            if created:
                user, _token = user_create(
                    username=spec.username,
                    password=demo_data.DEMO_PASSWORD,
                    role=spec.role,
                    full_name=spec.full_name,
                    departments=[departments[code] for code in spec.departments],
                    subjects=[subjects[key] for key in spec.subjects],
                )
            users[spec.username] = self._tally(user, created)
        return users

    def _records(self, subjects, departments, users) -> dict[str, CreditRecord]:
        today = timezone.localdate()
        staff = department_staff(users)
        records = {}
        for spec in demo_data.RECORDS:
            subject = subjects[spec.subject]
            record = CreditRecord.objects.filter(subject=subject, summary__contains=spec.document).first()
            created = record is None
            if created:
                record = record_create(
                    subject=subject,
                    kind=spec.kind,
                    severity=spec.severity,
                    provider=departments[spec.provider],
                    decided_on=today - timedelta(days=spec.days_ago),
                    summary=spec.full_summary,
                    actor=staff.get(spec.provider, users["demo-admin"]),
                )
            records[spec.key] = self._tally(record, created)
            for measure, code in spec.sanctions:
                implementer = departments[code]
                sanction = Sanction.objects.filter(
                    record=record, measure=measure, implementer=implementer
                ).first()
                created = sanction is None
                if created:
                    sanction = sanction_create(
                        record=record,
                        measure=measure,
                        implementer=implementer,
                        # Sanctions are added by the record's provider (policies.may_add_sanction).
                        actor=staff.get(spec.provider, users["demo-admin"]),
                    )
                self._tally(sanction, created)
        return records

    # -- cases ---------------------------------------------------------------------------------------

    def _cases(self, records, users) -> dict[str, list[Case]]:
        """Every scenario's case, found by its first record or filed and driven; per kind, in print order.
        An objection raised during a list exit's publicity is listed with the objections; a review (复核) of an
        objection's result with the reviews."""
        cases: dict[str, list[Case]] = {kind: [] for kind in [*demo_data.CASES_BY_KIND, CaseKind.REVIEW]}
        linked: list[Case] = []
        for kind, specs in demo_data.CASES_BY_KIND.items():
            for spec in specs:
                if not scenario_applies(spec):
                    continue
                record = records[spec.record]
                case = record.cases.filter(kind=spec.kind).order_by("id").first()
                created = case is None
                if created:
                    case = case_run(spec, records, users)
                cases[kind].append(self._tally(case, created))
                linked += [self._tally(o, created) for o in case.objections.order_by("id")]
                cases[CaseKind.REVIEW] += [self._tally(r, created) for r in case.reviews.order_by("id")]
        cases[CaseKind.OBJECTION] += linked
        return cases

    # -- output --------------------------------------------------------------------------------------

    def _report_lapsed(self, lapsed) -> None:
        self.stdout.write("")
        self.stdout.write(_("Ended by a date passing (the daily sweeps):"))
        for line in _lapsed_lines(lapsed):
            self.stdout.write(line)

    def _report(self, users, cases, expired, base_url: str, history: list[Case]) -> None:
        out = self.stdout.write
        out(_("Demo data for 鼓楼区 (division %(division)s):") % {"division": demo_data.DIVISION})
        for model in (Department, Subject, User, CreditRecord, Sanction, Case):
            new, old = self.tally.get(model, (0, 0))
            out(
                _("  %(things)s: %(new)s created, %(old)s already there")
                % {"things": model._meta.verbose_name_plural, "new": new, "old": old}
            )
        still_open = Case.objects.filter(pk__in=[c.pk for c in history], closed_at=None)
        out("")
        out(
            _(
                "History: %(n)d objections filed over the last %(months)d months, %(open)d still open "
                "(overdue and supervised work for the overdue board)."
            )
            % {"n": len(history), "months": MONTHS, "open": still_open.count()}
        )
        against = Case._meta.get_field("objects_to").verbose_name
        reviewing = Case._meta.get_field("review_of").verbose_name
        for kind, kind_cases in cases.items():
            out("")
            out(_("%(kind)s cases:") % {"kind": CaseKind(kind).label})
            for case in kind_cases:
                state = case.get_state_display()
                if case.outcome:
                    state = _("%(state)s: %(outcome)s") % {
                        "state": state,
                        "outcome": case.get_outcome_display(),
                    }
                link = f" ({against} {case.objects_to.number})" if case.objects_to_id else ""
                if case.review_of_id:
                    link = f" ({reviewing} {case.review_of.number}, {case.receiving_office.name})"
                out(f"  {case.number:<16} {case.state:<19} {state} — {case.subject.name}{link}")
            if kind == CaseKind.LIST_EXIT:
                for record in expired:
                    out(
                        _("  listing ended at its expiry date (%(date)s), no case: %(summary)s — %(subject)s")
                        % {
                            "date": record.listed_until,
                            "summary": record.summary,
                            "subject": record.subject.name,
                        }
                    )
        out("")
        out(_("Logins (fixed demo passwords — demo data only, never use them on a real system):"))
        tokens = dict(Token.objects.filter(user__in=users.values()).values_list("user_id", "key"))
        widths = (12, 20, 17, 42)
        header = (_("role"), _("username"), _("password"), _("API token"))
        out(
            "  "
            + "".join(_pad(str(text), width) for text, width in zip(header, widths, strict=True))
            + _("works for")
        )
        for spec in demo_data.USERS:
            user = users[spec.username]
            works_for = [d.name for d in user.departments.order_by("code")] + [
                s.name for s in user.subjects.order_by("id")
            ]
            row = (user.role, user.username, demo_data.DEMO_PASSWORD, tokens.get(user.pk, "-"))
            out(
                "  "
                + "".join(_pad(text, width) for text, width in zip(row, widths, strict=True))
                + (", ".join(works_for) or "—")
            )
        out(_("  (users that already existed keep whatever password they have now)"))
        out("")
        docs = base_url.rstrip("/") + "/api/docs/"
        out(
            _(
                "API and its interactive docs: %(url)s (sign in with a login above, or Authorize with "
                "“Token <API token>”)."
            )
            % {"url": docs}
        )


def _lapsed_lines(lapsed) -> list[str]:
    lines = []
    if lapsed.withdrawn is not None:
        case = lapsed.withdrawn
        lines.append(
            _("  %(number)s 补正 unanswered by %(due)s: treated as withdrawn — %(subject)s")
            % {"number": case.number, "due": case.materials_due_on, "subject": case.subject.name}
        )
    if lapsed.ended is not None:
        record = lapsed.ended
        lines.append(
            _("  publication ended by itself after %(due)s: %(summary)s — %(subject)s")
            % {"due": record.publication_ends_on, "summary": record.summary, "subject": record.subject.name}
        )
    return lines


def _pad(text: str, width: int) -> str:
    """Left-align in a fixed-width column, counting a CJK character as two columns as terminals do."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)
