"""Project nodes built on viewflow's OSS `Handle` (extended here, never edited; viewflow is AGPL with a
library exception).

A `HumanStep` is a step some department decides through the API or the workspace. When viewflow reaches
it, it opens a `CaseTask` in the queue of the department the case's own rule set names for the step (its
`department` key, resolved against the case by `services/offices.department_for_step`), with the budget from
the same rules; the task service later calls `run()` with the decision, which calls the flow's handler and
moves on.

`DepartmentSplit` opens one branch per department (one task each, department code in `task.data`), which the
OSS `Split` cannot do (its `data_source` is paid-only).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.split import SplitActivation

from casework.models import Department
from casework.services.offices import department_for_step
from casework.services.tasks import task_open

from .steps import STEP_TITLES


@dataclass(frozen=True)
class Decision:
    name: str
    label: Promise
    note_required: bool = False
    requires: tuple[str, ...] = ()
    holds: bool = False  # waits on the subject instead of finishing the step (补正)


class HumanStepActivation(HandleActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        flow_task.open_case_task(activation)
        return activation


class HumanStep(flow.Handle):
    activation_class = HumanStepActivation

    def __init__(
        self,
        func,
        *,
        step: str,
        decisions: tuple[Decision, ...],
        hold: Callable | None = None,
        rules_kind: str | None = None,
        **kwargs,
    ):
        super().__init__(func, **kwargs)
        self.step = step
        if step in STEP_TITLES:
            self.Annotation(title=STEP_TITLES[step])  # viewflow's diagrams and task titles read it
        self.rules_kind = rules_kind  # read the budget from another kind's rules (exit objections)
        self.decisions = {decision.name: decision for decision in decisions}
        self._hold = hold

    def _resolve(self, instance):
        super()._resolve(instance)
        self._hold = this.resolve(instance, self._hold)

    def department_for(self, activation, rules: dict) -> Department:
        """A branch of a `DepartmentSplit` carries its department; otherwise the step's rules name it."""
        code = (activation.task.data or {}).get("department")
        if code:
            return Department.objects.get(code=code)
        return department_for_step(activation.process.case, rules["department"])

    def open_case_task(self, activation) -> None:
        case = activation.process.case
        rules = case.rule_set.step(self.rules_kind or case.kind, self.step)
        department = self.department_for(activation, rules)
        # Market regulation decides in 7 working days where others have 3 (SAMR Order 107): the rule set
        # may give a budget per department kind.
        budget = rules.get("budget_days_by_department_kind", {}).get(department.kind, rules["budget_days"])
        # The court's review counts calendar days from filing (法释〔2017〕7号 art. 11): the step's rules say so.
        started = timezone.localtime(case.filed_at).date() if rules.get("from_filing") else None
        task_open(
            case=case,
            flow_task=activation.task,
            step=self.step,
            department=department,
            budget_days=budget,
            started_on=started,
            calendar_days=bool(rules.get("calendar_days")),
        )

    def run(self, task, **kwargs):
        """Run the step's handler with the decision, then move the flow on (viewflow's `Handle.run`).

        Called by the task service (`case_task` given) it skips what viewflow re-reads on the way: the task
        service locked the case, then read this viewflow task with its process in the same transaction, so
        the copies are current; the process gets the locked case, which the handlers' services change.
        Viewflow's own process lock is still taken.
        """
        case_task = kwargs.get("case_task")
        process = getattr(task, "_state", None) and task._state.fields_cache.get("process")
        if case_task is None or case_task.flow_task_id != task.pk or process is None:
            return super().run(task, **kwargs)
        process = process.coerced
        process.case = case_task.case
        func = this.resolve(self.flow_class.instance, self._func)
        with self.flow_class.lock(task.process_id):
            activation = self.activation_class(task)
            result = activation.run(func, **kwargs)
            activation.execute()
            return result

    def validate_decision(self, *, decision: str, note: str, data: dict) -> None:
        chosen = self.decisions.get(decision)
        if chosen is None:
            raise ValidationError(
                {
                    "decision": _(
                        "“%(decision)s” is not a decision of this step; choose one of: %(choices)s."
                    )
                    % {"decision": decision, "choices": ", ".join(self.decisions)}
                }
            )
        errors = {}
        if chosen.note_required and not (note or "").strip():
            errors["note"] = _("Give the reason for this decision; the subject will read it.")
        for field in chosen.requires:
            if not str(data.get(field) or "").strip():
                errors[field] = _("This decision needs “%(field)s”.") % {"field": field}
        if errors:
            raise ValidationError(errors)

    def holds(self, decision: str) -> bool:
        return self.decisions[decision].holds

    def hold(self, *, case_task, user, decision: str, note: str, data: dict) -> None:
        self._hold(case_task=case_task, user=user, decision=decision, note=note, data=data)

    def pass_through(self, task) -> None:
        """Finish the viewflow task without calling the flow's handler (`casework.workflows.pass_through`):
        a service already decided the case, and the next gate reads that from the database."""
        self._create_wrapper_function(None, task)()


class DepartmentSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        """One branch per department the flow names, each with `{"department": code}` as its task data."""
        codes = self.flow_task._departments(self.process.case)
        for node, cond, _data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            self.next_tasks.extend((node, {"department": code}) for code in codes)
        if not self.next_tasks:
            raise FlowRuntimeError(f"No department to split to at {self.flow_task.name}")


class DepartmentSplit(flow.Split):
    """Parallel work, one task per department (bankruptcy restructuring: every provider at once).

    `departments(case)` returns department codes; each branch's node reads its code from `task.data`
    (`HumanStep.department_for`). Close the branches with viewflow's `Join`, which waits for every token the
    split gave out, however many.
    """

    activation_class = DepartmentSplitActivation

    def __init__(self, departments: Callable, **kwargs):
        super().__init__(**kwargs)
        self._departments = departments

    def _resolve(self, instance):
        super()._resolve(instance)
        self._departments = this.resolve(instance, self._departments)
