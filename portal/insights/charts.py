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


#: Colours and dash patterns of the series of a line chart: told apart by the pattern too, not by colour alone.
SERIES_STYLES = (("#235b4e", ""), ("#9d2449", "6 3"), ("#505a5f", "2 3"))


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> SafeString:
    """Lines over ``labels`` (months), one per series (name, values); a ``None`` value (a figure not published) is a
    gap in its line, never a zero. Each point carries its figure as a tooltip, and a legend names each line."""
    values = [value for _name, points in series for value in points if value is not None]
    top = max(values, default=0) or 1
    plot_width = WIDTH - MARGIN_LEFT - 12
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP - 18
    step = plot_width / max(len(labels) - 1, 1)
    base = MARGIN_TOP + 18 + plot_height

    def at(index: int, value: float) -> tuple[str, str]:
        return f"{MARGIN_LEFT + index * step:.1f}", f"{base - plot_height * value / top:.1f}"

    lines = []
    legend = []
    for number, (name, points) in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        segments: list[list[str]] = [[]]
        dots = []
        for index, value in enumerate(points):
            if value is None:
                segments.append([])
                continue
            x, y = at(index, value)
            segments[-1].append(f"{x},{y}")
            dots.append((x, y, colour, f"{name}, {labels[index]}: {value:,}"))
        for segment in segments:
            if segment:
                lines.append((" ".join(segment), colour, dash or "none"))
        lines_dots = format_html_join("", '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}</title></circle>', dots)
        legend_x = MARGIN_LEFT + number * 190
        legend.append(
            format_html(
                '<line x1="{x}" y1="8" x2="{x2}" y2="8" stroke="{c}" stroke-width="2" stroke-dasharray="{d}"/>'
                '<text x="{tx}" y="12" font-size="11" fill="#0b0c0c">{name}</text>{dots}',
                x=legend_x,
                x2=legend_x + 24,
                c=colour,
                d=dash or "none",
                tx=legend_x + 28,
                name=name,
                dots=lines_dots,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" class="insights-chart">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{legend}"
        '<line x1="{ml}" y1="{mt}" x2="{ml}" y2="{base}" stroke="#505a5f"/>'
        '<line x1="{ml}" y1="{base}" x2="{w}" y2="{base}" stroke="#505a5f"/>'
        '<text x="{tx}" y="{ty}" text-anchor="end" font-size="11" fill="#0b0c0c">{top}</text>'
        '<text x="{tx}" y="{base}" text-anchor="end" font-size="11" fill="#0b0c0c">0</text>'
        "{lines}"
        '<text x="{ml}" y="{h}" font-size="11" fill="#0b0c0c">{first}</text>'
        '<text x="{w}" y="{h}" text-anchor="end" font-size="11" fill="#0b0c0c">{last}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT - 4,
        id=chart_id,
        title=title,
        desc=description,
        legend=format_html_join("", "{}", ((item,) for item in legend)),
        ml=MARGIN_LEFT,
        mt=MARGIN_TOP + 18,
        base=f"{base:.1f}",
        tx=MARGIN_LEFT - 4,
        ty=MARGIN_TOP + 26,
        top=f"{top:,.0f}" if values else "0",
        lines=format_html_join(
            "",
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
            lines,
        ),
        first=labels[0] if labels else "",
        last=labels[-1] if labels else "",
    )
