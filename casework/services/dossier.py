"""The subject dossier (一企一档): interviews, visits, training and credit reports recorded by staff."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import policies
from casework.models import DossierEntry, DossierEntryKind, Subject, User

from .history import history_record


@transaction.atomic
def dossier_record(*, subject: Subject, actor: User, kind: str, on: date, note: str) -> DossierEntry:
    policies.ensure_may_keep_dossier(actor, subject)
    errors = {}
    if kind not in DossierEntryKind.values:
        errors["kind"] = [_("Choose what kind of entry this is.")]
    if on > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    if not (note or "").strip():
        errors["note"] = [_("Write down what happened.")]
    if errors:
        raise ValidationError(errors)
    entry = DossierEntry.objects.create(
        subject=subject, kind=kind, date=on, note=note.strip(), recorded_by=actor
    )
    history_record(
        target=subject,
        action=f"dossier_{kind}",
        actor=actor,
        note=entry.note,
        data={"date": on.isoformat(), "entry": entry.pk},
    )
    return entry
