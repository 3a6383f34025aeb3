"""Set-based writes for the sweeps: many rows of one table in ONE statement, whatever their number.

A sweep that fires ten thousand escalation levels cannot afford a statement (or a model instance) per row.
On PostgreSQL the rows travel as one array per column and are written by `INSERT … SELECT … FROM unnest(…)`
or `UPDATE … FROM unnest(…)`: one round trip, the values bound as parameters (never spliced into the SQL).
Other databases (SQLite in development and in the web tests) take the ORM's bulk paths with the same inputs
and results. Nothing here runs model `save()`, signals or validation: the callers are services that have
already decided every value, in their own transaction.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# PostgreSQL array types for the columns the sweeps write, by Django's internal field type (a foreign key
# takes its target's).
_PG_ARRAY = {
    "AutoField": "integer[]",
    "BigAutoField": "bigint[]",
    "IntegerField": "integer[]",
    "BigIntegerField": "bigint[]",
    "PositiveIntegerField": "integer[]",
    "PositiveSmallIntegerField": "smallint[]",
    "SmallIntegerField": "smallint[]",
    "CharField": "text[]",
    "TextField": "text[]",
    "BooleanField": "boolean[]",
    "DateField": "date[]",
    "DateTimeField": "timestamptz[]",
    "UUIDField": "uuid[]",
    "JSONField": "text[]",  # sent as JSON text, cast per element: psycopg has no jsonb[] of dicts
}


def _array_type(field: models.Field) -> str:
    if field.is_relation:
        return _array_type(field.target_field)  # type: ignore[attr-defined]
    internal = field.get_internal_type()
    found = _PG_ARRAY.get(internal)
    if found is None:
        raise TypeError(f"casework.bulk does not write {internal} columns ({field})")
    return found


def server_cursor():
    """A cursor that binds parameters on the server: Django's default (client-side binding) quotes each array
    element into the SQL text in Python, which for a sweep's 80,000-element arrays took longer than the
    writes. Wrapped as Django wraps its own cursors, so query logging, `execute_wrapper` and
    CaptureQueriesContext still see every statement."""
    from django.db.backends.postgresql.base import ServerBindingCursor  # PostgreSQL only: imported here

    connection.ensure_connection()
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _column_value(field: models.Field, value: Any) -> Any:
    if isinstance(field, models.JSONField):
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


def array(values: list, field: models.Field | str) -> tuple[str, list[Any]]:
    """`values` as one bound array parameter typed for `field` (or an SQL array type such as "integer[]"):
    its SQL (binary transfer, `%b`: psycopg's text form quotes every element with a regular expression,
    ~100× slower for JSON) and its parameter."""
    if isinstance(field, str):
        return f"%b::{field}", list(values)
    if isinstance(field, models.JSONField):
        return f"%b::{_array_type(field)}", [_column_value(field, value) for value in values]
    return f"%b::{_array_type(field)}", list(values)  # what `_column_value` gives for any other field


def _defaults(rest: list[models.Field], now) -> tuple[list[str], list[Any]]:
    """SQL and parameters for the columns the caller leaves out: what the ORM would write for each."""
    sql: list[str] = []
    params: list[Any] = []
    for field in rest:
        cast = f"::{field.db_type(connection)}"  # an untyped parameter in a SELECT list reads as text
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            sql.append(f"%s{cast}")
            params.append(now)
        elif isinstance(field, models.UUIDField) and field.has_default():
            sql.append("gen_random_uuid()")  # a fresh one per row, as uuid4 would give
        elif isinstance(field, models.JSONField):
            sql.append("%s::jsonb")
            params.append(json.dumps(field.get_default()))
        else:
            sql.append(f"%s{cast}")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    return sql, params


def insert_select(
    model: type[models.Model],
    columns: dict[str, str],
    source: str,
    params: Sequence[Any],
    *,
    select_params: Sequence[Any] = (),
    returning: bool = False,
    skip_conflicts: bool = False,
) -> list[int] | None:
    """`INSERT INTO model (…) SELECT … FROM source` (PostgreSQL): `columns` maps attnames to their SQL
    expressions over `source` (their placeholders take `select_params`, those of `source` take `params`);
    every other column gets what the ORM would give it (`_defaults`). With `returning`, the new primary keys (in no promised order); with
    `skip_conflicts`, a row that would break a unique constraint is left out (`ON CONFLICT DO NOTHING`)."""
    opts = model._meta
    by_attname = {f.attname: f for f in opts.concrete_fields}
    given = [by_attname[name] for name in columns]
    rest = [f for f in by_attname.values() if not f.primary_key and f.attname not in columns]
    default_sql, default_params = _defaults(rest, timezone.now())
    q = connection.ops.quote_name
    names = ", ".join(q(f.column) for f in [*given, *rest])
    select = ", ".join([*columns.values(), *default_sql])
    # Only identifiers from the model's metadata and the caller's SQL are formatted in; values are bound.
    sql = f"INSERT INTO {q(opts.db_table)} ({names}) SELECT {select} FROM {source}"  # noqa: S608
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += f" RETURNING {q(opts.pk.column)}"
    with server_cursor() as cursor:
        cursor.execute(sql, [*select_params, *default_params, *params])
        return [pk for (pk,) in cursor.fetchall()] if returning else None


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple],
    *,
    returning: bool = False,
    skip_conflicts: bool = False,
) -> list[int] | None:
    """Insert `rows` (values in the order of `fields`, attnames such as "case_id") in one statement, in the
    caller's transaction. Columns left out get what the ORM would give them: the time for auto_now(_add),
    else the field's default (a fresh uuid4 per row for `public_id`). With `returning`, the new primary
    keys (in no promised order) are returned; else None. With `skip_conflicts` (PostgreSQL only), a row that
    would break a unique constraint is left out (`ON CONFLICT DO NOTHING`) and not returned."""
    if not rows:
        return [] if returning else None
    if connection.vendor != "postgresql":
        if skip_conflicts:
            raise NotImplementedError("skip_conflicts needs PostgreSQL; write such rows one by one elsewhere")
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs)
        return [obj.pk for obj in objs] if returning else None
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns: dict[str, str] = {}
    arrays: list[str] = []
    constants: list[Any] = []  # bound in the SELECT list
    vectors: list[Any] = []  # bound in FROM unnest(…)
    for i, name in enumerate(fields):
        field = by_attname[name]
        values = [row[i] for row in rows]
        first = values[0]
        # count() compares in C; the types are checked after it, since 1 == True.
        if values.count(first) == len(values) and all(type(value) is type(first) for value in values):
            # The same value in every row (NULL, 'system', a state): one parameter, not an array of copies.
            if isinstance(field, models.JSONField):
                columns[name] = "%s::jsonb"
                constants.append(_column_value(field, values[0]))
            else:
                columns[name] = f"%s::{field.db_type(connection)}"
                constants.append(field.get_db_prep_save(values[0], connection))
            continue
        sql, values = array(values, field)
        arrays.append(sql)
        vectors.append(values)
        columns[name] = f"c{len(arrays)}" + ("::jsonb" if isinstance(field, models.JSONField) else "")
    if not arrays:  # every row alike: still one row per tuple
        source = f"generate_series(1, {len(rows):d}) AS v"
    else:
        source = f"unnest({', '.join(arrays)}) AS v({', '.join(f'c{i + 1}' for i in range(len(arrays)))})"
    return insert_select(
        model,
        columns,
        source,
        vectors,
        select_params=constants,
        returning=returning,
        skip_conflicts=skip_conflicts,
    )


def update(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Set `fields` per row in one statement: each row is (pk, value, value, …) in the order of `fields`.
    Returns the number of rows updated."""
    if not rows:
        return 0
    opts = model._meta
    by_attname = {f.attname: f for f in opts.concrete_fields}
    given = [by_attname[name] for name in fields]
    if connection.vendor != "postgresql":
        objs = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        return model._default_manager.bulk_update(objs, [f.name for f in given])
    pk = opts.pk
    q = connection.ops.quote_name
    arrays = ", ".join(f"%b::{_array_type(f)}" for f in [pk, *given])
    names = ", ".join(f"c{i}" for i in range(len(given) + 1))
    assignments = ", ".join(
        f"{q(f.column)} = v.c{i + 1}{'::jsonb' if isinstance(f, models.JSONField) else ''}"
        for i, f in enumerate(given)
    )
    params = [[row[0] for row in rows]] + [
        [_column_value(f, row[i + 1]) for row in rows] for i, f in enumerate(given)
    ]
    with server_cursor() as cursor:
        # Only identifiers from the model's metadata are formatted in; every value is a bound parameter.
        table, key = q(opts.db_table), q(pk.column)
        sql = (
            f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) WHERE t.{key} = v.c0"  # noqa: S608, E501
        )
        cursor.execute(sql, params)
        return cursor.rowcount
