"""Issue 13: the queue's due date copied onto the task row (filled from its deadline), the queue's partial
indexes, and the case lists' keyset indexes."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_due_dates(apps, schema_editor):
    CaseTask = apps.get_model("casework", "CaseTask")
    Deadline = apps.get_model("casework", "Deadline")
    due = Deadline.objects.filter(pk=OuterRef("deadline_id")).values("due_on")[:1]
    CaseTask.objects.update(due_on=Subquery(due))
    # A deadline without a due date never existed (derived on creation); if one did, its start stands in.
    started = Deadline.objects.filter(pk=OuterRef("deadline_id")).values("started_on")[:1]
    CaseTask.objects.filter(due_on__isnull=True).update(due_on=Subquery(started))


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_notice_bankruptcy_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="casetask",
            name="due_on",
            field=models.DateField(editable=False, null=True, verbose_name="due on"),
        ),
        migrations.RunPython(copy_due_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="casetask",
            name="due_on",
            field=models.DateField(editable=False, verbose_name="due on"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["filed_at", "id"], name="case_filed"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["kind", "filed_at", "id"], name="case_kind_filed"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["state", "filed_at", "id"], name="case_state_filed"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["receiving_office", "filed_at", "id"], name="case_office_filed"),
        ),
        migrations.AddIndex(
            model_name="casetask",
            index=models.Index(
                condition=models.Q(("state__in", ["open", "claimed"])),
                fields=["department", "due_on", "created_at", "id"],
                name="casetask_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="casetask",
            index=models.Index(
                condition=models.Q(("state__in", ["open", "claimed"])),
                fields=["department", "step", "due_on", "id"],
                name="casetask_queue_step",
            ),
        ),
        migrations.AddIndex(
            model_name="casetask",
            index=models.Index(fields=["department", "case"], name="casetask_department_case"),
        ),
        migrations.AddIndex(
            model_name="creditrecord",
            index=models.Index(fields=["-decided_on", "id"], name="record_decided"),
        ),
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(fields=["name", "id"], name="subject_name"),
        ),
    ]
