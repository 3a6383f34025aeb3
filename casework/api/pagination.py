"""Keyset pages for the API's lists (cases, tasks, subjects, records, deliveries): `?cursor=` and `?page_size=`.

The body stays what it always was — a JSON array — so clients written for the unpaged lists keep working;
the way on is in the `Link` header (RFC 8288, as GitHub's API does): `<…?cursor=…>; rel="next"` and
`rel="prev"`, absent at either end. No page count is given: counting a province's cases on every page was
what made the list slow (issue 13). The cursor is opaque; one from another list or edited is a 400.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from casework.keyset import InvalidCursor, keyset_page

CURSOR = OpenApiParameter(
    "cursor",
    OpenApiTypes.STR,
    description='Opaque position from a `Link` header (`rel="next"` or `rel="prev"`) of an earlier '
    "page of the same list and filters; omit for the first page.",
)
LINK = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=True,
    description='The next and previous pages, e.g. `<https://…/api/v1/cases/?cursor=eyJv…>; rel="next"`; '
    'no `rel="next"` on the last page.',
)


def page_parameters(default: int, maximum: int) -> list[OpenApiParameter]:
    """The OpenAPI description of `cursor`, `page_size` and the `Link` response header."""
    size = OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=f"Rows per page, 1–{maximum}; default {default}.",
    )
    return [CURSOR, size, LINK]


def _page_size(request, default: int, maximum: int) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:  # absent: the default; present but empty is not a number (the schema says integer)
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ValidationError({"page_size": [_("Give a whole number from 1 to %(max)d.") % {"max": maximum}]})
    return size


def keyset_response(request, queryset, ordering, serialize, *, default: int, maximum: int) -> Response:
    """One page of `queryset` in `ordering` (ending with a unique field), serialised by `serialize(rows)`,
    with the `Link` header. 400 on a bad `cursor` or `page_size`."""
    size = _page_size(request, default, maximum)
    try:
        page = keyset_page(queryset, ordering, cursor=request.query_params.get("cursor"), size=size)
    except InvalidCursor:
        raise ValidationError(
            {"cursor": [_("This cursor does not belong to this list; start again from the first page.")]}
        ) from None
    response = Response(serialize(page.rows))
    url = remove_query_param(request.build_absolute_uri(), "cursor")
    links = []
    if page.next_cursor:
        links.append(f'<{replace_query_param(url, "cursor", page.next_cursor)}>; rel="next"')
    if page.previous_cursor:
        links.append(f'<{replace_query_param(url, "cursor", page.previous_cursor)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response
