"""Issue 10, docs/domain.md §9.8 谁认定谁修复: every repair decision is made by the department that made the
finding, minor records included; the credit office receives, checks completeness and forwards. A decision
notice is issued in the name of the department that decided; the receiving office appears as 受理机构.
Restructuring results get their notice too, one per department and stage. The acceptance notice counts the
legal time limit from filing and names its last day."""

import pytest
import time_machine

from casework.calendar import add_working_days
from casework.documents.letters import letter_for
from casework.models import Case, HistoryEvent, Notice
from casework.rules import PROFILES
from casework.services.documents import notice_render

from .test_bankruptcy_api import file_bankruptcy, restructuring_world
from .test_notice_citations import forward_if_self_checked
from .test_notices import pdf_text_and_fonts
from .test_repair_api import decide, file_repair, pdf, states
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
PROVIDER = "鼓楼区市场监管局"
RECEIVING = "鼓楼区信用办"
PROVINCE = "福建省社会信用体系建设联席会议办公室"

# Who decides a repair, per profile: the provider (国办发〔2025〕22号, NDRC Order 36) or, after the provider's
# verification, the credit office the rule set names (local plans: the province, Turpan §16).
DECIDER = {"national-2026": PROVIDER, "local-plan": PROVINCE}
SEVERITIES = ("minor", "general", "serious")


def notice_letter(number: str, kind: str):
    notice = Notice.objects.get(case__number=number, kind=kind)
    return letter_for(notice.case, notice.kind, notice.event)


def repair_files(profile: str, severity: str) -> dict:
    needs = severity in PROFILES[profile]["case_kinds"]["repair"]["training_required_for"]
    return {"training_certificate": [pdf("培训证明.pdf")]} if needs else {}


@pytest.mark.parametrize(("profile", "severity"), [(p, s) for p in DECIDER for s in SEVERITIES])
def test_rule_9_8_every_repair_is_decided_by_the_department_that_made_the_finding(
    admin_api, settings, profile, severity
):
    settings.CASEWORK_RULE_PROFILE = profile
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity=severity, decided_on="2025-03-02")
        response = file_repair(world, **repair_files(profile, severity))
        assert response.status_code == 201, response.content
        number = response.json()["number"]
        decide(world["credit"], "accept", "accept", "")

        # Acceptance forwards, whatever the severity: nothing is repaired by the office that received it.
        detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
        assert (detail["state"], detail["outcome"]) == ("verifying", "")
        assert states(world) == (["active", "active"], "published")
        assert [t["step"] for t in queue(world["market"])] == ["verify"]

        decide(world["market"], "verify", "approve", "法定责任义务已履行完毕")
        if profile == "local-plan":
            decide(world["credit"], "report_district", "approve", "同意上报")
            decide(world["city"], "report_city", "approve", "同意上报")
            decide(world["province"], "report_province", "approve", "准予修复")

    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "repaired")
    assert ("verify", "xy-market") in [(t["step"], t["department"]) for t in detail["tasks"]]
    letter = notice_letter(number, "repair_decision")
    assert (letter.department, letter.receiving_office) == (DECIDER[profile], RECEIVING)
    assert f"向{RECEIVING}提交" in letter.intro and "转送本机关" in letter.intro


def test_no_rule_set_repairs_at_acceptance():
    """The key that let the office repair minor records at acceptance is gone from the schema and profiles."""
    from casework.rules.schema import CaseKindRules

    assert "minor_repair_at_once" not in CaseKindRules.__dataclass_fields__
    for rules in PROFILES.values():
        assert "minor_repair_at_once" not in rules["case_kinds"]["repair"]


def test_rule_9_8_a_minor_record_shows_the_providers_simplified_check_on_its_rule_panel(admin_api):
    """national-2026: for a minor record the provider checks only that the obligations were performed
    (国办发〔2025〕22号 二), and still decides."""
    from django.test import Client

    from .web_world import user

    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="minor", decided_on="2026-11-02")
        number = file_repair(world).json()["number"]
        decide(world["credit"], "accept", "accept", "")
        task = Case.objects.get(number=number).tasks.get(step="verify")
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user("market"))
        page = client.get(f"/workspace/tasks/{task.public_id}/").content.decode()
    assert "法定责任义务履行完毕即可修复" in page and "国办发〔2025〕22号" in page


