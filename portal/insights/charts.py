"""Server-rendered SVG charts (no JavaScript): a title and a description for assistive technology, and the data table
beside each chart in the template, so the figures are never only in a picture."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 200
MARGIN_LEFT = 44
MARGIN_BOTTOM = 24
MARGIN_TOP = 12


def bar_chart(
    chart_id: str, title: str, description: str, points: Sequence[tuple[str, int]], axis_label: str = ""
) -> SafeString:
    """Bars for ``points`` (label, value), scaled to the largest value, with its maximum marked on the axis."""
    top = max((value for _label, value in points), default=0) or 1
    plot_width = WIDTH - MARGIN_LEFT - 4
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_width / max(len(points), 1)
    bar = max(step * 0.8, 1.0)
    bars = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = MARGIN_LEFT + index * step + (step - bar) / 2
        y = MARGIN_TOP + plot_height - height
        bars.append((f"{x:.1f}", f"{y:.1f}", f"{bar:.1f}", f"{height:.1f}", f"{label}: {value:,}"))
    first = points[0][0] if points else ""
    last = points[-1][0] if points else ""
    base = MARGIN_TOP + plot_height
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" class="insights-chart">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{ml}" y1="{mt}" x2="{ml}" y2="{base}" stroke="#505a5f"/>'
        '<line x1="{ml}" y1="{base}" x2="{w}" y2="{base}" stroke="#505a5f"/>'
        '<text x="{tx}" y="{ty}" text-anchor="end" font-size="11" fill="#0b0c0c">{top}</text>'
        '<text x="{tx}" y="{base}" text-anchor="end" font-size="11" fill="#0b0c0c">0</text>'
        "{bars}"
        '<text x="{ml}" y="{h}" font-size="11" fill="#0b0c0c">{first}</text>'
        '<text x="{w}" y="{h}" text-anchor="end" font-size="11" fill="#0b0c0c">{last}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT - 4,
        id=chart_id,
        title=title,
        desc=description,
        ml=MARGIN_LEFT,
        mt=MARGIN_TOP,
        base=base,
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 8,
        top=f"{top:,}" if any(value for _label, value in points) else "0",
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#235b4e"><title>{}</title></rect>',
            bars,
        ),
        first=first,
        last=last,
    )
