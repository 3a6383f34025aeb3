from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import admin_calendar  # noqa: F401  (registers the calendar administration)
from .models import Department, HistoryEvent, RuleSet, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "email", "is_active")
    list_filter = ("role", "is_active", "departments")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Casework"), {"fields": ("role", "departments", "subjects")}),
    )
    filter_horizontal = ("departments", "subjects", "groups", "user_permissions")
    raw_id_fields = ()


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "division", "credit_code", "parent")
    list_filter = ("kind", "level")
    search_fields = ("code", "name", "division", "credit_code")


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("version", "profile", "title", "created_at")
    readonly_fields = ("version", "profile", "title", "data", "created_at")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HistoryEvent)
class HistoryEventAdmin(admin.ModelAdmin):
    list_display = ("at", "stream", "seq", "action", "from_state", "to_state", "actor_label")
    list_filter = ("action",)
    search_fields = ("stream", "note")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
