"""Charts as server-rendered SVG: no script, no CDN, readable without colour (values are written out).

Each bar's label sits on its own line above the bar, so no label is ever cut off however long a department's
name is; a bar with a link (drill-down) opens the cases it counts.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABEL_HEIGHT, BAR_HEIGHT, GAP, BAR_WIDTH, VALUE_WIDTH = 18, 18, 10, 420, 110


def bar_chart(
    rows: list[tuple],
    *,
    maximum: float | None = None,
    target: float | None = None,
    title: str = "",
) -> SafeString:
    """Horizontal bars: (label, value, value as text[, link]). `target` draws a dashed line (e.g. 50 %)."""
    if not rows:
        return mark_safe('<p class="muted">—</p>')
    maximum = maximum or max((row[1] for row in rows), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = len(rows) * step + GAP
    width = BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {max(height, 40)}" '
        # With drill-down links the chart is a group of links, not an image: an img may not contain controls.
        f'role="{"group" if any(len(row) > 3 and row[3] for row in rows) else "img"}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, text, *link) in enumerate(rows):
        y = GAP + i * step
        bar_y = y + LABEL_HEIGHT
        w = max(0.0, min(1.0, value / maximum)) * BAR_WIDTH
        row = (
            f'<text x="0" y="{y + 13}" class="label">{escape(label)}</text>'
            f'<rect x="0" y="{bar_y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" class="track"/>'
            f'<rect x="0" y="{bar_y}" width="{w:.1f}" height="{BAR_HEIGHT}" class="bar"/>'
            f'<text x="{BAR_WIDTH + 8}" y="{bar_y + 14}" class="value">{escape(text)}</text>'
        )
        if link and link[0]:
            row = f'<a href="{escape(link[0])}" data-testid="chart-link"><title>{escape(label)}</title>{row}</a>'
        parts.append(row)
    if target is not None:
        x = min(1.0, target / maximum) * BAR_WIDTH
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" class="target"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
