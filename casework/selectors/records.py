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
        departments = user.departments.values("pk")
        # Each relation in its own subquery on ids: one OR over four joins repeats a record per sanction,
        # case and task and needed a DISTINCT over every column (issue 13).
        return records.filter(
            Q(provider__in=departments)
            | Q(pk__in=Sanction.objects.filter(implementer__in=departments).values("record_id"))
            | Q(pk__in=CreditRecord.objects.filter(cases__tasks__department__in=departments).values("pk"))
            | Q(pk__in=CreditRecord.objects.filter(cases__receiving_office__in=departments).values("pk"))
        )
    return records.filter(subject__in=subjects_visible_to(user))


def sanctions_visible_to(user: User) -> QuerySet[Sanction]:
    sanctions = Sanction.objects.select_related("record", "implementer")
    if user.role == Role.ADMIN:
        return sanctions
    if user.role == Role.REVIEWER:
        departments = user.departments.values("pk")
        return sanctions.filter(
            Q(implementer__in=departments) | Q(record__in=records_visible_to(user).values("pk"))
        )
    return sanctions.filter(record__subject__in=subjects_visible_to(user))
