"""Issue 13: the LIKE-only `_like` twins of the digest indexes (history hashes, import natural keys) are gone on
PostgreSQL, and the migration operation that drops them puts them back when reversed."""

import pytest
from django.db import connection

from casework.pattern_index import drop_pattern_index

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL builds pattern-ops twins"),
]

DIGESTS = [("casework_historyevent", "hash"), ("integration_importedrow", "key")]


def indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.parametrize(("table", "column"), DIGESTS)
def test_the_digest_keeps_its_unique_index_and_loses_its_pattern_twin(table, column):
    found = indexes(table)
    assert not any("pattern_ops" in definition for definition in found.values()), found
    assert any("UNIQUE" in d and f"({column})" in d for d in found.values()), found


@pytest.mark.parametrize(("table", "column"), DIGESTS)
def test_the_operation_reverses_and_applies_again(table, column):
    operation = drop_pattern_index(table, column)
    with connection.schema_editor() as editor:
        operation.reverse_code(None, editor)
    assert sum("varchar_pattern_ops" in d for d in indexes(table).values()) == 1
    with connection.schema_editor() as editor:
        operation.code(None, editor)
    assert not any("varchar_pattern_ops" in d for d in indexes(table).values())
