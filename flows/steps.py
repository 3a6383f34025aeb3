"""What each step is called, in the reader's language: on task pages, in queues and on process diagrams.

The codes stay English in data and the API; flows name their HumanStep nodes with these titles.
"""

from django.utils.translation import gettext_lazy as _

STEP_TITLES = {
    "accept": _("Acceptance (受理)"),
    "verify": _("Verification (核查)"),
    "self_check": _("Self-check and forwarding (自查转送)"),
    "court_review": _("Court correction review (法院纠正审查)"),
    "report_district": _("District report (区级上报)"),
    "report_city": _("City report (市级上报)"),
    "report_province": _("Province decision (省级上报)"),
    "decide": _("Decision (决定)"),
    "court_delete": _("Court deletion (法院删除)"),
    "objection_verify": _("Objection check (异议核实)"),
    "shield": _("Shielding (屏蔽)"),
    "full_repair": _("Full repair (完全修复)"),
    "review": _("Review (复核)"),
}
