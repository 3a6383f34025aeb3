"""Drop the `varchar_pattern_ops` twin Django builds beside the unique index of `HistoryEvent.hash`.

That twin serves only `LIKE 'prefix%'` queries, and nothing searches a SHA-256 digest by prefix; every
history event written paid for one more random B-tree insertion (a bulk import writes 200,000 events at
once). The unique index stays. PostgreSQL only: other databases never had the twin.
"""

from django.db import migrations

from casework.pattern_index import drop_pattern_index


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0020_objection_review"),
    ]

    operations = [drop_pattern_index("casework_historyevent", "hash")]
