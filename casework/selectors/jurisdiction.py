"""The one definition of a supervisor's jurisdiction (管辖范围), used by every scope that needs one.

A supervisor oversees the administrative divisions of their departments, each to the depth of its level
(GB/T 2260: province = the first 2 digits of the division code, city = 4, district = all 6). Everything that
lies in a division — a subject, a case of that subject, a department, a push about that subject — is inside
the jurisdiction when its division code starts with one of those prefixes.

Selectors scope lists with `jurisdiction_q`; policies ask `in_jurisdiction` for a single division.
"""

from django.db.models import Q

from casework.models import User, jurisdiction_prefix


def jurisdiction_prefixes(user: User) -> list[str]:
    """The division prefixes the user oversees, one per department (empty for a user with no department)."""
    return [
        jurisdiction_prefix(division, level)
        for division, level in user.departments.values_list("division", "level")
    ]


def jurisdiction_q(user: User, field: str) -> Q:
    """A filter on `field` (a lookup path ending in a 6-digit division code) for the user's jurisdiction.

    Matches nothing when the user has no department, so a misconfigured account sees nothing rather than all.
    """
    q = Q(pk__in=[])
    for prefix in jurisdiction_prefixes(user):
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def in_jurisdiction(user: User, division: str) -> bool:
    """Whether one division code lies in the user's jurisdiction (the same rule as `jurisdiction_q`)."""
    return any(division.startswith(prefix) for prefix in jurisdiction_prefixes(user))


def division_within(division: str, *, of_division: str, level: str) -> bool:
    """Whether `division` lies inside the area of an office at `of_division` of `level` (GB/T 2260 depth)."""
    return division.startswith(jurisdiction_prefix(of_division, level))


def departments_within(departments, division: str, level: str):
    """`departments` (a Department queryset) narrowed to those inside the area of `division` at `level`."""
    return departments.filter(division__startswith=jurisdiction_prefix(division, level))
