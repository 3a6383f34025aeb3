"""Issue 10, notices: an office cites the instrument that applies to its profile and its province — its own
province's regulation where the rule set lists one (local_citations), the national instruments otherwise — and
never another province's (docs/domain.md §8, docs/rules.md "Citations by province")."""

import json

import pytest
import time_machine
from django.test import Client

from casework.documents.letters import letter_for
from casework.models import Case, Notice
from casework.rules import PROFILES
from casework.rules.citations import kind_citation, step_basis
from casework.services.documents import notice_render

from .test_notices import pdf_text_and_fonts
from .test_repair_api import decide
from .web_world import user
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"

SHANGHAI = "上海市社会信用条例"
ZHEJIANG = "浙江省公共信用信息管理条例"
# Every province-level instrument any profile lists, by the province that may cite it.
LOCAL = {
    prefix: {
        text
        for entry in (rules.get("local_citations", {}).get(prefix, {}).get("case_kinds", {}).values())
        for text in [entry.get("basis", ""), *entry.get("sources", []), *entry.get("steps", {}).values()]
        if text
    }
    for rules in PROFILES.values()
    for prefix in rules.get("local_citations", {})
}
# What names each province's own instruments (the words a citation of another province would show).
OWN_WORDS = {"31": "上海", "33": "浙江", "65": "吐鲁番", "23": "哈尔滨", "44": "曲江"}

# (province prefix, the instrument its offices cite for an objection, what they must never cite)
OFFICES = [
    ("35", "国办发〔2025〕22号", (SHANGHAI, ZHEJIANG)),  # Fujian: no regulation listed, national instruments
    ("31", SHANGHAI, (ZHEJIANG,)),
    ("33", ZHEJIANG, (SHANGHAI,)),
]


def accepted_and_decided(admin_api, province: str) -> str:
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, province=province)
        number = file_objection(world).json()["number"]
        decide(world["credit"], "accept", "accept", "")
        forward_if_self_checked(world)
    return number


def forward_if_self_checked(world) -> None:
    """Where the objection flow has the credit office's self-check (docs/domain.md §9.1), it forwards."""
    if any(t["step"] == "self_check" for t in queue(world["credit"])):
        decide(world["credit"], "self_check", "forward", "非平台自身差错，转送信息提供单位核实")


def rule_panel(username: str, number: str) -> str:
    task = Case.objects.get(number=number).tasks.get(step="verify")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    response = client.get(f"/workspace/tasks/{task.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("province", "cited", "never"), OFFICES)
def test_an_offices_notice_and_rule_panel_cite_its_own_provinces_instrument(
    admin_api, province, cited, never
):
    number = accepted_and_decided(admin_api, province)
    case = Case.objects.get(number=number)
    assert case.receiving_office.division.startswith(province)

    panel = rule_panel("market", number)
    notice = notice_render(Notice.objects.get(case__number=number, kind="acceptance").pk)
    text, _ = pdf_text_and_fonts(notice.file.read())
    for shown in (panel, text):
        assert cited in shown
        assert not [law for law in never if law in shown]
    letter = letter_for(case, "acceptance", Notice.objects.get(case=case, kind="acceptance").event)
    assert cited in letter.basis + "".join(letter.sources)


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("province", ["11", "31", "33", "35", "44", "65", "23", "50"])
def test_no_office_cites_another_provinces_law(profile, province):
    """Every kind and step, every profile, offices of every province with and without local instruments."""
    rules = PROFILES[profile]
    division = f"{province}0102"
    shown = []
    for kind, kind_rules in rules["case_kinds"].items():
        citation = kind_citation(rules, kind=kind, division=division)
        shown += [citation.basis, *citation.sources, kind_rules.get("remedies", "")]
        shown += [step_basis(rules, kind=kind, step=s, division=division) for s in kind_rules["steps"]]
    text = json.dumps(shown, ensure_ascii=False)
    for other, words in OWN_WORDS.items():
        if other != province:
            assert words not in text, (profile, province, other)


def test_the_local_instruments_are_cited_where_listed():
    assert LOCAL["31"] and all(SHANGHAI in t or "国办发" in t for t in LOCAL["31"])
    assert LOCAL["33"] and all(ZHEJIANG in t or "国办发" in t for t in LOCAL["33"])
    shanghai = kind_citation(PROFILES["national-2026"], kind="objection", division="310101")
    assert shanghai.sources[0].startswith("《上海市社会信用条例》") and "国办发〔2025〕22号" in "".join(
        shanghai.sources
    )


def test_a_rule_set_whose_citations_name_an_unknown_step_or_province_is_refused():
    from copy import deepcopy

    from casework.rules import RuleSetInvalid, rule_set_load

    bad = deepcopy(PROFILES["national-2026"])
    bad["local_citations"]["31"]["case_kinds"]["objection"]["steps"]["verfy"] = "…"
    with pytest.raises(RuleSetInvalid, match=r"local_citations\.31\.case_kinds\.objection\.steps\.verfy"):
        rule_set_load(bad)
    bad = deepcopy(PROFILES["national-2026"])
    bad["local_citations"]["shanghai"] = bad["local_citations"].pop("31")
    with pytest.raises(RuleSetInvalid, match=r"local_citations\.shanghai"):
        rule_set_load(bad)


def test_a_case_filed_under_an_older_rule_set_keeps_its_citations():
    """A stored version without local_citations cites what its kinds name (it is read back, not re-derived)."""
    old = {"case_kinds": {"objection": {"basis": "旧依据", "steps": {"verify": {"basis": "旧步骤依据"}}}}}
    assert kind_citation(old, kind="objection", division="310101").basis == "旧依据"
    assert step_basis(old, kind="objection", step="verify", division="310101") == "旧步骤依据"
