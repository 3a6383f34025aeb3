"""复核: the review of an objection's result by the credit office one level up (docs/domain.md §9.4).

After an objection is decided, the subject may ask **once**, within the rule set's `window_days` working days
(15 [product default]) of the result notice, for a review. The credit office one level up from the office
that received the objection (`offices.office_above`; a province office reviews its own) receives the review
case and decides it within 5 working days [product default], with the objection's outcomes; a review that
changes the result settles the record, its 异议 mark and its sanctions exactly as the objection's outcome
would. The review is a case of its own (kind `review`, number `FH-…`) linked to the objection
(`Case.review_of`), with its own clocks; administrative reconsideration and litigation stay open after it.

While the review runs the records show 异议中 again; the sanctions stay as the objection's result left them
(the first result is in force until it is changed, as a contested administrative act is: 《行政复议法》 art. 42).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events, policies
from casework.calendar import derive_working_days
from casework.models import (
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseState,
    CreditRecord,
    MaterialPurpose,
    Publicity,
    User,
)
from casework.rules import active_rule_set

from .conclusion import case_conclude
from .filing import case_open
from .history import history_record
from .objection import OBJECTION_OUTCOMES, objection_settle
from .offices import office_above
from .transitions import lock, transition

# Field errors about the objection under review are keyed by this name (the API path names the objection).
FIELD = "objection"


@dataclass(frozen=True)
class ReviewWindow:
    """When the review of an objection's result may be asked for (Beijing dates).

    `notified_on`: the date of the result notice (the day the objection was decided and its notice issued);
    `last_day`: the last day a review may be filed, `days` working days after it; `provisional`: the last
    day reaches a year without a working-day calendar and is an estimate.
    """

    notified_on: date
    last_day: date
    days: int
    provisional: bool

    def open_on(self, day: date) -> bool:
        return day <= self.last_day


def review_rules_for(objection: Case) -> dict:
    """The review rules of the objection's own rule set; an objection decided under a rule set that knew no
    review takes the active profile's (the window is the subject's right, not the old case's rule)."""
    kinds = objection.rule_set.data.get("case_kinds", {})
    if CaseKind.REVIEW in kinds:
        return kinds[CaseKind.REVIEW]
    return active_rule_set().case_rules(CaseKind.REVIEW)


def review_window(objection: Case) -> ReviewWindow | None:
    """The objection's review window, or None where it has no result: not decided yet, not accepted, or closed
    as withdrawn (补正 unanswered, docs/domain.md §9.10)."""
    if objection.kind != CaseKind.OBJECTION or objection.state != CaseState.CLOSED or not objection.closed_at:
        return None
    if objection.outcome not in OBJECTION_OUTCOMES:  # closed without a result: treated as withdrawn (补正)
        return None
    days = review_rules_for(objection)["window_days"]
    notified_on = timezone.localtime(objection.closed_at).date()
    last = derive_working_days(notified_on, days)
    return ReviewWindow(notified_on=notified_on, last_day=last.date, days=days, provisional=last.provisional)


def review_refusals(objection: Case, *, today: date | None = None) -> list:
    """Why the objection's result cannot be reviewed now (empty: it can), as messages for the subject.

    Read under the objection's lock by `review_file`; the portal asks it to decide whether to offer the button.
    """
    today = today or timezone.localdate()
    if objection.kind != CaseKind.OBJECTION:
        return [
            _("%(number)s is a %(kind)s case; only the result of an objection (异议) can be reviewed.")
            % {"number": objection.number, "kind": objection.get_kind_display()}
        ]
    if objection.objects_to_id is not None:
        return [
            _(
                "%(number)s is an objection by a third party against a list exit, not the subject's own "
                "objection; only the subject's own objection can be reviewed."
            )
            % {"number": objection.number}
        ]
    window = review_window(objection)
    if window is None:
        return [
            _(
                "Objection %(number)s has no result yet (%(state)s); a review can be asked for once its "
                "result is notified."
            )
            % {"number": objection.number, "state": objection.get_state_display()}
        ]
    earlier = objection.reviews.order_by("filed_at").first()
    if earlier is not None:
        if earlier.state in OPEN_CASE_STATES:
            return [
                _("Review %(review)s of objection %(number)s is still open; follow that case.")
                % {"review": earlier.number, "number": objection.number}
            ]
        return [
            _(
                "The result of objection %(number)s was already reviewed (%(review)s); a result can be "
                "reviewed once. Administrative reconsideration or litigation remain open."
            )
            % {"number": objection.number, "review": earlier.number}
        ]
    if not window.open_on(today):
        return [
            _(
                "The review window closed on %(last_day)s: a review must be asked for within %(days)s "
                "working days of the result notice of %(notified_on)s."
            )
            % {"last_day": window.last_day, "days": window.days, "notified_on": window.notified_on}
        ]
    if not any(r.publicity == Publicity.PUBLISHED for r in objection.records.all()):
        return [
            _(
                "The result of objection %(number)s took the record out of publication; there is nothing "
                "left to review."
            )
            % {"number": objection.number}
        ]
    return []


