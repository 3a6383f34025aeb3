"""Anchors of the hash-chained history (issue 11; ADR 0001).

A chain proves its events were not edited or relinked, but not that its newest events (or the whole chain)
were not deleted: a shorter chain is still a valid chain. A checkpoint records the head (stream, seq, hash) of
every stream and a Merkle root over all of them; the root is published outside the database (supervisors'
inboxes, the national platform). `verify_history` then checks every anchored head is still there.

Checkpoints are themselves chained (`prev_digest`) and append-only. `CheckpointHead` rows hold only the heads
that moved since the previous checkpoint, so a day's checkpoint costs the streams that changed that day.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Checkpoints are append-only.")

    def delete(self):
        raise TypeError("Checkpoints are append-only.")


class HistoryCheckpoint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seq = models.PositiveIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("at"))
    streams = models.PositiveIntegerField(_("streams"))
    events = models.PositiveBigIntegerField(_("events"))
    # sha256 Merkle root over the sorted leaves sha256("stream\x1fseq\x1fhash") of every stream head.
    root = models.CharField(_("Merkle root"), max_length=64)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("history checkpoint")
        verbose_name_plural = _("history checkpoints")
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.root[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Checkpoints are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Checkpoints are append-only.")


class CheckpointHead(models.Model):
    """A stream's head as a checkpoint anchored it (only streams whose head moved since the previous one)."""

    checkpoint = models.ForeignKey(HistoryCheckpoint, on_delete=models.PROTECT, related_name="heads")
    stream = models.CharField(max_length=80)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "stream"], name="checkpoint_head_once")]
        indexes = [models.Index(fields=["stream", "checkpoint"], name="checkpoint_head_stream")]

    def __str__(self):
        return f"{self.stream}#{self.seq}"
