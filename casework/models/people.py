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
