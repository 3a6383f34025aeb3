"""Bulk import of credit records and sanctions (departments exchange them monthly).

Every row is validated on its own and either goes in whole or is reported with its line, field and reason; the
file's valid rows go in together, in ONE transaction, with bulk inserts (history events included: a new record's
or sanction's chain starts at seq 1, so its hash is computed here without reading a chain head). Natural keys
(`ImportedRow`) make re-importing a file change nothing: a record is (provider, document number 文号, subject),
a sanction (that record, measure, implementer). Imported sanctions are not pushed: they come from the
departments themselves.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.identifiers import division_of, validate_credit_code, validate_resident_id
from casework.models import (
    CreditRecord,
    Department,
    HistoryEvent,
    Publicity,
    RecordKind,
    Role,
    Sanction,
    SanctionState,
    Severity,
    Subject,
    SubjectKind,
    User,
)
from casework.rules import active_rule_set
from casework.services.eligibility import add_months
from casework.services.history import GENESIS

from .importfile import read_rows
from .models import ImportBatch, ImportedRow

Progress = Callable[[str, int], None]
CHUNK = 1000


@dataclass
class Row:
    line: int
    subject_code: str
    subject_kind: str
    subject_name: str
    kind: str
    severity: str
    provider: Department
    decided_on: datetime.date
    listed_until: datetime.date | None
    document_number: str
    summary: str
    measure: str = ""
    implementer: Department | None = None
    record_key: str = ""
    sanction_key: str = ""
    errors: list = field(default_factory=list)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.replace("/", "-"))


class _Validator:
    def __init__(self, actor: User | None):
        self.departments = {d.code: d for d in Department.objects.all()}
        self.own = None
        if actor is not None and actor.role != Role.ADMIN:
            self.own = set(actor.departments.values_list("code", flat=True))
        self.today = timezone.localdate()
        self.seen: dict[str, tuple] = {}  # record key → (line, content), to catch a document number reused

    def _subject(self, raw: dict, errors: list) -> tuple[str, str]:
        kind = raw.get("subject_kind", "")
        if kind and kind not in SubjectKind.values:
            errors.append(("subject_kind", _("Choose “enterprise” or “person”.")))
            return "", ""
        attempts = [kind] if kind else [SubjectKind.ENTERPRISE, SubjectKind.PERSON]
        first_error = None
        for candidate in attempts:
            validate = validate_credit_code if candidate == SubjectKind.ENTERPRISE else validate_resident_id
            try:
                return validate(raw.get("subject_code", "")), candidate
            except ValidationError as exc:
                first_error = first_error or exc
        errors.append(("subject_code", " ".join(first_error.messages)))
        return "", ""

    def _department(self, raw: dict, name: str, errors: list, *, own: bool) -> Department | None:
        code = raw.get(name, "")
        department = self.departments.get(code)
        if department is None:
            errors.append((name, _("No department has the code “%(code)s”.") % {"code": code}))
        elif own and self.own is not None and code not in self.own:
            errors.append((name, _("You can import records only for your own department.")))
        return department

    def row(self, line: int, raw: dict) -> Row:
        errors: list[tuple[str, str]] = []
        code, subject_kind = self._subject(raw, errors)
        kind, severity = raw.get("kind", ""), raw.get("severity", "")
        if kind not in RecordKind.values:
            errors.append(
                ("kind", _("Choose one of: %(values)s.") % {"values": ", ".join(RecordKind.values)})
            )
        if severity not in Severity.values:
            errors.append(
                ("severity", _("Choose one of: %(values)s.") % {"values": ", ".join(Severity.values)})
            )
        provider = self._department(raw, "provider", errors, own=True)
        decided_on = listed_until = None
        try:
            decided_on = _date(raw.get("decided_on", ""))
            if decided_on > self.today:
                errors.append(("decided_on", _("The decision date is in the future.")))
        except ValueError:
            errors.append(("decided_on", _("Give the date as YYYY-MM-DD.")))
        if raw.get("listed_until"):
            try:
                listed_until = _date(raw["listed_until"])
                if decided_on and listed_until < decided_on:
                    errors.append(("listed_until", _("The listing cannot end before the decision.")))
            except ValueError:
                errors.append(("listed_until", _("Give the date as YYYY-MM-DD.")))
        document_number, summary = raw.get("document_number", ""), raw.get("summary", "")
        if not document_number or len(document_number) > 120:
            errors.append(
                ("document_number", _("Give the decision's document number (文号), at most 120 characters."))
            )
        if not summary:
            errors.append(("summary", _("Give a summary of the finding.")))
        measure, implementer = raw.get("measure", ""), None
        if measure or raw.get("implementer"):
            if not measure or len(measure) > 200:
                errors.append(
                    ("measure", _("Give the measure (at most 200 characters) with its implementer."))
                )
            implementer = self._department(raw, "implementer", errors, own=False)
        row = Row(
            line=line,
            subject_code=code,
            subject_kind=subject_kind,
            subject_name=raw.get("subject_name", "")[:200],
            kind=kind,
            severity=severity,
            provider=provider,
            decided_on=decided_on,
            listed_until=listed_until,
            document_number=document_number,
            summary=summary,
            measure=measure,
            implementer=implementer,
            errors=errors,
        )
        if not errors:
            row.record_key = _key("record", provider.code, document_number, code)
            if measure:
                row.sanction_key = _key("sanction", row.record_key, measure, implementer.code)
            content = (kind, severity, decided_on, summary, listed_until)
            earlier = self.seen.setdefault(row.record_key, (line, content))
            if earlier[1] != content:
                errors.append(
                    (
                        "document_number",
                        _("Line %(line)s gives this document number with other details.")
                        % {"line": earlier[0]},
                    )
                )
        return row


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _history(target, stream_prefix: str, *, actor, at, to_state: str, data: dict) -> HistoryEvent:
    event = HistoryEvent(
        stream=f"{stream_prefix}:{target.public_id}",
        seq=1,
        prev_hash=GENESIS,
        at=at,
        actor=actor,
        actor_label=actor.label() if actor else "system",
        action="created",
        to_state=to_state,
        data=data,
    )
    event.hash = event.compute_hash()
    return event


def _subject_ids(fresh: list[Row]) -> tuple[dict[str, int], int]:
    """Primary keys of every subject the rows name, creating the missing ones; code → id, number created."""
    codes = sorted({r.subject_code for r in fresh})
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        ids.update(Subject.objects.filter(code__in=chunk).values_list("code", "pk"))
    missing: dict[str, Row] = {}
    for r in fresh:
        if r.subject_code not in ids:
            missing.setdefault(r.subject_code, r)
    for chunk in _chunks(list(missing.values())):
        Subject.objects.bulk_create(
            [
                Subject(
                    kind=r.subject_kind,
                    code=r.subject_code,
                    name=r.subject_name or r.subject_code,
                    division=division_of(r.subject_kind, r.subject_code),
                )
                for r in chunk
            ],
            ignore_conflicts=True,  # a subject registered meanwhile is simply used
        )
        codes = [r.subject_code for r in chunk]
        ids.update(Subject.objects.filter(code__in=codes).values_list("code", "pk"))
    return ids, len(missing)


def _write(batch: ImportBatch, rows: list[Row], actor: User | None, progress: Progress | None) -> dict:
    """Everything valid, in the caller's transaction; counts of what was created.

    One transaction, written in chunks of CHUNK rows so that memory stays bounded: only natural keys and ids
    are kept across chunks, never the model instances.
    """
    keys = {r.record_key for r in rows} | {r.sanction_key for r in rows if r.sanction_key}
    known: dict[str, int] = {}  # natural key → record id
    for chunk in _chunks(sorted(keys)):
        known.update(ImportedRow.objects.filter(key__in=chunk).values_list("key", "record_id"))
    fresh = [r for r in rows if r.record_key not in known or (r.sanction_key and r.sanction_key not in known)]
    subject_ids, subjects_created = _subject_ids(fresh)
    years = active_rule_set().case_rules("list_exit")["listing_years"]
    now = timezone.now()
    public_ids: dict[int, object] = {}  # record id → public id, for the sanctions' history
    new_lines: set[int] = set()  # rows that brought something new; a repeat of an earlier line is unchanged
    records_created = sanctions_created = 0
    for chunk in _chunks(fresh):
        records: dict[str, tuple[CreditRecord, Row]] = {}
        for r in chunk:
            if r.record_key in known or r.record_key in records:
                continue
            listed_until = r.listed_until
            if listed_until is None and r.kind in years:  # as record_create: the rule period by default
                listed_until = add_months(r.decided_on, 12 * years[r.kind])
            record = CreditRecord(
                subject_id=subject_ids[r.subject_code],
                kind=r.kind,
                severity=r.severity,
                provider=r.provider,
                decided_on=r.decided_on,
                summary=r.summary,
                listed_until=listed_until,
            )
            records[r.record_key] = (record, r)
            new_lines.add(r.line)
        CreditRecord.objects.bulk_create([record for record, _r in records.values()])
        history = []
        for key, (record, r) in records.items():
            known[key] = record.pk
            public_ids[record.pk] = record.public_id
            history.append(
                _history(
                    record,
                    "creditrecord",
                    actor=actor,
                    at=now,
                    to_state=Publicity.PUBLISHED,
                    data={
                        "kind": r.kind,
                        "severity": r.severity,
                        "provider": r.provider.code,
                        "decided_on": r.decided_on.isoformat(),
                        "listed_until": record.listed_until.isoformat() if record.listed_until else None,
                        "document_number": r.document_number,
                        "import": str(batch.public_id),
                    },
                )
            )
        sanctions: dict[str, Sanction] = {}
        for r in chunk:
            if r.sanction_key and r.sanction_key not in known and r.sanction_key not in sanctions:
                sanctions[r.sanction_key] = Sanction(
                    record_id=known[r.record_key], measure=r.measure, implementer=r.implementer
                )
                new_lines.add(r.line)
        Sanction.objects.bulk_create(sanctions.values())
        # A sanction added to a record imported before names that record by its public id.
        older = sorted({s.record_id for s in sanctions.values()} - set(public_ids))
        if older:
            public_ids.update(CreditRecord.objects.filter(pk__in=older).values_list("pk", "public_id"))
        for key, sanction in sanctions.items():
            known[key] = sanction.record_id
            history.append(
                _history(
                    sanction,
                    "sanction",
                    actor=actor,
                    at=now,
                    to_state=SanctionState.ACTIVE,
                    data={
                        "record": str(public_ids[sanction.record_id]),
                        "measure": sanction.measure,
                        "implementer": sanction.implementer.code,
                        "import": str(batch.public_id),
                    },
                )
            )
        HistoryEvent.objects.bulk_create(history)
        ImportedRow.objects.bulk_create(
            [ImportedRow(key=k, batch=batch, record=record) for k, (record, _r) in records.items()]
            + [
                ImportedRow(key=k, batch=batch, record_id=s.record_id, sanction=s)
                for k, s in sanctions.items()
            ]
        )
        records_created += len(records)
        sanctions_created += len(sanctions)
        if progress:
            progress("written", len(chunk))
    return {
        "imported_rows": len(new_lines),
        "unchanged_rows": len(rows) - len(new_lines),
        "subjects_created": subjects_created,
        "records_created": records_created,
        "sanctions_created": sanctions_created,
    }


def records_import(
    *, file: BinaryIO, filename: str, actor: User | None, progress: Progress | None = None
) -> ImportBatch:
    """Validate every row, then write all valid rows in one transaction. A file that cannot be read at all (or
    lacks a required column) is a ValidationError and nothing is saved; bad rows are reported, never written."""
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    validator = _Validator(actor)
    valid: list[Row] = []
    rejected: list[dict] = []
    total = 0
    for line, raw in read_rows(file):
        total += 1
        row = validator.row(line, raw)
        if row.errors:
            rejected.append({"line": line, "errors": [{"field": f, "reason": str(m)} for f, m in row.errors]})
        else:
            valid.append(row)
        if progress and total % CHUNK == 0:
            progress("validated", CHUNK)
    if progress:
        progress("validated", total % CHUNK)
    batch = ImportBatch.objects.create(
        filename=filename[:255],
        sha256=digest.hexdigest(),
        actor=actor,
        total_rows=total,
        rejected_rows=len(rejected),
        rejected=rejected,
    )
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                counts = _write(batch, valid, actor, progress)
            break
        except IntegrityError:
            # Another import of the same rows committed first: the second pass finds their keys and skips them.
            if attempt == 2:
                raise
    for name, value in counts.items():
        setattr(batch, name, value)
    batch.finished_at = timezone.now()
    batch.save()
    return batch
