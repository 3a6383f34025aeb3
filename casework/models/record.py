import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class RecordKind(models.TextChoices):
    ADMIN_PENALTY = "admin_penalty", _("Administrative penalty")
    SERIOUS_LIST = "serious_list", _("Serious-dishonesty list entry")
    COURT_DISHONEST = "court_dishonest", _("Dishonest judgment debtor")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")


class Publicity(models.TextChoices):
    PUBLISHED = "published", _("Published")
    DISPUTED = "disputed", _("Under objection")  # 异议中
    ENDED = "ended", _("Publication ended")
    SHIELDED = "shielded", _("Shielded")
    DELETED = "deleted", _("Deleted")


class CreditRecord(ConcurrentTransitionMixin, models.Model):
    """An adverse credit record (失信信息) supplied by the department that made the finding."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.ForeignKey(
        "casework.Subject", on_delete=models.PROTECT, related_name="records", verbose_name=_("subject")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    provider = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        related_name="provided_records",
        verbose_name=_("provider department"),
    )
    decided_on = models.DateField(_("decided on"))
    summary = models.TextField(_("summary"))
    publicity = FSMField(
        _("publicity"), default=Publicity.PUBLISHED, choices=Publicity.choices, protected=True, max_length=12
    )
    # A list entry (serious list, court list) ends by itself on this day unless exited earlier (SAMR Order
    # 44 art. 22; 法释〔2017〕7号 art. 2); the automatic-exit sweep reads it.
    listed_until = models.DateField(_("listed until"), null=True, blank=True)
    # The last day the record is published (双公示 公示截止期; docs/domain.md §9.7, SAMR Orders 45 / 107, NDRC
    # Order 36: an administrative penalty is published for a fixed period from its decision date). The
    # publication sweep takes the record down the day after; empty when unknown (the sweep then counts the
    # period from the decision date).
    publication_ends_on = models.DateField(_("publication ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-decided_on", "id"]
        indexes = [
            models.Index(fields=["publicity", "listed_until"]),
            models.Index(fields=["publicity", "publication_ends_on"], name="record_publication_due"),
            # Keyset pages of GET /records/ (latest decided first; issue 13).
            models.Index(fields=["-decided_on", "id"], name="record_decided"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decided_on} ({self.subject.name})"

    @transition(field=publicity, source=Publicity.PUBLISHED, target=Publicity.DISPUTED)
    def mark_disputed(self):
        pass

    @transition(field=publicity, source=Publicity.DISPUTED, target=Publicity.PUBLISHED)
    def clear_dispute(self):
        pass

    # An objection's outcome settles the record (services/objection.py `objection_settle`). A review (复核)
    # settles a record whose first objection already cleared the mark, hence PUBLISHED as a source too.
    @transition(field=publicity, source=[Publicity.DISPUTED, Publicity.PUBLISHED], target=Publicity.DELETED)
    def delete_as_wrong(self):
        """`deleted`: a factual error; the record is gone from publication and from the subject's file."""

    @transition(field=publicity, source=[Publicity.DISPUTED, Publicity.PUBLISHED], target=Publicity.ENDED)
    def stop_publication_as_wrong(self):
        """`publication_stopped` (shown past its period) and `removed_from_list` (wrongly listed, or not
        removed when due): the record stays on file, no longer published."""

    @transition(field=publicity, source=Publicity.PUBLISHED, target=Publicity.ENDED)
    def end_publication(self):
        """Repair, list exit, automatic exit at the end of the listing, court deletion."""

    @transition(field=publicity, source=Publicity.PUBLISHED, target=Publicity.SHIELDED)
    def shield(self):
        """Bankruptcy restructuring stage 1: hidden from the public while the plan is carried out."""

    @transition(field=publicity, source=Publicity.SHIELDED, target=Publicity.ENDED)
    def end_shielded(self):
        """Bankruptcy restructuring stage 2: the full repair once the plan is carried out."""
