"""Supervision (监督): the overdue board, reassignment across departments, case history, the dossier."""

from collections import Counter
from datetime import date

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import calendar, policies, selectors
from casework.identifiers import normalise_code
from casework.models import (
    ACTIONABLE_TASK_STATES,
    LADDER,
    CaseKind,
    CaseState,
    CreditRecord,
    EscalationLevel,
    Sanction,
)
from casework.replica import supervision_read
from casework.services.assignment import task_reassign
from casework.services.dossier import dossier_record
from casework.services.history_verify import history_verify
from casework.services.tasks import task_extend

from .base import allowed, paginate_keyset, query_without_page, run_service
from .cases import case_for, timeline_context
from .countdown import countdown
from .forms import DossierEntryForm, ExtendForm, ReassignForm, reviewers_of
from .notices import case_notices

supervisor_only = allowed(policies.may_supervise)
DUE_SOON_WORKING_DAYS = 3
# The case lists' sorts (keyset pages, each served by an index of casework.Case; ending with the unique id).
NEWEST_FIRST = ("-filed_at", "-id")
CASE_SORTS = {
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "filed": ("filed_at", "id"),
}  # the board's "due soon" section: work that turns overdue within this many days


def _highest_level(task) -> str | None:
    fired = [e.level for e in task.deadline.escalations.all() if not e.skipped]
    return max(fired, key=LADDER.index) if fired else None


@supervisor_only
@supervision_read
def overdue(request):
    today = timezone.localdate()
    tasks = selectors.tasks_overdue_for(request.user, today=today).select_related("case__subject")
    department, level = request.GET.get("department", ""), request.GET.get("level", "")
    if department:
        tasks = tasks.filter(department__code=department)
    rows = []
    for task in tasks[:500]:
        highest = _highest_level(task)
        if level and highest != level:
            continue
        rows.append(
            {
                "task": task,
                "level": highest,
                "level_label": EscalationLevel(highest).label if highest else "",
                "countdown": countdown(task.deadline, today),
            }
        )
    horizon = calendar.derive_working_days(today, DUE_SOON_WORKING_DAYS).date  # estimated in an unknown year
    due_soon = (
        selectors.tasks_visible_to(request.user)
        .filter(state__in=ACTIONABLE_TASK_STATES, deadline__due_on__gte=today, deadline__due_on__lte=horizon)
        .select_related("case__subject", "department", "assignee", "deadline")
        .order_by("deadline__due_on", "id")
    )
    if department:
        due_soon = due_soon.filter(department__code=department)
    by_department = Counter(row["task"].department.name for row in rows)
    by_level = Counter(row["level"] or "" for row in rows)
    return render(
        request,
        "supervision/overdue.html",
        {
            "rows": rows,
            "due_soon": due_soon[:200],
            "horizon": horizon,
            "by_department": sorted(by_department.items()),
            "by_level": [(lvl, EscalationLevel(lvl).label, by_level[lvl]) for lvl in LADDER if by_level[lvl]],
            "departments": selectors.departments_in_jurisdiction(request.user),
            "levels": EscalationLevel.choices,
            "department": department,
            "level": level,
            "today": today,
        },
    )


def _reassign_form(request, task, data=None):
    departments = policies.reassign_targets(request.user, task)  # the same list the service accepts
    return ReassignForm(
        data,
        departments=departments,
        reviewers=reviewers_of(departments),
        initial={"department": task.department.code},
        keeps_department=policies.keeps_department_message(task)
        if policies.task_keeps_department(task)
        else "",
    )


