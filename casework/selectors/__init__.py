"""Reads, always scoped by the asking user's role (DESIGN: selectors). One module per kind of thing:

- `jurisdiction`: the one definition of a supervisor's jurisdiction, used by every scope below;
- `subjects`, `cases`, `records` (records and sanctions), `tasks`, `departments`, `history`.

Roles in short: a subject's user sees the subjects they represent and everything about them; a reviewer their
departments' queues and what those touch; a supervisor everything in their jurisdiction; an administrator
everything. Anything outside the scope is simply absent, which the API answers as 404. Whether a user may *do*
something is a different question, answered by `casework.policies`.

Every name is re-exported here, so `from casework.selectors import X` keeps working.
"""

# Model names that callers historically reached through this module (`selectors.Subject.objects`).
from casework.models import CreditRecord, Sanction, Subject

from .cases import (
    attach_task_rows,
    cases_visible_to,
    cases_with_provisional_dates_for,
    exits_in_publicity,
    for_case_list,
    is_third_party_objection,
    with_tasks_and_records,
)
from .departments import departments_in_jurisdiction, departments_visible_to
from .history import history_of, sanction_state_on
from .in_force import (
    SanctionDay,
    beijing_day_bounds,
    sanction_effective_from,
    sanction_on_day,
    subject_sanctions_on_day,
)
from .jurisdiction import in_jurisdiction, jurisdiction_prefixes, jurisdiction_q
from .records import (
    applicable_to_filing_q,
    records_open_to_filing,
    records_visible_to,
    sanctions_visible_to,
)
from .reporting import monthly_submissions_for, reporting_departments_visible_to
from .subjects import subjects_visible_to
from .tasks import (
    QUEUE_ORDER,
    escalations_visible_to,
    task_get_for,
    task_overdue_q,
    task_queue_for,
    tasks_overdue_for,
    tasks_visible_to,
)

__all__ = [
    "QUEUE_ORDER",
    "CreditRecord",
    "Sanction",
    "SanctionDay",
    "Subject",
    "beijing_day_bounds",
    "cases_visible_to",
    "exits_in_publicity",
    "is_third_party_objection",
    "cases_with_provisional_dates_for",
    "departments_in_jurisdiction",
    "departments_visible_to",
    "escalations_visible_to",
    "for_case_list",
    "attach_task_rows",
    "history_of",
    "in_jurisdiction",
    "jurisdiction_prefixes",
    "jurisdiction_q",
    "monthly_submissions_for",
    "applicable_to_filing_q",
    "records_open_to_filing",
    "records_visible_to",
    "reporting_departments_visible_to",
    "sanction_effective_from",
    "sanction_on_day",
    "sanction_state_on",
    "sanctions_visible_to",
    "subject_sanctions_on_day",
    "subjects_visible_to",
    "task_get_for",
    "task_overdue_q",
    "task_queue_for",
    "tasks_overdue_for",
    "tasks_visible_to",
    "with_tasks_and_records",
]
