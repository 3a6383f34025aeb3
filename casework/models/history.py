"""The append-only, hash-chained history of every change (DESIGN invariant 2).

Each thing that changes — a case, a record, a sanction, a task — has its own chain ("stream"): events are
numbered 1, 2, 3 … within the stream and each carries the hash of the one before. A chain per stream
rather than one global chain keeps writers of unrelated cases from queueing behind a single lock, while the
unique (stream, seq) pair still lets a racing second writer fail instead of forking the chain.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History is append-only.")

    def delete(self):
        raise TypeError("History is append-only.")


class HistoryEvent(models.Model):
    stream = models.CharField(max_length=80)
    seq = models.PositiveIntegerField()
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="history"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=60)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    rule_set_version = models.CharField(max_length=40, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = HistoryEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="history_stream_seq_unique")]

    def __str__(self):
        return f"{self.stream}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("History is append-only.")

    def hash_content(self) -> dict:
        """What the hash covers, by name: every column but the id and the hash itself."""
        return {
            "stream": self.stream,
            "seq": self.seq,
            "case": self.case_id,
            # Normalised to UTC: the database hands `at` back in UTC whatever zone it was written in.
            "at": self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "from": self.from_state,
            "to": self.to_state,
            "note": self.note,
            "data": self.data,
            "rules": self.rule_set_version,
            "prev": self.prev_hash,
        }

    def compute_hash(self) -> str:
        # Called unbound on look-alikes too (services.history.Appended, bulk imports), hence not self.hash_content().
        canonical = json.dumps(
            HistoryEvent.hash_content(self),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()
