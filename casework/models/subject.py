import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.identifiers import mask_resident_id


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise or other organisation")
    PERSON = "person", _("Natural person")


class OperatingStatus(models.TextChoices):
    """Whether an enterprise still operates (在运营); training coverage counts only those that do (docs/domain.md §9.14)."""

    OPERATING = "operating", _("Operating")
    DEREGISTERED = "deregistered", _("Deregistered (注销)")
    REVOKED = "revoked", _("Business licence revoked (吊销)")


class Subject(models.Model):
    """A credit subject (信用主体): an enterprise by its unified social credit code, a person by resident ID."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SubjectKind.choices)
    code = models.CharField(_("identifier"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    operating_status = models.CharField(
        _("operating status"),
        max_length=12,
        choices=OperatingStatus.choices,
        default=OperatingStatus.OPERATING,
        # Also a database default: bulk imports write subjects with COPY, past Django's defaults.
        db_default=OperatingStatus.OPERATING,
    )
    division = models.CharField(_("division code"), max_length=6, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]
        # Keyset pages of the subject lists, by name (issue 13).
        indexes = [models.Index(fields=["name", "id"], name="subject_name")]

    def __str__(self):
        return f"{self.name} ({self.display_code})"

    @property
    def display_code(self) -> str:
        """The identifier as every screen and API shows it: a person's ID is masked (personal information)."""
        return mask_resident_id(self.code) if self.kind == SubjectKind.PERSON else self.code
