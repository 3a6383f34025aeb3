"""Bulk import of credit records and sanctions (departments exchange them monthly).

Every row is validated on its own (`importrows`) and either goes in whole or is reported with its line, field
and reason; the file's valid rows go in together, in ONE transaction, in chunks written by `bulkwrite`
(PostgreSQL `COPY`) with only natural keys and ids kept between chunks. History events are included: a new
record's or sanction's chain starts at seq 1, so its hash is computed here without reading a chain head. Natural
keys (`ImportedRow`) make re-importing a file change nothing: a record is (provider, document number 文号,
subject), a sanction (that record, measure, implementer). Imported sanctions are not pushed: they come from the
departments themselves.
"""

import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.datemath import add_months
from casework.identifiers import division_of
from casework.models import (
    CreditRecord,
    HistoryEvent,
    Publicity,
    Sanction,
    SanctionState,
    Subject,
    User,
)
from casework.rules import active_rules
from casework.services.history import GENESIS, HISTORY_COLUMNS

from .bulkwrite import JsonText, insert, lookup
from .importfile import read_rows
from .importrows import Row, Validator
from .models import ImportBatch, ImportedRow

Progress = Callable[[str, int], None]
CHUNK = 1000
RECORD_FIELDS = (
    "public_id",
    "subject_id",
    "kind",
    "severity",
    "provider_id",
    "decided_on",
    "summary",
    "listed_until",
    "publicity",
    "publication_ends_on",
)
SANCTION_FIELDS = ("public_id", "record_id", "measure", "implementer_id", "state", "effective_from")


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _FirstEvents:
    """The first event (seq 1, after GENESIS) of each new record's or sanction's chain, as tuples in
    HISTORY_COLUMNS order, hashed exactly as HistoryEvent.compute_hash does (so history_verify agrees).

    Every field but the stream and the data is the same for all of an import's events, so the canonical JSON
    that compute_hash digests is spliced from constant pieces around the two that vary, instead of a model
    instance and a full `json.dumps` per event (200k events at 100k rows). The data's JSON text is made once
    and serves both the hash and the `COPY` of the `data` column.
    """

    def __init__(self, *, actor: User | None, at, to_state: str):
        self.actor_id = actor.pk if actor else None
        self.actor_label = actor.label() if actor else "system"
        self.at, self.to_state = at, str(to_state)  # the value, not the enum member: COPY writes it as text
        content = HistoryEvent.hash_content(
            SimpleNamespace(
                stream="", seq=1, case_id=None, at=at, actor_id=self.actor_id, actor_label=self.actor_label,
                action="created", from_state="", to_state=self.to_state, note="", data={},
                rule_set_version="", prev_hash=GENESIS,
            )
        )  # fmt: skip
        names = sorted(content)
        data_at, stream_at = names.index("data"), names.index("stream")
        assert data_at < stream_at  # the splice below follows compute_hash's sorted keys

        def piece(keys):
            return _canonical({k: content[k] for k in keys})[1:-1]

        self.head = "{" + piece(names[:data_at]) + ',"data":'
        self.middle = "," + piece(names[data_at + 1 : stream_at]) + ',"stream":'
        self.tail = ("," + piece(names[stream_at + 1 :]) if names[stream_at + 1 :] else "") + "}"

    def event(self, stream: str, data: dict) -> tuple:
        data_json = _canonical(data)
        digest = hashlib.sha256(
            (self.head + data_json + self.middle + _canonical(stream) + self.tail).encode()
        ).hexdigest()
        return (
            stream, 1, None, self.at, self.actor_id, self.actor_label, "created", "", self.to_state, "",
            JsonText(data_json), "", GENESIS, digest,
        )  # fmt: skip


_canonical = functools.partial(
    json.dumps, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
)


def _subject_ids(fresh: list[Row]) -> tuple[dict[str, int], int]:
    """Primary keys of every subject the rows name, creating the missing ones; code → id, number created."""
    ids = lookup(Subject, "code", {r.subject_code for r in fresh}, "id")
    missing: dict[str, Row] = {}
    for r in fresh:
        if r.subject_code not in ids:
            missing.setdefault(r.subject_code, r)
    # No ignore_conflicts (COPY has none): a subject registered by someone else since the look-up above makes
    # this transaction fail with an IntegrityError, and records_import's second attempt then finds and uses it.
    for chunk in _chunks(list(missing.values())):
        created = insert(
            Subject,
            ("kind", "code", "name", "division", "operating_status"),
            [
                (r.subject_kind, r.subject_code, r.subject_name or r.subject_code,
                 division_of(r.subject_kind, r.subject_code), r.operating_status or "operating")
                for r in chunk
            ],
        )  # fmt: skip
        ids.update(zip((r.subject_code for r in chunk), created, strict=True))
    return ids, len(missing)


def _operating_status_changes(rows: list[Row], actor: User | None) -> None:
    """A row giving an existing subject another operating status (docs/domain.md §9.14) changes it, with history."""
    from casework.services.registry import subject_set_operating_status

    wanted = {r.subject_code: r.operating_status for r in rows if r.operating_status}
    for chunk in _chunks(sorted(wanted)):
        for subject in Subject.objects.filter(code__in=chunk).order_by("pk"):
            if subject.operating_status != wanted[subject.code]:
                subject_set_operating_status(subject=subject, status=wanted[subject.code], actor=actor)


