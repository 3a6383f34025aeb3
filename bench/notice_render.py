"""Benchmark: render a two-page Chinese notice to PDF (issue 5): median time and size.

No database is needed: the presenter is built by hand with a reason long enough for a second page, exactly
as the Celery task would render it (one FontConfiguration per process, HarfBuzz subsetting).

    .venv/bin/python bench/notice_render.py --runs 20

The first render of a process pays for fontconfig's font scan and is reported apart ("cold").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")

import django  # noqa: E402

django.setup()

from bench.common import emit  # noqa: E402
from casework.documents.fonts import letter_fonts  # noqa: E402
from casework.documents.letters import TITLES, DecisionLetter  # noqa: E402
from casework.documents.pdf import harfbuzz_subset_available, render_pdf_document  # noqa: E402
from casework.models import NoticeKind, Outcome  # noqa: E402
from casework.rules.national_2026 import RULES  # noqa: E402

REASON = (
    "经核查, 申请人已全额缴纳罚款并补报公示了年度报告, 行政处罚决定确定的义务已全部履行完毕, "
    "相关不良影响已经消除, 且自处罚决定作出之日起未再受到同类行政处罚。申请人已签署信用承诺书, "
    "承诺所提交材料真实、准确、完整, 并自愿接受社会监督。"
)


def two_page_letter(paragraphs: int) -> DecisionLetter:
    rules = RULES["case_kinds"]["repair"]
    return DecisionLetter(
        kind=NoticeKind.REPAIR_DECISION,
        title=TITLES[NoticeKind.REPAIR_DECISION],
        number="XF-2026-000123",
        addressee="福州示例贸易有限公司",
        addressee_code="91350102MA2Y3K4L5X",
        case_kind="信用修复申请",
        filed_on="2026年11月23日",
        department="福州市鼓楼区社会信用体系建设联席会议办公室",
        dated="2026年11月27日",
        basis=rules["basis"],
        sources=RULES["sources"],
        remedies=rules["remedies"],
        records=["鼓楼区市场监管局 2026-03-02: 未按规定公示年度报告 (闽榕市监罚〔2026〕12号)"] * 3,
        outcome=Outcome.REPAIRED,
        outcome_sentence="经核查, 您的申请符合信用修复条件, 决定予以信用修复。",
        reason="\n".join([REASON] * paragraphs),
        granted=True,
        verifier="鼓楼区市场监管局",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--paragraphs", type=int, default=4, help="reason paragraphs (4 give two pages)")
    args = parser.parse_args()
    letter = two_page_letter(args.paragraphs)
    print(
        f"HarfBuzz subsetting: {harfbuzz_subset_available()}; letter fonts: {dict(letter_fonts()) or 'whole faces'}"
    )
    start = time.perf_counter()
    rendered = render_pdf_document(letter.template, {"letter": letter})
    cold = time.perf_counter() - start
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        rendered = render_pdf_document(letter.template, {"letter": letter})
        times.append(time.perf_counter() - start)
    print(f"pages: {rendered.pages}, size: {len(rendered.pdf):,} bytes ({len(rendered.pdf) / 1024:.0f} KiB)")
    print(f"cold (first in process): {cold * 1000:.0f} ms")
    print(
        f"warm, {args.runs} runs: median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    # Reference, same run: a one-paragraph letter with the same fonts (WeasyPrint's floor for a CJK page).
    short = two_page_letter(1)
    short_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        short_rendered = render_pdf_document(short.template, {"letter": short})
        short_times.append(time.perf_counter() - start)
    print(
        f"reference, one paragraph ({short_rendered.pages} page, {len(short_rendered.pdf) / 1024:.0f} KiB): "
        f"median {statistics.median(short_times) * 1000:.0f} ms"
    )
    emit(
        "two-page notice, warm (median)",
        statistics.median(times) * 1000,
        "ms",
        reference=statistics.median(short_times) * 1000,
        reference_name="one-paragraph letter, same fonts",
        size=f"{len(rendered.pdf) / 1024:.0f} KiB",
        pages=rendered.pages,
    )


if __name__ == "__main__":
    main()
