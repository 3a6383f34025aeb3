"""Names the screens give to step and history codes (the codes stay English in data and API)."""

from django.utils.translation import gettext_lazy as _

from casework.models import EscalationLevel

STEPS = {
    "accept": _("Acceptance (受理)"),
    "verify": _("Verification (核查)"),
    "report_district": _("District report (区级上报)"),
    "report_city": _("City report (市级上报)"),
    "report_province": _("Province decision (省级上报)"),
    "decide": _("Decision (决定)"),
    "court_delete": _("Court deletion (法院删除)"),
    "objection_verify": _("Objection check (异议核实)"),
    "shield": _("Shielding (屏蔽)"),
    "full_repair": _("Full repair (完全修复)"),
}

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
    "reported_up": _("Reported to the higher office"),
    "platform_queued": _("Sent to the national platform"),
    "due_date_confirmed": _("Due date confirmed"),
    "close": _("Closed"),
    "conclude": _("Concluded"),
}


def step_label(step: str) -> str:
    return str(STEPS.get(step, step))


def action_label(action: str) -> str:
    if action.startswith("escalated:"):
        level = action.split(":", 1)[1]
        label = EscalationLevel(level).label if level in EscalationLevel.values else level
        return str(_("Escalated: %(level)s") % {"level": label})
    return str(ACTIONS.get(action, action))
