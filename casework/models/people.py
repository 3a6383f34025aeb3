from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUBJECT = "subject", _("Subject")
    REVIEWER = "reviewer", _("Reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who signs in: a subject's representative, a reviewer, a supervisor or an administrator.

    A reviewer works the queues of `departments`; a supervisor oversees their jurisdiction; a subject user
    acts for the `subjects` they represent.
    """

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SUBJECT)
    departments = models.ManyToManyField(
        "casework.Department", blank=True, related_name="members", verbose_name=_("departments")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("The language of the messages this user receives."),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    subjects = models.ManyToManyField(
        "casework.Subject", blank=True, related_name="representatives", verbose_name=_("represented subjects")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_staff_role(self) -> bool:
        return self.role in (Role.REVIEWER, Role.SUPERVISOR, Role.ADMIN)

    def label(self) -> str:
        return self.get_full_name() or self.username

    def department_ids(self) -> frozenset[int]:
        """The ids of the user's departments, read once per user object (policies ask several times in one
        transition); `forget_departments` drops them when the memberships change."""
        if self.pk is None:
            return frozenset()
        cached = self.__dict__.get("_department_ids")
        if cached is None:
            cached = self.__dict__["_department_ids"] = frozenset(
                self.departments.values_list("pk", flat=True)
            )
        return cached

    def forget_departments(self) -> None:
        self.__dict__.pop("_department_ids", None)

    def refresh_from_db(self, *args, **kwargs):
        self.forget_departments()
        super().refresh_from_db(*args, **kwargs)


def _memberships_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Forget the cached department ids of the user object whose memberships changed (either side)."""
    if action.startswith("post_") and isinstance(instance, User):
        instance.forget_departments()


models.signals.m2m_changed.connect(_memberships_changed, sender=User.departments.through)
