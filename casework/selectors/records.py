"""Credit records and their sanctions (the registry): a reviewer sees what their departments provided,
implement, or work on in a case; everyone else what concerns the subjects they may see."""

from django.db.models import Q, QuerySet

from casework.models import CreditRecord, Role, Sanction, User

from .subjects import subjects_visible_to


def records_visible_to(user: User) -> QuerySet[CreditRecord]:
    records = CreditRecord.objects.select_related("subject", "provider")
    if user.role == Role.ADMIN:
        return records
    if user.role == Role.REVIEWER:
        departments = user.departments.all()
        return records.filter(
            Q(provider__in=departments)
            | Q(sanctions__implementer__in=departments)
            | Q(cases__tasks__department__in=departments)
            | Q(cases__receiving_office__in=departments)
        ).distinct()
    return records.filter(subject__in=subjects_visible_to(user))


def sanctions_visible_to(user: User) -> QuerySet[Sanction]:
    sanctions = Sanction.objects.select_related("record", "implementer")
    if user.role == Role.ADMIN:
        return sanctions
    if user.role == Role.REVIEWER:
        departments = user.departments.all()
        return sanctions.filter(
            Q(implementer__in=departments) | Q(record__in=records_visible_to(user))
        ).distinct()
    return sanctions.filter(record__subject__in=subjects_visible_to(user))
