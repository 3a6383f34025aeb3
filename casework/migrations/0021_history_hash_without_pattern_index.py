"""Drop the `varchar_pattern_ops` twin Django builds beside the unique index of `HistoryEvent.hash`.

That twin serves only `LIKE 'prefix%'` queries, and nothing searches a SHA-256 digest by prefix; every
history event written paid for one more random B-tree insertion (a bulk import writes 200,000 events at
once). The unique index stays. PostgreSQL only: other databases never had the twin.
"""

from django.db import migrations

TABLE, COLUMN = "casework_historyevent", "hash"


def _name(schema_editor) -> str:
    return schema_editor._create_index_name(TABLE, [COLUMN], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_name(schema_editor))}")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(_name(schema_editor))} "
            f"ON {schema_editor.quote_name(TABLE)} ({schema_editor.quote_name(COLUMN)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0020_objection_review"),
    ]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
