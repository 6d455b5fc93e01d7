"""Bar charts drawn on the server as SVG (no script, no CDN): geometry only, the template draws.

`bar_chart(columns, series)` stacks each column's values of the named series; every bar segment
keeps the link of the figure it shows, so a click leads to the batches or movements behind it.
"""

from dataclasses import dataclass, field

SERIES_CLASSES = 12  # .series-0 .. .series-11 in css/dashboard.css (classes, not inline styles)


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    css: str  # the series class, which sets the colour
    title: str
    href: str | None = None


@dataclass
class Chart:
    width: int
    height: int
    base: float  # y of the axis
    segments: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (x, label) under the bars
    scale: list = field(default_factory=list)  # (y, label) of the value axis
    legend: list = field(default_factory=list)  # (css class, label)


def _nice(top: float) -> float:
    if top <= 0:
        return 1.0
    step = 10 ** len(str(int(top))) / 10 if top >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if top <= step * factor * 4:
            return step * factor
    return step * 10


def bar_chart(columns, series, *, width=720, height=220, grouped=False) -> Chart:
    """`columns`: [(tick label, {series key: (value, title, href)})]; `series`: [(key, label)].

    Stacked by default; `grouped` puts each series' bar side by side (for flows that must not add)."""
    left, bottom, top = 44, 22, 8
    plot_h = height - bottom - top
    if grouped:
        peak = max((v[0] for _, values in columns for v in values.values()), default=0)
    else:
        peak = max((sum(v[0] for v in values.values()) for _, values in columns), default=0)
    step = _nice(peak)
    ceiling = step * max(1, -(-peak // step)) if peak else step
    slot = (width - left - 4) / max(len(columns), 1)
    chart = Chart(width, height, height - bottom)
    colors = {key: f"series-{n % SERIES_CLASSES}" for n, (key, _label) in enumerate(series)}
    chart.legend = [(colors[key], label) for key, label in series]
    n_series = max(len(series), 1)
    for n, (tick, values) in enumerate(columns):
        x0 = left + n * slot + slot * 0.12
        bar_w = slot * 0.76
        y = chart.base
        for k, (key, _label) in enumerate(series):
            if key not in values or not values[key][0]:
                continue
            value, title, href = values[key]
            h = plot_h * value / ceiling
            if grouped:
                w = bar_w / n_series
                chart.segments.append(
                    Segment(
                        round(x0 + k * w, 1),
                        round(chart.base - h, 1),
                        round(w, 1),
                        round(h, 1),
                        colors[key],
                        title,
                        href,
                    )
                )
            else:
                y -= h
                chart.segments.append(
                    Segment(round(x0, 1), round(y, 1), round(bar_w, 1), round(h, 1), colors[key], title, href)
                )
        chart.ticks.append((round(left + n * slot + slot / 2, 1), tick))
    k = 0
    while k * step <= ceiling + 1e-9:
        chart.scale.append((round(chart.base - plot_h * k * step / ceiling, 1), f"{k * step:g}"))
        k += 1
    return chart
