"""Which viewflow Flow runs each case kind. The flows app registers its flows when Django starts, so the
domain can start a case's process without importing the flows package (which depends on the domain)."""

_FLOWS: dict[str, type] = {}


def register(kind: str, flow_class: type) -> None:
    _FLOWS[kind] = flow_class


def flow_for(kind: str) -> type:
    return _FLOWS[kind]


def registered_kinds() -> list[str]:
    return sorted(_FLOWS)


def resume(case, node_name: str, **kwargs) -> bool:
    """Run the waiting `Handle` node `node_name` of the case's process (a publicity period that ended, a plan
    reported complete); False when the process is not waiting there (already resumed: nothing to do)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    process = case.process
    node = getattr(process.flow_class, node_name)
    task = Task.objects.filter(process=process, flow_task=node, status=STATUS.NEW).first()
    if task is None:
        return False
    node.run(task, **kwargs)
    return True


def pass_through(case, node_name: str) -> bool:
    """Let the case's process leave the step `node_name` without its decision: the case was already closed
    by a service (a 补正 treated as withdrawn), so the flow's gates find it closed and end the process.
    False when the process is not waiting there."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    process = case.process
    node = getattr(process.flow_class, node_name)
    task = Task.objects.filter(process=process, flow_task=node, status=STATUS.NEW).first()
    if task is None:
        return False
    node.pass_through(task)
    return True
