"""Charts and maps drawn on the server as SVG (no script, no tiles, no CDN). Every chart has a
<title> and a <desc> that says what it shows; the page puts the same numbers in a table."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cityhall.insights.queries import HotSpot, Panel

INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9d0d8"
SERIES = ["#0b4f8a", "#a4262c", "#1f6d3b"]
# Sequential blues for the choropleth, light to dark (the table beside it has the numbers).
SHADES = ["#eef3f9", "#c6dbef", "#8db5da", "#4a87bf", "#0b4f8a"]
WIDTH = 600


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    return float(value) if isinstance(value, int | float) else None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def chart(panel: Panel) -> SafeString:
    if panel.chart == "lines":
        return lines(panel)
    if panel.chart == "bars":
        return bars(panel)
    return mark_safe("")  # noqa: S308 - empty


def _frame(panel: Panel, height: int, body: list[str], summary: str) -> SafeString:
    key = escape(panel.key)
    return mark_safe(  # noqa: S308 - every text part is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="chart-{key}-title chart-{key}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{key}-title">{escape(panel.title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>"
    )


def bars(panel: Panel) -> SafeString:
    column = panel.series[0]
    rows = [(str(r[0]), _number(r[column]) or 0.0) for r in panel.rows]
    if not rows:
        return _frame(panel, 40, [_empty(20)], _("No data for these filters."))
    top = max(v for _l, v in rows) or 1.0
    row_height, label_width, left = 24, 200, 210
    span = WIDTH - left - 60
    body = []
    for i, (label, value) in enumerate(rows):
        y = i * row_height
        width = max(1.0, span * value / top) if value else 0.0
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(
            f'<text x="{label_width}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(short)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{width:.1f}" height="{row_height - 8}" '
            f'fill="{SERIES[0]}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
            f'<text x="{left + width + 4:.1f}" y="{y + 16}" font-size="12" fill="{INK}">'
            f"{_fmt(value)}{escape(panel.unit)}</text>"
        )
    best = max(rows, key=lambda r: r[1])
    summary = _("%(n)s bars of %(what)s; the largest is %(label)s with %(value)s.") % {
        "n": len(rows),
        "what": panel.columns[column],
        "label": best[0],
        "value": _fmt(best[1]),
    }
    return _frame(panel, len(rows) * row_height + 4, body, summary)


def _empty(y: int) -> str:
    return f'<text x="10" y="{y}" font-size="13" fill="{MUTED}">{escape(_("No data"))}</text>'


def lines(panel: Panel) -> SafeString:
    height, left, right, top_pad, bottom = 220, 50, 16, 16, 40
    points = [[_number(r[c]) for r in panel.rows] for c in panel.series]
    values = [v for series in points for v in series if v is not None]
    if not panel.rows or not values:
        return _frame(panel, 40, [_empty(20)], _("No data for these filters."))
    top = max(values) or 1.0
    n = len(panel.rows)
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top_pad + plot_h * (1 - v / top)

    body = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{WIDTH - right}" y2="{y(0):.1f}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<line x1="{left}" y1="{y(top):.1f}" x2="{WIDTH - right}" y2="{y(top):.1f}" '
        f'stroke="{LINE}" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{y(top) + 4:.1f}" text-anchor="end" font-size="11" '
        f'fill="{INK}">{_fmt(top)}{escape(panel.unit)}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11" '
        f'fill="{INK}">0</text>',
        f'<text x="{x(0):.1f}" y="{height - 22}" font-size="11" fill="{INK}">'
        f"{escape(str(panel.rows[0][0]))}</text>",
        f'<text x="{x(n - 1):.1f}" y="{height - 22}" text-anchor="end" font-size="11" '
        f'fill="{INK}">{escape(str(panel.rows[-1][0]))}</text>',
    ]
    for s, series in enumerate(points):
        colour = SERIES[s % len(SERIES)]
        dash = ' stroke-dasharray="6 3"' if s == 1 else ""
        segment: list[str] = []
        for i, v in enumerate(series + [None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
            elif segment:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash}/>'
                )
                segment = []
        if n <= 40:
            for i, v in enumerate(series):
                if v is not None:
                    body.append(
                        f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                        f"<title>{escape(str(panel.rows[i][0]))}, "
                        f"{escape(panel.columns[panel.series[s]])}: {_fmt(v)}</title></circle>"
                    )
        name = escape(panel.columns[panel.series[s]])
        lx = left + s * 200
        body.append(
            f'<line x1="{lx}" y1="{height - 6}" x2="{lx + 24}" y2="{height - 6}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{lx + 30}" y="{height - 2}" font-size="11" fill="{INK}">{name}</text>'
        )
    summary = _("%(what)s from %(first)s to %(last)s; the highest value is %(top)s.") % {
        "what": ", ".join(panel.columns[c] for c in panel.series),
        "first": panel.rows[0][0],
        "last": panel.rows[-1][0],
        "top": _fmt(top),
    }
    return _frame(panel, height, body, summary)


# --- Maps ------------------------------------------------------------------------------------


def _project(city: dict[str, Any], lat: float, lng: float) -> tuple[float, float]:
    bounds = city["bounds"]
    return (lng - bounds[0]) * city["stretch"] * city["scale"], (bounds[3] - lat) * city["scale"]


def shade(value: int, top: int) -> str:
    if top <= 0 or value <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + int((len(SHADES) - 1) * (value - 1) / top))]


def choropleth(
    city: dict[str, Any], counts: dict[str, int], title: str, links: dict[str, str]
) -> SafeString:
    """Neighbourhoods shaded by count; each links to its cases in the staff queue."""
    top = max(counts.values(), default=0)
    body = []
    for p in city["paths"]:
        count = counts.get(p["slug"], 0)
        label = f"{p['name']}: {count:,}"
        path = (
            f'<path d="{p["d"]}" fill="{shade(count, top)}" stroke="{MUTED}" stroke-width="0.8">'
            f"<title>{escape(label)}</title></path>"
        )
        href = links.get(p["slug"])
        body.append(
            f'<a href="{escape(href)}" aria-label="{escape(label)}">{path}</a>' if href else path
        )
    return _map(city, title, body)


def _map(city: dict[str, Any], title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text part is escaped
        f'<svg class="insights-map" viewBox="0 0 {city["width"]} {city["height"]}" '
        f'width="{city["width"]}" height="{city["height"]}" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(body)
        + "</svg>"
    )


def hexmap(
    city: dict[str, Any], spots: list[HotSpot], title: str, links: dict[int, str], corners: Any
) -> SafeString:
    """Hexagons shaded by count over the neighbourhood outlines; each links to its cases."""
    body = [
        f'<path d="{p["d"]}" fill="#f4f6f4" stroke="{MUTED}" stroke-width="0.6"/>'
        for p in city["paths"]
    ]
    top = max((s.count for s in spots), default=0)
    for spot in spots:
        points = " ".join(
            "{:.1f},{:.1f}".format(*_project(city, lat, lng)) for lat, lng in corners(spot.cell)
        )
        label = _("Hot spot with %(n)s cases") % {"n": f"{spot.count:,}"}
        polygon = (
            f'<polygon points="{points}" fill="{shade(spot.count, top)}" stroke="{INK}" '
            f'stroke-width="0.8"><title>{escape(label)}</title></polygon>'
        )
        href = links.get(spot.cell)
        body.append(
            f'<a href="{escape(href)}" aria-label="{escape(label)}">{polygon}</a>'
            if href
            else polygon
        )
    return _map(city, title, body)
