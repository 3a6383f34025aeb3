"""The field rules of a credit record and of a sanction: one set, used by every entry path.

The records API, the staff web forms, the bulk import (and its 双公示 format) and the services themselves call
these functions, so a value one path refuses is refused by all of them. Before, the API accepted a decision
dated 2099 and a listing that ended before its decision (the import refused both), and the next automatic-exit
sweep then lifted the sanctions of such a record.

Dates are Beijing calendar dates. Every date lies within EARLIEST..LATEST: far enough from year 9999 that
adding a listing period (years, by months) can never overflow.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
SUMMARY_MAX_LENGTH = 4000  # characters; a finding's summary, not the decision document itself
DOCUMENT_NUMBER_MAX_LENGTH = 120
MEASURE_MAX_LENGTH = 200  # the Sanction.measure column


ENDS_BEFORE_DECISION = {
    "listed_until": gettext_noop("The listing cannot end before the decision."),
    "publication_ends_on": gettext_noop("Publication cannot end before the decision."),
}


def date_range_error(value: datetime.date) -> str | None:
    """The message for a date outside EARLIEST..LATEST, else None."""
    if EARLIEST <= value <= LATEST:
        return None
    return _("The date %(date)s is outside %(earliest)s to %(latest)s.") % {
        "date": value.isoformat(),
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


def record_errors(
    *,
    decided_on: datetime.date | None,
    summary: str | None,
    listed_until: datetime.date | None = None,
    publication_ends_on: datetime.date | None = None,
    document_number: str | None = None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """{field: [message, …]} for what breaks a rule; empty when the record may be entered.

    decided_on: not after today (Beijing), within the range. listed_until and publication_ends_on (optional):
    within the range, not before the decision. summary: given, at most SUMMARY_MAX_LENGTH characters.
    document_number: checked only when given (not None): present, at most DOCUMENT_NUMBER_MAX_LENGTH.
    """
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if decided_on is not None:
        if message := date_range_error(decided_on):
            add("decided_on", message)
        elif decided_on > today:
            add("decided_on", _("The decision date is in the future."))
    for field, value in (("listed_until", listed_until), ("publication_ends_on", publication_ends_on)):
        if value is None:
            continue
        if message := date_range_error(value):
            add(field, message)
        elif decided_on is not None and value < decided_on:
            # Translated only when needed: this runs for every row of a 200,000-row import.
            add(field, _(ENDS_BEFORE_DECISION[field]))
    if not (summary or "").strip():
        add("summary", _("Give a summary of the finding."))
    elif len(summary) > SUMMARY_MAX_LENGTH:
        add(
            "summary",
            _("The summary has %(length)d characters; at most %(max)d are allowed.")
            % {"length": len(summary), "max": SUMMARY_MAX_LENGTH},
        )
    if document_number is not None and not (0 < len(document_number) <= DOCUMENT_NUMBER_MAX_LENGTH):
        add(
            "document_number",
            _("Give the decision's document number (文号), at most %(max)d characters.")
            % {"max": DOCUMENT_NUMBER_MAX_LENGTH},
        )
    return errors


def sanction_errors(*, measure: str | None) -> dict[str, list[str]]:
    """{field: [message, …]} for a sanction's measure: given, at most MEASURE_MAX_LENGTH characters."""
    if not (measure or "").strip() or len(measure) > MEASURE_MAX_LENGTH:
        return {"measure": [_("Give the measure, at most %(max)d characters.") % {"max": MEASURE_MAX_LENGTH}]}
    return {}


def check(errors: dict[str, list[str]]) -> None:
    """Raise the errors (from record_errors / sanction_errors) as one field-keyed ValidationError."""
    if errors:
        raise ValidationError(errors)