@pytest.mark.parametrize(
    ("outcome", "decider", "title"),
    [("deleted", PROVIDER, "异议处理结果告知书"), ("upheld", PROVIDER, "异议处理结果告知书")],
)
def test_rule_9_8_an_objection_result_is_issued_by_the_provider_that_verified(
    admin_api, outcome, decider, title
):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        decide(world["credit"], "accept", "accept", "")
        forward_if_self_checked(world)
        decide(world["market"], "verify", outcome, "经核实")
    acceptance, result = notice_letter(number, "acceptance"), notice_letter(number, "objection_result")
    assert (acceptance.department, acceptance.receiving_office) == (RECEIVING, RECEIVING)
    assert (result.department, result.receiving_office, result.title) == (decider, RECEIVING, title)
    rendered = notice_render(Notice.objects.get(case__number=number, kind="objection_result").pk)
    text, _ = pdf_text_and_fonts(rendered.file.read())
    assert f"受理机构：{RECEIVING}" in text and text.count(PROVIDER) >= 2  # header and signature


def test_rule_9_8_a_refusal_at_acceptance_is_the_receiving_offices_own(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        number = file_repair(world).json()["number"]
        decide(world["credit"], "accept", "refuse", "不属于本区受理范围")
    letter = notice_letter(number, "refusal")
    assert (letter.department, letter.receiving_office) == (RECEIVING, RECEIVING)


def test_rule_9_9_the_acceptance_notice_counts_the_legal_time_limit_from_filing(admin_api):
    """Filed Monday 2026-11-23, accepted three working days later: 10 working days from filing, not from
    acceptance (docs/domain.md §9.9)."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        number = file_repair(world).json()["number"]
    with time_machine.travel("2026-11-26 15:00 +0800", tick=False):
        decide(world["credit"], "accept", "accept", "")
    letter = notice_letter(number, "acceptance")
    due = add_working_days(Case.objects.get(number=number).filed_at.date(), 10)
    assert letter.filed_on == "2026年11月23日" and letter.legal_days == 10
    assert letter.due_on == f"{due.year}年{due.month}月{due.day}日" and not letter.due_provisional
    rendered = notice_render(Notice.objects.get(case__number=number, kind="acceptance").pk)
    text, _ = pdf_text_and_fonts(rendered.file.read())
    assert "自您提交申请之日（2026年11月23日）起计算" in text and f"应当于{letter.due_on}前办结" in text
    assert "自受理之日起" not in text and "2026年11月26日" in text  # dated the day of acceptance


def test_bankruptcy_each_department_issues_its_own_notice_per_stage(admin_api):
    """Shield granted, shield refused and full repair: one 破产重整信用修复决定书 per department and stage,
    each in the deciding department's name, listing only that department's records."""
    with time_machine.travel(MONDAY, tick=False):
        world = restructuring_world(admin_api)
        number = file_bankruptcy(world).json()["number"]
        decide(world["market"], "shield", "shield", "")
        decide(world["tax"], "shield", "refuse", "该记录不在重整裁定范围内")
        decide(world["court"], "shield", "shield", "")
    with time_machine.travel("2026-12-14 10:00 +0800", tick=False):
        report = world["subject"].post(
            f"/api/v1/cases/{number}/completion-report/",
            {"note": "重整计划已执行完毕", "materials": [pdf("执行完毕裁定.pdf")]},
            format="multipart",
        )
        assert report.status_code == 200, report.content
        decide(world["market"], "full_repair", "repair", "")
        decide(world["court"], "full_repair", "repair", "")

    notices = Notice.objects.filter(case__number=number, kind="bankruptcy_decision").order_by("id")
    letters = [letter_for(n.case, n.kind, n.event) for n in notices]
    assert [(x.department, x.outcome, x.granted) for x in letters] == [
        (PROVIDER, "shield_granted", True),
        ("鼓楼区税务局", "shield_refused", False),
        ("鼓楼区法院", "shield_granted", True),
        (PROVIDER, "fully_repaired", True),
        ("鼓楼区法院", "fully_repaired", True),
    ]
    assert all(x.receiving_office == RECEIVING for x in letters)
    assert [len({x.docno for x in letters}), letters[0].docno] == [5, "信破决〔2026〕1号"]
    market = letters[0]
    assert [r.split("作出")[0] for r in market.records] == [f"{PROVIDER}2026年3月2日"]
    assert "暂时予以屏蔽" in market.outcome_sentence and "完全修复" in letters[3].outcome_sentence
    assert letters[1].reason == "该记录不在重整裁定范围内"
    # The rows each notice reports are the departments' decisions on the case's own history.
    reported = HistoryEvent.objects.filter(pk__in=notices.values("event")).order_by("id")
    assert [e.data["department"] for e in reported] == [
        "xy-market",
        "xy-tax",
        "xy-court",
        "xy-market",
        "xy-court",
    ]
    rendered = notice_render(notices[1].pk)
    text, _ = pdf_text_and_fonts(rendered.file.read())
    assert "破产重整信用修复决定书" in text and "不予屏蔽" in text and rendered.pages == 1
