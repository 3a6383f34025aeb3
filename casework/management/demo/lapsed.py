"""Back-dated paths that end by a date passing, driven by the same sweeps beat runs:

- a 补正 nobody answered: filed and sent back for materials weeks ago, reminded 2 working days before its
  deadline, treated as withdrawn (视为撤回) the day after it (docs/domain.md §9.10) — with its notice, and the
  异议中 mark and sanction suspension it had caused undone;
- a minor penalty whose 3-month publication period ended by itself (docs/domain.md §9.7).

Every change goes through the services (invariant 1); only the clock is moved (time-machine), to the days the
people and the sweeps act. Each scenario's natural key is the 文号 of its record: a second run changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from casework import selectors
from casework.models import Case, CreditRecord, Department, Publicity, Subject, User
from casework.services.cases import case_file
from casework.services.publication import publication_end_due, publication_end_for
from casework.services.records import record_create, record_mark_disputed
from casework.services.sanctions import sanction_create, sanction_suspend
from casework.services.supplement import supplement_remind_due, supplement_withdraw_due
from casework.services.tasks import task_claim, task_complete

BEIJING = ZoneInfo("Asia/Shanghai")

WITHDRAWN_DOCUMENT = "榕鼓市监罚〔2026〕131号"
ENDED_DOCUMENT = "榕鼓税简罚〔2026〕132号"


@dataclass
class Lapsed:
    withdrawn: Case | None
    ended: CreditRecord | None
    created: bool


def _at(day: date, hour: int = 10):
    import time_machine  # a development requirement, like the back-dated history (demo/history.py)

    return time_machine.travel(datetime.combine(day, time(hour, 0), tzinfo=BEIJING), tick=False)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:  # people file and decide on weekdays (a year may have no calendar yet)
        day += timedelta(days=1)
    return day


def lapsed_build(subjects: dict[str, Subject], departments: dict[str, Department], users: dict[str, User]):
    """Build both scenarios unless their records exist; returns a `Lapsed`."""
    withdrawn_record = CreditRecord.objects.filter(summary__contains=WITHDRAWN_DOCUMENT).first()
    ended = CreditRecord.objects.filter(summary__contains=ENDED_DOCUMENT).first()
    if withdrawn_record is not None and ended is not None:
        return Lapsed(withdrawn_record.cases.order_by("id").first(), ended, created=False)
    ended = ended or _publication_ended(subjects["building"], departments["gl-tax"], users["demo-tax"])
    withdrawn = _withdrawn(subjects["trading"], departments, users) if withdrawn_record is None else None
    return Lapsed(withdrawn, ended, created=True)


def _publication_ended(subject: Subject, tax: Department, clerk: User) -> CreditRecord:
    """A minor penalty decided about four months ago: published for 3 months, then taken down by the sweep
    on the day after its last day, as beat does every morning."""
    decided = _weekday(timezone.localdate() - timedelta(days=125))
    with _at(decided, 15):
        record = record_create(
            subject=subject,
            kind="admin_penalty",
            severity="minor",
            provider=tax,
            decided_on=decided,
            summary=f"未按期报送财务会计报告, 罚款 200 元 ({ENDED_DOCUMENT})",
            actor=clerk,
        )
    last = record.publication_ends_on or publication_end_for(
        kind=record.kind, severity=record.severity, decided_on=decided
    )
    assert last is not None  # a minor penalty has a period
    sweep_day = last + timedelta(days=1)
    with _at(sweep_day, 0), transaction.atomic():
        # Only this record: the rest of the demo is entered after this day.
        publication_end_due(today=sweep_day)
    record.refresh_from_db()
    if record.publicity != Publicity.ENDED:
        raise CommandError(f"Demo record {ENDED_DOCUMENT} is {record.publicity} after the publication sweep.")
    return record


def _withdrawn(subject: Subject, departments: dict[str, Department], users: dict[str, User]) -> Case:
    """An objection filed about five weeks ago, sent back for materials at once, never answered."""
    filed = _weekday(timezone.localdate() - timedelta(days=35))
    market, clerk = departments["gl-market"], users["demo-market"]
    with _at(filed, 9):
        record = record_create(
            subject=subject,
            kind="admin_penalty",
            severity="general",
            provider=market,
            decided_on=filed - timedelta(days=40),
            summary=f"销售过期食品, 罚款 3000 元 ({WITHDRAWN_DOCUMENT})",
            actor=clerk,
        )
        sanction = sanction_create(
            record=record,
            measure="限制申请财政性资金补贴",
            implementer=departments["gl-finance"],
            actor=clerk,
        )
        case = case_file(
            kind="objection",
            subject=subject,
            records=[record],
            statement="涉案食品系退货待销毁商品, 并未对外销售。",
            commitment_signed=True,
            actor=users["demo-company"],
        )
        # Under the objection rules the filing marks the record 异议中 and suspends the joint sanctions
        # (docs/domain.md §9.1); where the flow does not do it yet, do it here, so the withdrawal has them
        # to undo.
        with transaction.atomic():
            record.refresh_from_db()
            if record.publicity == Publicity.PUBLISHED:
                record_mark_disputed(record=record, actor=users["demo-credit"], case=case)
            sanction.refresh_from_db()
            if sanction.state == "active":
                sanction_suspend(sanction=sanction, actor=users["demo-credit"], case=case, note=case.number)
    with _at(filed, 11):
        officer = users["demo-credit"]
        task = selectors.task_queue_for(officer).filter(case=case, step="accept").first()
        if task is None:
            raise CommandError(f"Demo case {case.number}: no acceptance task for {officer.username}.")
        task = task_claim(task=task, user=officer)
        task_complete(
            task=task,
            user=officer,
            decision="request_materials",
            note="请一次性补充: 1. 退货单据; 2. 销毁记录。",
        )
    case.refresh_from_db()
    assert case.materials_remind_on is not None and case.materials_due_on is not None
    with _at(case.materials_remind_on, 8):
        supplement_remind_due()
    day_after = case.materials_due_on + timedelta(days=1)
    with _at(day_after, 0):
        supplement_withdraw_due()
    case.refresh_from_db()
    if case.outcome != "withdrawn":
        raise CommandError(f"Demo case {case.number} is {case.state}/{case.outcome or '-'}, not withdrawn.")
    return case
