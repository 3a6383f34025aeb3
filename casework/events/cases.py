"""Events of a case, for its subject, the platforms and the written notices."""

from dataclasses import dataclass
from datetime import date

from .base import (
    ALL_KINDS,
    BANKRUPTCY,
    LIST_EXIT,
    OBJECTION,
    REPAIR,
    REVIEW,
    CaseEvent,
    Event,
    EventName,
    Reasoned,
    _event,
)


@_event
class CaseFiled(CaseEvent):
    name = EventName.CASE_FILED


@_event
class CaseMaterialsRequested(CaseEvent):
    """`due_on`: the last day the materials may arrive (Beijing date, docs/domain.md §9.10)."""

    name = EventName.CASE_MATERIALS_REQUESTED
    materials: str
    due_on: date


@_event
class CaseMaterialsReminder(CaseEvent):
    """Sent once, `remind_days_before` working days before `due_on` (the 补正 deadline)."""

    name = EventName.CASE_MATERIALS_REMINDER
    materials: str
    due_on: date


@_event
class CaseWithdrawn(Reasoned):
    """The 补正 deadline `due_on` passed without the materials: the request is treated as withdrawn."""

    name = EventName.CASE_WITHDRAWN
    due_on: date


@_event
class CaseMaterialsReceived(CaseEvent):
    name = EventName.CASE_MATERIALS_RECEIVED


@_event
class CaseRefused(Reasoned):
    name = EventName.CASE_REFUSED


@_event
class CaseTooEarly(Event):
    """A filing refused as too early: nothing was saved, so there is no case, only its subject."""

    name = EventName.CASE_TOO_EARLY
    subject_id: int
    subject: str
    kind: str
    reapply_on: date
    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in ALL_KINDS:
            raise ValueError(f"{self.name}: unknown case kind {self.kind!r}")


@_event
class ObjectionAccepted(CaseEvent):
    """`due_on`: the day the case must be answered by (its legal time limit, Beijing date)."""

    name = EventName.OBJECTION_ACCEPTED
    kinds = OBJECTION
    provider: str
    due_on: date


@_event
class ObjectionForwarded(CaseEvent):
    """The self-check found no error of the platform's own: the provider verifies. `due_on`: the day the case
    must be answered by (its legal time limit, Beijing date)."""

    name = EventName.OBJECTION_FORWARDED
    kinds = OBJECTION
    provider: str
    due_on: date


@dataclass(frozen=True, kw_only=True)
class ObjectionResult(Reasoned):
    kinds = OBJECTION
    provider: str


@_event
class ObjectionUpheld(ObjectionResult):
    name = EventName.OBJECTION_UPHELD


@_event
class ObjectionCorrected(ObjectionResult):
    name = EventName.OBJECTION_CORRECTED


@_event
class ObjectionDeleted(ObjectionResult):
    name = EventName.OBJECTION_DELETED


@_event
class ObjectionSupplemented(ObjectionResult):
    name = EventName.OBJECTION_SUPPLEMENTED


@_event
class ObjectionPublicationStopped(ObjectionResult):
    name = EventName.OBJECTION_PUBLICATION_STOPPED


@_event
class ObjectionRemovedFromList(ObjectionResult):
    name = EventName.OBJECTION_REMOVED_FROM_LIST


# The objection's outcome (`Outcome` value; the six of 《浙江省公共信用信息管理条例》 art. 30) → its event.
# `provider` names whoever decided: the provider, the court, or the credit office at its self-check.
OBJECTION_RESULTS: dict[str, type[ObjectionResult]] = {
    "upheld": ObjectionUpheld,
    "corrected": ObjectionCorrected,
    "deleted": ObjectionDeleted,
    "supplemented": ObjectionSupplemented,
    "publication_stopped": ObjectionPublicationStopped,
    "removed_from_list": ObjectionRemovedFromList,
}


