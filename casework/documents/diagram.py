"""Each case's process diagram as SVG, its current step(s) highlighted.

viewflow lays out the flow graph (`chart.calc_layout_data`) and reads each node's status from the process's
tasks (`chart.calc_cell_status`); we draw it with our own template (templates/casework/diagram.svg) so that
the steps waiting now carry `class="current"` and `aria-current="step"` — viewflow's own SVG colours statuses
but does not single out where the case stands.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.workflow import chart
from viewflow.workflow.status import STATUS

from casework.models import Case

# Names for the nodes viewflow names from their Python attribute (gateways, start, end, untitled tasks) and for
# the branches of an If, so the diagram reads in the user's language (issue 14: no `yes`, `no`, `Publicity`).
NODE_LABELS = {
    "start": _("Start"),
    "end": _("End"),
    "publicity": _("Publicity period"),
    "after_publicity": _("After the publicity period"),
    "is_accepted": _("Accepted?"),
    "is_published": _("Publish the exit?"),
    "is_waiting": _("Waiting for the plan?"),
    "route": _("Court list or serious-dishonesty list"),
    "repair_split": _("To each department"),
    "shield_split": _("To each department"),
    "repair_join": _("All departments done"),
    "shield_join": _("All departments done"),
    "to_district": _("Reported to the district?"),
    "to_city": _("Reported to the city?"),
    "to_province": _("Reported to the province?"),
    "wait_completion": _("Waiting for the plan's completion"),
}
EDGE_LABELS = {"yes": pgettext_lazy("diagram branch", "yes"), "no": pgettext_lazy("diagram branch", "no")}


def _node_label(node, fallback: str) -> str:
    return str(NODE_LABELS.get(node.name, fallback))


# A step is where the case stands while its task is waiting for someone (or failed and needs a hand).
CURRENT_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR)


def current_steps(case: Case) -> list[str]:
    process = _process(case)
    if process is None:
        return []
    tasks = process.flow_class.task_class._default_manager.filter(
        process=process, status__in=CURRENT_STATUSES
    )
    return sorted({task.flow_task.name for task in tasks})


def _process(case: Case):
    try:
        return case.process
    except ObjectDoesNotExist:
        return None


def case_diagram_svg(case: Case) -> str:
    process = _process(case)
    if process is None:
        return render_to_string(
            "casework/diagram.svg", {"grid": {"width": 0, "height": 0}, "cells": [], "edges": []}
        )
    flow_class = process.flow_class
    grid = chart.calc_layout_data(flow_class)
    chart.calc_cell_status(flow_class, grid, process.pk)
    current = set(current_steps(case))
    cells = [
        {
            "node": cell.node,
            "shape": cell.shape,
            "status": cell.status,
            "current": cell.node.name in current,
            "label": _node_label(cell.node, cell.title or cell.shape.label() or cell.node.name),
            "texts": [
                (_node_label(cell.node, text), *rest) if text == cell.shape.label() else (text, *rest)
                for text, *rest in cell.shape.text
            ],
        }
        for cell in grid.cells
    ]
    edges = [
        {
            "segments": e.segments,
            "label": str(EDGE_LABELS.get(e.label, e.label or "")),
            "label_pos": e.label_pos,
        }
        for e in grid.edges
    ]
    return render_to_string(
        "casework/diagram.svg",
        {
            "grid": grid,
            "cells": cells,
            "edges": edges,
            "title": f"{case.number}: {', '.join(sorted(current)) or case.get_state_display()}",
        },
    )
