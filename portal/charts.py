"""Bar-chart geometry for server-rendered SVG: pure functions, no Django, no I/O.

The dashboard template draws the shapes these functions return; colours come from CSS
classes (static/portal/queues.css), so the strict Content-Security-Policy needs no inline
style and no chart library is loaded.
"""

from __future__ import annotations

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
