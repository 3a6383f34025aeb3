"""DRF permission classes: thin adapters that ask `casework.policies` (the rules live there, not here)."""

from rest_framework.permissions import BasePermission

from casework import policies


class IsAdminRole(BasePermission):
    """Departments, user accounts, push endpoints: administrators."""

    def has_permission(self, request, view):
        return policies.may_administer(request.user)


class IsAdminOrReviewer(BasePermission):
    """Registry writes (subjects, records, sanctions, imports) come from departments' staff, never from
    subjects; supervisors only read and reassign. Reads are open to everyone signed in (then scoped)."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return request.user.is_authenticated
        return policies.may_write_registry(request.user)


class IsSupervisorOrAdmin(BasePermission):
    """The supervisors' reads: overdue board, provisional dates, the delivery log."""

    def has_permission(self, request, view):
        return policies.may_supervise(request.user)
