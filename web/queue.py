"""The reviewers' queue: filters, search and sorting from GET parameters (django-filter)."""

import re

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.identifiers import normalise_code
from casework.models import Case, CaseKind, Subject, TaskState
from flows.steps import STEP_TITLES

CASE_NUMBER_START = re.compile(r"^[A-Za-z]{2}-")
MAX_SEARCH_CASES = 2000  # a broader search shows the tasks of the first 2,000 matching cases

SORTS = {
    # Each ends with the unique id, so a keyset page (casework/keyset.py) has one place for every task.
    # due, -due and step read the partial indexes casetask_queue(_step); case and filed sort the
    # department's open tasks (bounded by the department's work, not by the table).
    "due": ("due_on", "created_at", "id"),
    "-due": ("-due_on", "-created_at", "-id"),
    "case": ("case__number", "id"),
    "-case": ("-case__number", "-id"),
    "step": ("step", "due_on", "id"),
    "filed": ("case__filed_at", "id"),
}


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        field_name="case__kind", choices=CaseKind.choices, label=_("Kind"), empty_label=_("All")
    )
    step = django_filters.ChoiceFilter(
        choices=list(STEP_TITLES.items()), label=_("Step"), empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        choices=[(TaskState.OPEN, TaskState.OPEN.label), (TaskState.CLAIMED, TaskState.CLAIMED.label)],
        label=_("State"),
        empty_label=_("All"),
    )
    mine = django_filters.BooleanFilter(method="claimed_by_me", label=_("Claimed by me"))
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("Overdue only"))
    department = django_filters.ModelChoiceFilter(
        queryset=None,
        to_field_name="code",
        label=_("Department"),
        field_name="department",
        empty_label=_("All"),
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label=_("Sort"),
        empty_label=None,
        choices=[
            ("due", _("Soonest due first")),
            ("-due", _("Latest due first")),
            ("case", _("Case number")),
            ("step", _("Step")),
            ("filed", _("Filed first")),
        ],
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = departments

    def search(self, queryset, name, value):
        value = value.strip()
        # Match cases and subjects in their own (small, indexed) tables and join the ids: one OR of
        # `icontains` across the task-case-subject join scans every open task (650 ms at 100k, measured).
        if CASE_NUMBER_START.match(value):
            cases = Case.objects.filter(number__startswith=value.upper())  # the number's LIKE index
        else:
            cases = Case.objects.filter(number__icontains=value)
        subjects = Subject.objects.filter(Q(name__icontains=value) | Q(code=normalise_code(value)))
        # Resolved first, as lists: given subqueries, PostgreSQL guesses most tasks match and walks the
        # due-date index filtering every task; given the ids, it looks the few up by case.
        # Two plain queries, not a `union`: a compound query with ORDER BY/LIMIT in its parts is refused
        # by SQLite ("ORDER BY not allowed in subqueries of compound statements"), and Case has a default
        # ordering, so every `union` of Case querysets is such a query.
        by_case = cases.order_by().values_list("pk", flat=True)[:MAX_SEARCH_CASES]
        by_subject = (
            Case.objects.filter(subject__in=subjects)
            .order_by()
            .values_list("pk", flat=True)[:MAX_SEARCH_CASES]
        )
        matching = sorted(set(by_case) | set(by_subject))[:MAX_SEARCH_CASES]
        return queryset.filter(case_id__in=matching)

    def claimed_by_me(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset

    def only_overdue(self, queryset, name, value):
        return queryset.filter(selectors.task_overdue_q(timezone.localdate())) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["due"]))
