"""A migration operation: drop the `varchar_pattern_ops` twin Django builds beside a unique CharField's index.

On PostgreSQL, Django gives every indexed `CharField` a second index (`…_like`) that serves only
`LIKE 'prefix%'`. For columns holding digests (history hashes, import natural keys) nothing searches by
prefix, and every row written paid for one more random B-tree insertion. The unique index stays. Other
databases never had the twin, so there the operation does nothing. Reversible.
"""

from django.db import migrations


def drop_pattern_index(table: str, column: str) -> migrations.RunPython:
    """`RunPython` dropping (reverse: re-creating) the `_like` index of `table.column`, PostgreSQL only."""

    def name(schema_editor) -> str:
        return schema_editor.quote_name(schema_editor._create_index_name(table, [column], suffix="_like"))

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name(schema_editor)}")

    def restore(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name(schema_editor)} "
                f"ON {schema_editor.quote_name(table)} ({schema_editor.quote_name(column)} varchar_pattern_ops)"
            )

    return migrations.RunPython(drop, restore, elidable=False)
