"""Server-drawn SVG charts, so the page and its PDF show the same picture with no script.

`support_scale_chart` lays out a line chart of Pupil Support Scale observations over time:
dates along the bottom, levels 1 (Correcting) to 6 (Independence) up the side. The template
assessment/_support_chart.html draws it; the figures are always shown as a table beside it.
"""

from dataclasses import dataclass, field

from .models import SupportLevel

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 15, 40


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    line: str = ""  # the polyline's "x,y x,y ..." points
    markers: list = field(default_factory=list)  # (x, y, title)
    y_ticks: list = field(default_factory=list)  # (y, label)
    x_ticks: list = field(default_factory=list)  # (x, label)
    summary: str = ""


def _y(level):
    span = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - (level - 1) * span / 5, 1)


def support_scale_chart(observations):
    """A Chart for the observations (oldest first), or None when there are none."""
    if not observations:
        return None
    first, last = observations[0].observed_on, observations[-1].observed_on
    days = max((last - first).days, 1)
    span = WIDTH - RIGHT - LEFT

    def x(day):
        if first == last:
            return LEFT + span / 2
        return round(LEFT + (day - first).days * span / days, 1)

    chart = Chart()
    chart.y_ticks = [(_y(value), label) for value, label in SupportLevel.choices]
    points = []
    for o in observations:
        px, py = x(o.observed_on), _y(o.level)
        points.append(f"{px},{py}")
        chart.markers.append((px, py, f"{o.observed_on:%d/%m/%Y}: {o.get_level_display()}"))
    chart.line = " ".join(points)
    ticks = {first, last}
    if len(observations) > 2:
        ticks.add(observations[len(observations) // 2].observed_on)
    chart.x_ticks = [(x(day), f"{day:%b %Y}") for day in sorted(ticks)]
    chart.summary = (
        f"{len(observations)} observation{'s' if len(observations) != 1 else ''} from {first:%d/%m/%Y} "
        f"to {last:%d/%m/%Y}: first {observations[0].get_level_display()}, "
        f"latest {observations[-1].get_level_display()}."
    )
    return chart
