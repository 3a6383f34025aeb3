from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
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


# Rule-set rows never change once stored (a changed profile is a new version), so each process keeps the
# ones it has read: a transition that asks `case.rule_set` does not read the same row again. Creating or
# deleting a row (tests do; production does not) forgets them all, so an id reused by a test database
# cannot answer with another version.
_BY_ID: dict[int, RuleSet] = {}


def _forget(**kwargs) -> None:
    _BY_ID.clear()


models.signals.post_save.connect(_forget, sender=RuleSet)
models.signals.post_delete.connect(_forget, sender=RuleSet)


def rule_set_by_id(pk: int) -> RuleSet:
    """The process's copy of rule set `pk` (see `_BY_ID`), read from the database once; `RuleSet.DoesNotExist`
    if there is none."""
    found = _BY_ID.get(pk)
    if found is None:
        found = _BY_ID[pk] = RuleSet.objects.get(pk=pk)
    return found


class CachedRuleSetDescriptor(ForwardManyToOneDescriptor):
    """`obj.rule_set` from the process's copy of the row (see `_BY_ID`), read from the database once."""

    def get_object(self, instance):
        pk = getattr(instance, self.field.attname)
        found = _BY_ID.get(pk)
        if found is None:
            found = _BY_ID[pk] = super().get_object(instance)
        return found
