"""docs/domain.md §9.5 — third-party objections during list-exit publicity, and publicity as a clock.

Faults (issue 10): the objecting company got messages whose links 404 and could not see its own objection;
the listed company saw the objector's name and statement; an objection on day 1 of publicity that was found
unfounded ended publicity at once instead of resuming it with the days that were left.

Runs on PostgreSQL (acceptance) and on SQLite (the web parts).
"""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casework.calendar import add_working_days
from casework.models import Case, HistoryEvent, Material, Subject
from casework.services.list_exit import list_exit_publicity_sweep
from notifications.models import InboxMessage, Outbox
from notifications.tasks import outbox_dispatch_due_task

from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import decide
from .web_world import ELF, pdf, user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db

STATEMENT = "该企业仍拖欠本人2025年10月至12月工资共计人民币18600元，尚未履行完毕。"
OBJECTOR_NAME = "另一家公司"  # the company the `other_subject` user represents


def web(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def to_publicity(world) -> str:
    """File, accept and verify a list exit: its publicity opens today (the verification's day)."""
    response = file_exit(world)
    assert response.status_code == 201, response.content
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "approve", "核查属实, 拟提前移出, 予以公示")
    return response.json()["number"]


def object_via_api(world, number: str, statement: str = STATEMENT) -> str:
    response = world["other_subject"].post(
        f"/api/v1/cases/{number}/publicity-objections/", {"statement": statement}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["number"]


def deliver() -> None:
    outbox_dispatch_due_task()


def exit_of(number: str) -> Case:
    return Case.objects.get(number=number)


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


# -- publicity is a clock: a hold keeps the working days left ------------------------------------------------

# Verified on Monday 2026-11-23: the 5 working days of publicity are Tue 24 … Mon 30 November.
NOVEMBER = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("label", "objected_on", "left"),
    [
        ("the verification's own day (before day 1)", date(2026, 11, 23), 5),
        ("the first day", date(2026, 11, 24), 5),
        ("a middle day", date(2026, 11, 26), 3),
        ("the last day", date(2026, 11, 30), 1),
    ],
)
def test_an_unfounded_objection_resumes_publicity_with_the_days_left(admin_api, label, objected_on, left):
    """§9.5 / §9.9: the hold stops the publicity clock; the resumption restarts it with what was left.
    The day of the objection is given back (the public had not had it whole)."""
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        assert exit_of(number).publicity_until == add_working_days(NOVEMBER, 5)
    with time_machine.travel(f"{objected_on} 15:00 +0800", tick=False):
        object_via_api(world, number)
        held = exit_of(number)
        assert (held.state, held.publicity_days, held.publicity_until) == ("on_hold", left, None), label
    decided_on = date(2026, 12, 9)
    with time_machine.travel(f"{decided_on} 10:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # a held period never ends
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        resumed = exit_of(number)
        until = add_working_days(decided_on, left)
        assert (resumed.state, resumed.publicity_until, resumed.publicity_days) == ("publicity", until, left)
    with time_machine.travel(f"{until} 23:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # the last day left is still publicity
    with time_machine.travel(f"{add_working_days(until, 1)} 09:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 1
        assert exit_of(number).state == "deciding"


def test_two_successive_objections_each_keep_what_the_other_left(admin_api):
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):  # day 2: Tue 24 was used
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 4
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        assert exit_of(number).publicity_until == add_working_days(date(2026, 12, 1), 4)
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):  # Wed 2 December was used
        object_via_api(world, number, "另有欠款未清偿。")
        assert exit_of(number).publicity_days == 3
    with time_machine.travel("2026-12-08 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        resumed = exit_of(number)
        assert (resumed.state, resumed.publicity_until) == (
            "publicity",
            add_working_days(date(2026, 12, 8), 3),
        )
    holds = HistoryEvent.objects.filter(case__number=number, action="hold").order_by("id")
    assert [h.data["publicity_days_left"] for h in holds] == [4, 3]


def test_a_holiday_is_not_a_day_of_publicity_nor_of_what_is_left(admin_api):
    """National Day 2026 (1–7 October) falls between the verification and the objection: the holiday is
    neither used nor counted; a decision on a holiday restarts the clock on the next working day."""
    verified = date(2026, 9, 28)  # Monday: publicity runs Tue 29, Wed 30, then after the holiday
    with time_machine.travel(f"{verified} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):  # first working day after the holiday
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 3  # 29 and 30 September were used
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        assert exit_of(number).publicity_until == add_working_days(date(2026, 10, 9), 3)


def test_a_founded_objection_refuses_the_exit_and_tells_the_listed_subject_the_result(admin_api):
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        object_via_api(world, number)
        decide(world["market"], "objection_verify", "founded", "经核实仍拖欠工资，不符合提前移出条件。")
        deliver()
    closed = exit_of(number)
    assert (closed.state, closed.outcome) == ("closed", "rejected")
    [told] = InboxMessage.objects.filter(recipient=user("subject"), outbox__event="list_exit_rejected")
    assert STATEMENT not in told.body and OBJECTOR_NAME not in told.body


def test_an_objection_after_the_period_ended_is_refused(admin_api):
    """The sweep runs once a day: between the period's end and the sweep, nothing is left to hold."""
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel(f"{add_working_days(NOVEMBER, 6)} 08:00 +0800", tick=False):
        response = world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": STATEMENT}, format="json"
        )
        assert response.status_code == 409
        assert exit_of(number).state == "publicity"


# -- portal record lists: per owner, per kind ----------------------------------------------------------------


@pytest.fixture
def two_companies(admin_api):
    """A user (`agent`) who represents the world's company, 另一家公司 and a natural person; the company has a
    serious-list entry and a penalty, 另一家公司 only a penalty, the person only a penalty."""
    from .conftest import resident_id

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api, kind="admin_penalty", severity="general", decided_on="2025-06-02")
        other = Subject.objects.get(name=OBJECTOR_NAME)
        person = world.admin.post(
            "/api/v1/subjects/",
            {"kind": "person", "code": resident_id(), "name": "张三"},
            format="json",
        ).json()
        records = {
            "listed": add_record(
                world, world.subject["id"], "serious_list", "拖欠劳动报酬被列入严重失信名单"
            ),
            "other": add_record(world, str(other.public_id), "admin_penalty", "另一家公司的罚款"),
            "person": add_record(world, person["id"], "admin_penalty", "张三的罚款"),
        }
        response = world.admin.post(
            "/api/v1/users/",
            {
                "username": "agent",
                "password": "a-long-password-1",
                "role": "subject",
                "subjects": [world.subject["code"], other.code, resident_id()],  # the API shows it masked
            },
            format="json",
        )
        assert response.status_code == 201, response.content
    return world, other, person, records


def add_record(world, subject_id: str, kind: str, summary: str) -> dict:
    response = world.admin.post(
        "/api/v1/records/",
        {
            "subject": subject_id,
            "kind": kind,
            "severity": "serious" if kind == "serious_list" else "general",
            "provider": "xy-market",
            "decided_on": "2025-06-02",
            "summary": summary,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def offered(page: str) -> set[str]:
    return {summary for summary in KNOWN if summary in page}


KNOWN = ("未按规定公示年度报告", "拖欠劳动报酬被列入严重失信名单", "另一家公司的罚款", "张三的罚款")


@pytest.mark.parametrize(
    ("kind_slug", "owner", "expected"),
    [
        ("list-exit", "company", {"拖欠劳动报酬被列入严重失信名单"}),
        ("list-exit", "other", set()),
        ("repair", "company", {"未按规定公示年度报告"}),
        ("repair", "other", {"另一家公司的罚款"}),
        ("repair", "person", {"张三的罚款"}),
        ("objection", "company", {"未按规定公示年度报告", "拖欠劳动报酬被列入严重失信名单"}),
        ("bankruptcy-repair", "company", {"未按规定公示年度报告", "拖欠劳动报酬被列入严重失信名单"}),
        ("bankruptcy-repair", "person", None),  # a person cannot file it: the form falls back to a company
    ],
)
def test_each_filing_form_offers_only_the_owners_records_that_can_apply(
    two_companies, kind_slug, owner, expected
):
    """Issue 10: the list-exit form offered every record of every represented company; bankruptcy offered a
    person's. One owner at a time, the owner named, only records that can apply; a note when none do."""
    world, other, person, _ = two_companies
    ids = {"company": world.subject["id"], "other": str(other.public_id), "person": person["id"]}
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        response = web("agent").get(f"/portal/file/{kind_slug}/", {"subject": ids[owner]})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="owner-filter"' in page
    if expected is None:
        assert "张三" not in page  # not even offered as the filing subject
        return
    assert offered(page) == expected, (kind_slug, owner)
    assert ('data-testid="none-apply"' in page) == (not expected)
    if expected:
        name = {"company": world.subject["name"], "other": OBJECTOR_NAME, "person": "张三"}[owner]
        assert f"{name} · " in page  # each record labelled with its owner


def test_a_record_of_another_owner_is_refused_in_the_form(two_companies):
    world, other, _, records = two_companies
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        response = web("agent", "en").post(
            "/portal/file/repair/",
            {
                "subject": str(other.public_id),
                "records": [world.record["id"]],  # the company's, not 另一家公司's
                "statement": "已整改",
                "commitment_signed": "on",
                "performance_proof": [pdf("证明.pdf")],
            },
        )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_portal_case_page_shows_the_disputed_records_and_their_sanctions(admin_api):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        page = web("subject").get(f"/portal/cases/{number}/").content.decode()
    section = page[page.index('data-testid="records-concerned"') :]
    assert "未按规定公示年度报告" in section and "鼓楼区市场监管局" in section
    for measure, implementer in (("限制参与政府采购", "鼓楼区财政局"), ("限制享受税收优惠", "鼓楼区税务局")):
        assert measure in section and implementer in section
    assert section.count('data-testid="sanction"') == 2


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


def test_a_resumed_publicity_is_redated_with_the_days_left_not_the_whole_period(
    admin_api, tmp_path, django_capture_on_commit_callbacks
):
    """A resumption that reaches a year without a calendar is an estimate; entering the year re-dates it from
    the resumption with the days that were left (`publicity_days`), not from the opening with all 5."""
    from .test_calendar_redating import SCHEDULE, enter

    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):  # Monday: 22 … 28 December
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-12-23 10:00 +0800", tick=False):  # 22 December used
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 4
    with time_machine.travel("2026-12-30 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
    resumed = exit_of(number)
    # 31 December, then the estimate of 2027 (1 January off): 4, 5 and 6 January.
    assert (resumed.publicity_until, resumed.publicity_provisional) == (date(2027, 1, 6), True)
    enter("enter", SCHEDULE, tmp_path, django_capture_on_commit_callbacks)
    redated = exit_of(number)
    # With 4 January off: 31 December, 5, 6 and 7 January — four days, not the whole period's five.
    assert (redated.publicity_until, redated.publicity_provisional) == (date(2027, 1, 7), False)
    assert redated.publicity_from == date(2026, 12, 30) and redated.publicity_days == 4


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
