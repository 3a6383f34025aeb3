"""Issue 5: PDF notices (受理, 不予受理, 补正, decisions), rendered by Celery after commit, stored once."""

import io
from datetime import timedelta

import pypdf
import pytest
import time_machine
from django.http import Http404

from casework.documents.letters import TITLES, letter_for
from casework.documents.pdf import harfbuzz_subset_available, render_to_pdf
from casework.models import Case, HistoryEvent, Notice, NoticeKind, NoticeState, Outcome
from casework.services.documents import NOTICE_FOR_EVENT, notice_queue, notice_render, notices_render_pending
from config.celery import app as celery_app
from notifications.messages import TEMPLATES

from .test_repair_api import decide, file_repair
from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


@pytest.fixture
def celery_eager():
    """Celery runs tasks in-process for this test only (never globally: it would hide on-commit ordering)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def pdf_text_and_fonts(data: bytes) -> tuple[str, list[dict]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    descriptors = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptors.append(base["/FontDescriptor"].get_object())
    return text.replace("\n", ""), descriptors


def accept_objection(world) -> str:
    number = file_objection(world).json()["number"]
    [task] = queue(world["credit"])
    response = world["credit"].post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 200, response.content
    return number


def test_harfbuzz_subsetting_is_installed():
    """Without Debian's libharfbuzz-subset0 a Chinese notice embeds whole fonts and takes ~18 s, silently."""
    assert harfbuzz_subset_available()


