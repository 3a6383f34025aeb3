import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class SanctionState(models.TextChoices):
    ACTIVE = "active", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    LIFTED = "lifted", _("Lifted")
    REVOKED = "revoked", _("Revoked")


class Sanction(ConcurrentTransitionMixin, models.Model):
    """A joint-sanction measure (联合惩戒措施) a department applies because of a record.

    The state machine is DESIGN invariant 5: suspended while an objection is verified, active again when the
    record is upheld, revoked when it was wrong, lifted by repair, list exit or bankruptcy restructuring.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        "casework.CreditRecord", on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("record")
    )
    measure = models.CharField(_("measure"), max_length=200)
    implementer = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        related_name="implemented_sanctions",
        verbose_name=_("implementing department"),
    )
    state = FSMField(
        _("state"), default=SanctionState.ACTIVE, choices=SanctionState.choices, protected=True, max_length=10
    )
    # docs/domain.md §9.12: a measure binds from its effective date (usually the decision date
    # of its record), not from the day its row was entered; an import of last month's decision is in force
    # from last month. Day-D answers read this together with the history (casework.selectors).
    effective_from = models.DateField(
        _("effective from"), null=True, blank=True, help_text=_("Default: the record's decision date.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["id"]

    def __str__(self):
        return self.measure

    @transition(field=state, source=SanctionState.ACTIVE, target=SanctionState.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=state, source=SanctionState.SUSPENDED, target=SanctionState.ACTIVE)
    def resume(self):
        pass

    @transition(
        field=state, source=[SanctionState.ACTIVE, SanctionState.SUSPENDED], target=SanctionState.REVOKED
    )
    def revoke(self):
        pass

    @transition(field=state, source=SanctionState.ACTIVE, target=SanctionState.LIFTED)
    def lift(self):
        pass
