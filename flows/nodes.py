"""Project nodes built on viewflow's OSS `Handle` (extended here, never edited; viewflow is AGPL with a
library exception).

A `HumanStep` is a step some department decides through the API or the workspace. When viewflow reaches
it, it opens a `CaseTask` in that department's queue with the budget from the case's own rule set; the
task service later calls `run()` with the decision, which calls the flow's handler and moves on.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.nodes.handle import HandleActivation

from casework.services.tasks import task_open


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
        department: Callable,
        decisions: tuple[Decision, ...],
        hold: Callable | None = None,
        **kwargs,
    ):
        super().__init__(func, **kwargs)
        self.step = step
        self._department = department
        self.decisions = {decision.name: decision for decision in decisions}
        self._hold = hold

    def _resolve(self, instance):
        super()._resolve(instance)
        self._department = this.resolve(instance, self._department)
        self._hold = this.resolve(instance, self._hold)

    def open_case_task(self, activation) -> None:
        case = activation.process.case
        rules = case.rule_set.step(case.kind, self.step)
        task_open(
            case=case,
            flow_task=activation.task,
            step=self.step,
            department=self._department(case),
            budget_days=rules["budget_days"],
        )

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