@_event
class ReviewDecided(Reasoned):
    """复核 decided by the credit office one level up (docs/domain.md §9.4). `objection`: the reviewed case's
    number; `outcome`: an `Outcome` value (named in the reader's language): `upheld` confirms the objection's
    result, any other changed it."""

    name = EventName.REVIEW_DECIDED
    kinds = REVIEW
    objection: str
    outcome: str


@_event
class RepairAccepted(CaseEvent):
    name = EventName.REPAIR_ACCEPTED
    kinds = REPAIR
    provider: str


@_event
class RepairReported(CaseEvent):
    name = EventName.REPAIR_REPORTED
    kinds = REPAIR


@_event
class RepairGranted(Reasoned):
    name = EventName.REPAIR_GRANTED
    kinds = REPAIR


@_event
class RepairRejected(Reasoned):
    name = EventName.REPAIR_REJECTED
    kinds = REPAIR


@_event
class ListExitAccepted(CaseEvent):
    name = EventName.LIST_EXIT_ACCEPTED
    kinds = LIST_EXIT
    provider: str


@_event
class ListExitPublicity(CaseEvent):
    name = EventName.LIST_EXIT_PUBLICITY
    kinds = LIST_EXIT
    publicity_until: date


@_event
class ListExitHeld(CaseEvent):
    name = EventName.LIST_EXIT_HELD
    kinds = LIST_EXIT
    objection: str


@_event
class ListExitResumed(CaseEvent):
    """The objection that held the exit was found unfounded: publicity runs again with the working days left
    (docs/domain.md §9.5). Names the objection's number, never its objector or statement."""

    name = EventName.LIST_EXIT_RESUMED
    kinds = LIST_EXIT
    objection: str
    days_left: int
    publicity_until: date


@_event
class ListExitRemoved(Reasoned):
    name = EventName.LIST_EXIT_REMOVED
    kinds = LIST_EXIT


@_event
class ListExitRejected(Reasoned):
    name = EventName.LIST_EXIT_REJECTED
    kinds = LIST_EXIT


@_event
class ExitObjectionFiled(CaseEvent):
    """To whoever objected (anyone may, during publicity), not to the subject leaving the list."""

    name = EventName.EXIT_OBJECTION_FILED
    kinds = OBJECTION
    exit: str
    provider: str
    recipient_ids: tuple[int, ...]


@_event
class ExitObjectionDecided(Reasoned):
    """`outcome`: an `Outcome` value, named in the recipient's language when the message is written."""

    name = EventName.EXIT_OBJECTION_DECIDED
    kinds = OBJECTION
    exit: str
    outcome: str
    recipient_ids: tuple[int, ...]


@_event
class BankruptcyDecided(Reasoned):
    """One department's decision on its own records (谁认定谁修复): `decision` is `shield_granted`,
    `shield_refused` or `fully_repaired`. Its written notice is the department's own, so no message goes
    with it; the subject hears of each stage as a whole (`bankruptcy_shielded`, `_refused`, `_repaired`)."""

    name = EventName.BANKRUPTCY_DECIDED
    kinds = BANKRUPTCY
    silent = True
    department: str
    decision: str


@_event
class BankruptcyShielded(CaseEvent):
    name = EventName.BANKRUPTCY_SHIELDED
    kinds = BANKRUPTCY
    departments: str


@_event
class BankruptcyRefused(Reasoned):
    name = EventName.BANKRUPTCY_REFUSED
    kinds = BANKRUPTCY


@_event
class BankruptcyRepaired(Reasoned):
    name = EventName.BANKRUPTCY_REPAIRED
    kinds = BANKRUPTCY


@_event
class PlatformPush(CaseEvent):
    """To the top credit office of the case's chain, which pushes results to the national platform."""

    name = EventName.PLATFORM_PUSH
    kinds = REPAIR | LIST_EXIT | BANKRUPTCY
    outcome: str
    records: str
    recipient_ids: tuple[int, ...]
