"""The receiving credit office's acceptance step, the same for every kind of case (受理 / 不予受理 / 补正)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CaseTask, SuspensionReason, User

from .tasks import task_hold
from .transitions import lock, transition


def case_refuse(*, case: Case, actor: User, reason: str) -> Case:
    """不予受理, with the reasons the subject reads in the notice."""
    case = transition(case, "refuse", field="state", actor=actor, case=case, note=reason)
    case.decision_reason, case.closed_at = reason, timezone.now()
    case.save(update_fields=["decision_reason", "closed_at"])
    events.publish(events.CaseRefused.of(case, reason=reason))
    return case


def case_request_materials(*, case: Case, task: CaseTask, actor: User, materials: str) -> Case:
    """补正, asked once and in full (一次性告知); the acceptance clock stops until the materials arrive."""
    case = lock(case)
    if case.supplement_used:
        raise ValidationError(
            {
                "decision": _(
                    "Missing materials were already requested once (一次性告知); accept or refuse the case now."
                )
            }
        )
    case = transition(case, "request_materials", field="state", actor=actor, case=case, note=materials)
    case.materials_requested = materials
    case.save(update_fields=["materials_requested"])
    task_hold(task=task, user=actor, reason=SuspensionReason.SUPPLEMENT, note=materials)
    events.publish(events.CaseMaterialsRequested.of(case, materials=materials))
    return case
