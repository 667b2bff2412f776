"""Small server-side SVG bar charts: the geometry is worked out here, the template draws it,
so the same chart appears on the page and in a PDF. Every chart has its table beside it."""

from dataclasses import dataclass

BAR_HEIGHT = 14
ROW_HEIGHT = 40
LABEL_WIDTH = 150
PLOT_WIDTH = 300


@dataclass
class Bar:
    y: int
    width: int
    percent: int
    text_x: int


@dataclass
class ChartRow:
    label: str
    label_y: int
    focus: Bar | None
    rest: Bar | None


@dataclass
class PairChart:
    title: str
    focus_label: str
    rest_label: str
    rows: list
    height: int
    width: int = LABEL_WIDTH + PLOT_WIDTH + 50
    label_width: int = LABEL_WIDTH


def _bar(share, y):
    if share is None or share.percent is None:
        return None
    width = round(PLOT_WIDTH * share.percent / 100)
    return Bar(y, max(width, 1), share.percent, LABEL_WIDTH + width + 4)


def pair_chart(title, focus_label, rest_label, items):
    """items: (label, focus Share, rest Share). Two bars a row, 0 to 100%."""
    rows = []
    for i, (label, focus, rest) in enumerate(items):
        top = 10 + i * ROW_HEIGHT
        rows.append(ChartRow(label, top + BAR_HEIGHT, _bar(focus, top), _bar(rest, top + BAR_HEIGHT + 2)))
    return PairChart(title, focus_label, rest_label, rows, 20 + len(items) * ROW_HEIGHT)
