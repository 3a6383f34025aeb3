from rest_framework.permissions import BasePermission

from casework.models import Role


class IsAdminRole(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == Role.ADMIN


class IsAdminOrReviewer(BasePermission):
    """Registry writes (subjects, records, sanctions) come from departments' staff, never from subjects;
    supervisors only read and reassign."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return request.user.is_authenticated
        return request.user.is_authenticated and request.user.role in (Role.ADMIN, Role.REVIEWER)
