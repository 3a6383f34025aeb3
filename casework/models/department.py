from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    CREDIT_OFFICE = "credit_office", _("Credit office")
    COURT = "court", _("Court")
    TAX = "tax", _("Tax bureau")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    OTHER = "other", _("Other department")


class DepartmentLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


division_validator = RegexValidator(
    r"^\d{6}$", _("An administrative division code has exactly 6 digits."), code="division"
)


class DepartmentQuerySet(models.QuerySet):
    def within(self, division: str, level: str) -> "DepartmentQuerySet":
        """Departments whose division lies inside a jurisdiction (province: 2 digits, city: 4, district: 6)."""
        return self.filter(division__startswith=jurisdiction_prefix(division, level))


def jurisdiction_prefix(division: str, level: str) -> str:
    # GB/T 2260: digits 1-2 province, 3-4 city (prefecture), 5-6 district (county).
    return division[: {"province": 2, "city": 4}.get(level, 6)]


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=DepartmentLevel.choices)
    division = models.CharField(_("division code"), max_length=6, validators=[division_validator])
    # The department's own unified social credit code (GB 32100): national exchange files such as the 双公示
    # administrative-penalty layout name the deciding authority by it, not by our code.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "level", "division"])]
        constraints = [
            # The district's credit office receives every request of the district's subjects: exactly one.
            models.UniqueConstraint(
                fields=["division"],
                condition=models.Q(kind="credit_office", level="district"),
                name="one_district_credit_office",
                violation_error_message=_("This district already has a credit office."),
            )
        ]

    def __str__(self):
        return self.name
