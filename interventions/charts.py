"""Bar charts drawn on the server as SVG (templates/interventions/_bars.html), so the page and
the PDF show the same chart; every chart's figures are also in a table beside it."""

from dataclasses import dataclass

BAR_WIDTH = 300
ROW_HEIGHT = 22


@dataclass
class Bar:
    label: str
    text: str
    width: int
    y: int


def bars(pairs):
    """(label, value) pairs as bars scaled to the largest value; values of None or below zero
    get no bar, but keep their row and their figure."""
    pairs = list(pairs)
    top = max((value for _label, value in pairs if value is not None and value > 0), default=0)
    result = []
    for i, (label, value) in enumerate(pairs):
        width = int(BAR_WIDTH * value / top) if top and value is not None and value > 0 else 0
        result.append(
            Bar(label=label, text="—" if value is None else str(value), width=width, y=i * ROW_HEIGHT)
        )
    return result, max(ROW_HEIGHT, len(pairs) * ROW_HEIGHT)
