"""The world the set-based sweep tests share: open verification tasks with escalation levels due, in one
market department with reviewers and a head (each with e-mail), under a credit office."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from casework.models import Case, CaseTask, Deadline, Department, Subject, User
from casework.rules import active_rule_set

STARTED, DUE, SWEEP_DAY = date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 1)


def at(day: date, hour: int = 8):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def build(n_tasks: int, *, reviewers: int = 3, first: int = 0) -> dict:
    """`n_tasks` open verification tasks, one per case, in one department with `reviewers` reviewers and a
    head (each with e-mail: 2 × (reviewers + 1) messages per 催办), and a credit office with a supervisor."""
    office, _ = Department.objects.get_or_create(
        code="sw-office",
        defaults={"name": "鼓楼区信用办", "kind": "credit_office", "level": "district", "division": "350102"},
    )
    market, created = Department.objects.get_or_create(
        code="sw-market",
        defaults={
            "name": "鼓楼区市场监管局",
            "kind": "market_regulation",
            "level": "district",
            "division": "350102",
        },
    )
    if created:
        for n in range(reviewers):
            User.objects.create(
                username=f"sw-reviewer-{n}", role="reviewer", email=f"r{n}@example.cn"
            ).departments.add(market)
        User.objects.create(username="sw-head", role="supervisor", email="head@example.cn").departments.add(
            market
        )
        User.objects.create(
            username="sw-officer", role="supervisor", email="officer@example.cn"
        ).departments.add(office)
    subject, _ = Subject.objects.get_or_create(
        kind="enterprise", code="91350102MA2Y3K4L5X", defaults={"name": "某某公司", "division": "350102"}
    )
    filer = User.objects.get(username="sw-head")
    rule_set = active_rule_set()
    tasks = []
    for n in range(first, first + n_tasks):
        case = Case.objects.create(
            number=f"YY-2026-{n + 1:06d}",
            kind="objection",
            subject=subject,
            statement="set-based sweep",
            commitment_signed_at=timezone.now(),
            receiving_office=office,
            rule_set=rule_set,
            state="verifying",
            filed_by=filer,
        )
        deadline = Deadline.objects.create(
            case=case,
            budget_days=5,
            started_on=STARTED,
            due_on=DUE,
            next_escalation_on=STARTED + timedelta(days=3),
        )
        tasks.append(
            CaseTask.objects.create(
                case=case, step="verify", department=market, deadline=deadline, due_on=deadline.due_on
            )
        )
    return {"tasks": tasks, "market": market, "office": office}
