"""Names the screens give to step and history codes (the codes stay English in data and API)."""

from django.utils.translation import gettext_lazy as _

from casework.models import CaseState, EscalationLevel, Outcome, Publicity, SanctionState, TaskState
from flows.steps import STEP_TITLES

ACTIONS = {
    "filed": _("Case filed"),
    "material_added": _("Material added"),
    "opened": _("Step opened"),
    "claimed": _("Claimed"),
    "unclaimed": _("Handed back"),
    "completed": _("Decided"),
    "held": _("Waiting for materials (补正)"),
    "resumed": _("Clock running again"),
    "reassigned": _("Reassigned"),
    "extended": _("Time limit extended"),
    "accept": _("Accepted"),
    "refuse": _("Not accepted"),
    "request_materials": _("Materials requested (补正)"),
    "receive_materials": _("Materials received"),
    "mark_disputed": _("Record marked 异议中"),
    "clear_dispute": _("异议 mark removed"),
    "delete_as_wrong": _("Record deleted"),
    "corrected": _("Record corrected"),
    "suspend": _("Sanction suspended"),
    "resume": _("Sanction in force again"),
    "revoke": _("Sanction revoked"),
    "lift": _("Sanction lifted"),
    "reputation_restored": _("Reputation restored"),
    "end_publication": _("Publication ended"),
    "shield": _("Record shielded"),
    "end_shielded": _("Shielded record ended"),
    "shield_granted": _("Department shielded its records"),
    "fully_repaired": _("Department repaired its records in full"),
    "reported_up": _("Reported to the higher office"),
    "platform_queued": _("Sent to the national platform"),
    "due_date_confirmed": _("Due date confirmed"),
    "close": _("Closed"),
    "conclude": _("Concluded"),
    "review_requested": _("Review requested (复核)"),
    "review_decided": _("Review decided (复核)"),
    # List-exit publicity (docs/domain.md §9.5): the note names the objection, never its objector.
    "open_publicity": _("Publicity period opened (公示)"),
    "hold": _("Publicity stopped by an objection"),
    "release_hold": _("Objection unfounded: publicity resumes"),
    "end_publicity": _("Publicity period ended"),
    # Transitions and history actions that had no name on screen (issue 14: raw codes in the timeline).
    "report_up": _("Reported to the higher office"),
    "start_shielding": _("Shielding of the records started"),
    "await_completion": _("Waiting for the restructuring plan to be completed"),
    "start_full_repair": _("Full repair started"),
    "shield_refused": _("Shielding refused"),
    "listing_expired": _("Left the list when its period ended"),
    "publicity_end_redated": _("Publicity end date recalculated (calendar changed)"),
    "created": _("Created"),
    "operating_status": _("Operating status changed"),
    "submitted": _("Monthly figures submitted"),
    "materials_reminded": _("Reminded of the materials due (补正)"),
    "withdraw": _("Treated as withdrawn: the materials were not sent in time"),
    "cancelled": _("Cancelled"),
    # Objections (docs/domain.md §9.1–§9.2): forwarding, and the record's side of each outcome.
    "forwarded": _("Forwarded to the provider for verification"),
    "supplemented": _("Record supplemented"),
    "stop_publication_as_wrong": _("Publication stopped"),
    "publication_stopped": _("Publication stopped"),
    "removed_from_list": _("Removed from the list as wrongly listed"),
}


def step_label(step: str) -> str:
    return str(STEP_TITLES.get(step, step))


def action_label(action: str) -> str:
    if action.startswith("escalated:"):
        level = action.split(":", 1)[1]
        label = EscalationLevel(level).label if level in EscalationLevel.values else level
        return str(_("Escalated: %(level)s") % {"level": label})
    return str(ACTIONS.get(action, action))


# One code can name a state of several things; the first that knows it names it (they agree where they overlap).
STATE_LABELS = {
    value: label
    for choices in (TaskState, SanctionState, Publicity, Outcome, CaseState)
    for value, label in reversed(choices.choices)
}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def decision_label(task) -> str:
    """A decided task's decision as its step named it (e.g. 删除记录), not the code."""
    step = task.flow_task.flow_task if task.flow_task_id else None
    decision = getattr(step, "decisions", {}).get(task.decision)
    return str(decision.label) if decision else task.decision
