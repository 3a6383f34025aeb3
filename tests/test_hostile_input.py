"""Issue #12, never a 500: hostile input of each kind is a 4xx with a clear message, on every URL.

Kinds: a NUL byte in a path, query or header (every API and web URL pattern); JSON nested 1,000 deep; a
malformed id or an unmatched URL under /api/ (JSON, never HTML); dates at the edges of the calendar; text
larger than the limit (a 10 MB statement)."""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from casework.dates import EARLIEST, LATEST
from casework.models import Case, CreditRecord

from .web_world import add_supervisor
from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db

SAMPLE = {
    "uuid": "0b6f1f5e-6a53-4a8e-9c1e-3a2f4b5c6d7e",
    "str": "YY-2026-000001",
    "slug": "objection",
    "int": "1",
    "path": "a/b",
}


def every_url(patterns=None, prefix: str = "") -> list[str]:
    """A concrete path for every URL pattern of the project (converters filled with sample values)."""
    paths = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry.pattern, RegexPattern):
            continue  # regex routes (the admin's catch-all): covered by the admin's own paths
        concrete = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
        if isinstance(entry, URLResolver):
            paths.extend(every_url(entry.url_patterns, prefix + concrete))
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + concrete)
    return sorted(set(paths))


def with_nul(path: str) -> list[str]:
    """The same URL with a NUL in the path, and with one in the query."""
    head = path.rstrip("/") or ""
    return [head + "%00/", path + "?q=a%00b"]


@pytest.fixture
def clients(admin_api):
    world = build_world(admin_api)
    web = Client()
    web.force_login(add_supervisor())
    return world, web


def test_url_list_covers_api_and_web():
    urls = every_url()
    assert len(urls) > 40
    assert any(u.startswith("/api/v1/cases/") for u in urls)
    assert any(u.startswith("/portal/") for u in urls)
    assert any(u.startswith("/supervision/") for u in urls)


def test_a_nul_byte_in_any_path_or_query_is_a_400_on_every_url(clients):
    """Kind: NUL in the URL. PostgreSQL refuses NUL in text; no view may ever see one."""
    world, web = clients
    answers = {}
    for url in every_url():
        for hostile in with_nul(url):
            for client in (world.admin, web):
                response = client.get(hostile)
                answers[(hostile, response.status_code)] = response
    bad = sorted({url for (url, status) in answers if status != 400})
    assert bad == []
    for (url, _status), response in answers.items():
        if url.startswith("/api/"):
            assert response["Content-Type"].startswith("application/json"), url
            assert "detail" in response.json()


