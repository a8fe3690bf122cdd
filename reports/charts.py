"""Chart geometry (bars, stacked columns, trend lines) for server-rendered SVG: pure functions,
no Django, no I/O.

The dashboard and the reports draw the shapes these functions return; colours come from CSS
classes (static/portal/queues.css), so the strict Content-Security-Policy needs no inline
style and no chart library is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    value: int
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"  # SVG text-anchor: start | middle | end
    css: str = "chart-label"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: tuple[Rect, ...]
    labels: tuple[Label, ...]
    total: int

    @property
    def empty(self) -> bool:
        return self.total == 0

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def svg(self, title: str) -> str:
        """The chart as SVG markup, every text escaped (the caller marks it safe). Built here
        in one pass: as template loops, a dashboard's 150 shapes were most of its rendering."""
        t = escape(title)
        parts = [
            f'<svg class="chart" viewBox="{self.view_box}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{t}" '
            f'preserveAspectRatio="xMinYMin meet" data-testid="chart-svg">',
            f"<title>{t}</title>",
        ]
        parts.extend(
            f'<rect x="{r.x}" y="{r.y}" width="{r.width}" height="{r.height}" '
            f'class="{escape(r.css)}"><title>{escape(r.title)}</title></rect>'
            for r in self.rects
        )
        parts.extend(
            f'<text x="{lb.x}" y="{lb.y}" text-anchor="{escape(lb.anchor)}" '
            f'class="{escape(lb.css)}">{escape(lb.text)}</text>'
            for lb in self.labels
        )
        parts.append("</svg>")
        return "".join(parts)


def _scale(value: float, maximum: float, length: float) -> float:
    if maximum <= 0 or value <= 0:
        return 0.0
    return round(length * value / maximum, 1)