@supervisor_only
def task_reassign_view(request, public_id):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), public_id=public_id)
    form = _reassign_form(request, task, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = data["department"] if data["department"] and data["department"] != task.department else None
        done = run_service(
            request,
            form,
            task_reassign,
            task=task,
            actor=request.user,
            reason=data["reason"],
            department=target,
            assignee=data["assignee"],
        )
        if done is not None:
            messages.success(
                request,
                _("%(number)s is now with %(department)s.")
                % {"number": task.case.number, "department": done.department.name},
            )
            return redirect("supervision:overdue")
    return render(
        request,
        "supervision/reassign.html",
        {"task": task, "form": form, "countdown": countdown(task.deadline, timezone.localdate())},
        status=400 if form.errors else 200,
    )


@supervisor_only
@supervision_read
def case_list(request):
    cases = selectors.cases_visible_to(request.user)
    q, kind, state = (
        request.GET.get("q", "").strip(),
        request.GET.get("kind", ""),
        request.GET.get("state", ""),
    )
    if q:
        cases = cases.filter(
            Q(number__icontains=q) | Q(subject__name__icontains=q) | Q(subject__code=normalise_code(q))
        )
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    if state in CaseState.values:
        cases = cases.filter(state=state)
    return render(
        request,
        "supervision/case_list.html",
        {
            "page": paginate_keyset(
                request, cases, CASE_SORTS.get(request.GET.get("sort", ""), NEWEST_FIRST)
            ),
            "query": query_without_page(request),
            "kinds": CaseKind.choices,
            "states": CaseState.choices,
            "q": q,
            "kind": kind,
            "state": state,
        },
    )


def _open_steps(case, extend_form=None, extend_task=None) -> list[dict]:
    """The case's unfinished steps, each with what a supervisor may do: reassign it, and extend its time
    limit where the rule set allows more days (`max_total_days`, e.g. objection verification: up to 20)."""
    steps = []
    for task in sorted(case.tasks.all(), key=lambda t: (t.created_at, t.id)):
        if task.is_finished:
            continue
        rule = case.rule_set.step(case.kind, task.step) if task.step in _rule_steps(case) else {}
        maximum, deadline = rule.get("max_total_days"), getattr(task, "deadline", None)
        left = maximum - deadline.budget_days - deadline.extended_days if maximum and deadline else 0
        form = extend_form if extend_task == task.pk else ExtendForm(initial={"days": min(5, left) or None})
        steps.append({"task": task, "extend_left": max(0, left), "maximum": maximum, "extend_form": form})
    return steps


def _rule_steps(case) -> dict:
    return case.rule_set.case_rules(case.kind).get("steps", {})


def _case_page(request, case, *, status=200, **extra):
    context = timeline_context(case) | {"open_steps": _open_steps(case, **extra)}
    return render(request, "supervision/case_detail.html", context, status=status)


@supervisor_only
def case_detail(request, number: str):
    return _case_page(request, case_for(request.user, number))


@supervisor_only
@require_POST
def task_extend_view(request, public_id):
    """Grant a step more working days (service `task_extend`: a supervisor, a reason, within the rule's maximum).
    Back to the case page; a refused extension shows its field errors there with status 400."""
    task = get_object_or_404(selectors.tasks_visible_to(request.user), public_id=public_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            form,
            task_extend,
            task=task,
            user=request.user,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(
                request,
                _("The time limit of %(number)s was extended by %(days)d working days.")
                % {"number": task.case.number, "days": form.cleaned_data["days"]},
            )
            return redirect("supervision:case-detail", number=task.case.number)
        if not form.errors:  # a conflict or a refusal became a message
            return redirect("supervision:case-detail", number=task.case.number)
    case = case_for(request.user, task.case.number)
    return _case_page(request, case, status=400, extend_form=form, extend_task=task.pk)


@supervisor_only
@require_POST
def case_verify(request, number: str):
    """Recompute the hash chains of every stream this case touched (the case, its records, sanctions, tasks)."""
    case = case_for(request.user, number)
    streams = sorted(set(selectors.history_of(case).values_list("stream", flat=True)))
    events, breaks = 0, []
    for stream in streams:
        result = history_verify(stream=stream)
        events += result.events
        breaks.extend(result.breaks)
    context = timeline_context(case) | {
        "verification": {"events": events, "streams": len(streams), "breaks": breaks}
    }
    return render(request, "supervision/case_detail.html", context)


@supervisor_only
@supervision_read
def subject_list(request):
    subjects = selectors.subjects_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        subjects = subjects.filter(Q(name__icontains=q) | Q(code=normalise_code(q)))
    if request.GET.get("listed"):  # by id, not a DISTINCT over every column of the join
        listed = CreditRecord.objects.filter(kind="serious_list", publicity="published").values("subject_id")
        subjects = subjects.filter(pk__in=listed)
    return render(
        request,
        "supervision/subject_list.html",
        {
            "page": paginate_keyset(request, subjects, ("name", "id")),
            "query": query_without_page(request),
            "q": q,
        },
    )


def _subject(request, public_id):
    return get_object_or_404(selectors.subjects_visible_to(request.user), public_id=public_id)


def _in_force_on(request, subject) -> dict:
    """`?on=YYYY-MM-DD`: the measures that bound the subject on that Beijing day, from history (docs/domain.md §9.12)."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return {"on": "", "on_day": None, "on_error": ""}
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return {"on": raw, "on_day": None, "on_error": _("Give a date as YYYY-MM-DD.")}
    return {
        "on": raw,
        "on_day": selectors.subject_sanctions_on_day(request.user, subject, day),
        "on_error": "",
    }


def _dossier_page(request, subject, form=None, status=200):
    records = (
        CreditRecord.objects.filter(subject=subject)
        .select_related("provider")
        .prefetch_related(Prefetch("sanctions", queryset=Sanction.objects.select_related("implementer")))
    )
    cases = selectors.with_tasks_and_records(selectors.cases_visible_to(request.user).filter(subject=subject))
    notices = []
    for case in cases:
        notices.extend({"case": case.number, **n} for n in case_notices(case))
    return render(
        request,
        "supervision/dossier.html",
        {
            "subject": subject,
            "records": records,
            "cases": cases.order_by("-filed_at"),
            "notices": notices,
            "entries": subject.dossier.select_related("recorded_by"),
            "form": form or DossierEntryForm(initial={"on": timezone.localdate()}),
            **_in_force_on(request, subject),
        },
        status=status,
    )


@supervisor_only
def dossier(request, public_id):
    return _dossier_page(request, _subject(request, public_id))


@supervisor_only
@require_POST
def dossier_add(request, public_id):
    subject = _subject(request, public_id)
    form = DossierEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            form,
            dossier_record,
            subject=subject,
            actor=request.user,
            kind=data["kind"],
            on=data["on"],
            note=data["note"],
        ):
            messages.success(request, _("The entry was added to the dossier."))
            return redirect("supervision:dossier", public_id=public_id)
    return _dossier_page(request, subject, form=form, status=400)
