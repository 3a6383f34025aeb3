"""Issue 10 — the portal's filing forms list one owner's records at a time, only those that can apply to the
kind; a record of another owner is refused; the case page shows the records concerned and their sanctions."""

import pytest
import time_machine

from casework.models import Case, Subject

from .publicity_world import OBJECTOR_NAME, web
from .web_world import pdf
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db


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
