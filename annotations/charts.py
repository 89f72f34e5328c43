"""Bar charts as geometry for SVG templates (templates/_desk_chart.html).

Hand-written rather than a plotting library's: five bar charts need rects,
ticks and labels, which fit in this module; the libraries that draw SVG
(matplotlib, pygal) bring tens of megabytes, or style="" attributes and
inline scripts the Content-Security-Policy refuses. The numbers here are
positions in the SVG's own units; the template only writes them out.

Each series is drawn with its own fill pattern (PATTERNS: colour plus a
hatch), so the charts read without colour too, and every segment large
enough carries its value; the bar's total is written at its end.
"""

import math
from dataclasses import dataclass, field

# Fill patterns by series index: an Okabe-Ito colour (told apart with any
# colour vision) and a hatch telling them apart without colour.
PATTERNS = (
    {"colour": "#0072B2", "hatch": None},
    {"colour": "#E69F00", "hatch": "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6"},   # diagonal lines
    {"colour": "#009E73", "hatch": "dots"},
    {"colour": "#CC79A7", "hatch": "M0,0 L8,8 M8,0 L0,8"},                # cross-hatch
    {"colour": "#56B4E9", "hatch": "M0,4 L8,4"},                           # horizontal lines
)
PATTERN_SIZE = 8

# Vertical charts: the plot's size and margins (tick labels left, category
# labels below, totals above the bars).
PLOT_WIDTH, PLOT_HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 22, 44
# Horizontal charts: a row per category, names in the left margin.
ROW, BAR_THICKNESS, NAME_MARGIN, HORIZONTAL_PLOT, TOTAL_MARGIN = 26, 18, 180, 460, 56
# Below these sizes a segment's value would not fit inside it.
MIN_LABELLED_SPAN, MIN_LABELLED_THICKNESS = 15, 14
MAX_BAR_WIDTH = 64  # a few months' bars stay bars, not blocks
CHARACTER_WIDTH = 6.5  # of an 11px label, roughly: for spacing category labels


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    pattern: int
    series: str
    value: float
    text: str
    show_text: bool
    text_x: float
    text_y: float


@dataclass
class Chart:
    width: float
    height: float
    horizontal: bool
    segments: list[Segment] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)      # {x, y, text}
    categories: list[dict] = field(default_factory=list)  # {x, y, text, anchor}
    ticks: list[dict] = field(default_factory=list)       # {x1, y1, x2, y2, text, tx, ty}
    axis: dict = field(default_factory=dict)              # {x1, y1, x2, y2}


def nice_scale(largest: float, whole: bool) -> tuple[float, float]:
    """The axis's top and tick step for values up to ``largest``: a step of
    1, 2 or 5 times a power of ten, about four ticks, whole numbers for
    counts (``whole``)."""
    if largest <= 0:
        return 1.0, 1.0
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if whole:
        step = max(1.0, float(round(step)))
    return math.ceil(largest / step - 1e-9) * step, step


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def bar_chart(categories: list[str], series: list[str], values: list[list],
              value_text=_number, whole: bool = True, horizontal: bool = False,
              tick_unit: float = 1) -> Chart:
    """Stacked bars, one per category, a segment per series (values[i][j]
    is category i's value of series j; None is no bar, drawn as nothing).
    ``value_text`` writes a value for the labels; ``whole``: counts;
    ``tick_unit``: the ticks are round numbers of it (24: whole days of
    values in hours)."""
    totals = [None if all(v is None for v in row) else sum(v or 0 for v in row)
              for row in values]
    top, step = nice_scale(max((t for t in totals if t is not None), default=0) / tick_unit,
                           whole)
    top, step = top * tick_unit, step * tick_unit
    layout = _horizontal if horizontal else _vertical
    return layout(categories, series, values, totals, top, step, value_text)


def _vertical(categories, series, values, totals, top, step, value_text) -> Chart:
    slot = PLOT_WIDTH / max(len(categories), 1)
    bar = min(slot * 0.7, MAX_BAR_WIDTH)
    base = TOP + PLOT_HEIGHT
    scale = PLOT_HEIGHT / top
    chart = Chart(LEFT + PLOT_WIDTH + RIGHT, TOP + PLOT_HEIGHT + BOTTOM, False,
                  axis={"x1": LEFT, "y1": base, "x2": LEFT + PLOT_WIDTH, "y2": base})
    # Every n-th category named, so the names do not overlap.
    widest = max((len(c) for c in categories), default=1) * CHARACTER_WIDTH + 6
    every = max(1, math.ceil(widest / slot))
    for i, (name, row, total) in enumerate(zip(categories, values, totals)):
        x = LEFT + i * slot + (slot - bar) / 2
        stacked = 0.0
        for j, value in enumerate(row):
            if not value:
                continue
            height = value * scale
            y = base - stacked - height
            chart.segments.append(Segment(
                x, y, bar, height, j % len(PATTERNS), series[j], value, value_text(value),
                height >= MIN_LABELLED_THICKNESS and bar >= MIN_LABELLED_SPAN and len(row) > 1,
                x + bar / 2, y + height / 2 + 4))
            stacked += height
        chart.totals.append({"x": x + bar / 2, "y": base - stacked - 5,
                             "text": "–" if total is None else value_text(total)})
        if i % every == 0:
            chart.categories.append({"x": x + bar / 2, "y": base + 16, "text": name,
                                     "anchor": "middle"})
    for tick in _tick_values(top, step):
        y = base - tick * scale
        chart.ticks.append({"x1": LEFT, "y1": y, "x2": LEFT + PLOT_WIDTH, "y2": y,
                            "text": value_text(tick), "tx": LEFT - 6, "ty": y + 4})
    return chart


def _horizontal(categories, series, values, totals, top, step, value_text) -> Chart:
    scale = HORIZONTAL_PLOT / top
    plot_top = 8
    plot_bottom = plot_top + ROW * len(categories)
    chart = Chart(NAME_MARGIN + HORIZONTAL_PLOT + TOTAL_MARGIN, plot_bottom + 28, True,
                  axis={"x1": NAME_MARGIN, "y1": plot_top, "x2": NAME_MARGIN,
                        "y2": plot_bottom})
    for i, (name, row, total) in enumerate(zip(categories, values, totals)):
        y = plot_top + i * ROW + (ROW - BAR_THICKNESS) / 2
        stacked = 0.0
        for j, value in enumerate(row):
            if not value:
                continue
            width = value * scale
            x = NAME_MARGIN + stacked
            chart.segments.append(Segment(
                x, y, width, BAR_THICKNESS, j % len(PATTERNS), series[j], value,
                value_text(value), width >= MIN_LABELLED_SPAN + 7 and len(row) > 1,
                x + width / 2, y + BAR_THICKNESS / 2 + 4))
            stacked += width
        if total is not None:
            chart.totals.append({"x": NAME_MARGIN + stacked + 5, "y": y + BAR_THICKNESS / 2 + 4,
                                 "text": value_text(total)})
        chart.categories.append({"x": NAME_MARGIN - 8, "y": y + BAR_THICKNESS / 2 + 4,
                                 "text": _clipped(name, 26), "anchor": "end"})
    for tick in _tick_values(top, step):
        x = NAME_MARGIN + tick * scale
        chart.ticks.append({"x1": x, "y1": plot_top, "x2": x, "y2": plot_bottom,
                            "text": value_text(tick), "tx": x, "ty": plot_bottom + 16})
    return chart


def _tick_values(top: float, step: float) -> list[float]:
    return [k * step for k in range(int(round(top / step)) + 1)]


def _clipped(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"
