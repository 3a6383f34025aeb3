"""Issue 14, notices: full-width punctuation, left-aligned text, a 文号 and a seal area, and a short notice on
one page (the signature never spills alone onto a second)."""

import ast
import io
import re
from pathlib import Path

import pypdf
import pytest
import time_machine
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casework.documents import letters
from casework.documents.letters import letter_for
from casework.documents.pdf import render_pdf_document
from casework.documents.typography import cjk_punctuation, half_width_beside_cjk
from casework.models import Case, HistoryEvent, NoticeKind
from casework.rules import PROFILES

from .test_notices import MONDAY, accept_objection
from .world import build_world

pytestmark = pytest.mark.django_db

LETTERS = settings.BASE_DIR / "templates" / "letters"
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,.;:()!?]|[,;:()!?][\u4e00-\u9fff]")


def test_the_letter_templates_write_full_width_punctuation_in_chinese_text():
    for path in sorted(LETTERS.glob("*.html")):
        body = path.read_text(encoding="utf-8").split("</style>")[-1]
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", "", body)
        assert not HALF_WIDTH_IN_CHINESE.findall(text), (path.name, HALF_WIDTH_IN_CHINESE.findall(text))


def test_a_short_notice_is_one_left_aligned_page_with_docno_and_seal(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)
    case = Case.objects.get(number=number)
    event = HistoryEvent.objects.filter(case=case, action="accept").first()
    letter = letter_for(case, "acceptance", event)
    rendered = render_pdf_document(letter.template, {"letter": letter})
    assert rendered.pages == 1
    html = rendered.html
    assert "text-align: justify" not in html
    assert 'data-role="seal"' in html and "文号：信异受〔2026〕1号" in html
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert "（盖章）" in text


# -- every kind, every string (issue 14: fix the kind) ------------------------------------------------------

# Data as people type it: half-width commas, colons, brackets and a full stop beside Chinese.
HOSTILE = "已缴纳罚款, 年度报告已补报(见附件). 联系人: 张三; 电话 0591-12345678"
# A realistic content for each kind; every NoticeKind must be here (a new kind is checked the day it lands).
KINDS = {
    "acceptance": {},
    "refusal": {"reason": HOSTILE},
    "supplement": {"materials": HOSTILE},
    "repair_decision": {"outcome": "rejected", "reason": HOSTILE},
    "objection_result": {"outcome": "corrected", "reason": HOSTILE},
    "list_exit": {"outcome": "removed", "reason": HOSTILE},
    "withdrawal": {"materials": HOSTILE},
    "review_result": {"outcome": "deleted", "reason": HOSTILE},
    "bankruptcy_decision": {},  # its reason is the department's note (tests/test_decided_by_finder.py)
}


def visible_text(html: str) -> str:
    body = html.split("</head>", 1)[1]
    return re.sub(r"<[^>]+>", "", body)


def rule_texts() -> list[str]:
    """Every rule-set string a letter or the rule panel shows: basis, sources, remedies, steps' basis, the
    severity checks and every province's local citations, in every profile."""
    texts = []
    for rules in PROFILES.values():
        texts += [rules["title"], *rules["sources"]]
        if rules.get("supplement"):
            texts += [rules["supplement"]["basis"], *rules["supplement"]["sources"]]
        for kind in rules["case_kinds"].values():
            texts += [kind["basis"], kind["remedies"], *kind.get("sources", [])]
            texts += list(kind.get("checks_by_severity", {}).values())
            texts += [step["basis"] for step in kind["steps"].values()]
        for province in rules.get("local_citations", {}).values():
            for cited in province["case_kinds"].values():
                texts += [cited.get("basis", ""), *cited.get("sources", []), *cited.get("steps", {}).values()]
    return texts


def code_texts() -> list[str]:
    """Every string literal of the letters' presenters (f-string parts included)."""
    tree = ast.parse(Path(letters.__file__).read_text(encoding="utf-8"))
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


