"""Charts as server-rendered SVG: no script, no CDN, readable without colour (values are written out)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 190, 320


def bar_chart(
    rows: list[tuple[str, float, str]],
    *,
    maximum: float | None = None,
    target: float | None = None,
    title: str = "",
) -> SafeString:
    """Horizontal bars: (label, value, value as text). `target` draws a dashed line (e.g. 50 %)."""
    if not rows:
        return mark_safe('<p class="muted">—</p>')
    maximum = maximum or max((value for _, value, _ in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {max(height, 40)}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, text) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        w = max(0.0, min(1.0, value / maximum)) * BAR_WIDTH
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" class="label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" class="track"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" class="bar"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 15}" class="value">{escape(text)}</text>'
        )
    if target is not None:
        x = LABEL_WIDTH + min(1.0, target / maximum) * BAR_WIDTH
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" class="target"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
