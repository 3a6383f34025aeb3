"""HTML → PDF with WeasyPrint, for letters (templates/letters/).

WeasyPrint is imported inside the functions: it loads Pango, HarfBuzz and fontconfig, which web processes
never need (rendering happens in Celery, never in a request). Fonts are subset with HarfBuzz when Debian's
`libharfbuzz-subset0` is installed; without it a Chinese notice embeds whole Noto CJK faces and takes ~18 s
instead of ~0.4 s, so `harfbuzz_subset_available()` is asserted in a test and checked by `render_to_pdf`.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from . import fonts

logger = logging.getLogger(__name__)

_font_config = None  # one FontConfiguration per worker process: building it scans every installed font


def font_configuration():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def reset_fonts() -> None:
    """Forget the process's font configuration and cut faces (after LETTER_FONT_DIR changed: tests)."""
    global _font_config
    _font_config = None
    fonts.letter_fonts.cache_clear()


def harfbuzz_subset_available() -> bool:
    from weasyprint.text import ffi

    return bool(ffi.harfbuzz_subset)


@dataclass(frozen=True)
class RenderedPdf:
    html: str
    pdf: bytes
    pages: int


def render_pdf_document(template: str, context: dict) -> RenderedPdf:
    """Render a letter template to PDF with the cut letter fonts (casework.documents.fonts).

    Raises `fonts.GlyphMissing` when the letter holds a character no installed font can draw."""
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # seven INFO lines per notice
    if not harfbuzz_subset_available():
        logger.warning(
            "HarfBuzz subsetting is missing (Debian libharfbuzz-subset0): PDFs will be slow and big."
        )
    html = render_to_string(
        template,
        {
            **context,
            "letter_font_faces": fonts.font_faces_css(),
            "letter_font_family": fonts.font_family_css(),
        },
    )
    fonts.check_drawable(strip_tags(html))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_configuration())
    # full_fonts=False (the default, said aloud): only the glyphs used are embedded; a whole Noto CJK face
    # would make every notice megabytes.
    pdf = document.write_pdf(full_fonts=False)
    return RenderedPdf(html=html, pdf=pdf, pages=len(document.pages))


def render_to_pdf(template: str, context: dict) -> tuple[str, bytes]:
    """Render a letter template; the HTML is returned too, so tests and the preview can read it."""
    rendered = render_pdf_document(template, context)
    return rendered.html, rendered.pdf
