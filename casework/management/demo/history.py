"""Months of back-dated objection history, so the supervisors' boards have something to show (issue 14).

Every change still goes through the services (invariant 1); only the clock is moved, with time-machine's
`travel`, to the day each person acts. The escalation sweep runs on the days between, as beat would have,
so reminders, overdue notices and supervision fire on the days they were due. What it leaves:

- closed objections in each of the last `MONTHS` months, some decided on time and some late (on-time rates,
  medians and trends over at least six months; totals in the monthly report);
- open objections at every rung of the escalation ladder: a verification weeks overdue and supervised
  (督办), one a few days overdue (催办), one near its due date (reminded).

Each scenario's natural key is the 文号 of its record, as in the rest of the demo: a second run finds the record
and its case and changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.utils import timezone

from casework import selectors
from casework.models import Case, CreditRecord, Department, Subject, User
from casework.services.cases import case_file
from casework.services.escalation import escalation_sweep
from casework.services.records import record_create
from casework.services.tasks import task_claim, task_complete

BEIJING = ZoneInfo("Asia/Shanghai")
MONTHS = 8  # the dashboards show six months; eight leave no empty month at the start

# The reviewer who acts for each department in the history (demo users, see base.USERS).
STAFF = {"gl-credit": "demo-credit", "gl-market": "demo-market", "gl-tax": "demo-tax"}
VERDICTS = ("upheld", "corrected", "deleted")
NOTES = {
    "accept": "材料齐全, 予以受理并转信息提供单位核实。",
    "forward": "非平台归集错误, 转信息提供单位核实。",
    "upheld": "经核查, 原记录事实清楚, 予以维持。",
    "corrected": "经核查, 记录部分内容有误, 予以更正。",
    "deleted": "经核查, 原处罚决定已撤销, 删除该记录。",
}


@dataclass(frozen=True)
class HistoryCase:
    """One objection: filed `filed_ago` calendar days before today; accepted `accept_after` days after filing
    (None: never) and verified `verify_after` days after acceptance (None: still open, claimed or not)."""

    n: int
    subject: str  # SubjectSpec key
    provider: str  # department code
    filed_ago: int
    accept_after: int | None
    verify_after: int | None = None
    verdict: str = "upheld"
    claim_verify: bool = False

    @property
    def document(self) -> str:
        office = "市监罚" if self.provider == "gl-market" else "税罚"
        return f"榕鼓{office}〔H〕{200 + self.n}号"


def _closed() -> list[HistoryCase]:
    """Three decided objections a month for MONTHS months; every third verification late, acceptances
    sometimes slow, so rates and medians differ from month to month."""
    cases, n = [], 0
    subjects = ("harbour", "tea", "pharmacy", "garage")
    for month in range(MONTHS, 0, -1):
        for i in range(3):
            n += 1
            cases.append(
                HistoryCase(
                    n=n,
                    subject=subjects[n % len(subjects)],
                    provider="gl-market" if n % 2 else "gl-tax",
                    filed_ago=month * 30 + 8 - i * 9,
                    accept_after=1
                    + (n % 3) * 2,  # 1, 3 or 5 days: the 3-working-day limit is missed now and then
                    verify_after=4 + (n % 4) * 4,  # 4 … 16 days
                    verdict=VERDICTS[n % 3],
                )
            )
    return cases


# Open work at every rung of the ladder (the sweep on each day between files the levels as they came due).
OPEN = [
    HistoryCase(n=90, subject="harbour", provider="gl-market", filed_ago=45, accept_after=1),  # 督办
    HistoryCase(
        n=91, subject="tea", provider="gl-tax", filed_ago=24, accept_after=2, claim_verify=True
    ),  # 督办
    HistoryCase(n=92, subject="pharmacy", provider="gl-market", filed_ago=11, accept_after=1),  # 催办
    HistoryCase(n=93, subject="garage", provider="gl-tax", filed_ago=6, accept_after=0),  # reminded, due soon
    HistoryCase(n=94, subject="tea", provider="gl-market", filed_ago=9, accept_after=None),  # acceptance late
]

SCENARIOS = [*_closed(), *OPEN]


def history_build(subjects: dict[str, Subject], departments: dict[str, Department], users: dict[str, User]):
    """File and work the history scenarios not there yet, oldest first.

    Returns one dict per scenario: {"spec": HistoryCase, "case": Case, "created": bool}."""
    try:
        import time_machine  # a development requirement: the demo is a development tool
    except ImportError as exc:  # pragma: no cover - make demo installs requirements-dev.txt
        raise CommandError(
            "The demo's back-dated history needs time-machine (requirements-dev.txt)."
        ) from exc

    today = timezone.localdate()
    plans = []  # (day, order, action)
    holders: list[dict] = []
    for spec in sorted(SCENARIOS, key=lambda s: -s.filed_ago):
        record = CreditRecord.objects.filter(summary__contains=spec.document).first()
        case = record.cases.order_by("id").first() if record else None
        holder = {"spec": spec, "case": case, "created": case is None}
        holders.append(holder)
        if case is not None:
            continue
        filed = _weekday(today - timedelta(days=spec.filed_ago))
        plans.append((filed, 0, lambda h=holder: _file(h, subjects, departments, users)))
        if spec.accept_after is None:
            continue
        accepted = _weekday(filed + timedelta(days=spec.accept_after))
        plans.append((accepted, 1, lambda h=holder: _work(h, users["demo-credit"], "accept", "accept")))
        # The self-check finds no error of the platform's own and forwards the same day (docs/domain.md §9.1).
        plans.append((accepted, 1, lambda h=holder: _work(h, users["demo-credit"], "self_check", "forward")))
        reviewer = users[STAFF[spec.provider]]
        if spec.verify_after is not None:
            verified = _weekday(accepted + timedelta(days=spec.verify_after))
            plans.append((verified, 2, lambda h=holder, r=reviewer: _work(h, r, "verify", h["spec"].verdict)))
        elif spec.claim_verify:
            claimed = _weekday(accepted + timedelta(days=1))
            plans.append((claimed, 2, lambda h=holder, r=reviewer: _work(h, r, "verify", "")))
    if not plans:
        return holders
    first = min(day for day, _, _ in plans)
    days = sorted({day for day, _, _ in plans} | set(_days(first, today)))
    by_day: dict[date, list] = {}
    for day, _order, action in sorted(plans, key=lambda p: (p[0], p[1])):
        by_day.setdefault(day, []).append(action)
    for day in days:
        if day > today:
            continue
        with time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=BEIJING), tick=False):
            for action in by_day.get(day, []):
                action()
        # Beat sweeps hourly; once at the end of each day is enough for the ladder's day-sized rungs.
        with time_machine.travel(datetime.combine(day, time(18, 0), tzinfo=BEIJING), tick=False):
            escalation_sweep(today=day)
    escalation_sweep(today=today)
    return holders


def _days(first: date, last: date):
    """The sweep days: every Monday of the history, then every day of the last three weeks."""
    day = first
    while day <= last:
        if day.weekday() == 0 or (last - day).days <= 21:
            yield day
        day += timedelta(days=1)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:  # people file and decide on weekdays
        day += timedelta(days=1)
    return day


def _file(holder: dict, subjects, departments, users) -> None:
    spec: HistoryCase = holder["spec"]
    subject = subjects[spec.subject]
    provider = departments[spec.provider]
    record = record_create(
        subject=subject,
        kind="admin_penalty",
        severity="general",
        provider=provider,
        decided_on=timezone.localdate() - timedelta(days=60),
        summary=f"未按规定履行登记、申报义务, 罚款 {1000 + spec.n * 100} 元 ({spec.document})",
        actor=users[STAFF[spec.provider]],
    )
    case = case_file(
        kind="objection",
        subject=subject,
        records=[record],
        statement="该记录所述事实与实际不符, 相关义务已按期履行, 请予核实。",
        commitment_signed=True,
        actor=users["demo-agent"],
    )
    holder["case"] = case


def _work(holder: dict, user: User, step: str, decision: str) -> None:
    case: Case = holder["case"]
    task = selectors.task_queue_for(user).filter(case=case, step=step).first()
    if task is None:
        raise CommandError(f"Demo history {case.number}: no {step} task in {user.username}'s queue.")
    task = task_claim(task=task, user=user)
    if decision:
        task_complete(
            task=task, user=user, decision=decision, note=NOTES[decision], data=_data(decision, case)
        )


def _data(decision: str, case: Case) -> dict:
    if decision != "corrected":
        return {}
    record = case.records.get()
    return {"correction": record.summary.replace("罚款", "警告并罚款", 1) + " (已更正)"}
