"""Keyset (cursor) pagination: a page is "the N rows after this row in this order", never "skip K rows".

An OFFSET page reads and throws away every row before it, and a page number needs a COUNT(*) of the whole
list; both grow with the table (1M cases: seconds). A keyset page reads only its own rows from an index on
the ordering, whatever its depth, and works the same on PostgreSQL and SQLite.

    page = keyset_page(cases, ("-filed_at", "-id"), cursor=request.GET.get("cursor"), size=50)
    page.rows, page.next_cursor, page.previous_cursor      # cursors are opaque strings, or None

The ordering must end with a unique field (`id`), so every row has exactly one place. Fields may be
related (`case__number`) and directions mixed. Values must not be NULL (order only by non-null columns).
A cursor names its ordering: one made for another sort, or tampered with, is `InvalidCursor`.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime


class InvalidCursor(ValueError):
    """The cursor is not one this list handed out (another sort, edited by hand, garbage)."""


@dataclass
class KeysetPage:
    rows: list = field(default_factory=list)
    next_cursor: str | None = None
    previous_cursor: str | None = None
    keyset: bool = True  # templates tell this page from a numbered one

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list:
        return self.rows

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if hasattr(value, "hex") and not isinstance(value, int | float | str):  # UUID
        return str(value)
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        parsed = parse_datetime(value.get("t", "")) if "t" in value else parse_date(value.get("d", ""))
        if parsed is None:
            raise InvalidCursor("bad date")
        return parsed
    if value is None or not isinstance(value, int | str | float):
        raise InvalidCursor("bad value")
    return value


def encode_cursor(ordering: Sequence[str], values: Sequence[Any], *, backwards: bool = False) -> str:
    body = {"o": list(ordering), "v": [_plain(v) for v in values], "b": backwards}
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, ordering: Sequence[str]) -> tuple[list[Any], bool]:
    """The row values and direction a cursor holds; `InvalidCursor` unless it was made for `ordering`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
        values, backwards = body["v"], body["b"]
        if body["o"] != list(ordering) or len(values) != len(ordering) or not isinstance(backwards, bool):
            raise InvalidCursor("another list's cursor")
        return [_typed(v) for v in values], backwards
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, InvalidCursor):
            raise
        raise InvalidCursor(str(error)) from error


def _flip(term: str) -> str:
    return term[1:] if term.startswith("-") else f"-{term}"


def after_q(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) or ...

    The first field is also bounded on its own (a >= x), so the database seeks the index to the cursor
    instead of filtering from the start of the list.
    """
    first, first_value = ordering[0], values[0]
    bound = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": first_value})
    after = Q(pk__in=[])
    equal = Q()
    for term, value in zip(ordering, values, strict=True):
        name = term.lstrip("-")
        after |= equal & Q(**{f"{name}__{'lt' if term.startswith('-') else 'gt'}": value})
        equal &= Q(**{name: value})
    return bound & after


def _key(row: Any, ordering: Sequence[str]) -> list[Any]:
    values = []
    for term in ordering:
        value = row
        for part in term.lstrip("-").split("__"):
            value = getattr(value, part)
        values.append(value)
    return values


def keyset_page(queryset: QuerySet, ordering: Sequence[str], *, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `ordering` (ending with a unique field); two cursors, or None at either end.

    Reads `size + 1` rows in one query (the extra row tells whether there is more); no COUNT.
    Raises `InvalidCursor`.
    """
    ordering = tuple(ordering)
    backwards = False
    if cursor:
        values, backwards = decode_cursor(cursor, ordering)
        order = tuple(_flip(t) for t in ordering) if backwards else ordering
        queryset = queryset.filter(after_q(order, values))
    else:
        order = ordering
    rows = list(queryset.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = KeysetPage(rows=rows)
    if not rows:
        return page
    first, last = _key(rows[0], ordering), _key(rows[-1], ordering)
    if backwards:
        page.previous_cursor = encode_cursor(ordering, first, backwards=True) if more else None
        page.next_cursor = encode_cursor(ordering, last)  # we came from the page after this one
    else:
        page.next_cursor = encode_cursor(ordering, last) if more else None
        page.previous_cursor = encode_cursor(ordering, first, backwards=True) if cursor else None
    return page