def _write(batch: ImportBatch, rows: list[Row], actor: User | None, progress: Progress | None) -> dict:
    """Everything valid, in the caller's transaction; counts of what was created.

    One transaction, written in chunks of CHUNK rows so that memory stays bounded: only natural keys and ids
    are kept across chunks, never the model instances.
    """
    keys = {r.record_key for r in rows} | {r.sanction_key for r in rows if r.sanction_key}
    known = lookup(ImportedRow, "key", keys, "record_id")  # natural key → record id
    fresh = [r for r in rows if r.record_key not in known or (r.sanction_key and r.sanction_key not in known)]
    subject_ids, subjects_created = _subject_ids(fresh)
    _operating_status_changes(rows, actor)
    years = active_rules()["case_kinds"]["list_exit"]["listing_years"]
    now = timezone.now()
    record_events = _FirstEvents(actor=actor, at=now, to_state=Publicity.PUBLISHED)
    sanction_events = _FirstEvents(actor=actor, at=now, to_state=SanctionState.ACTIVE)
    public_ids: dict[int, object] = {}  # record id → public id, for the sanctions' history
    new_lines: set[int] = set()  # rows that brought something new; a repeat of an earlier line is unchanged
    records_created = sanctions_created = 0
    for chunk in _chunks(fresh):
        records: dict[str, tuple] = {}  # natural key → (public id, listed until, row)
        for r in chunk:
            if r.record_key in known or r.record_key in records:
                continue
            listed_until = r.listed_until
            if listed_until is None and r.kind in years:  # as record_create: the rule period by default
                listed_until = add_months(r.decided_on, 12 * years[r.kind])
            records[r.record_key] = (uuid.uuid4(), listed_until, r)
            new_lines.add(r.line)
        record_ids = insert(
            CreditRecord,
            RECORD_FIELDS,
            [
                (public_id, subject_ids[r.subject_code], r.kind, r.severity, r.provider.pk, r.decided_on,
                 r.summary, listed_until, Publicity.PUBLISHED.value, r.publication_ends_on)
                for public_id, listed_until, r in records.values()
            ],
        )  # fmt: skip
        history = []
        for key, record_id, (public_id, listed_until, r) in zip(
            records, record_ids, records.values(), strict=True
        ):
            known[key] = record_id
            public_ids[record_id] = public_id
            history.append(
                record_events.event(
                    f"creditrecord:{public_id}",
                    {
                        "kind": r.kind,
                        "severity": r.severity,
                        "provider": r.provider.code,
                        "decided_on": r.decided_on.isoformat(),
                        "listed_until": listed_until.isoformat() if listed_until else None,
                        **(
                            {"publication_ends_on": r.publication_ends_on.isoformat()}
                            if r.publication_ends_on
                            else {}
                        ),
                        "document_number": r.document_number,
                        "import": str(batch.public_id),
                    },
                )
            )
        sanctions: dict[str, tuple] = {}  # natural key → (public id, record id, row)
        for r in chunk:
            if r.sanction_key and r.sanction_key not in known and r.sanction_key not in sanctions:
                sanctions[r.sanction_key] = (uuid.uuid4(), known[r.record_key], r)
                new_lines.add(r.line)
        sanction_ids = insert(
            Sanction,
            SANCTION_FIELDS,
            [
                (
                    public_id,
                    record_id,
                    r.measure,
                    r.implementer.pk,
                    SanctionState.ACTIVE.value,
                    r.effective_from or r.decided_on,
                )
                for public_id, record_id, r in sanctions.values()
            ],
        )
        # A sanction added to a record imported before names that record by its public id.
        older = sorted({record_id for _p, record_id, _r in sanctions.values()} - set(public_ids))
        if older:
            public_ids.update(CreditRecord.objects.filter(pk__in=older).values_list("pk", "public_id"))
        for key, (public_id, record_id, r) in sanctions.items():
            known[key] = record_id
            history.append(
                sanction_events.event(
                    f"sanction:{public_id}",
                    {
                        "record": str(public_ids[record_id]),
                        "measure": r.measure,
                        "implementer": r.implementer.code,
                        "effective_from": (r.effective_from or r.decided_on).isoformat(),
                        "import": str(batch.public_id),
                    },
                )
            )
        insert(HistoryEvent, HISTORY_COLUMNS, history)
        insert(
            ImportedRow,
            ("key", "batch_id", "record_id", "sanction_id"),
            [(k, batch.pk, record_id, None) for k, record_id in zip(records, record_ids, strict=True)]
            + [
                (k, batch.pk, record_id, sanction_id)
                for (k, (_p, record_id, _r)), sanction_id in zip(sanctions.items(), sanction_ids, strict=True)
            ],
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
    validator = Validator(actor)
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
    try:
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    counts = _write(batch, valid, actor, progress)
                break
            except IntegrityError:
                # Another import of the same rows committed first: the second pass finds their keys, skips them.
                if attempt == 2:
                    raise
    except DatabaseError as exc:
        # Nothing of the rows was written (one transaction); the batch still ends, marked failed, and the
        # uploader gets a message on `file` rather than a server error.
        _finish(batch, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise ValidationError(
            {"file": [_("The rows could not be written, so nothing was imported. Tell the administrator.")]}
        ) from exc
    except BaseException as exc:
        _finish(batch, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    for name, value in counts.items():
        setattr(batch, name, value)
    _finish(batch)
    return batch


def _finish(batch: ImportBatch, *, error: str = "") -> None:
    """Every batch ends: done (counts set) or failed (`error` set, nothing written)."""
    batch.error = error
    batch.finished_at = timezone.now()
    batch.save()
