"""`manage.py demo`: idempotent demo data (DESIGN contract) — departments, users for each role with printed
credentials, subjects, records, sanctions, and objection cases in every state.

Every change goes through `casework.services`, the way the API makes it (invariant 1), so the cases carry
real tasks, deadlines, history chains and outbox rows. What `demo_data` describes is looked up by its
natural key first and only created when absent: a second run changes nothing.
"""

import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from casework import selectors
from casework.management import demo_data
from casework.models import Case, CaseKind, CreditRecord, Department, Role, Sanction, Subject, User
from casework.services.cases import case_file, case_supplement
from casework.services.records import record_create
from casework.services.registry import department_create, subject_create, user_create
from casework.services.sanctions import sanction_create
from casework.services.tasks import task_claim, task_complete

# The smallest file the upload check accepts as a PDF: its type is sniffed from the content.
SUPPLEMENT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Load demo data: departments, users for each role (fixed demo passwords, printed), subjects, records, "
        "sanctions and objection cases in every state. Safe to run again: what exists is left alone."
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
        if not settings.DEBUG and not allow_production:
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
            records = self._records(subjects, departments, users)
            cases = self._cases(records, users)
        self._report(users, cases, base_url)

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
                    actor=_staff_of(spec.provider, users),
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
                        record=record, measure=measure, implementer=implementer, actor=_staff_of(code, users)
                    )
                self._tally(sanction, created)
        return records

    # -- cases ---------------------------------------------------------------------------------------

    def _cases(self, records, users) -> list[Case]:
        cases = []
        for spec in demo_data.CASES:
            record = records[spec.record]
            case = record.cases.order_by("id").first()
            created = case is None
            if created:
                case = self._run_case(spec, record, users)
            cases.append(self._tally(case, created))
        return cases

    def _run_case(self, spec, record, users) -> Case:
        case = case_file(
            kind=CaseKind.OBJECTION,
            subject=record.subject,
            records=[record],
            statement=spec.statement,
            commitment_signed=True,
            actor=users[spec.filer],
        )
        for step in spec.steps:
            user = users[step.actor]
            if step.action == "supplement":
                upload = SimpleUploadedFile("补正材料.pdf", SUPPLEMENT_PDF, content_type="application/pdf")
                case_supplement(case=case, actor=user, note=step.note, materials=[upload])
                continue
            # The task as the reviewer finds it in their own queue (GET /api/v1/tasks/), so a demo step that
            # reached the wrong department fails here instead of being done by someone who could not.
            task = selectors.task_queue_for(user).filter(case=case, step=step.step).first()
            if task is None:
                raise CommandError(
                    f"Demo case {case.number} ({spec.label}): no {step.step} task in {user.username}'s queue."
                )
            task = task_claim(task=task, user=user)
            if step.action == "decide":
                task_complete(
                    task=task, user=user, decision=step.decision, note=step.note, data=dict(step.data)
                )
        case.refresh_from_db()
        if (case.state, case.outcome) != (spec.state, spec.outcome):
            raise CommandError(
                f"Demo case {case.number} ({spec.label}) ended {case.state}/{case.outcome or '-'}, "
                f"expected {spec.state}/{spec.outcome or '-'}: the services changed; update demo_data."
            )
        return case

    # -- output --------------------------------------------------------------------------------------

    def _report(self, users, cases, base_url: str) -> None:
        out = self.stdout.write
        out(_("Demo data for 鼓楼区 (division %(division)s):") % {"division": demo_data.DIVISION})
        for model in (Department, Subject, User, CreditRecord, Sanction, Case):
            new, old = self.tally.get(model, (0, 0))
            out(
                _("  %(things)s: %(new)s created, %(old)s already there")
                % {"things": model._meta.verbose_name_plural, "new": new, "old": old}
            )
        out("")
        out(_("Objection cases:"))
        for case in cases:
            state = case.get_state_display()
            if case.outcome:
                state = _("%(state)s: %(outcome)s") % {"state": state, "outcome": case.get_outcome_display()}
            out(f"  {case.number:<16} {case.state:<19} {state} — {case.subject.name}")
        out("")
        out(_("Logins (fixed demo passwords — demo data only, never use them on a real system):"))
        tokens = dict(Token.objects.filter(user__in=users.values()).values_list("user_id", "key"))
        widths = (12, 17, 17, 42)
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


def _pad(text: str, width: int) -> str:
    """Left-align in a fixed-width column, counting a CJK character as two columns as terminals do."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)


def _staff_of(department_code: str, users: dict[str, User]) -> User:
    """The demo reviewer of a department enters its records and sanctions; the administrator otherwise."""
    for user in users.values():
        if user.role == Role.REVIEWER and user.departments.filter(code=department_code).exists():
            return user
    return users["demo-admin"]
