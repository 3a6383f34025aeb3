"""Who may file what, and when: the kind-specific checks of a filing, read from the case's rule set.

Every problem is reported at once, per field, so the subject fixes the form in one go (invariant 8). A filing
that comes too early names the date from which to apply again, both as a field message and in `reapply_on`.
"""

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

from casework.datemath import add_months
from casework.models import CaseKind, CreditRecord, Department, RecordKind, Severity, Subject, SubjectKind

from .offices import LEVELS, credit_office_at

REAPPLY_FIELD = "reapply_on"


def _too_early(errors: dict, records: Sequence[CreditRecord], months_for, today: date, message) -> None:
    earliest = {r.pk: add_months(r.decided_on, months_for(r)) for r in records}
    late = [r for r in records if earliest[r.pk] > today]
    if not late:
        return
    reapply = max(earliest[r.pk] for r in late)
    for record in late:
        errors.setdefault("records", []).append(
            message
            % {"date": record.decided_on, "months": months_for(record), "reapply": reapply.isoformat()}
        )
    errors.setdefault(REAPPLY_FIELD, []).append(reapply.isoformat())


def _one_provider(errors: dict, records: Sequence[CreditRecord]) -> None:
    if len({r.provider_id for r in records}) > 1:
        # 谁认定谁修复: one provider verifies and decides; one case per provider keeps one verifier and one result.
        errors.setdefault("records", []).append(
            _("The records come from different departments; file one application per providing department.")
        )


def repair_errors(*, rules, subject, records, files, office, today) -> dict:
    errors: dict[str, list] = {}
    allowed = rules["record_kinds"]
    for record in records:
        if record.kind not in allowed:
            errors.setdefault("records", []).append(
                _("A %(kind)s record is not repaired this way; file a list exit for list entries.")
                % {"kind": record.get_kind_display()}
            )
    _one_provider(errors, records)
    minimum = rules["min_months_by_severity"]
    _too_early(
        errors,
        [r for r in records if r.kind in allowed],
        lambda r: minimum[r.severity],
        today,
        _(
            "Too early: the record of %(date)s must have been published for %(months)s months. "
            "You can apply again from %(reapply)s."
        ),
    )
    if not files.get("performance_proof"):
        errors.setdefault("performance_proof", []).append(
            _(
                "Attach proof that the behaviour was corrected and the obligations performed (e.g. the fine paid)."
            )
        )
    needs_training = any(r.severity in rules["training_required_for"] for r in records)
    if needs_training and not files.get("training_certificate"):
        welfare_ok = rules.get("public_welfare_instead_of_training") and subject.kind == SubjectKind.PERSON
        if not (welfare_ok and files.get("public_welfare_certificate")):
            errors.setdefault("training_certificate", []).append(
                _(
                    "The rules ask for a repair training certificate (信用修复培训) for serious records%(alt)s."
                )
                % {"alt": _(", or for a person a public-welfare service certificate") if welfare_ok else ""}
            )
    decided_by = rules["decided_by"]
    if office is not None and decided_by in LEVELS:
        for level in LEVELS[: LEVELS.index(decided_by) + 1]:
            if credit_office_at(office, level) is None:
                errors.setdefault("subject", []).append(
                    _("No %(level)s credit office is registered above %(office)s to report the repair to.")
                    % {"level": level, "office": office.name}
                )
                break
    return errors


def list_exit_errors(*, rules, subject, records, files, deletion_ground, today) -> dict:
    errors: dict[str, list] = {}
    kinds = {r.kind for r in records}
    if not kinds <= {RecordKind.SERIOUS_LIST, RecordKind.COURT_DISHONEST} or len(kinds) > 1:
        errors.setdefault("records", []).append(
            _("Choose entries of one list: serious-dishonesty list entries or court-list entries.")
        )
        return errors
    _one_provider(errors, records)
    if kinds == {RecordKind.COURT_DISHONEST}:
        # 法释〔2017〕7号 art. 10: deletion on one of seven grounds, within 3 working days.
        if deletion_ground not in rules["court_deletion_grounds"]:
            errors.setdefault("deletion_ground", []).append(
                _("Name the ground for deletion: one of %(grounds)s.")
                % {"grounds": ", ".join(rules["court_deletion_grounds"])}
            )
        return errors
    months = rules["min_listed_months"]
    _too_early(
        errors,
        records,
        lambda r: months,
        today,
        _(
            "Too early: the entry of %(date)s must have been on the list for %(months)s months before an early "
            "exit. You can apply again from %(reapply)s."
        ),
    )
    if not files.get("performance_proof"):
        errors.setdefault("performance_proof", []).append(
            _("Attach proof that the obligations were performed and the harm removed.")
        )
    if rules.get("no_heavier_penalty_since") and records:
        since = min(r.decided_on for r in records)
        heavier = (
            CreditRecord.objects.filter(subject=subject, severity=Severity.SERIOUS, decided_on__gt=since)
            .exclude(pk__in=[r.pk for r in records])
            .exclude(publicity="deleted")
            .order_by("decided_on")
            .first()
        )
        if heavier is not None:
            errors.setdefault("records", []).append(
                _(
                    "A serious penalty was decided on %(date)s, after the listing; an early exit is not possible."
                )
                % {"date": heavier.decided_on}
            )
    return errors


def bankruptcy_errors(*, subject: Subject, files) -> dict:
    errors: dict[str, list] = {}
    if subject.kind != SubjectKind.ENTERPRISE:
        errors.setdefault("subject", []).append(_("Only an enterprise in restructuring can file this."))
    if not files.get("ruling"):
        errors.setdefault("ruling", []).append(
            _("Attach the court's ruling approving the restructuring plan (批准重整计划的裁定).")
        )
    return errors


def filing_errors(
    *,
    kind: str,
    rule_set,
    subject: Subject,
    records: Sequence[CreditRecord],
    files: dict,
    deletion_ground: str,
    office: Department | None,
    today: date,
) -> dict:
    if kind == CaseKind.REPAIR:
        return repair_errors(
            rules=rule_set.case_rules(kind),
            subject=subject,
            records=records,
            files=files,
            office=office,
            today=today,
        )
    if kind == CaseKind.LIST_EXIT:
        return list_exit_errors(
            rules=rule_set.case_rules(kind),
            subject=subject,
            records=records,
            files=files,
            deletion_ground=deletion_ground,
            today=today,
        )
    if kind == CaseKind.BANKRUPTCY_REPAIR:
        return bankruptcy_errors(subject=subject, files=files)
    return {}
