"""Supervision (监督): the overdue board, reassignment across departments, case history, the dossier."""

from collections import Counter

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import policies, selectors
from casework.identifiers import normalise_code
from casework.models import (
    LADDER,
    CaseKind,
    CaseState,
    CreditRecord,
    EscalationLevel,
    Sanction,
)
from casework.services.assignment import task_reassign
from casework.services.dossier import dossier_record
from casework.services.history_verify import history_verify

from .base import allowed, paginate, query_without_page, run_service
from .cases import case_for, timeline_context
from .countdown import countdown
from .forms import DossierEntryForm, ReassignForm, reviewers_of
from .notices import case_notices

supervisor_only = allowed(policies.may_supervise)


def _highest_level(task) -> str | None:
    fired = [e.level for e in task.deadline.escalations.all() if not e.skipped]
    return max(fired, key=LADDER.index) if fired else None


@supervisor_only
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
    by_department = Counter(row["task"].department.name for row in rows)
    by_level = Counter(row["level"] or "" for row in rows)
    return render(
        request,
        "supervision/overdue.html",
        {
            "rows": rows,
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
    order = {"number": "number", "-number": "-number", "filed": "filed_at"}.get(
        request.GET.get("sort"), "-filed_at"
    )
    return render(
        request,
        "supervision/case_list.html",
        {
            "page": paginate(request, cases.order_by(order, "id")),
            "query": query_without_page(request),
            "kinds": CaseKind.choices,
            "states": CaseState.choices,
            "q": q,
            "kind": kind,
            "state": state,
        },
    )


@supervisor_only
def case_detail(request, number: str):
    return render(request, "supervision/case_detail.html", timeline_context(case_for(request.user, number)))


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
def subject_list(request):
    subjects = selectors.subjects_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        subjects = subjects.filter(Q(name__icontains=q) | Q(code=normalise_code(q)))
    if request.GET.get("listed"):
        subjects = subjects.filter(records__kind="serious_list", records__publicity="published").distinct()
    return render(
        request,
        "supervision/subject_list.html",
        {
            "page": paginate(request, subjects.order_by("name", "id")),
            "query": query_without_page(request),
            "q": q,
        },
    )


def _subject(request, public_id):
    return get_object_or_404(selectors.subjects_visible_to(request.user), public_id=public_id)


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
