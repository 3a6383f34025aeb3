"""Credit records and their sanctions (the registry): a reviewer sees what their departments provided,
implement, or work on in a case; everyone else what concerns the subjects they may see."""

from django.db.models import Q, QuerySet

from casework.models import (
    CaseKind,
    CreditRecord,
    Publicity,
    RecordKind,
    Role,
    Sanction,
    SubjectKind,
    User,
)

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


def applicable_to_filing_q(kind: str, rule_set) -> Q:
    """Records that can be named in a filing of `kind` (a `CaseKind` value) under `rule_set`, as a filter on
    `CreditRecord`: only published records, and of those

    * objection: any;
    * repair: the kinds the rule set repairs (`case_kinds.repair.record_kinds`);
    * list exit: entries of the serious-dishonesty list or the court list;
    * bankruptcy-restructuring repair: an enterprise's records.

    So the portal offers no record that can only end in a refusal; the filing service still decides
    (services/eligibility.py: periods, materials, one provider).
    """
    published = Q(publicity=Publicity.PUBLISHED)
    if kind == CaseKind.REPAIR:
        return published & Q(kind__in=rule_set.case_rules(CaseKind.REPAIR).get("record_kinds", ()))
    if kind == CaseKind.LIST_EXIT:
        return published & Q(kind__in=(RecordKind.SERIOUS_LIST, RecordKind.COURT_DISHONEST))
    if kind == CaseKind.BANKRUPTCY_REPAIR:
        return published & Q(subject__kind=SubjectKind.ENTERPRISE)
    return published


def records_open_to_filing(user: User, kind: str, rule_set) -> QuerySet[CreditRecord]:
    """The records of the subjects `user` may see that can be named in a filing of `kind`, by owner."""
    return (
        records_visible_to(user)
        .filter(applicable_to_filing_q(kind, rule_set))
        .order_by("subject__name", "subject_id", "-decided_on", "id")
    )