def test_accepted_objection_gets_an_acceptance_notice_rendered_after_commit(
    admin_api, celery_eager, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        with django_capture_on_commit_callbacks(execute=True):
            number = accept_objection(world)

    [notice] = world["subject"].get(f"/api/v1/cases/{number}/notices/").json()
    assert notice["kind"] == "acceptance" and notice["title"] == "受理通知书"
    assert notice["state"] == "rendered" and notice["pages"] in (1, 2)
    assert 0 < notice["size"] < 600_000  # subset fonts: whole Noto CJK faces would be megabytes

    response = world["subject"].get(notice["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(b"".join(response.streaming_content))
    assert number in text
    assert "决定予以受理" in text and "受理通知书" in text
    assert "转送鼓楼区市场监管局核实" in text
    assert "国办发〔2025〕22号" in text  # the legal basis of the case's rule set
    assert "行政复议" in text and "行政诉讼" in text and "60日" in text and "6个月" in text
    assert "鼓楼区信用办" in text and "2026年11月23日" in text
    assert f"第 1 页 共 {notice['pages']} 页" in text  # the @page footer, in the same CJK font
    assert fonts and all("/FontFile2" in d or "/FontFile3" in d for d in fonts)  # fonts embedded


def test_rendering_twice_stores_one_file(admin_api, settings):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)  # no on-commit here: the notice waits, pending
    [notice] = Notice.objects.filter(case__number=number)
    assert notice.state == NoticeState.PENDING and not notice.file

    first = notice_render(notice.pk)
    second = notice_render(notice.pk)
    assert first.state == second.state == NoticeState.RENDERED
    assert (second.file.name, second.sha256) == (first.file.name, first.sha256)
    stored = list((settings.MEDIA_ROOT / "notices" / number).iterdir())
    assert [path.name for path in stored] == [f"{notice.public_id}.pdf"]

    # Queueing the same event again finds the same notice.
    case = Case.objects.get(number=number)
    assert notice_queue(case=case, event="case_accepted").pk == notice.pk
    assert Notice.objects.filter(case=case).count() == 1


def test_beat_renders_notices_that_commit_time_dispatch_missed(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)
        assert notices_render_pending() == 0  # too young: left to the commit-time task
    with time_machine.travel("2026-11-23 10:05 +0800", tick=False):
        assert notices_render_pending() == 1
        assert notices_render_pending() == 0
    assert Notice.objects.get(case__number=number).state == NoticeState.RENDERED


def test_refusal_and_supplement_are_queued_with_the_event(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        url = f"/api/v1/tasks/{task['id']}/complete/"
        world["credit"].post(
            url, {"decision": "request_materials", "note": "处罚撤销决定书复印件"}, format="json"
        )
        world["subject"].post(
            f"/api/v1/cases/{number}/supplement/", {"materials": [_pdf()]}, format="multipart"
        )
        world["credit"].post(url, {"decision": "refuse", "note": "不属于本机关受理范围"}, format="json")
    kinds = list(Notice.objects.filter(case__number=number).values_list("kind", "occasion"))
    assert kinds == [("supplement", "case_materials_requested"), ("refusal", "case_refused")]
    # Pending notices cannot be downloaded yet; they are listed without a URL.
    listed = world["subject"].get(f"/api/v1/cases/{number}/notices/").json()
    assert [n["url"] for n in listed] == [None, None]
    pending = Notice.objects.filter(case__number=number).first()
    assert world["subject"].get(f"/api/v1/cases/{number}/notices/{pending.public_id}.pdf").status_code == 404

    refusal = notice_render(Notice.objects.get(case__number=number, kind="refusal").pk)
    text, _ = pdf_text_and_fonts(refusal.file.read())
    assert "不予受理通知书" in text and "不属于本机关受理范围" in text and number in text


def test_repair_granted_gets_a_repair_decision(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        number = file_repair(world).json()["number"]
        decide(world["credit"], "accept", "accept")
        decide(world["market"], "verify", "approve", note="已履行行政处罚决定")
    kinds = list(Notice.objects.filter(case__number=number).values_list("kind", flat=True))
    assert kinds == ["acceptance", "repair_decision"]
    notice = notice_render(Notice.objects.get(case__number=number, kind="repair_decision").pk)
    text, _ = pdf_text_and_fonts(notice.file.read())
    assert "信用修复决定书" in text and "决定予以信用修复" in text and "已履行行政处罚决定" in text


@pytest.mark.parametrize(
    ("kind", "outcome", "sentence"),
    [
        (NoticeKind.ACCEPTANCE, "", "决定予以受理"),
        (NoticeKind.REFUSAL, "", "决定不予受理"),
        (NoticeKind.SUPPLEMENT, "", "一次性告知"),
        (NoticeKind.REPAIR_DECISION, Outcome.REJECTED, "决定不予准许"),
        (NoticeKind.OBJECTION_RESULT, Outcome.CORRECTED, "已予以更正"),
        (NoticeKind.OBJECTION_RESULT, Outcome.UPHELD, "予以维持"),
        # docs/domain.md §9.2: every one of the six outcomes has its sentence in the result notice.
        (NoticeKind.OBJECTION_RESULT, Outcome.DELETED, "已予以删除"),
        (NoticeKind.OBJECTION_RESULT, Outcome.SUPPLEMENTED, "已予以补充"),
        (NoticeKind.OBJECTION_RESULT, Outcome.PUBLICATION_STOPPED, "已停止公示"),
        (NoticeKind.OBJECTION_RESULT, Outcome.REMOVED_FROM_LIST, "已移出名单"),
        (NoticeKind.LIST_EXIT, Outcome.REMOVED, "移出严重失信主体名单"),
        # docs/domain.md §9.10: a 补正 left unanswered past its deadline.
        (NoticeKind.WITHDRAWAL, Outcome.WITHDRAWN, "申请视为撤回"),
    ],
)
def test_every_notice_kind_renders(admin_api, kind, outcome, sentence):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
    case = Case.objects.get(number=number)
    case.outcome, case.decision_reason, case.materials_requested = outcome, "理由", "材料"
    letter = letter_for(case, kind, HistoryEvent.objects.filter(case=case).last())
    html, pdf = render_to_pdf(letter.template, {"letter": letter})
    assert TITLES[kind] in html and sentence in html and "行政复议" in html
    text, _ = pdf_text_and_fonts(pdf)
    assert number in text and sentence in text


def test_every_mapped_event_is_a_real_event_with_a_message_or_silent():
    """A restructuring's per-department decision is silent: its notice is the department's own letter."""
    from casework import events

    assert set(NOTICE_FOR_EVENT) <= set(events.REGISTRY)
    assert {e for e in NOTICE_FOR_EVENT if not events.REGISTRY[e].silent} <= set(TEMPLATES)


def test_diagram_highlights_the_current_step_and_hides_from_outsiders(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        response = world["subject"].get(f"/api/v1/cases/{number}/diagram.svg")
        assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
        svg = response.content.decode()
        assert svg.startswith("<svg") and 'id="accept" class="node new current"' in svg
        assert 'class="node current"' not in svg.split('id="verify"')[1][:40]

        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        svg = world["credit"].get(f"/api/v1/cases/{number}/diagram.svg").content.decode()
        assert 'id="accept" class="node done"' in svg and 'id="self_check" class="node new current"' in svg
        forward_objection(world)
        svg = world["market"].get(f"/api/v1/cases/{number}/diagram.svg").content.decode()
        assert 'id="self_check" class="node done"' in svg and 'id="verify" class="node new current"' in svg

    assert world["other_subject"].get(f"/api/v1/cases/{number}/diagram.svg").status_code == 404
    assert world["other_subject"].get(f"/api/v1/cases/{number}/notices/").status_code == 404
    notice = Notice.objects.get(case__number=number)
    assert (
        world["other_subject"].get(f"/api/v1/cases/{number}/notices/{notice.public_id}.pdf").status_code
        == 404
    )


def _pdf():
    from .test_repair_api import pdf

    return pdf("撤销决定.pdf")


def test_failed_renders_are_retried_then_given_up(admin_api, monkeypatch):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)
    notice = Notice.objects.get(case__number=number)

    def broken(*args, **kwargs):
        raise OSError("fontconfig exploded")

    monkeypatch.setattr("casework.services.documents.render_pdf_document", broken)
    for attempt in range(5):  # each retry waits out its back-off (2, 4, 8 … minutes)
        with time_machine.travel(notice.created_at + timedelta(days=attempt + 1), tick=False):
            assert notices_render_pending() == 0
    notice.refresh_from_db()
    assert notice.state == NoticeState.FAILED and notice.attempts == 5 and "fontconfig" in notice.last_error


def test_letter_preview_is_for_development_only(admin_api, settings, rf):
    from casework.documents.views import letter_preview
    from casework.models import User

    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)
    request = rf.get(f"/dev/letters/{number}/acceptance/")
    request.user = User.objects.get(username="credit")
    settings.DEBUG = True
    html = letter_preview(request, number=number, kind="acceptance").content.decode()
    assert "受理通知书" in html and number in html
    settings.DEBUG = False
    with pytest.raises(Http404):
        letter_preview(request, number=number, kind="acceptance")
