"""Validating an import file's rows, one by one: each becomes a `Row` with its natural keys, or a list of
(field, reason) errors. Nothing here writes; `imports` does, once the whole file has been checked."""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.identifiers import validate_credit_code, validate_resident_id
from casework.models import Department, OperatingStatus, RecordKind, Role, Severity, SubjectKind, User


@dataclass(slots=True)  # ~100k of them are held until the transaction: no per-row __dict__
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
    effective_from: datetime.date | None = None  # the sanction's; None: the decision date
    operating_status: str = ""  # "": leave the subject's as it is (new subjects: operating)
    errors: list | tuple = ()


# The registry's words for a subject's status (企业登记状态) beside the API's values (docs/domain.md §9.14).
OPERATING_STATUS_ALIASES = {
    "在营": OperatingStatus.OPERATING,
    "存续": OperatingStatus.OPERATING,
    "开业": OperatingStatus.OPERATING,
    "在业": OperatingStatus.OPERATING,
    "注销": OperatingStatus.DEREGISTERED,
    "吊销": OperatingStatus.REVOKED,
    "吊销未注销": OperatingStatus.REVOKED,
}


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=4096)  # a file's rows share few dates: parse each once, keep one object
def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.replace("/", "-"))


class Validator:
    def __init__(self, actor: User | None):
        self.departments = {d.code: d for d in Department.objects.all()}
        self.own = None
        if actor is not None and actor.role != Role.ADMIN:
            self.own = set(actor.departments.values_list("code", flat=True))
        self.today = timezone.localdate()
        # record key → its first valid row (held anyway), to catch a document number reused with other details
        self.seen: dict[str, Row] = {}
        self.same: dict[str, str] = {}

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
        effective_from, operating_status = None, raw.get("operating_status", "").strip()
        if raw.get("effective_from"):
            try:
                effective_from = _date(raw["effective_from"])
                if decided_on and effective_from < decided_on:
                    errors.append(
                        ("effective_from", _("A sanction cannot bind before its record's decision."))
                    )
            except ValueError:
                errors.append(("effective_from", _("Give the date as YYYY-MM-DD.")))
        if operating_status:
            operating_status = OPERATING_STATUS_ALIASES.get(operating_status, operating_status)
            if operating_status not in OperatingStatus.values:
                errors.append(
                    (
                        "operating_status",
                        _("Choose one of: %(values)s.") % {"values": ", ".join(OperatingStatus.values)},
                    )
                )
        record_key = sanction_key = ""
        if not errors:
            record_key = _key("record", provider.code, document_number, code)
            if measure:
                sanction_key = _key("sanction", record_key, measure, implementer.code)
            earlier = self.seen.get(record_key)
            if earlier and (earlier.kind, earlier.severity, earlier.decided_on, earlier.summary,
                            earlier.listed_until) != (kind, severity, decided_on, summary, listed_until):  # fmt: skip
                errors.append(
                    (
                        "document_number",
                        _("Line %(line)s gives this document number with other details.")
                        % {"line": earlier.line},
                    )
                )
        same = self.same.setdefault  # one string object for the values that repeat row after row
        row = Row(
            line=line,
            subject_code=code,
            subject_kind=subject_kind,
            subject_name=raw.get("subject_name", "")[:200],
            kind=same(kind, kind),
            severity=same(severity, severity),
            provider=provider,
            decided_on=decided_on,
            listed_until=listed_until,
            document_number=document_number,
            summary=summary,
            measure=same(measure, measure),
            implementer=implementer,
            record_key=record_key,
            sanction_key=sanction_key,
            effective_from=effective_from,
            operating_status=operating_status,
            errors=errors or (),  # no empty list kept per valid row
        )
        if not errors:
            self.seen.setdefault(record_key, row)
        return row
