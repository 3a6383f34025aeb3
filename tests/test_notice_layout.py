"""Issue 14, notices: full-width punctuation, left-aligned text, a 文号 and a seal area, and a short notice on
one page (the signature never spills alone onto a second)."""

import io
import re

import pypdf
import pytest
import time_machine
from django.conf import settings

from casework.documents.letters import letter_for
from casework.documents.pdf import render_pdf_document
from casework.models import Case, HistoryEvent

from .test_notices import MONDAY, accept_objection
from .world import build_world

pytestmark = pytest.mark.django_db

LETTERS = settings.BASE_DIR / "templates" / "letters"
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")


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
    assert 'data-role="seal"' in html and "文号：信异〔2026〕1号" in html
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert "（盖章）" in text
