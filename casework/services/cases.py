"""A subject's own filing (portal, API, an office's window) and the subject's actions on a case: materials,
supplements (补正). The case itself is opened by `filing.case_open`, the one path every entry shares."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events, policies, txmemo, workflows
from casework.exceptions import Conflict
from casework.models import (
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseState,
    CreditRecord,
    Material,
    MaterialPurpose,
    Outcome,
    Publicity,
    Subject,
    User,
)
from casework.rules import active_rule_set
from casework.uploads import inspect_upload

from .eligibility import REAPPLY_FIELD, filing_errors
from .filing import case_open, open_duplicates, records_lock
from .history import history_record
from .notify import case_notify_subject  # noqa: F401 (transitional, for call sites still by name)
from .offices import receiving_office_for
from .supplement import supplement_too_late
from .tasks import task_release, task_waiting_for_supplement
from .transitions import lock, transition

COMMITMENT_REQUIRED = _("The credit commitment (信用承诺书) must be signed.")


def _validate_filing(
    *, kind, subject, records, statement, commitment_signed, actor, particulars=None
) -> dict:
    errors: dict[str, list] = {}
    office = receiving_office_for(subject)
    if kind not in workflows.registered_kinds():
        errors.setdefault("kind", []).append(_("Cases of this kind cannot be filed yet."))
    if not policies.may_file_for(actor, subject, office):
        errors.setdefault("subject", []).append(_("You do not represent this subject."))
    elif office is None:
        errors.setdefault("subject", []).append(
            _("No credit office is registered for division %(division)s or above it.")
            % {"division": subject.division}
        )
    if not records:
        errors.setdefault("records", []).append(_("Choose at least one record."))
    for record in records:
        if record.subject_id != subject.pk:
            errors.setdefault("records", []).append(_("A chosen record belongs to another subject."))
        elif (
            record.publicity != Publicity.PUBLISHED
            # an open case of this very kind is named once, by open_duplicates below
            and not record.cases.filter(kind=kind, state__in=OPEN_CASE_STATES).exists()
        ):
            open_case = record.cases.exclude(state__in=[CaseState.CLOSED, CaseState.REFUSED]).first()
            errors.setdefault("records", []).append(
                _("Record of %(date)s is %(state)s%(case)s and cannot be disputed now.")
                % {
                    "date": record.decided_on,
                    "state": record.get_publicity_display(),
                    "case": f" ({open_case.number})" if open_case else "",
                }
            )
    for name, messages in open_duplicates(kind=kind, records=records).items():
        errors.setdefault(name, []).extend(messages)
    if kind == CaseKind.OBJECTION and len({r.provider_id for r in records}) > 1:
        # 谁认定谁核实: each provider verifies its own records; one objection per provider keeps one
        # verifier, one due date and one result per case.
        errors.setdefault("records", []).append(
            _("The records come from different departments; file one objection per providing department.")
        )
    if particulars is not None:  # repair, list exit, bankruptcy: the rule set's conditions (eligibility.py)
        for name, messages in filing_errors(
            kind=kind, subject=subject, records=records, office=office, **particulars
        ).items():
            errors.setdefault(name, []).extend(messages)
    if not (statement or "").strip():
        errors.setdefault("statement", []).append(_("Say what is wrong with the record and why."))
    if not commitment_signed:
        errors.setdefault("commitment_signed", []).append(COMMITMENT_REQUIRED)
    if errors:
        raise ValidationError(errors)
    return {"office": office}


# Files a filing may carry besides `materials`, each stored with its purpose (repair, list exit, bankruptcy).
ATTACHMENTS = {
    "performance_proof": MaterialPurpose.PERFORMANCE,
    "training_certificate": MaterialPurpose.TRAINING,
    "public_welfare_certificate": MaterialPurpose.PUBLIC_WELFARE,
    "ruling": MaterialPurpose.RULING,
}


def case_file(*, actor: User, subject: Subject, kind: str, **kwargs) -> Case:
    """File a case. A filing refused as too early also tells the subject, in a notice, when to apply again:
    the refusal saves nothing, so the notice is queued in a transaction of its own."""
    try:
        return _case_file(actor=actor, subject=subject, kind=kind, **kwargs)
    except ValidationError as exc:
        reapply = exc.message_dict.get(REAPPLY_FIELD) if hasattr(exc, "error_dict") else None
        if reapply:
            with transaction.atomic():
                events.publish(
                    events.CaseTooEarly(
                        subject_id=subject.pk,
                        subject=subject.name,
                        kind=kind,
                        reapply_on=date.fromisoformat(reapply[0]),
                        reason=" ".join(str(m) for m in exc.message_dict.get("records", [])),
                    )
                )
        raise


@transaction.atomic
@txmemo.unit()
def _case_file(
    *,
    kind: str,
    subject: Subject,
    records: Sequence[CreditRecord],
    statement: str,
    commitment_signed: bool,
    actor: User,
    materials: Sequence = (),
    administrator: bool = False,
    deletion_ground: str = "",
    **attachments: Sequence,
) -> Case:
    if kind == CaseKind.REVIEW:
        # 复核 names the objection it reviews and has its own conditions: services/review.py.
        raise ValidationError(
            {
                "kind": [
                    _("A review (复核) is asked for from the decided objection's own page, not filed anew.")
                ]
            }
        )
    errors: dict[str, list] = {}
    checked: dict = {}
    attached: dict[str, tuple[Sequence, list]] = {}
    for name, uploads in [("materials", materials), *attachments.items()]:
        try:
            attached[name] = (uploads, _inspect_all(uploads, field=name))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    # Lock the records before reading their state, so a concurrent filing on one of them is seen (§9.6).
    records = records_lock(records)
    rule_set = active_rule_set()
    particulars = None
    if kind != CaseKind.OBJECTION:
        particulars = {
            "rule_set": rule_set,
            "files": attachments,
            "deletion_ground": deletion_ground,
            "today": timezone.localdate(),
        }
    try:
        checked = _validate_filing(
            kind=kind,
            subject=subject,
            records=records,
            statement=statement,
            commitment_signed=commitment_signed,
            actor=actor,
            particulars=particulars,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:  # every field's problem at once, so the subject fixes the form in one go
        raise ValidationError(errors)

    def store_and_tell(case: Case) -> None:
        for name, (uploads, inspected) in attached.items():
            _store_materials(case, uploads, inspected, ATTACHMENTS.get(name, MaterialPurpose.FILING), actor)
        events.publish(events.CaseFiled.of(case))

    return case_open(
        kind=kind,
        subject=subject,
        records=records,
        statement=statement,
        actor=actor,
        office=checked["office"],
        rule_set=rule_set,
        commitment_signed_at=timezone.now(),  # _validate_filing refused a filing without it
        by_administrator=administrator,
        deletion_ground=deletion_ground,
        before_start=store_and_tell,
    )


def _inspect_all(materials: Sequence, field: str = "materials") -> list:
    inspected, errors = [], []
    for upload in materials:
        try:
            inspected.append(inspect_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({field: errors})
    return inspected


def _store_materials(case: Case, uploads: Sequence, inspected: list, purpose: str, actor: User) -> None:
    for upload, info in zip(uploads, inspected, strict=True):
        material = Material(
            case=case,
            purpose=purpose,
            title=upload.name[:200],
            original_name=upload.name[:255],
            content_type=info.content_type,
            extension=info.extension,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=actor,
        )
        material.file.save(upload.name, upload, save=False)
        material.save()
        history_record(
            target=case,
            action="material_added",
            actor=actor,
            case=case,
            from_state=case.state,
            to_state=case.state,
            note=material.title,
            data={"material": str(material.public_id), "sha256": info.sha256, "purpose": purpose},
        )


@transaction.atomic
@txmemo.unit()
def case_supplement(*, case: Case, actor: User, note: str, materials: Sequence) -> Case:
    """The subject answers a 补正 request; the clock that stopped for it runs again.

    Errors: ValidationError (400) without materials or when none were asked for; Conflict (409) when the
    request was already answered (two answers at once: the second loses), or when its deadline passed and the
    request is treated as withdrawn (docs/domain.md §9.10; the last day of the deadline is still in time).
    """
    policies.ensure_may_act_for_subject(actor, case)
    inspected = _inspect_all(materials)
    if not materials:
        raise ValidationError({"materials": [_("Attach the materials that were asked for.")]})
    case = lock(case)
    if case.outcome == Outcome.WITHDRAWN or (
        case.state == CaseState.AWAITING_MATERIALS and supplement_too_late(case)
    ):
        # docs/domain.md §9.10: after the deadline the request is treated as withdrawn; the daily sweep closes
        # it. An answer that loses to the withdrawal (or comes after the deadline) is a 409, never a reopening.
        raise Conflict(
            _(
                "The deadline for the supplementary materials of %(n)s was %(due)s; the application is treated "
                "as withdrawn. File it again with complete materials."
            )
            % {"n": case.number, "due": case.materials_due_on},
            code="supplement_withdrawn",
        )
    if case.state != CaseState.AWAITING_MATERIALS:
        if case.supplement_used:
            # Asked for once and answered already (or the case moved on): whoever answered second lost a
            # race, which is a 409 like every other race, not a mistake in the form.
            raise Conflict(
                _("The supplementary materials for %(n)s were already received (%(state)s).")
                % {"n": case.number, "state": case.get_state_display()},
                code="supplement_answered",
            )
        raise ValidationError(
            {"materials": [_("No supplementary materials are being asked for on this case.")]}
        )
    _store_materials(case, materials, inspected, MaterialPurpose.SUPPLEMENT, actor)
    case = transition(case, "receive_materials", field="state", actor=actor, case=case, note=note)
    task = task_waiting_for_supplement(case)
    if task is not None:
        task_release(task=task, actor=actor)
    events.publish(events.CaseMaterialsReceived.of(case))
    return case
