"""Validating an import file's rows, one by one: each becomes a `Row` with its natural keys, or a list of
(field, reason) errors. Nothing here writes; `imports` does, once the whole file has been checked."""

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.identifiers import (
    natural_key_part,
    normalise_code,
    normalise_department_code,
    normalise_text,
    validate_credit_code,
    validate_resident_id,
)
from casework.models import (
    Department,
    OperatingStatus,
    RecordKind,
    Role,
    Severity,
    Subject,
    SubjectKind,
    User,
)
from casework.record_rules import record_errors, sanction_errors

from .dates import parse_date


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
    publication_ends_on: datetime.date | None = None


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


# C0 and C1 control characters other than tab and line ends: a NUL byte cannot even be stored by PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ENTERPRISE, PERSON = SubjectKind.ENTERPRISE.value, SubjectKind.PERSON.value
# Plain sets and strings, looked up ~10 times a row: the enum properties rebuild their lists on every access.
RECORD_KINDS, SEVERITIES = frozenset(RecordKind.values), frozenset(Severity.values)
_department_key = functools.lru_cache(maxsize=1024)(normalise_department_code)
SUBJECT_KINDS = {
    "enterprise": SubjectKind.ENTERPRISE.value,
    "企业": SubjectKind.ENTERPRISE.value,
    "法人及非法人组织": SubjectKind.ENTERPRISE.value,
    "person": SubjectKind.PERSON.value,
    "自然人": SubjectKind.PERSON.value,
}


