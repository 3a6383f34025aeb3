"""Departments: the registry everyone may read, and the part of it inside a supervisor's jurisdiction."""

from django.db.models import QuerySet

from casework.models import Department, Role, User

from .jurisdiction import jurisdiction_q


def departments_visible_to(user: User) -> QuerySet[Department]:
    """Every department: the list of departments and their codes is public within the system."""
    return Department.objects.select_related("parent")


def departments_in_jurisdiction(user: User) -> QuerySet[Department]:
    """Departments an overseer oversees, by code: every one for an administrator, those whose division lies
    in a supervisor's jurisdiction, and a reviewer's own departments."""
    departments = Department.objects.order_by("code")
    if user.role == Role.ADMIN:
        return departments
    if user.role == Role.SUPERVISOR:
        return departments.filter(jurisdiction_q(user, "division"))
    if user.role == Role.REVIEWER:
        return departments.filter(pk__in=user.departments.values("pk"))
    return departments.none()
