from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "flows"
    verbose_name = _("Case workflows")

    def ready(self):
        from casework import workflows
        from casework.models import CaseKind

        from .objection import ObjectionFlow

        workflows.register(CaseKind.OBJECTION, ObjectionFlow)

        from .repair import RepairFlow

        workflows.register(CaseKind.REPAIR, RepairFlow)

        from .list_exit import ExitObjectionFlow, ListExitFlow

        workflows.register(CaseKind.LIST_EXIT, ListExitFlow)
        workflows.register("list_exit_objection", ExitObjectionFlow)  # started by the list-exit service

        from .review import ReviewFlow

        workflows.register(CaseKind.REVIEW, ReviewFlow)

        from .bankruptcy import BankruptcyRepairFlow

        workflows.register(CaseKind.BANKRUPTCY_REPAIR, BankruptcyRepairFlow)

        from viewflow.workflow.signals import flow_finished

        flow_finished.connect(_case_finished, dispatch_uid="casework-case-finished")


def _case_finished(sender, process, **kwargs):
    """Whatever flow a case ran, its end stops its clocks (met) — through the deadline service."""
    from casework.services.deadlines import case_deadlines_meet

    case = getattr(process, "case", None)
    if case is not None:
        case_deadlines_meet(case=case)
