"""Charts of the report's time series, as small self-contained SVG files.

A chart is one indicator of one dataset (a figure of the report), with a line per scope.
The SVG is written by hand rather than by a plotting library, so that it has no fonts,
scripts or timestamps in it and the same data always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

import pyoxigraph
from rdflib import URIRef

from vetkg.query import catalogue
from vetkg.query.catalogue import fill_values
from vetkg.query.store import run_query

LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 780, 400, 64, 230, 52, 44


@dataclass
class Series:
    """One chart: a dataset's indicator, its unit, and a line of (year, value) per scope."""

    dataset: str
    title_zh: str
    title_en: str
    indicator: str
    indicator_zh: str
    indicator_en: str
    unit_zh: str
    unit_en: str
    lines: dict[tuple[str, str, str], list[tuple[int, Decimal]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.dataset}--{self.indicator}"


def load_series(store: pyoxigraph.Store, datasets=(), indicators=()) -> list[Series]:
    """Every series of observations that has periods, grouped by dataset and indicator.

    Given ``datasets`` or ``indicators`` (IRIs), only the series of those.
    """
    query = catalogue.text("pages/series")
    for variable, iris in (("dataset", datasets), ("indicator", indicators)):
        if iris:
            query = fill_values(query, variable, [URIRef(iri) for iri in sorted(iris)])
    table = run_query(store, query)
    charts: dict[tuple[str, str], Series] = {}
    for record in table.plain_records():
        dataset, indicator = record["dataset"].rsplit("/", 1)[1], record["indicator"].rsplit("/", 1)[1]
        chart = charts.setdefault((dataset, indicator), Series(
            dataset, record["datasetZh"], record["datasetEn"], indicator, record["indicatorZh"],
            record["indicatorEn"], record["unitZh"], record["unitEn"]))
        line = chart.lines.setdefault((record["scope"], record["scopeZh"], record["scopeEn"]), [])
        line.append((int(record["period"][:4]), Decimal(record["value"])))
    return [chart for _, chart in sorted(charts.items()) if any(len(p) > 1 for p in chart.lines.values())]


def _ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    span = (high - low) or Decimal(1)
    raw = span / count
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(m * magnitude for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * magnitude >= raw)
    ticks = [(low / step).to_integral_value(rounding="ROUND_FLOOR") * step]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def render_svg(series: Series) -> str:
    """The chart as SVG: axes, a line and points per scope, a legend, and the unit."""
    points = [point for line in series.lines.values() for point in line]
    years = [year for year, _ in points]
    low = min(Decimal(0), min(value for _, value in points))
    ticks = _ticks(low, max(value for _, value in points))
    top_value, first_year, last_year = ticks[-1], min(years), max(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + plot_w * (year - first_year) / max(1, last_year - first_year)

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((top_value - value) / ((top_value - ticks[0]) or 1))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="sans-serif" font-size="12">',
           f"<title>{escape(series.title_zh)} · {escape(series.indicator_en)}</title>",
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(series.title_zh)}</text>',
           f'<text x="{LEFT}" y="38" fill="#5f6368">{escape(series.indicator_en)} '
           f"({escape(series.unit_en)}, {escape(series.unit_zh)})</text>"]
    for tick in ticks:
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   'stroke="#e8eaed"/>')
        label = f"{tick.normalize():f}"
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{label}</text>')
    for year in range(first_year, last_year + 1):
        out.append(f'<text x="{x(year):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{year}</text>')
    for number, ((_scope, scope_zh, scope_en), line) in enumerate(sorted(series.lines.items())):
        colour = LINE_COLOURS[number % len(LINE_COLOURS)]
        path = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in sorted(line))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for year, value in sorted(line):
            out.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                       f"<title>{year}: {value:f} {escape(series.unit_zh)}</title></circle>")
        legend_x, legend_y = WIDTH - RIGHT + 14, TOP + 10 + 34 * number
        out.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="3" fill="{colour}"/>')
        out.append(f'<text x="{legend_x + 18}" y="{legend_y - 4}">{escape(scope_zh)}</text>')
        out.append(f'<text x="{legend_x + 18}" y="{legend_y + 10}" fill="#5f6368">{escape(scope_en)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
