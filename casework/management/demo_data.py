"""What `manage.py demo` builds: a district of Fuzhou (鼓楼区, division 350102) with its city and province
credit offices, the departments that find and sanction, their staff, subjects with records and sanctions, and
cases of every kind driven into every state their workflow reaches: objection, repair, list exit (with a
court-list deletion and a listing ended at its expiry), bankruptcy restructuring, and the review (复核) of an
objection's result.

The data lives in `casework.management.demo`, one module per case kind; this module gathers it.
"""

from casework.models import CaseKind

from .demo import bankruptcy, list_exit, objection, repair, review
from .demo.base import (
    DEMO_PASSWORD,
    DEPARTMENTS,
    DIVISION,
    SUBJECTS,
    USERS,
    CaseSpec,
    DepartmentSpec,
    RecordSpec,
    Step,
    SubjectSpec,
    UserSpec,
    enterprise_code,
    person_code,
)

RECORDS = [*objection.RECORDS, *repair.RECORDS, *list_exit.RECORDS, *bankruptcy.RECORDS, *review.RECORDS]

# Scenarios per case kind, in the order the demo files them and prints them.
CASES_BY_KIND = {
    # A review (复核) is filed on its objection: its scenario is the objection's, its case listed apart.
    CaseKind.OBJECTION: [*objection.CASES, *review.CASES],
    CaseKind.REPAIR: repair.CASES,
    CaseKind.LIST_EXIT: list_exit.CASES,
    CaseKind.BANKRUPTCY_REPAIR: bankruptcy.CASES,
}
CASES = [spec for specs in CASES_BY_KIND.values() for spec in specs]

# Records whose listing the demo lets end by itself at its expiry date.
EXPIRING = list_exit.EXPIRING

__all__ = [
    "CASES",
    "CASES_BY_KIND",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "DIVISION",
    "EXPIRING",
    "RECORDS",
    "SUBJECTS",
    "USERS",
    "CaseSpec",
    "DepartmentSpec",
    "RecordSpec",
    "Step",
    "SubjectSpec",
    "UserSpec",
    "enterprise_code",
    "person_code",
]