def review_filing_errors(*, rules: dict, records: Sequence[CreditRecord]) -> dict[str, list]:
    """`case_open`'s check of a review, under the record locks: a record the review would dispute must still be
    published (another case may have taken it since the result; that case is named)."""
    errors: dict[str, list] = {}
    for record in records:
        if record.publicity != Publicity.PUBLISHED:
            other = record.cases.filter(state__in=OPEN_CASE_STATES).order_by("filed_at").first()
            errors.setdefault("records", []).append(
                _("Record of %(date)s is %(state)s%(case)s and cannot be reviewed now.")
                % {
                    "date": record.decided_on,
                    "state": record.get_publicity_display(),
                    "case": f" ({other.number})" if other else "",
                }
            )
    return errors


@transaction.atomic
def review_file(
    *, objection: Case, actor: User, statement: str, materials: Sequence = (), today: date | None = None
) -> Case:
    """Ask for the review (复核) of `objection`'s result; the review case, received by the office one level up.

    `statement`: why the result is wrong (required). `materials`: optional uploads (PDF, JPG, PNG).
    Errors: NotVisible (404) for an objection the actor may not see; PermissionDenied (403) for staff who do
    not act for the subject; ValidationError (400) keyed `objection` when the case is not a subject's own
    objection, has no result, was reviewed already (naming that review), or its window closed (naming the
    last day, a Beijing date), keyed `statement` without a statement, `records` when a record is no longer
    published, `materials` for a bad upload. Two requests at once: the objection's row lock makes one case.
    """
    from .cases import _inspect_all, _store_materials  # the subject's uploads are checked as at filing

    policies.ensure_may_request_review(actor, objection)
    errors: dict[str, list] = {}
    inspected: list = []
    try:
        inspected = _inspect_all(materials)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    objection = lock(objection)  # one review per objection: the second request waits here and is refused
    refusals = review_refusals(objection, today=today)
    if refusals:
        errors[FIELD] = refusals
    if not (statement or "").strip():
        errors["statement"] = [_("Say why the result of the objection is wrong.")]
    if errors:
        raise ValidationError(errors)
    office = office_above(objection.receiving_office)
    window = review_window(objection)
    assert window is not None  # review_refusals refused an objection without a result

    def accept_and_tell(review: Case) -> None:
        if materials:
            _store_materials(review, materials, inspected, MaterialPurpose.FILING, actor)
        # The conditions (once, in time, a result) are checked here, so the review is accepted on filing;
        # its records show 异议中 again (case_open's filing hook) until the office above decides.
        transition(review, "accept", field="state", actor=None, case=review)
        history_record(
            target=objection,
            action="review_requested",
            actor=actor,
            case=objection,
            from_state=objection.state,
            to_state=objection.state,
            note=review.number,
            data={"review": review.number, "office": office.code},
        )
        events.publish(events.CaseFiled.of(review))

    return case_open(
        kind=CaseKind.REVIEW,
        subject=objection.subject,
        records=list(objection.records.order_by("id")),
        statement=statement,
        actor=actor,
        office=office,
        rule_set=active_rule_set(),
        commitment_signed_at=None,  # a review repeats no commitment: the objection's stands
        history_data={"review_of": objection.number, "notified_on": window.notified_on.isoformat()},
        before_start=accept_and_tell,
        review_of=objection,
    )


def review_decide(*, case: Case, actor: User, outcome: str, reason: str, data: dict | None = None) -> Case:
    """The office one level up decides the review with one of the objection's six outcomes.

    `upheld` confirms the result as it stands (the 异议 mark goes, the record stays as the objection left
    it); any other outcome changes the result and settles record, mark and sanctions exactly as that objection
    outcome does, through the one settling function `objection_settle` (`data`: `correction`, `supplement`,
    `sanctions` as there). The review's result notice (复核结果告知书) goes to the subject; the objection case
    gets a `review_decided` history row. Raises ValidationError as `objection_settle` (before anything
    changes) and Conflict (409) when the review is no longer open.
    """
    case = lock(case)
    objection = case.review_of
    assert objection is not None  # a review always names its objection
    objection_settle(case=case, outcome=outcome, actor=actor, reason=reason, data=data)
    case = case_conclude(case=case, actor=actor, outcome=outcome, reason=reason, event=None, via="close")
    objection = lock(objection)
    history_record(
        target=objection,
        action="review_decided",
        actor=actor,
        case=objection,
        from_state=objection.state,
        to_state=objection.state,
        note=reason,
        data={"review": case.number, "outcome": outcome},
    )
    # The review's own result notice (复核结果告知书) and message go to the subject.
    events.publish(
        events.ReviewDecided.of(
            case,
            objection=objection.number,
            outcome=outcome,
            reason=reason,
        )
    )
    return case
