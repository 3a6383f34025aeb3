from .calendar import CalendarDay, CalendarRevision, CalendarRevisionKind, CalendarYear
from .case import (
    CASE_NUMBER_PREFIX,
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseNumberSequence,
    CaseState,
    Material,
    MaterialPurpose,
    Outcome,
)
from .deadline import Deadline, DeadlinePurpose, DeadlineSuspension, SuspensionReason
from .department import Department, DepartmentKind, DepartmentLevel, jurisdiction_prefix
from .dossier import DossierEntry, DossierEntryKind
from .escalation import LADDER, EscalationEvent, EscalationLevel
from .history import HistoryEvent
from .notice import Notice, NoticeKind, NoticeState
from .people import Role, User
from .record import CreditRecord, Publicity, RecordKind, Severity
from .ruleset import RuleSet
from .sanction import Sanction, SanctionState
from .subject import Subject, SubjectKind
from .task import ACTIONABLE_TASK_STATES, FINISHED_TASK_STATES, CaseTask, TaskState

__all__ = [
    "ACTIONABLE_TASK_STATES",
    "CASE_NUMBER_PREFIX",
    "FINISHED_TASK_STATES",
    "CalendarDay",
    "CalendarRevision",
    "CalendarRevisionKind",
    "CalendarYear",
    "Case",
    "CaseKind",
    "CaseNumberSequence",
    "CaseState",
    "CaseTask",
    "CreditRecord",
    "Deadline",
    "DeadlinePurpose",
    "DeadlineSuspension",
    "DossierEntry",
    "DossierEntryKind",
    "EscalationEvent",
    "EscalationLevel",
    "LADDER",
    "Department",
    "DepartmentKind",
    "DepartmentLevel",
    "HistoryEvent",
    "Material",
    "Notice",
    "NoticeKind",
    "NoticeState",
    "MaterialPurpose",
    "OPEN_CASE_STATES",
    "Outcome",
    "Publicity",
    "RecordKind",
    "Role",
    "RuleSet",
    "Sanction",
    "SanctionState",
    "Severity",
    "Subject",
    "SubjectKind",
    "SuspensionReason",
    "TaskState",
    "User",
    "jurisdiction_prefix",
]