class Validator:
    def __init__(self, actor: User | None):
        departments = list(Department.objects.all())
        self.departments = {normalise_department_code(d.code): d for d in departments}
        self.by_credit_code: dict[str, list[Department]] = {}
        for d in departments:
            if d.credit_code:
                self.by_credit_code.setdefault(d.credit_code, []).append(d)
        self.own = None
        if actor is not None and actor.role != Role.ADMIN:
            self.own = {
                normalise_department_code(c) for c in actor.departments.values_list("code", flat=True)
            }
        self.today = timezone.localdate()
        # record key → its first valid row (held anyway), to catch a document number reused with other details
        self.seen: dict[str, Row] = {}
        self.same: dict[str, str] = {}
        self.known_subjects: dict[str, str | None] = {}  # code → kind, for the few rows that need to know

    def _existing_kind(self, code: str) -> str | None:
        if code not in self.known_subjects:
            self.known_subjects[code] = (
                Subject.objects.filter(code=code).values_list("kind", flat=True).first()
            )
        return self.known_subjects[code]

    def _subject(self, raw: dict, errors: list) -> tuple[str, str]:
        """(code, kind). The kind is never guessed: when the column is empty and the code is valid both as a
        credit code and as a resident ID, an already registered subject decides, else the row is refused."""
        given = raw.get("subject_kind", "")
        kind = SUBJECT_KINDS.get(given.casefold(), "") if given else ""
        if given and not kind:
            errors.append(("subject_kind", _("Choose “enterprise” or “person”.")))
            return "", ""
        attempts = [kind] if kind else [ENTERPRISE, PERSON]
        valid, first_error = {}, None
        for candidate in attempts:
            if candidate == PERSON and valid and not valid[ENTERPRISE][:17].isdigit():
                break  # a credit code with letters cannot also be a resident ID: no second check needed
            validate = validate_credit_code if candidate == ENTERPRISE else validate_resident_id
            try:
                valid[candidate] = validate(raw.get("subject_code", ""))
            except ValidationError as exc:
                first_error = first_error or exc
        if not valid:
            errors.append(("subject_code", " ".join(first_error.messages)))
            return "", ""
        if len(valid) > 1:
            code = normalise_code(raw.get("subject_code", ""))
            existing = self._existing_kind(code)
            if existing is None:
                errors.append(
                    (
                        "subject_kind",
                        _(
                            "This code is valid both as a unified social credit code and as a resident ID "
                            "number; say which it is (enterprise or person)."
                        ),
                    )
                )
                return "", ""
            return code, existing
        [(candidate, code)] = valid.items()
        return code, candidate

    def _department(self, raw: dict, name: str, errors: list, *, own: bool) -> Department | None:
        code = _department_key(raw.get(name, ""))
        department = self.departments.get(code)
        if name == "provider" and "provider_credit_code" in raw:  # a national layout: by credit code
            department = self._by_credit_code(raw, errors)
            code = _department_key(department.code) if department else ""
            if department is None:
                return None
        elif department is None:
            errors.append((name, _("No department has the code “%(code)s”.") % {"code": code}))
        if department is not None and own and self.own is not None and code not in self.own:
            errors.append((name, _("You can import records only for your own department.")))
        return department

    def _by_credit_code(self, raw: dict, errors: list) -> Department | None:
        credit_code = normalise_code(raw["provider_credit_code"])
        found = self.by_credit_code.get(credit_code, [])
        if len(found) == 1:
            return found[0]
        if found:
            message = _("Several departments are registered with the credit code %(code)s (%(name)s).")
        else:
            message = _("No department is registered with the credit code %(code)s (%(name)s).")
        params = {"code": credit_code, "name": raw.get("provider_name", "")}
        errors.append(("处罚机关统一社会信用代码", message % params))
        return None

    def _date(self, raw: dict, name: str, errors: list) -> datetime.date | None:
        if not raw.get(name):
            return None
        try:
            return parse_date(raw[name])
        except ValueError as exc:
            errors.append((name, str(exc)))
            return None

    def row(self, line: int, raw: dict) -> Row:
        """The row validated: a Row with its natural keys, or one whose `errors` lists (field, reason)."""
        errors: list[tuple[str, str]] = list(raw.pop("_errors", ()))
        columns = raw.pop("_columns", None)
        row = self._row(line, raw, errors)
        if columns and row.errors:  # a national layout: report its own column names, not ours
            row.errors = [(columns.get(field, field), message) for field, message in row.errors]
        return row

    def _row(self, line: int, raw: dict, errors: list) -> Row:
        control = None
        if _CONTROL.search(
            "".join(v for v in raw.values() if v)
        ):  # one search a row; per cell only if needed
            control = [
                (
                    field,
                    _("The cell contains the control character U+%(code)04X; remove it.")
                    % {"code": ord(m[0])},
                )
                for field, value in raw.items()
                if value and (m := _CONTROL.search(value))
            ]
        if control:
            # A NUL byte and its like make every later check meaningless (and cannot be stored): report alone.
            return self._rejected(line, control)
        code, subject_kind = self._subject(raw, errors)
        subject_name = " ".join(raw.get("subject_name", "").split())[:200]  # a name as written, spaces tidied
        if code and subject_kind == PERSON and not subject_name and not self._existing_kind(code):
            errors.append(("subject_name", _("Give the person's name: this person is not registered yet.")))
        kind, severity = raw.get("kind", "").casefold(), raw.get("severity", "").casefold()
        if kind not in RECORD_KINDS:
            errors.append(
                ("kind", _("Choose one of: %(values)s.") % {"values": ", ".join(RecordKind.values)})
            )
        if severity not in SEVERITIES and not {"处罚类别", "严重程度"} & {f for f, _m in errors}:
            errors.append(
                ("severity", _("Choose one of: %(values)s.") % {"values": ", ".join(Severity.values)})
            )
        provider = self._department(raw, "provider", errors, own=True)
        decided_on = self._date(raw, "decided_on", errors)
        if decided_on is None and not raw.get("decided_on"):
            errors.append(("decided_on", _("Give the decision date.")))
        listed_until = self._date(raw, "listed_until", errors)
        publication_ends_on = self._date(raw, "publication_ends_on", errors)
        document_number = normalise_text(raw.get("document_number", ""))
        summary = raw.get("summary", "").strip()
        # The same field rules as the API and the web forms (casework.record_rules).
        for field, messages in record_errors(
            decided_on=decided_on,
            summary=summary,
            listed_until=listed_until,
            publication_ends_on=publication_ends_on,
            document_number=document_number,
            today=self.today,
        ).items():
            errors.extend((field, m) for m in messages)
        measure, implementer = normalise_text(raw.get("measure", "")), None
        if measure or raw.get("implementer"):
            errors.extend((f, m) for f, ms in sanction_errors(measure=measure).items() for m in ms)
            implementer = self._department(raw, "implementer", errors, own=False)
        effective_from, operating_status = None, raw.get("operating_status", "").strip()
        if raw.get("effective_from"):
            try:
                effective_from = parse_date(raw["effective_from"])
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
            # Natural keys from the folded spelling: full-width, spacing and case do not make a new record.
            record_key = _key(
                "record", _department_key(provider.code), natural_key_part(document_number), code
            )
            if measure:
                sanction_key = _key(
                    "sanction", record_key, natural_key_part(measure), _department_key(implementer.code)
                )
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
            subject_name=subject_name,
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
            publication_ends_on=publication_ends_on,
        )
        if not errors:
            self.seen.setdefault(record_key, row)
        return row

    @staticmethod
    def _rejected(line: int, errors: list) -> Row:
        return Row(
            line=line,
            subject_code="",
            subject_kind="",
            subject_name="",
            kind="",
            severity="",
            provider=None,
            decided_on=None,
            listed_until=None,
            document_number="",
            summary="",
            errors=errors,
        )
