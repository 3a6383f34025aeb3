"""docs/domain.md §9.5 — third-party objections during list-exit publicity (publicity as a clock: test_publicity_clock.py).

Faults (issue 10): the objecting company got messages whose links 404 and could not see its own objection;
the listed company saw the objector's name and statement; an objection on day 1 of publicity that was found
unfounded ended publicity at once instead of resuming it with the days that were left.

Runs on PostgreSQL (acceptance) and on SQLite (the web parts).
"""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.calendar import add_working_days
from casework.models import Case, HistoryEvent, Material
from notifications.models import InboxMessage, Outbox

from .publicity_world import OBJECTOR_NAME, STATEMENT, deliver, exit_of, to_publicity, web
from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import decide
from .web_world import ELF, pdf, user

pytestmark = pytest.mark.django_db

# -- the objector is the party of its objection -------------------------------------------------------------


@pytest.fixture
def objected(admin_api):
    """A list exit in publicity and a third party's objection against it, filed on the portal with evidence."""
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        objector = web("other_subject")
        found = objector.get("/portal/publicity/", {"q": world.subject["code"]})
        assert found.status_code == 200 and number in found.content.decode()
        response = objector.post(
            f"/portal/publicity/{number}/object/",
            {"statement": STATEMENT, "materials": [pdf("欠薪证明.pdf")]},
        )
        assert response.status_code == 302, response.content.decode()
        objection = Case.objects.get(objects_to__number=number).number
        assert response["Location"] == f"/portal/cases/{objection}/"
        deliver()
    return world, number, objection


def test_the_objector_follows_its_objection_on_the_portal_the_api_and_its_inbox(objected):
    """§9.5: the objector is a party of that objection and follows it."""
    world, number, objection = objected
    page = web("other_subject").get(f"/portal/cases/{objection}/")
    assert page.status_code == 200
    assert STATEMENT in page.content.decode() and "欠薪证明.pdf" in page.content.decode()
    detail = world["other_subject"].get(f"/api/v1/cases/{objection}/")
    assert detail.status_code == 200 and detail.json()["number"] == objection
    assert objection in [c["number"] for c in world["other_subject"].get("/api/v1/cases/").json()]
    assert Material.objects.get(case__number=objection).purpose == "objection"
    # Every message the objector got about it links to a page it may open (no 404).
    inbox = InboxMessage.objects.filter(recipient=user("other_subject"), case__number=objection)
    assert inbox.exists()
    for message in inbox:
        assert web("other_subject").get(f"/portal/cases/{message.case.number}/").status_code == 200
    assert "portal/cases/" + objection in web("other_subject").get("/inbox/").content.decode()


def test_the_listed_subject_learns_of_the_objection_but_not_who_or_why(objected):
    """§9.5: the listed subject learns that an objection exists and its result, never the objector's identity
    or statement — web pages, API case detail and list, history, notices, messages."""
    world, number, objection = objected
    listed = world["subject"]
    hidden = (STATEMENT, OBJECTOR_NAME, "other_subject", "欠薪证明")

    def assert_hidden(text: str, where: str) -> None:
        for secret in hidden:
            assert secret not in text, (where, secret)

    assert listed.get(f"/api/v1/cases/{objection}/").status_code == 404
    assert listed.get(f"/api/v1/cases/{objection}/notices/").status_code == 404
    assert web("subject").get(f"/portal/cases/{objection}/").status_code == 404
    cases = listed.get("/api/v1/cases/").content.decode()
    assert objection not in cases
    exit_api = listed.get(f"/api/v1/cases/{number}/")
    assert exit_api.json()["state"] == "on_hold"
    assert_hidden(exit_api.content.decode(), "API exit detail")
    assert objection in exit_api.content.decode()  # that an objection exists: its number in the history
    for path in ("/portal/", "/portal/cases/", f"/portal/cases/{number}/", "/inbox/"):
        assert_hidden(web("subject").get(path).content.decode(), path)
    messages = InboxMessage.objects.filter(recipient=user("subject"))
    assert messages.filter(outbox__event="list_exit_held").exists()
    for message in messages:
        assert_hidden(message.title + message.body, "inbox message")
    for row in Outbox.objects.filter(recipient=user("subject")):
        assert_hidden(str(row.context), "outbox context")
    held_page = web("subject").get(f"/portal/cases/{number}/").content.decode()
    assert "因异议暂停公示" in held_page and objection in held_page  # that one exists, and which
    hold = HistoryEvent.objects.get(case__number=number, action="hold")
    assert hold.actor is None and hold.data["objection"] == objection

    # The result: unfounded → the listed subject is told that publicity resumes (and when it ends).
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "经核实，双方已于2026年11月结清工资。")
        deliver()
    [resumed] = InboxMessage.objects.filter(recipient=user("subject"), outbox__event="list_exit_resumed")
    assert objection in resumed.body and add_working_days(date(2026, 11, 27), 4).isoformat() in resumed.body
    assert_hidden(resumed.title + resumed.body, "resumed message")
    assert_hidden(listed.get(f"/api/v1/cases/{number}/").content.decode(), "API exit detail after")
    assert_hidden(web("subject").get(f"/portal/cases/{number}/").content.decode(), "portal exit after")


