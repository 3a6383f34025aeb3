"""Issue 13 (letters): the fonts are cut once to the letters' repertoire, every character of a name is still
drawn, and a character no installed font has fails the render loudly instead of printing an empty box."""

import io

import pytest
from pypdf import PdfReader

from casework.documents import fonts
from casework.documents.letters import TITLES, DecisionLetter
from casework.documents.pdf import render_pdf_document, reset_fonts
from casework.models import NoticeKind, Outcome
from casework.rules.national_2026 import RULES


@pytest.fixture(scope="module")
def cut_fonts(tmp_path_factory):
    from django.conf import settings

    folder = tmp_path_factory.mktemp("fonts")
    previous = settings.LETTER_FONT_DIR
    settings.LETTER_FONT_DIR = folder
    reset_fonts()
    try:
        yield fonts.build_letter_fonts()
    finally:
        settings.LETTER_FONT_DIR = previous
        reset_fonts()


def _letter(addressee: str) -> DecisionLetter:
    rules = RULES["case_kinds"]["repair"]
    return DecisionLetter(
        kind=NoticeKind.REPAIR_DECISION,
        title=TITLES[NoticeKind.REPAIR_DECISION],
        number="XF-2026-000123",
        addressee=addressee,
        addressee_code="91350102MA2Y3K4L5X",
        case_kind="信用修复申请",
        filed_on="2026年11月23日",
        department="福州市鼓楼区社会信用体系建设联席会议办公室",
        dated="2026年11月27日",
        basis=rules["basis"],
        sources=RULES["sources"],
        remedies=rules["remedies"],
        records=["鼓楼区市场监管局 2026-03-02: 未按规定公示年度报告 (闽榕市监罚〔2026〕12号)"],
        outcome=Outcome.REPAIRED,
        outcome_sentence="经核查, 您的申请符合信用修复条件, 决定予以信用修复。",
        reason="申请人已全额缴纳罚款, 相关不良影响已经消除。",
        granted=True,
        verifier="鼓楼区市场监管局",
    )


def _embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_cut_face_carries_every_character_of_the_templates_and_gb2312(cut_fonts, settings):
    from fontTools.ttLib import TTFont

    [path] = cut_fonts.values()
    face = TTFont(str(path))
    cmap = set(face.getBestCmap())
    gb2312 = {
        ord(bytes((h, lo)).decode("gb2312", "ignore") or " ")
        for h in range(0xB0, 0xF8)
        for lo in range(0xA1, 0xFF)
    }
    templates = {
        ord(c) for p in (settings.BASE_DIR / "templates" / "letters").glob("*.html") for c in p.read_text()
    }
    assert gb2312 <= cmap
    assert {c for c in templates if chr(c).isprintable()} <= cmap
    # Renumbered: a fraction of the source's 65,535 glyph slots, so each notice's own subset stays small.
    assert face["maxp"].numGlyphs < 20_000


def test_an_ordinary_notice_embeds_only_the_cut_face(cut_fonts):
    letter = _letter("福州示例贸易有限公司")
    rendered = render_pdf_document(letter.template, {"letter": letter})
    assert _embedded_fonts(rendered.pdf) == {"Casework-Letter-Serif"}


def test_a_rare_character_in_a_name_is_still_drawn(cut_fonts):
    name = "福州𪚥记贸易有限公司"  # U+2A6A5, CJK extension B: not in GB 2312, not in Noto CJK SC
    letter = _letter(name)
    rendered = render_pdf_document(letter.template, {"letter": letter})
    embedded = _embedded_fonts(rendered.pdf)
    assert "Casework-Letter-Serif" in embedded
    assert any(font.startswith("HanaMin") for font in embedded), embedded
    assert name in rendered.html


@pytest.mark.parametrize("character", ["\ue000", "\U000f0000"])  # private use: what some systems put in names
def test_a_character_no_font_has_fails_the_render_loudly(cut_fonts, character):
    letter = _letter(f"福州{character}贸易有限公司")
    with pytest.raises(fonts.GlyphMissing) as raised:
        render_pdf_document(letter.template, {"letter": letter})
    assert f"U+{ord(character):04X}" in str(raised.value)


def test_without_a_cut_letters_use_the_whole_faces(tmp_path, settings):
    settings.LETTER_FONT_DIR = tmp_path / "absent"
    reset_fonts()
    try:
        letter = _letter("福州示例贸易有限公司")
        rendered = render_pdf_document(letter.template, {"letter": letter})
    finally:
        reset_fonts()
    assert _embedded_fonts(rendered.pdf) and "Casework-Letter-Serif" not in _embedded_fonts(rendered.pdf)


def test_the_cut_carries_every_character_letters_take_from_code_and_rule_sets(cut_fonts):
    """Issue 14: sentences live in the presenters and citations in the rule sets, not only in templates; a
    character added there is in the next cut (fonts.letter_repertoire reads them)."""
    import json

    from fontTools.ttLib import TTFont

    from casework.documents import letters, typography
    from casework.rules import PROFILES

    [path] = cut_fonts.values()
    cmap = set(TTFont(str(path)).getBestCmap())
    text = json.dumps(PROFILES, ensure_ascii=False)
    for module in (letters, typography):
        with open(module.__file__, encoding="utf-8") as source:
            text += source.read()
    assert {ord(c) for c in text if c.isprintable() and ord(c) > 0x7F} - cmap == set()
