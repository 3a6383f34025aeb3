"""Drop the `varchar_pattern_ops` twin Django builds beside the unique index of `ImportedRow.key`.

That twin serves only `LIKE 'prefix%'` queries, and nothing searches a natural key (a SHA-256 digest) by
prefix; every row a bulk import wrote paid for one more random B-tree insertion (200,000 keys at 100,000
rows). The unique index, which re-imports look keys up by, stays. PostgreSQL only: other databases never
had the twin.
"""

from django.db import migrations

from casework.pattern_index import drop_pattern_index


class Migration(migrations.Migration):
    dependencies = [
        ("integration", "0003_feedback_escalation_provisional"),
    ]

    operations = [drop_pattern_index("integration_importedrow", "key")]
