"""The one way a case comes into being, whatever the entry: portal, API, an objection during list-exit
publicity, a review request, an import of an open case.

`case_open` assigns the number and the rule set, stores the case with its records, starts the legal and
service clocks, writes the `filed` history row and starts the case's flow, in the caller's transaction.
It also enforces "one open request per record and kind" (docs/domain.md §9.6)
under row locks on the records, so two simultaneous filings on one record make one case, not two.

What differs by entry stays with the entry: the checks of a subject's own filing (services/cases.py),
the publicity hold of an exit objection (services/list_exit.py), and who is told.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import txmemo, workflows
from casework.models import (
    CASE_NUMBER_PREFIX,
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseNumberSequence,
    CreditRecord,
    Department,
    RuleSet,
    Subject,
    User,
)

from .deadlines import case_deadlines_start
from .history import history_record


def case_number_next(kind: str) -> str:
    """The next number of `kind` this year (`YY-2026-000001`): gap-free, in one statement.

    An upsert increments the year's counter and returns it, creating the row on the year's first case. Its
    row lock lasts until the filing commits, so filings of one kind take their numbers in turn; the caller
    asks as late as it can (after validating and locking the records) to keep that turn short.
    """
    prefix, year = CASE_NUMBER_PREFIX[CaseKind(kind)], timezone.localdate().year
    table = CaseNumberSequence._meta.db_table
    upsert = (  # the table name is our model's, not input
        f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (prefix, year) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [prefix, year])
        (last,) = cursor.fetchone()
    return f"{prefix}-{year}-{last:06d}"


def records_lock(records: Sequence[CreditRecord]) -> list[CreditRecord]:
    """Lock the records' rows in primary-key order (one order for every filer, so two filings never wait on
    each other crosswise) and return them fresh. Must run inside the filing's transaction."""
    pks = sorted({r.pk for r in records})
    held = [txmemo.held_row(CreditRecord, pk) for pk in pks]
    if all(row is not None for row in held):  # this unit of work locked them already (the filing checks)
        return held  # type: ignore[return-value]
    locked = list(
        CreditRecord.objects.select_for_update(of=("self",))
        .select_related("provider", "subject")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    for record in locked:  # a transition of the record later in the unit takes this copy (`lock`)
        txmemo.remember_row(record)
    return locked


def open_duplicates(*, kind: str, records: Sequence[CreditRecord]) -> dict[str, list]:
    """Field errors for records that already have an open request of `kind`, each naming the open case.

    docs/domain.md §9.6: one open request per record and kind. Read after
    `records_lock`, so a filing committed a moment ago by someone else is seen.
    """
    # Asked twice in a filing (its checks, then `case_open`) under the same record locks: answered once.
    key = ("open-duplicates", kind, tuple(sorted(r.pk for r in records)))
    found = txmemo.recall(key)
    if found is not None:
        return {field: list(messages) for field, messages in found.items()}
    errors: dict[str, list] = {}
    open_cases = (
        Case.objects.filter(kind=kind, state__in=OPEN_CASE_STATES, records__in=[r.pk for r in records])
        .distinct()
        .order_by("number")
    )
    for case in open_cases:
        errors.setdefault("records", []).append(
            _("%(kind)s %(number)s is still open on this record; follow that case instead of filing again.")
            % {"kind": case.get_kind_display(), "number": case.number}
        )
    return txmemo.remember(key, errors)


def _kind_hooks(kind: str):
    """(errors(rules, records), filed(case, actor)) of a kind that does something at filing, else None.

    docs/domain.md §9.1: an objection marks its records 异议中 at filing, and objects to the court list alone.
    §9.4: a review (复核) marks them again, and only records still published can be reviewed.
    """
    if kind == CaseKind.OBJECTION:
        from .objection import objection_filed, objection_filing_errors

        return objection_filing_errors, objection_filed
    if kind == CaseKind.REVIEW:
        from .objection import objection_filed
        from .review import review_filing_errors

        return review_filing_errors, objection_filed
    return None


@txmemo.unit()  # one unit of work: heads, staff and endpoints read once (casework/txmemo.py)
def case_open(
    *,
    kind: str,
    subject: Subject,
    records: Sequence[CreditRecord],
    statement: str,
    actor: User,
    office: Department,
    rule_set: RuleSet,
    commitment_signed_at: datetime | None,
    flow: str | None = None,
    history_data: dict | None = None,
    before_start: Callable[[Case], None] | None = None,
    **fields,
) -> Case:
    """Open a case: number, rule set, records, clocks, `filed` history, then the flow's start.

    `commitment_signed_at` is the moment the subject signed the credit commitment (信用承诺书), or None where
    nobody signed one (a third party objecting to a list exit). `flow` names the registered flow when it is
    not the kind's own. `before_start(case)` runs after the case is stored and before its flow starts (the
    entry stores its materials and tells whom it tells there). Other keyword arguments are `Case` fields
    (by_administrator, deletion_ground, objects_to, review_of).

    Raises ValidationError({"records": [...]}) when a record already has an open case of `kind`, and the
    errors of the kind's own filing check (`_kind_hooks`, read under the record locks).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_open runs inside the filing's transaction")
    records = records_lock(records)
    duplicates = open_duplicates(kind=kind, records=records)
    if duplicates:
        raise ValidationError(duplicates)
    hooks = _kind_hooks(kind) if flow is None else None  # an exit objection holds the exit, marks nothing
    if hooks is not None:
        kind_errors = hooks[0](rules=rule_set.case_rules(kind), records=records)
        if kind_errors:
            raise ValidationError(kind_errors)
    case = Case.objects.create(
        number=case_number_next(kind),
        kind=kind,
        subject=subject,
        statement=statement.strip(),
        commitment_signed_at=commitment_signed_at,
        receiving_office=office,
        rule_set=rule_set,
        filed_by=actor,
        **fields,
    )
    txmemo.remember_row(case)  # the subscribers of this filing read this copy, not the row again
    case.records.set(records)
    case_deadlines_start(case=case)
    history_record(
        new_stream=True,
        target=case,
        action="filed",
        actor=actor,
        case=case,
        to_state=case.state,
        note=case.statement,
        data={
            "records": [str(r.public_id) for r in records],
            "rule_set": rule_set.version,
            **(history_data or {}),
        },
    )
    if hooks is not None:
        hooks[1](case=case, actor=actor)
    if before_start is not None:
        before_start(case)
    flow_class: Any = workflows.flow_for(flow or kind)  # a viewflow Flow class; its nodes are untyped
    flow_class.start.run(case=case)
    return Case.objects.get(pk=case.pk)  # the flow's start may have moved it (bankruptcy: shielding)
