"""Issue #2: acceptance decisions — refusal, 补正 once with the clock stopped, uploads sniffed by content."""

import struct
import zlib
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.calendar import add_working_days
from casework.models import Material
from notifications.models import Outbox

from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png_1x1()
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def accept_task(world) -> dict:
    [task] = queue(world["credit"])
    return task


def test_refusal_needs_a_reason_and_notifies_the_subject(admin_api):
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        task = accept_task(world)
        url = f"/api/v1/tasks/{task['id']}/complete/"
        missing = world["credit"].post(url, {"decision": "refuse"}, format="json")
        assert missing.status_code == 400 and "note" in missing.json()
        wrong = world["credit"].post(url, {"decision": "approve"}, format="json")
        assert wrong.status_code == 400 and "decision" in wrong.json()
        done = world["credit"].post(url, {"decision": "refuse", "note": "不属于本区受理范围"}, format="json")
        assert done.status_code == 200

    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert case["state"] == "refused" and case["decision_reason"] == "不属于本区受理范围"
    assert [s["state"] for s in world.sanctions] == ["active", "active"]
    # The filing marked the record 异议中 (docs/domain.md §9.1); 不予受理 takes the mark off again.
    record = world.admin.get(f"/api/v1/records/{world.record['id']}/").json()
    assert record["publicity"] == "published"
    assert queue(world["market"]) == []
    events = list(Outbox.objects.filter(case__number=number).values_list("event", flat=True))
    assert events == ["case_filed", "case_refused"]


def test_supplement_is_asked_once_and_stops_the_clock(admin_api):
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):  # Monday
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        task = accept_task(world)
        assert task["due_on"] == "2026-11-25"
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充处罚撤销决定书"},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "waiting" and response.json()["paused"] is True
    assert queue(world["credit"]) == []  # the clock is stopped: nothing to do until the subject answers
    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert case["state"] == "awaiting_materials" and case["materials_requested"] == "请补充处罚撤销决定书"

    # Four working days later (Friday 27th), the subject answers with a PDF.
    with time_machine.travel("2026-11-27 16:00 +0800", tick=False):
        bad = world["subject"].post(
            f"/api/v1/cases/{number}/supplement/",
            {"materials": [upload("撤销决定书.pdf", ELF)]},
            format="multipart",
        )
        assert bad.status_code == 400 and "materials" in bad.json()
        assert Material.objects.count() == 0
        good = world["subject"].post(
            f"/api/v1/cases/{number}/supplement/",
            {"note": "已补充", "materials": [upload("撤销决定书.pdf", PDF)]},
            format="multipart",
        )
        assert good.status_code == 200, good.content
        assert good.json()["state"] == "filed"

    [resumed] = queue(world["credit"])
    assert resumed["id"] == task["id"] and resumed["state"] == "open" and resumed["paused"] is False
    # Suspended on the 23rd, resumed on the 27th: 4 working days (24, 25, 26, 27) added to the budget.
    assert resumed["due_on"] == add_working_days(date(2026, 11, 23), 2 + 4).isoformat()
    [material] = Material.objects.all()
    assert material.content_type == "application/pdf" and material.purpose == "supplement"

    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        again = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "再补充"},
            format="json",
        )
    # 一次性告知: all missing materials are asked for at once, never a second time.
    assert again.status_code == 400 and "decision" in again.json()


@pytest.mark.parametrize(
    ("name", "content", "field_message"),
    [
        ("commitment.pdf", ELF, "not a PDF"),
        ("scan.png", PNG, None),
        ("huge.pdf", PDF + b"0" * 2048, "at most"),
    ],
)
def test_filing_uploads_are_sniffed_and_size_limited(admin_api, settings, name, content, field_message):
    settings.CASEWORK_UPLOAD_MAX_BYTES = 1024
    world = build_world(admin_api)
    response = world["subject"].post(
        "/api/v1/cases/",
        {
            "kind": "objection",
            "subject": world.subject["id"],
            "records": [world.record["id"]],
            "statement": "记录有误",
            "commitment_signed": "true",
            "materials": [upload(name, content)],
        },
        format="multipart",
    )
    if field_message is None:
        assert response.status_code == 201, response.content
        assert Material.objects.get().content_type == "image/png"
    else:
        assert response.status_code == 400
        assert field_message in response.json()["materials"][0]
        assert Material.objects.count() == 0
        assert world["subject"].get("/api/v1/cases/").json() == []


def test_filing_errors_are_per_field_and_save_nothing(admin_api):
    world = build_world(admin_api)
    response = world["subject"].post(
        "/api/v1/cases/",
        {
            "kind": "objection",
            "subject": world.subject["id"],
            "records": [world.record["id"]],
            "statement": " ",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"statement", "commitment_signed"}
    assert world["subject"].get("/api/v1/cases/").json() == []


def test_a_record_under_objection_cannot_be_disputed_twice(admin_api):
    world = build_world(admin_api)
    first = file_objection(world)
    assert first.status_code == 201
    task = accept_task(world)
    world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
    second = file_objection(world)
    assert second.status_code == 400
    assert first.json()["number"] in second.json()["records"][0]


def test_court_list_sanctions_stay_in_force_during_objection(admin_api):
    """法释〔2017〕7号: the court list stays in force while it is reviewed (rule set: suspend flag off)."""
    world = build_world(admin_api, kind="court_dishonest")
    file_objection(world)
    task = accept_task(world)
    world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
    states = [world.admin.get(f"/api/v1/sanctions/{s['id']}/").json()["state"] for s in world.sanctions]
    assert states == ["active", "active"]
    assert world.admin.get(f"/api/v1/records/{world.record['id']}/").json()["publicity"] == "disputed"
