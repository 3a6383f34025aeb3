from datetime import date

from django.db import transaction

from casework import policies
from casework.datemath import add_months
from casework.models import Case, CreditRecord, Department, HistoryEvent, Publicity, Subject, User
from casework.record_rules import check, record_errors
from casework.rules import active_rules

from .history import history_record, stream_of
from .transitions import lock, transition


@transaction.atomic
def record_create(
    *,
    subject: Subject,
    kind: str,
    severity: str,
    provider: Department,
    decided_on: date,
    summary: str,
    actor: User,
    listed_until: date | None = None,
) -> CreditRecord:
    """A new published record, with its history event; entered by its provider (认定单位) or an administrator.

    The field rules are casework.record_rules (the same for the API, web and import): decided_on not in the
    future and within 2000..2100, listed_until not before it; a ValidationError keyed by field otherwise.
    """
    policies.ensure_may_enter_record_for(actor, provider)  # a record is entered by its provider (认定单位)
    check(record_errors(decided_on=decided_on, summary=summary, listed_until=listed_until))
    years = active_rules()["case_kinds"]["list_exit"]["listing_years"]
    if listed_until is None and kind in years:
        # A listing lasts a fixed period unless exited earlier (SAMR Order 44 art. 22: 3 years; 法释〔2017〕7号
        # art. 2: 2 years); the automatic-exit sweep ends it then.
        listed_until = add_months(decided_on, 12 * years[kind])
    from .publication import publication_end_for

    record = CreditRecord.objects.create(
        listed_until=listed_until,
        # docs/domain.md §9.7: a penalty's publication ends by itself at the end of its period (the daily sweep).
        publication_ends_on=publication_end_for(kind=kind, severity=severity, decided_on=decided_on),
        subject=subject,
        kind=kind,
        severity=severity,
        provider=provider,
        decided_on=decided_on,
        summary=summary,
    )
    history_record(
        new_stream=True,
        target=record,
        action="created",
        actor=actor,
        to_state=record.publicity,
        data={
            "kind": kind,
            "severity": severity,
            "provider": provider.code,
            "decided_on": decided_on.isoformat(),
            "listed_until": listed_until.isoformat() if listed_until else None,
            "publication_ends_on": record.publication_ends_on.isoformat()
            if record.publication_ends_on
            else None,
        },
    )
    return record


def record_mark_disputed(*, record: CreditRecord, actor: User | None, case: Case) -> CreditRecord:
    return transition(record, "mark_disputed", field="publicity", actor=actor, case=case, note=case.number)


def record_clear_dispute(
    *, record: CreditRecord, actor: User | None, case: Case, note: str = ""
) -> CreditRecord:
    return transition(record, "clear_dispute", field="publicity", actor=actor, case=case, note=note)


def records_undo_marks(*, case: Case, actor: User | None, note: str = "") -> list[CreditRecord]:
    """Take off the 异议中 marks `case` put on its records (a withdrawn request, docs/domain.md §9.10).

    Only a mark this case made, and that is still on, is removed — found from each record's history, so the
    rule holds whichever step of whichever flow set the mark. Returns the records cleared.
    """
    cleared = []
    for record in case.records.filter(publicity=Publicity.DISPUTED).order_by("id"):
        marked = (
            HistoryEvent.objects.filter(stream=stream_of(record), action="mark_disputed")
            .order_by("-seq")
            .values_list("case_id", flat=True)
            .first()
        )
        if marked == case.pk:
            cleared.append(record_clear_dispute(record=record, actor=actor, case=case, note=note))
    return cleared


def record_delete_as_wrong(
    *, record: CreditRecord, actor: User | None, case: Case, note: str
) -> CreditRecord:
    return transition(record, "delete_as_wrong", field="publicity", actor=actor, case=case, note=note)


def record_stop_publication_as_wrong(
    *, record: CreditRecord, actor: User | None, case: Case, note: str, action: str
) -> CreditRecord:
    """An objection's `publication_stopped` (shown past its period) or `removed_from_list` (wrongly listed, or
    not removed when due; `action` names which in the history): the record is no longer published."""
    return transition(
        record,
        "stop_publication_as_wrong",
        field="publicity",
        actor=actor,
        case=case,
        note=note,
        action=action,
    )


def record_supplement(
    *, record: CreditRecord, addition: str, actor: User | None, case: Case, note: str
) -> CreditRecord:
    """An objection's `supplemented` (the record omitted something): `addition` is appended to the record's
    text on a line of its own, before and after kept in the history."""
    record = lock(record)
    before = record.summary
    record.summary = f"{before}\n{addition.strip()}" if before else addition.strip()
    record.save(update_fields=["summary"])
    history_record(
        target=record,
        action="supplemented",
        actor=actor,
        case=case,
        from_state=record.publicity,
        to_state=record.publicity,
        note=note,
        data={"summary": {"before": before, "after": record.summary}},
    )
    return record


def record_correct(
    *, record: CreditRecord, summary: str, actor: User | None, case: Case, note: str
) -> CreditRecord:
    """The provider found the record wrong in part: the corrected text replaces it, before and after kept."""
    record = lock(record)
    before = record.summary
    record.summary = summary
    record.save(update_fields=["summary"])
    history_record(
        target=record,
        action="corrected",
        actor=actor,
        case=case,
        from_state=record.publicity,
        to_state=record.publicity,
        note=note,
        data={"summary": {"before": before, "after": summary}},
    )
    return record


def record_end_publication(*, record: CreditRecord, actor: User | None, case: Case | None, note: str = ""):
    """Repair or list exit: the record stops being published (it stays on file, with its history)."""
    return transition(record, "end_publication", field="publicity", actor=actor, case=case, note=note)


def record_shield(*, record: CreditRecord, actor: User | None, case: Case, note: str = "") -> CreditRecord:
    return transition(record, "shield", field="publicity", actor=actor, case=case, note=note)


def record_end_shielded(*, record: CreditRecord, actor: User | None, case: Case, note: str = ""):
    return transition(record, "end_shielded", field="publicity", actor=actor, case=case, note=note)
