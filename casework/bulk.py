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

# PostgreSQL array types for the columns the sweeps write, by Django's internal field type.
_PG_ARRAY = {
    "AutoField": "integer[]",
    "BigAutoField": "bigint[]",
    "ForeignKey": None,  # the target's type, resolved below
    "OneToOneField": None,
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


def _column_value(field: models.Field, value: Any) -> Any:
    if isinstance(field, models.JSONField):
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple],
    *,
    returning: bool = False,
    skip_conflicts: bool = False,
):
    """Insert `rows` (values in the order of `fields`, attnames such as "case_id") in one statement, in the
    caller's transaction. Columns left out get what the ORM would give them: the time for auto_now(_add),
    else the field's default (a fresh uuid4 per row for `public_id`). With `returning`, the new primary
    keys (in no promised order) are returned; else None. With `skip_conflicts` (PostgreSQL only), a row that
    would break a unique constraint is left out (`ON CONFLICT DO NOTHING`) and not returned."""
    if not rows:
        return [] if returning else None
    opts = model._meta
    by_attname = {f.attname: f for f in opts.concrete_fields}
    given = [by_attname[name] for name in fields]
    rest = [f for f in by_attname.values() if not f.primary_key and f.attname not in fields]
    if connection.vendor != "postgresql":
        if skip_conflicts:
            raise NotImplementedError("skip_conflicts needs PostgreSQL; write such rows one by one elsewhere")
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs)
        return [obj.pk for obj in objs] if returning else None
    now = timezone.now()
    params: list[Any] = []
    selects: list[str] = []
    for i, field in enumerate(given):
        params.append([_column_value(field, row[i]) for row in rows])
        cast = "::jsonb" if isinstance(field, models.JSONField) else ""
        selects.append(f"c{i}{cast}")
    constants: list[str] = []
    for field in rest:
        cast = f"::{field.db_type(connection)}"  # an untyped parameter in a SELECT list reads as text
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            constants.append(f"%s{cast}")
            params.append(now)
        elif isinstance(field, models.UUIDField) and field.has_default():
            constants.append("gen_random_uuid()")  # a fresh one per row, as uuid4 would give
        elif isinstance(field, models.JSONField):
            constants.append("%s::jsonb")
            params.append(json.dumps(field.get_default()))
        else:
            constants.append(f"%s{cast}")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    arrays = ", ".join(f"%s::{_array_type(f)}" for f in given)
    names = ", ".join(f"c{i}" for i in range(len(given)))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    # The per-column arrays come first in the parameters; the constants after them, in SELECT order.
    column_params, constant_params = params[: len(given)], params[len(given) :]
    # Only identifiers from the model's metadata are formatted in; every value is a bound parameter.
    table = connection.ops.quote_name(opts.db_table)
    select = ", ".join(selects + constants)
    sql = f"INSERT INTO {table} ({columns}) SELECT {select} FROM unnest({arrays}) AS v({names})"  # noqa: S608
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += f" RETURNING {connection.ops.quote_name(opts.pk.column)}"
    # Parameters in the order the placeholders appear: the SELECT's constants, then the unnest arrays.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constant_params, *column_params])
        return [pk for (pk,) in cursor.fetchall()] if returning else None


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
    arrays = ", ".join(f"%s::{_array_type(f)}" for f in [pk, *given])
    names = ", ".join(f"c{i}" for i in range(len(given) + 1))
    assignments = ", ".join(
        f"{q(f.column)} = v.c{i + 1}{'::jsonb' if isinstance(f, models.JSONField) else ''}"
        for i, f in enumerate(given)
    )
    params = [[row[0] for row in rows]] + [
        [_column_value(f, row[i + 1]) for row in rows] for i, f in enumerate(given)
    ]
    with connection.cursor() as cursor:
        # Only identifiers from the model's metadata are formatted in; every value is a bound parameter.
        table, key = q(opts.db_table), q(pk.column)
        sql = (
            f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) WHERE t.{key} = v.c0"  # noqa: S608, E501
        )
        cursor.execute(sql, params)
        return cursor.rowcount
