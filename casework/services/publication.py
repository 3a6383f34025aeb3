"""Publication ends by itself (docs/domain.md §9.7; SAMR Orders 45 and 107, NDRC Order 36).

An administrative penalty is published from its decision date for a period fixed by its severity (rule-set
data `publication`: minor 3 months, general 1 year, serious 3 years). `publication_ends_on` is the last day
published (as the 双公示 公示截止期 the import reads): the daily sweep takes the record down the day after, with
a history event, a push to the national platform and a message to the subject's representatives. Nobody has
to apply for it; repair shortens publication, never lengthens it.
"""

import json
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework import bulk, events
from casework.datemath import required_date
from casework.models import CreditRecord, Publicity
from casework.rules import active_rules

from .eligibility import add_months
from .history import history_record_many

ACTION = "publication_period_ended"


def publication_rules() -> dict:
    return active_rules()["publication"]


def publication_end_for(
    *, kind: str, severity: str, decided_on: date, rules: dict | None = None
) -> date | None:
    """The last day such a record is published (a Beijing calendar date; taken down the day after), or None
    if no period applies (list entries end with the listing; court records with the court)."""
    rules = rules or publication_rules()
    if kind not in rules["record_kinds"]:
        return None
    months = rules["months_by_severity"].get(severity)
    return None if months is None else add_months(decided_on, months) - timedelta(days=1)


def _due(today: date, rules: dict) -> Q:
    """Published penalties whose period is over: by the stored end, or — for rows entered before the end was
    stored (imports, old data) — by the decision date and severity."""
    due = Q(publication_ends_on__lt=today)
    for severity, months in rules["months_by_severity"].items():
        due |= Q(
            publication_ends_on__isnull=True, severity=severity, decided_on__lte=add_months(today, -months)
        )
    return Q(publicity=Publicity.PUBLISHED, kind__in=rules["record_kinds"]) & due


def publication_end_due(*, today: date | None = None, batch: int = 500) -> int:
    """End publication of every penalty whose period is over on `today` (default: today in Beijing).

    Returns how many records it ended. Batches of one transaction each, rows claimed with SKIP LOCKED, so a
    record a clerk holds right now is taken down on the next run and two sweeps never end one record twice.
    A batch is set-based: one update of the records, one insert of their history events (chains computed
    in one pass), and the events' messages and platform pushes in one insert each.
    """
    today = today or timezone.localdate()
    rules = publication_rules()
    ended = 0
    while True:
        with transaction.atomic():
            records = list(
                CreditRecord.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(_due(today, rules))
                .select_related("subject", "provider")
                .order_by("id")[:batch]
            )
            _end_batch(records, rules)
            ended += len(records)
        if len(records) < batch:
            return ended


def _end_batch(records: list[CreditRecord], rules: dict) -> None:
    history, ended = [], []
    for record in records:
        history.append(_end(record, rules))
        ended.append(_ended_event(record))
    bulk.update(
        CreditRecord,
        ("publicity", "publication_ends_on"),
        [(record.pk, record.publicity, record.publication_ends_on) for record in records],
    )
    history_record_many(history)
    events.publish_many(ended)


def _end(record: CreditRecord, rules: dict) -> dict:
    """End the record's publication (in memory; the batch saves it) and say what its history records."""
    ends_on = record.publication_ends_on or publication_end_for(
        kind=record.kind, severity=record.severity, decided_on=record.decided_on, rules=rules
    )
    if ends_on is None:  # the sweep selects only kinds and severities with a period; keep mypy honest
        raise ValueError(f"No publication period for {record.kind}/{record.severity}.")
    record.publication_ends_on = ends_on
    record.end_publication()
    months = rules["months_by_severity"][record.severity]
    return {
        "target": record,
        "action": ACTION,
        "actor": None,
        "from_state": Publicity.PUBLISHED,
        "to_state": record.publicity,
        "note": f"公示期满 ({months} 个月, {record.decided_on.isoformat()} 起)",
        "data": {"publication_ends_on": ends_on.isoformat(), "months": months, "sources": rules["sources"]},
    }


def _ended_event(record: CreditRecord) -> events.RecordPublicationEnded:
    ends_on = required_date(record.publication_ends_on)
    subject = record.subject
    return events.RecordPublicationEnded(
        subject_id=subject.pk,
        record_id=record.pk,
        provider_id=record.provider_id,
        record=str(record.public_id),
        decided_on=record.decided_on,
        ended_on=ends_on,
        summary=record.summary[:200],
        division=subject.division,
        platform=json.dumps(
            {
                "record": str(record.public_id),
                "record_kind": record.kind,
                "severity": record.severity,
                "provider": record.provider.code,
                "decided_on": record.decided_on.isoformat(),
                "publication_ends_on": ends_on.isoformat(),
                "subject": {"kind": subject.kind, "code": subject.code, "name": subject.name},
            },
            ensure_ascii=False,
        ),
    )
