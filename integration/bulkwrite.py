"""Inserting many rows of one model, given as plain tuples: PostgreSQL `COPY`, the ORM's bulk_create elsewhere.

A bulk import writes hundreds of thousands of rows. Through bulk_create each one is a model instance, every
value goes through the field's preparation and psycopg quotes it into a huge INSERT: at 100k rows that was
most of the import's time. `COPY` streams the tuples as they are. Its one gap — it returns no ids — is
closed by drawing the ids from the table's sequence first, so callers still learn each row's primary key.
Other databases (SQLite in development and tests) take the ORM path with the same inputs and results.
"""

import json
from collections.abc import Collection, Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg import sql
from psycopg.types.json import Jsonb

CHUNK = 1000  # keys per `IN` query where there is no array parameter (SQLite allows 32766 variables at most)
ARRAY_CHUNK = 10_000  # keys per array parameter (PostgreSQL)


class JsonText(str):
    """A JSON column's value already serialised (JSON text), so that a caller who needed the text anyway (to
    hash it) does not have it serialised a second time for `COPY`."""


def insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """Insert `rows` (values in the order of `fields`, attnames such as "record_id"; the other columns get
    their defaults) and return their primary keys in the same order. Runs in the caller's transaction; no
    signals, no model `save()`."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows)
    objs = [
        model(
            **{f: json.loads(v) if isinstance(v, JsonText) else v for f, v in zip(fields, row, strict=True)}
        )
        for row in rows
    ]
    model.objects.bulk_create(objs)
    return [o.pk for o in objs]


def lookup(model: type[models.Model], key: str, keys: Collection[str], value: str) -> dict[str, object]:
    """{key: value} for the rows of `model` whose `key` field (a unique text column) is one of `keys`; keys not
    found are absent. PostgreSQL: the keys go ARRAY_CHUNK at a time as one array parameter, joined to the
    table (a query per 10,000 keys, not a thousand-literal `IN` per 1,000 keys, which at 200k keys cost
    seconds in query building and planning alone; chunked so that no single query text grows past a
    megabyte). Elsewhere: `IN` queries of CHUNK keys."""
    ordered = sorted(keys)
    found: dict[str, object] = {}
    if connection.vendor != "postgresql":
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, value))
        return found
    query = sql.SQL(
        "SELECT t.{k}, t.{v} FROM unnest(%s::text[]) AS wanted(k) JOIN {table} t ON t.{k} = wanted.k"
    )
    query = query.format(
        k=sql.Identifier(model._meta.get_field(key).column),
        v=sql.Identifier(model._meta.get_field(value).column),
        table=sql.Identifier(model._meta.db_table),
    )
    with connection.cursor() as cursor:
        text = query.as_string(cursor.cursor)
        for start in range(0, len(ordered), ARRAY_CHUNK):
            cursor.execute(text, [ordered[start : start + ARRAY_CHUNK]])
            found.update(cursor.fetchall())
    return found


def _copy(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_attname[name] for name in fields]
    json_at = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]
    now = timezone.now()
    # What the ORM would fill in for the columns left out: the time for auto_now(_add), else the default
    # (called per row, so that each row gets its own uuid4).
    rest = [f for f in by_attname.values() if not f.primary_key and f.attname not in fields]
    stamped = [getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) for f in rest]
    table, pk = model._meta.db_table, model._meta.pk
    columns = [pk.column, *(f.column for f in given), *(f.column for f in rest)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids = [i for (i,) in cursor.fetchall()]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )

        def extras() -> tuple:
            return tuple(now if stamp else f.get_default() for f, stamp in zip(rest, stamped, strict=True))

        # Left-out columns whose value is the same for every row (the time, a constant default) are made once.
        per_row = any(callable(f.default) and not stamp for f, stamp in zip(rest, stamped, strict=True))
        constant = () if per_row else extras()
        # The raw psycopg cursor bypasses Django's error translation: a unique violation must still arrive as
        # django.db.IntegrityError, which records_import retries on.
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            write = copy.write_row
            for pk_value, row in zip(ids, rows, strict=True):
                if json_at:
                    row = list(row)
                    for i in json_at:
                        if not isinstance(row[i], JsonText):  # JSON text already: COPY's text is its input
                            row[i] = Jsonb(row[i])
                write((pk_value, *row, *(extras() if per_row else constant)))
    return ids