def _truncate(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def horizontal_bars(
    items: Sequence[tuple[str, int]],
    *,
    width: int = 480,
    bar_height: int = 18,
    gap: int = 6,
    label_width: int = 170,
    value_width: int = 40,
    css: str = "chart-bar",
    label_chars: int = 24,
) -> Chart:
    """One bar per (label, value), longest = the largest value; the label on the left and the
    value at the bar's end."""
    items = [(str(label), max(int(value), 0)) for label, value in items]
    maximum = max((value for _, value in items), default=0)
    track = max(width - label_width - value_width, 10)
    rects, labels = [], []
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        length = _scale(value, maximum, track)
        middle = round(y + bar_height / 2 + 4, 1)
        rects.append(
            Rect(
                x=label_width,
                y=y,
                width=length,
                height=bar_height,
                css=css,
                value=value,
                title=f"{label}: {value}",
            )
        )
        labels.append(
            Label(x=label_width - 6, y=middle, text=_truncate(label, label_chars), anchor="end")
        )
        labels.append(
            Label(
                x=round(label_width + length + 4, 1), y=middle, text=str(value), css="chart-value"
            )
        )
    height = gap + len(items) * (bar_height + gap) if items else bar_height + 2 * gap
    return Chart(
        width=width,
        height=height,
        rects=tuple(rects),
        labels=tuple(labels),
        total=sum(value for _, value in items),
    )


def stacked_columns(
    items: Sequence[tuple[str, Sequence[int]]],
    *,
    series_css: Sequence[str],
    series_names: Sequence[str] = (),
    width: int = 560,
    height: int = 200,
    axis_height: int = 34,
    top_margin: int = 16,
    gap: int = 6,
) -> Chart:
    """One column per (label, values), each value a stacked segment of its series (bottom
    first); the tallest column fills the plot height. Labels under each column, the total
    above it."""
    columns = [(str(label), [max(int(v), 0) for v in values]) for label, values in items]
    n = len(columns)
    plot = height - axis_height - top_margin
    maximum = max((sum(values) for _, values in columns), default=0)
    slot = (width - gap) / n if n else width
    bar_width = max(round(slot - gap, 1), 1)
    baseline = top_margin + plot
    rects, labels = [], []
    for i, (label, values) in enumerate(columns):
        x = round(gap + i * slot, 1)
        y = baseline
        for s, value in enumerate(values):
            if value <= 0:
                continue
            h = _scale(value, maximum, plot)
            y = round(y - h, 1)
            name = series_names[s] if s < len(series_names) else f"series {s + 1}"
            rects.append(
                Rect(
                    x=x,
                    y=y,
                    width=bar_width,
                    height=h,
                    css=series_css[s % len(series_css)],
                    value=value,
                    title=f"{label} {name}: {value}",
                )
            )
        centre = round(x + bar_width / 2, 1)
        total = sum(values)
        if total:
            labels.append(
                Label(
                    x=centre, y=round(y - 3, 1), text=str(total), anchor="middle", css="chart-value"
                )
            )
        for line, part in enumerate(label.split("\n")[:2]):
            labels.append(Label(x=centre, y=baseline + 13 + line * 12, text=part, anchor="middle"))
    return Chart(
        width=width,
        height=height,
        rects=tuple(rects),
        labels=tuple(labels),
        total=sum(sum(values) for _, values in columns),
    )


@dataclass(frozen=True)
class Line:
    points: str  # SVG polyline "x,y x,y ..."
    css: str
    title: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    css: str
    title: str


@dataclass(frozen=True)
class LineChart:
    """Trend lines over periods: one polyline per series, a dot (with its value as a tooltip)
    per point, period labels under the axis and the maximum on the left."""

    width: int
    height: int
    lines: tuple[Line, ...]
    dots: tuple[Dot, ...]
    labels: tuple[Label, ...]
    total: float

    @property
    def empty(self) -> bool:
        return not self.dots

    def svg(self, title: str) -> str:
        t = escape(title)
        parts = [
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{t}" '
            f'preserveAspectRatio="xMinYMin meet" data-testid="chart-svg">',
            f"<title>{t}</title>",
        ]
        parts.extend(
            f'<polyline points="{ln.points}" class="{escape(ln.css)}" fill="none">'
            f"<title>{escape(ln.title)}</title></polyline>"
            for ln in self.lines
        )
        parts.extend(
            f'<circle cx="{d.x}" cy="{d.y}" r="3" class="{escape(d.css)}">'
            f"<title>{escape(d.title)}</title></circle>"
            for d in self.dots
        )
        parts.extend(
            f'<text x="{lb.x}" y="{lb.y}" text-anchor="{escape(lb.anchor)}" '
            f'class="{escape(lb.css)}">{escape(lb.text)}</text>'
            for lb in self.labels
        )
        parts.append("</svg>")
        return "".join(parts)


def trend_lines(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    series_css: Sequence[str] = ("chart-line-1", "chart-line-2", "chart-line-3"),
    unit: str = "",
    width: int = 560,
    height: int = 200,
    axis_height: int = 34,
    top_margin: int = 22,
    left: int = 44,
    right: int = 10,
) -> LineChart:
    """One line per (name, values), a value per period (None: no figure that period, the line
    skips it). The highest value of every series fills the plot height; zero is the axis."""
    n = len(periods)
    values = [v for _, vs in series for v in vs if v is not None]
    maximum = max(values, default=0)
    plot = height - axis_height - top_margin
    baseline = top_margin + plot
    step = (width - left - right) / (n - 1) if n > 1 else 0
    lines, dots, labels = [], [], []

    def x_at(i: int) -> float:
        return round(left + (i * step if n > 1 else (width - left - right) / 2), 1)

    for s, (name, vs) in enumerate(series):
        css = series_css[s % len(series_css)]
        points = []
        for i, v in enumerate(vs):
            if v is None:
                continue
            y = round(baseline - _scale(v, maximum, plot), 1)
            points.append(f"{x_at(i)},{y}")
            shown = f"{v:g}{unit}"
            dots.append(Dot(x=x_at(i), y=y, css=css, title=f"{periods[i]} {name}: {shown}"))
        if len(points) > 1:
            lines.append(Line(points=" ".join(points), css=css, title=name))
    # A legend across the top, each name in its line's colour.
    for s, (name, _) in enumerate(series):
        labels.append(
            Label(
                x=left + s * round((width - left) / max(len(series), 1)),
                y=10,
                text=f"— {name}",
                css=f"chart-legend {series_css[s % len(series_css)]}-text",
            )
        )
    labels.append(Label(x=left - 6, y=top_margin + 4, text=f"{maximum:g}{unit}", anchor="end"))
    labels.append(Label(x=left - 6, y=baseline, text="0", anchor="end"))
    # Every label when they fit, else about eight of them.
    every = max(1, math.ceil(n / 8))
    for i, period in enumerate(periods):
        if i % every == 0 or i == n - 1:
            # The first and last labels sit inside the drawing, not half outside it.
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            labels.append(Label(x=x_at(i), y=baseline + 14, text=period, anchor=anchor))
    return LineChart(
        width=width,
        height=height,
        lines=tuple(lines),
        dots=tuple(dots),
        labels=tuple(labels),
        total=sum(values),
    )
