"""The workspace (经办人): the department queue, claiming, the task page, deciding, reassigning."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casework import policies, selectors
from casework.models import CaseTask
from casework.rules.citations import step_basis
from casework.services.assignment import task_reassign
from casework.services.tasks import task_claim, task_complete, task_unclaim

from .base import allowed, count_capped, paginate_keyset, query_without_page, run_action, run_service
from .cases import case_for, timeline_context
from .forms import DecisionForm, ReassignForm, reviewers_of
from .queue import SORTS, QueueFilter

reviewer_only = allowed(policies.may_use_workspace)


@reviewer_only
def queue(request):
    departments = request.user.departments.order_by("code")
    tasks = selectors.task_queue_for(request.user).select_related("case__subject")
    filters = QueueFilter(request.GET or None, queryset=tasks, request=request, departments=departments)
    tasks = filters.qs
    page = paginate_keyset(request, tasks, SORTS.get(request.GET.get("sort", ""), SORTS["due"]))
    total, capped = count_capped(tasks)
    return render(
        request,
        "workspace/queue.html",
        {
            "filter": filters,
            "page": page,
            "total": total,
            "total_capped": capped,
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


def _task(request, public_id) -> CaseTask:
    return get_object_or_404(
        selectors.tasks_visible_to(request.user).select_related("flow_task"), public_id=public_id
    )


def _decisions(task: CaseTask) -> list:
    if task.is_finished or task.flow_task is None:
        return []
    return list(task.flow_task.flow_task.decisions.values())


def _rule_panel(case, task) -> dict:
    """The step's rule as the office's province cites it (its own instruments, else the national ones), and the
    simpler check the rules give for the case's records' severity, if any (docs/rules.md)."""
    rules = case.rule_set.case_rules(case.kind)
    if task.step not in rules.get("steps", {}):
        return {}
    checks = rules.get("checks_by_severity", {})
    severities = sorted({r.severity for r in case.records.all()})
    return {
        **case.rule_set.step(case.kind, task.step),
        "basis": step_basis(
            case.rule_set.data, kind=case.kind, step=task.step, division=case.receiving_office.division
        ),
        "checks": [checks[s] for s in severities if s in checks] if task.step == "verify" else [],
    }


def _task_page(request, task, *, decision_form=None, reassign_form=None, status=200):
    case = case_for(request.user, task.case.number)
    decisions = _decisions(task)
    department = task.department
    context = timeline_context(case) | {
        "task": task,
        "rule": _rule_panel(case, task),
        "rule_set": case.rule_set,
        "sanctions": selectors.sanctions_visible_to(request.user).filter(record__cases=case),
        "decision_form": decision_form or (DecisionForm(decisions=decisions) if decisions else None),
        "reassign_form": reassign_form
        or ReassignForm(
            departments=policies.reassign_targets(request.user, task),
            reviewers=reviewers_of([department]).exclude(pk=task.assignee_id or 0),
            across_departments=False,
        ),
        "mine": task.assignee_id == request.user.pk,
        "today": timezone.localdate(),
    }
    return render(request, "workspace/task.html", context, status=status)


@reviewer_only
def task_detail(request, public_id):
    return _task_page(request, _task(request, public_id))


@reviewer_only
@require_POST
def claim(request, public_id):
    if run_action(request, task_claim, task=_task(request, public_id), user=request.user):
        messages.success(request, _("You claimed the task."))
    return redirect("workspace:task-detail", public_id=public_id)


@reviewer_only
@require_POST
def unclaim(request, public_id):
    if run_action(request, task_unclaim, task=_task(request, public_id), user=request.user):
        messages.success(request, _("The task is back in the department's queue."))
    return redirect("workspace:queue")


@reviewer_only
@require_POST
def bulk_claim(request):
    ids = request.POST.getlist("task")
    tasks = selectors.task_queue_for(request.user).filter(public_id__in=ids[:200])
    claimed = 0
    for task in tasks:
        if run_action(request, task_claim, task=task, user=request.user):
            claimed += 1
    if claimed:
        messages.success(
            request, ngettext("You claimed %(n)d task.", "You claimed %(n)d tasks.", claimed) % {"n": claimed}
        )
    elif not ids:
        messages.warning(request, _("Tick the tasks you want to claim first."))
    return redirect(reverse("workspace:queue") + "?" + request.POST.get("query", ""))


@reviewer_only
@require_POST
def decide(request, public_id):
    task = _task(request, public_id)
    form = DecisionForm(request.POST, decisions=_decisions(task))
    if form.is_valid():
        data = form.cleaned_data
        extra = form.extra_data()
        done = run_service(
            request,
            form,
            task_complete,
            task=task,
            user=request.user,
            decision=data["decision"],
            note=data["note"],
            data=extra,
        )
        if done is not None:
            messages.success(request, _("Decision recorded for %(number)s.") % {"number": task.case.number})
            return redirect("workspace:queue")
    return _task_page(request, task, decision_form=form, status=400)


@reviewer_only
@require_POST
def reassign(request, public_id):
    task = _task(request, public_id)
    department = task.department
    form = ReassignForm(
        request.POST,
        departments=policies.reassign_targets(request.user, task),
        reviewers=reviewers_of([department]),
        across_departments=False,
    )
    if form.is_valid():
        done = run_service(
            request,
            form,
            task_reassign,
            task=task,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            assignee=form.cleaned_data["assignee"],
        )
        if done is not None:
            messages.success(request, _("The task was reassigned."))
            return redirect("workspace:queue")
    return _task_page(request, task, reassign_form=form, status=400)
