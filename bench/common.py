"""What every benchmark shares: a machine-readable result line that `bench/run.py` (make bench) collects.

Each figure is printed beside its reference measured in the same run, so a busy or slow machine shows in both.
"""

import json


def emit(
    name: str,
    figure: float,
    unit: str,
    *,
    reference: float | None = None,
    reference_name: str = "",
    **details,
) -> None:
    """Print `RESULT {json}` (one line); `bench/run.py` turns these into the table in docs/performance.md."""
    print(
        "RESULT "
        + json.dumps(
            {
                "name": name,
                "figure": figure,
                "unit": unit,
                "reference": reference,
                "reference_name": reference_name,
                "details": details,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def column_defaults_in_database() -> None:
    """Give every NOT NULL column with a constant Django default the same default in the database.

    The benchmarks seed a province with set-based `INSERT … SELECT` (the speed of COPY), which names only the
    columns a benchmark cares about. Without this, every column a later migration adds (a flag, a counter)
    breaks the seeding; with it, the seed keeps working and gets the same value a service would write.
    Only for the scratch benchmark database: the application itself always writes every column.
    """
    import uuid

    from django.apps import apps
    from django.db import connection
    from django.db.models import NOT_PROVIDED
    from django.utils import timezone

    callables = {uuid.uuid4: "gen_random_uuid()", timezone.now: "now()"}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            for field in model._meta.local_concrete_fields:
                if field.null or field.default is NOT_PROVIDED or field.primary_key:
                    continue
                column = connection.ops.quote_name(field.column)
                if callable(field.default):
                    if field.default not in callables:
                        continue
                    cursor.execute(
                        f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {callables[field.default]}"
                    )
                    continue
                value = field.get_db_prep_save(field.default, connection)
                literal = cursor.mogrify("%s", [value])
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {literal}")