@pytest.mark.parametrize("source", ["rule sets", "letters code"])
def test_the_strings_letters_take_from_code_and_rules_are_set_full_width(source):
    texts = rule_texts() if source == "rule sets" else code_texts()
    found = [(t, half_width_beside_cjk(t)) for t in texts if half_width_beside_cjk(t)]
    assert found == []


def test_every_notice_kind_is_in_the_table():
    assert set(KINDS) == set(NoticeKind.values)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_notice_kind_is_one_full_width_page_with_docno_seal_and_receiving_office(admin_api, kind):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = accept_objection(world)
    case = Case.objects.get(number=number)
    content = KINDS[kind]
    case.outcome = content.get("outcome", "")
    case.decision_reason = content.get("reason", "")
    case.materials_requested = content.get("materials", "")
    event = HistoryEvent.objects.filter(case=case).order_by("id").last()
    if kind == "bankruptcy_decision":  # a restructuring decision names the department that decided
        event.action, event.data = "shield_granted", {**event.data, "department": "xy-market"}
    letter = letter_for(case, kind, event)
    rendered = render_pdf_document(letter.template, {"letter": letter})
    text = visible_text(rendered.html)
    assert half_width_beside_cjk(text) == [], kind
    assert "（闽榕市监罚〔2026〕12号）" in text  # the record's summary, typed with half-width brackets
    assert HOSTILE not in text and (
        "已缴纳罚款，年度报告已补报（见附件）。联系人：张三；" in text or not content
    )
    assert rendered.pages == 1, kind
    assert "文号：信异" in text and "（盖章）" in text and "受理机构：鼓楼区信用办" in text
    assert "text-align: justify" not in rendered.html


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("经核查, 符合条件.", "经核查，符合条件。"),
        ("罚款 (闽榕市监罚〔2026〕12号)", "罚款（闽榕市监罚〔2026〕12号）"),
        ("《上海市社会信用条例》(2017) 第三十六条", "《上海市社会信用条例》（2017）第三十六条"),
        ("理由: 已缴纳; 见附件!", "理由：已缴纳；见附件！"),
        ("是否已缴纳?", "是否已缴纳？"),
        ("罚款 3.5 万元, 10:00 到场", "罚款 3.5 万元，10:00 到场"),  # numbers keep their marks
        ("见 www.gsxt.gov.cn 查询", "见 www.gsxt.gov.cn 查询"),
        ("(ABC)公司", "（ABC）公司"),  # brackets change as a pair
        ("Hello, world (test).", "Hello, world (test)."),  # Latin text is left alone
        ("1. 罚款凭证; 2. 整改报告", "1. 罚款凭证；2. 整改报告"),
        ("", ""),
        ("((未闭合", "（（未闭合"),  # unpaired brackets beside Chinese change on their own
        ("经核查,,!", "经核查，，！"),
        ("已补报(见附件). 联系人", "已补报（见附件）。联系人"),
    ],
)
def test_half_width_punctuation_beside_chinese_is_typeset_full_width(text, typeset):
    assert cjk_punctuation(text) == typeset


_PIECES = st.sampled_from(
    ["经核查", "罚款", "公司", "ABC", "3.5", "10:00", " ", ",", ".", ":", ";", "(", ")", "!", "?", "（", "》"]
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_typesetting_leaves_no_half_width_mark_beside_chinese_and_is_idempotent(text):
    """Whatever a reviewer types: once typeset, no , : ; ! ? ( ) touches Chinese (a full stop after a digit or
    letter may stay: 3.5, 1.), typesetting again changes nothing, and text without Chinese is left alone."""
    once = cjk_punctuation(text)
    assert cjk_punctuation(once) == once
    assert [m for m in half_width_beside_cjk(once) if "." not in m] == []
    if not re.search(r"[\u4e00-\u9fff（》]", text):
        assert once == text
