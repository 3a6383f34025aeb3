"""Each case's process diagram as SVG, its current step(s) highlighted.

viewflow lays out the flow graph (`chart.calc_layout_data`) and reads each node's status from the process's
tasks (`chart.calc_cell_status`); we draw it with our own template (templates/casework/diagram.svg) so that
the steps waiting now carry `class="current"` and `aria-current="step"` — viewflow's own SVG colours statuses
but does not single out where the case stands.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from viewflow.workflow import chart
from viewflow.workflow.status import STATUS

from casework.models import Case

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
            "label": cell.title or cell.shape.label() or cell.node.name,
        }
        for cell in grid.cells
    ]
    return render_to_string(
        "casework/diagram.svg",
        {
            "grid": grid,
            "cells": cells,
            "edges": grid.edges,
            "title": f"{case.number}: {', '.join(sorted(current)) or case.get_state_display()}",
        },
    )