def test_staff_still_see_the_objector_and_the_statement(objected):
    world, number, objection = objected
    for staff in (world.admin, world["market"]):
        detail = staff.get(f"/api/v1/cases/{objection}/")
        assert detail.status_code == 200
        [filed] = [e for e in detail.json()["history"] if e["action"] == "filed"]
        assert filed["actor"] == "other_subject" and filed["note"] == STATEMENT
        assert detail.json()["subject"] == world.subject["id"]  # about the listed subject


@pytest.mark.parametrize(
    ("language", "bad_check", "bad_number", "no_statement"),
    [
        ("zh-hans", "校验码应为", "案件编号形如", "请说明该主体不应移出名单的理由。"),
        ("en", "The check character should be", "A case number reads like", "Say why the subject"),
    ],
)
def test_the_objection_pages_refuse_bad_input_per_field_in_both_languages(
    objected, language, bad_check, bad_number, no_statement
):
    """Field-level validation, zh-hans and English; nothing is saved half-way."""
    world, number, _ = objected
    client = web("other_subject", language)
    response = client.get("/portal/publicity/", {"q": "91350100M000100Y4X"})
    assert response.status_code == 400 and bad_check in response.content.decode()
    response = client.get("/portal/publicity/", {"q": "YC-12"})
    assert response.status_code == 400 and bad_number in response.content.decode()
    # A valid code under no publicity today (the exit is held): a clear "none" line, not an error.
    none = client.get("/portal/publicity/", {"q": " " + world.subject["code"].lower()})
    assert none.status_code == 200 and 'data-testid="none-in-publicity"' in none.content.decode()
    assert client.get(f"/portal/publicity/{number}/object/").status_code == 404  # held: nothing to object to
    before = Case.objects.count()
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        fresh = listed_exit_in_publicity(world)
        response = client.post(f"/portal/publicity/{fresh}/object/", {"statement": "  "})
        assert response.status_code == 400 and no_statement in response.content.decode()
        assert 'class="error"' in response.content.decode()
        response = client.post(
            f"/portal/publicity/{fresh}/object/",
            {"statement": STATEMENT, "materials": [SimpleUploadedFile("x.pdf", ELF, "application/pdf")]},
        )
        assert response.status_code == 400
        assert Case.objects.count() == before + 1  # the fresh exit, and no objection
        assert exit_of(fresh).state == "publicity"


def listed_exit_in_publicity(world) -> str:
    """A second list entry of the same subject, its exit taken to publicity today."""
    record = world.admin.post(
        "/api/v1/records/",
        {
            "subject": world.subject["id"],
            "kind": "serious_list",
            "severity": "serious",
            "provider": "xy-market",
            "decided_on": "2025-06-02",
            "summary": "拖欠劳动报酬 (闽榕市监罚〔2025〕77号)",
        },
        format="json",
    ).json()
    response = file_exit(world, records=[record["id"]])
    assert response.status_code == 201, response.content
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "approve", "核查属实")
    return response.json()["number"]


def test_the_api_takes_evidence_and_refuses_a_bad_file_saving_nothing(admin_api):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        url = f"/api/v1/cases/{number}/publicity-objections/"
        bad = world["other_subject"].post(
            url,
            {"statement": "", "materials": [SimpleUploadedFile("x.pdf", ELF, "application/pdf")]},
            format="multipart",
        )
        assert bad.status_code == 400 and {"statement", "materials"} <= set(bad.json())
        assert not Case.objects.filter(objects_to__number=number).exists()
        assert exit_of(number).state == "publicity"
        good = world["other_subject"].post(
            url, {"statement": STATEMENT, "materials": [pdf("欠薪证明.pdf")]}, format="multipart"
        )
        assert good.status_code == 201, good.content
        objection = good.json()["number"]
        assert Material.objects.get(case__number=objection).original_name == "欠薪证明.pdf"
        assert world["subject"].get(f"/api/v1/cases/{objection}/").status_code == 404


def test_evidence_attached_to_a_refused_objection_is_kept_for_the_next_submission(admin_api):
    """Issue 14 (nothing a user submitted is lost), for the third party's form as for every upload form: a
    refused objection keeps its evidence, and the next submission files it."""
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        objector = web("other_subject")
        refused = objector.post(
            f"/portal/publicity/{number}/object/", {"statement": "", "materials": [pdf("证据.pdf")]}
        )
        assert refused.status_code == 400
        page = refused.content.decode()
        assert "证据.pdf" in page and not Case.objects.filter(objects_to__number=number).exists()
        [token] = refused.context["form"].fields["materials"].kept
        filed = objector.post(
            f"/portal/publicity/{number}/object/", {"statement": STATEMENT, "materials__kept": [token.token]}
        )
        assert filed.status_code == 302, filed.content.decode()
        objection = Case.objects.get(objects_to__number=number)
        assert [m.title for m in Material.objects.filter(case=objection)] == ["证据.pdf"]