def test_a_nul_byte_in_a_header_or_a_json_body_is_a_400(clients):
    world, _web = clients
    assert world.admin.get("/api/v1/cases/", HTTP_X_CUSTOM="a\x00b").status_code == 400
    response = world["subject"].post(
        "/api/v1/cases/",
        data=json.dumps({"kind": "objection", "statement": "a\u0000b"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    form = world["subject"].post("/api/v1/cases/", {"kind": "objection", "statement": "a\x00b"})
    assert form.status_code == 400
    assert Case.objects.count() == 0


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_too_deep_is_a_400_not_a_recursion_error(admin_api, depth):
    """Kind: unbounded recursion in the parser. The limit is CASEWORK_JSON_MAX_DEPTH (32)."""
    body = "[" * depth + "]" * depth
    response = admin_api.post("/api/v1/subjects/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_json_within_the_depth_limit_and_brackets_inside_strings_are_fine(admin_api, credit_office):
    name = "[[[[" * 20 + "公司"
    response = admin_api.post(
        "/api/v1/subjects/",
        data=json.dumps({"kind": "enterprise", "code": "91350102MA2Y3K4L5X", "name": name}),
        content_type="application/json",
    )
    assert response.status_code in (201, 400)
    assert "nested" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tasks/not-a-uuid/",
        "/api/v1/records/123/",
        "/api/v1/sanctions/%E4%B8%AD/feedback/",
        "/api/v1/no-such-thing/",
        "/api/v2/cases/",
        "/api/v1/cases/YY-2026-000001/notices/zzz.pdf",
        "/api/v1/calendar-years/0/",  # years outside the date range: the calendar libraries raised
        "/api/v1/calendar-years/19013/",
    ],
)
def test_every_api_url_answers_json_even_when_no_route_matches(admin_api, url):
    """Kind: the API answering HTML. Malformed ids and unknown URLs are a JSON 404 {"detail": …}."""
    response = admin_api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_dates_outside_the_range_are_field_errors_on_every_date_input(admin_api):
    """Kind: a date at the edge of the calendar (9999-06-01 + a listing period overflows). Every date
    input accepts EARLIEST..LATEST only, with a message on the field."""
    world = build_world(admin_api)
    base = {
        "subject": world.subject["id"],
        "kind": "serious_list",
        "severity": "serious",
        "provider": "xy-market",
        "summary": "边界日期",
    }
    for decided_on in [
        "9999-06-01",
        "1899-12-31",
        (LATEST.replace(day=30)).isoformat().replace("2100", "2101"),
    ]:
        response = admin_api.post("/api/v1/records/", {**base, "decided_on": decided_on}, format="json")
        assert response.status_code == 400, decided_on
        assert "decided_on" in response.json()
    response = admin_api.post(
        "/api/v1/records/", {**base, "decided_on": "2026-01-05", "listed_until": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400 and "listed_until" in response.json()
    assert CreditRecord.objects.filter(summary="边界日期").count() == 0

    sanction = world.sanctions[0]["id"]
    response = world["finance"].post(
        f"/api/v1/sanctions/{sanction}/feedback/",
        {"state": "applied", "on": "9999-12-31", "reference": "x", "reported_by": "y"},
        format="json",
    )
    assert response.status_code == 400 and "on" in response.json()
    for query in ("created_from=0001-01-01", "created_to=9999-12-31", "created_to="):
        assert admin_api.get(f"/api/v1/deliveries/?{query}").status_code == 400, query
    assert EARLIEST.isoformat() in str(response.json()["on"])


def test_the_monthly_report_refuses_a_month_past_the_range_with_a_message(admin_api):
    build_world(admin_api)
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(add_supervisor())
    for month in ("9999-12", "0000-01", "2026-13", "x"):
        response = web.get("/supervision/reports/monthly/", {"month": month})
        assert response.status_code == 400, month
        assert "is not a month" in response.content.decode(), month
    ok = web.get("/supervision/reports/monthly/", {"month": "2026-11", "format": "csv"})
    assert ok.status_code == 200 and ok["Content-Disposition"].startswith("attachment")


def test_text_longer_than_the_limit_is_a_field_error_and_nothing_is_saved(admin_api, settings):
    """Kind: unbounded text (a 10 MB statement was stored twice: on the case and in its history)."""
    world = build_world(admin_api)
    limit = settings.CASEWORK_TEXT_MAX_CHARS
    filing = {
        "kind": "objection",
        "subject": world.subject["id"],
        "records": [world.record["id"]],
        "commitment_signed": True,
    }
    response = world["subject"].post(
        "/api/v1/cases/", {**filing, "statement": "错" * (limit + 1)}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"statement"}
    assert str(limit) in response.json()["statement"][0]
    # 10 MB: refused before parsing (DATA_UPLOAD_MAX_MEMORY_SIZE), as JSON.
    huge = world["subject"].post(
        "/api/v1/cases/",
        data=json.dumps({**filing, "statement": "x" * 10_000_000}),
        content_type="application/json",
    )
    assert huge.status_code in (400, 413) and huge["Content-Type"].startswith("application/json")
    assert Case.objects.count() == 0
    assert created(file_objection(world))["state"]  # the limit leaves ordinary statements alone


def test_an_empty_department_code_is_refused_not_read_as_none(admin_api):
    """Kind: a related field that turns "" into null (found by the fuzz run on POST /departments/)."""
    build_world(admin_api)
    for fmt in ("json", "multipart"):
        response = admin_api.post(
            "/api/v1/departments/",
            {
                "code": f"empty-parent-{fmt}",
                "name": "测试",
                "kind": "other",
                "level": "district",
                "division": "350102",
                "parent": "",
            },
            format=fmt,
        )
        assert response.status_code == 400, (fmt, response.content)
        assert "parent" in response.json()
