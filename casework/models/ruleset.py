from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One frozen version of a rule-set profile. A case keeps the version it was filed under (invariant 7).

    The content is stored, not just the version name, so that a case's rules can be read back years later
    even after the code that shipped them has moved on.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    profile = models.CharField(_("profile"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    data = models.JSONField(_("rules"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["profile", "version"]

    def __str__(self):
        return self.version

    def case_rules(self, kind: str) -> dict:
        return self.data["case_kinds"][kind]

    def step(self, kind: str, step: str) -> dict:
        return self.case_rules(kind)["steps"][step]
