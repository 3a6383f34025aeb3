"""The receiving credit office's acceptance step, the same for every kind of case (受理 / 不予受理 / 补正)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CaseTask, SuspensionReason, User

from .conclusion import case_conclude
from .supplement import supplement_deadline_set
from .tasks import task_hold
from .transitions import lock, transition


def case_refuse(*, case: Case, actor: User, reason: str) -> Case:
    """不予受理, with the reasons the subject reads in the notice."""
    return case_conclude(
        case=case, actor=actor, outcome="", reason=reason, event="case_refused", via="refuse"
    )


def case_request_materials(*, case: Case, task: CaseTask, actor: User, materials: str) -> Case:
    """补正, asked once and in full (一次性告知); every clock of the case stops until the materials arrive.

    The request names its deadline (docs/domain.md §9.10): `materials_due_on`, answer_days working days from
    today (rule-set `supplement`); the subject is reminded before it, and after it the request is treated as
    withdrawn (services/supplement.py).
    """
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
    case = supplement_deadline_set(case)
    task_hold(task=task, user=actor, reason=SuspensionReason.SUPPLEMENT, note=materials)
    assert case.materials_due_on is not None
    events.publish(events.CaseMaterialsRequested.of(case, materials=materials, due_on=case.materials_due_on))
    return case
