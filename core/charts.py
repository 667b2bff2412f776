"""Every chart in sendtrack: SVG drawn on the server, so a page and its PDF show the same picture
with no script and no request for anything.

- The callers pass plain values in (labels, numbers, dates, figures with a `percent`), never
  models, so this module imports no project app.
- One palette, `PALETTE`, defined here and nowhere else. Colours are written into the SVG as
  attributes; no stylesheet sets a chart colour (static/css only sizes charts), so the page and
  the PDF cannot differ.
- Colour is never the only signal: every bar carries its group's name or its figure in words,
  every line its name at its end and a dash pattern of its own, and every segment of a stacked
  bar keeps the order of the legend. The pages print the same figures in a table beside each
  chart, and each chart says so in its description.
- Every piece of text is escaped; the SVG is then marked safe for templates. A chart with
  nothing to draw is "", so a template can write `{% if chart %}`.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

TABLE_NOTE = "The figures are also in the table beside the chart."


@dataclass(frozen=True)
class Palette:
    """The colours of every chart. Text colours pass WCAG AA (4.5:1) on white; the light bar
    colour is drawn with an ink outline so that its edge shows."""

    ink: str = "#212529"
    muted: str = "#6c757d"
    grid: str = "#dee2e6"
    # The group looked at (SEND pupils, the chosen cohort), single bars and single lines.
    focus: str = "#084298"
    # The group it is set against (other pupils, everyone else).
    rest: str = "#9ec5fe"
    # One line per subject, each with its own dash pattern as well as its colour.
    lines: tuple = ("#084298", "#b45f06", "#38761d", "#741b47", "#134f5c", "#7f6000")
    dashes: tuple = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
    # A four-point answer scale, lowest first, and the colour of a figure written on each.
    scale: tuple = ("#842029", "#cc8a00", "#3d8bfd", "#0f5132")
    scale_text: tuple = ("#ffffff", "#212529", "#212529", "#ffffff")
    font: str = "DejaVu Sans, Arial, sans-serif"

    @property
    def series(self):
        return (self.focus, self.rest)


PALETTE = Palette()


# -- drawing pieces -------------------------------------------------------------------------------
def _text(x, y, content, *, size=11, anchor="start", weight="normal", fill=PALETTE.ink):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" font-family="{PALETTE.font}">{escape(content)}</text>'
    )


def _rect(x, y, width, height, fill, *, outline=True, title=""):
    stroke = f' stroke="{PALETTE.ink}" stroke-width="0.5"' if outline else ""
    tip = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"{stroke}>'
        f"{tip}</rect>"
    )


def _line(x1, y1, x2, y2, colour=PALETTE.ink):
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"/>'


def _text_width(text, size):
    """A generous estimate of the width of a line of DejaVu Sans, for laying out margins."""
    return len(text) * size * 0.62


def _shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(width, height, title, parts, description=""):
    body = "".join(parts)
    about = f"{description} {TABLE_NOTE}".strip()
    return mark_safe(  # noqa: S308 - every piece of text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        f'class="chart"><title>{escape(title)}</title><desc>{escape(about)}</desc>{body}</svg>'
    )


# -- bars of two groups side by side --------------------------------------------------------------
def paired_bars(title, categories, series, *, width=640):
    """Horizontal bars from 0 to 100%: a group of bars per category, one bar per series (the
    first in the focus colour, the second in the lighter one), each labelled with its series
    name and its figure. `series` is [(name, [(percent or None, figure text) per category])];
    a missing percent draws no bar, only its words. The chart widens to fit long labels."""
    if not categories:
        return ""
    bar_h, gap, group_gap, top = 14, 3, 12, 28
    label_w = max(120, max(_text_width(c, 11) for c in categories) + 12)
    words = [f"{name}: {text}" for name, values in series for _percent, text in values]
    text_room = max(150, max((_text_width(w, 10) for w in words), default=0) + 8)
    plot_w = max(200, width - label_w - text_room)
    width = label_w + plot_w + text_room
    group_h = len(series) * (bar_h + gap) + group_gap
    axis_y = top + len(categories) * group_h
    parts = [_text(0, 16, title, size=12, weight="bold")]
    for i, category in enumerate(categories):
        y0 = top + i * group_h
        parts.append(_text(label_w - 8, y0 + bar_h + 2, category, anchor="end"))
        for j, (name, values) in enumerate(series):
            percent, text = values[i]
            y = y0 + j * (bar_h + gap)
            w = max(0.0, (percent or 0) * plot_w / 100)
            if percent is not None:
                parts.append(_rect(label_w, y, w, bar_h, PALETTE.series[j % 2]))
            parts.append(_text(label_w + w + 4, y + bar_h - 3, f"{name}: {text}", size=10))
    parts.append(_line(label_w, top - 4, label_w, axis_y))
    for tick in (0, 50, 100):
        x = label_w + tick * plot_w / 100
        parts.append(_line(x, axis_y, x, axis_y + 4))
        parts.append(_text(x, axis_y + 15, f"{tick}%", size=9, anchor="middle", fill=PALETTE.muted))
    return _svg(width, axis_y + 22, title, parts)


def pair_chart(title, focus_label, rest_label, items):
    """Paired bars of two groups' shares: `items` is [(label, focus share, rest share)], each
    share having a `percent` (None when not shown) and its figure as text."""

    def bar(share):
        return (None, "no data") if share is None else (share.percent, str(share))

    return paired_bars(
        title,
        [label for label, _focus, _rest in items],
        [
            (focus_label, [bar(focus) for _label, focus, _rest in items]),
            (rest_label, [bar(rest) for _label, _focus, rest in items]),
        ],
    )


# -- one bar a row, scaled to the largest ---------------------------------------------------------
def value_bars(title, pairs, *, width=560):
    """(label, value) pairs as bars scaled to the largest value, each with its label and figure.
    A value of None or below zero gets no bar but keeps its row and its figure."""
    pairs = list(pairs)
    if not pairs:
        return ""
    row_h, bar_x, bar_w = 22, 200, 300
    top = max((v for _label, v in pairs if v is not None and v > 0), default=0)
    parts = []
    for i, (label, value) in enumerate(pairs):
        y = i * row_h
        w = int(bar_w * value / top) if top and value is not None and value > 0 else 0
        parts.append(_text(0, y + 14, _shorten(str(label), 28), size=12))
        if w:
            parts.append(_rect(bar_x, y + 2, w, 16, PALETTE.focus, outline=False))
        parts.append(_text(bar_x + w + 6, y + 14, "—" if value is None else str(value), size=12))
    return _svg(width, max(row_h, len(pairs) * row_h), title, parts)


# -- stacked bars of a four-point scale -----------------------------------------------------------
def stacked_bars(title, groups, legend, *, width=640, bar_height=22, gap=6):
    """One bar a row of shares stacked left to right in the order of `legend` (a scale, lowest
    first), in groups of rows with a space between groups. A row is (label, [(percent or None,
    figure text) per legend entry], suppressed); a suppressed row says so instead of a bar."""
    label_w = 170
    plot = width - label_w - 10
    parts = []
    y = 0
    for rows in groups:
        for label, segments, suppressed in rows:
            parts.append(_text(0, y + 15, _shorten(label, 28), size=12))
            if suppressed:
                parts.append(
                    _text(label_w, y + 15, "fewer than the threshold: not shown", fill=PALETTE.muted)
                )
            else:
                parts += _stack(label_w, y, plot, bar_height, segments, legend)
            y += bar_height + gap
        y += gap * 2
    parts += _legend(label_w, y + 8, legend)
    return _svg(width, y + 30, title, parts)


def _stack(x, y, plot, height, segments, legend):
    parts = []
    for k, (percent, text) in enumerate(segments):
        w = round(plot * (percent or 0) / 100, 1)
        if not w:
            continue
        colour = PALETTE.scale[k % len(PALETTE.scale)]
        parts.append(_rect(x, y, w, height, colour, outline=False, title=f"{legend[k]}: {text}"))
        figure = f"{percent}%"
        if _text_width(figure, 10) + 4 <= w:
            ink = PALETTE.scale_text[k % len(PALETTE.scale_text)]
            parts.append(_text(x + w / 2, y + height / 2 + 4, figure, size=10, anchor="middle", fill=ink))
        x += w
    return parts


def _legend(x, y, names):
    parts = []
    for k, name in enumerate(names):
        parts.append(_rect(x, y, 12, 12, PALETTE.scale[k % len(PALETTE.scale)], outline=False))
        parts.append(_text(x + 16, y + 11, name, size=12))
        x += 16 + _text_width(name, 12) + 14
    return parts


# -- lines over time ------------------------------------------------------------------------------
def gap_lines(title, points, lines, *, width=640, height=230):
    """The gap in percentage points at each assessment point, one line per subject, each named at
    its last point. `lines` is [(name, [gap or None per point])]; "" with fewer than two points."""
    values = [v for _name, gaps in lines for v in gaps if v is not None]
    if len(points) < 2 or not values:
        return ""
    left, right, top, bottom = 44, 120, 44, 40
    lo, hi = min(0, min(values)), max(10, max(values))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i):
        return left + i * plot_w / (len(points) - 1)

    def y(v):
        return top + (hi - v) * plot_h / ((hi - lo) or 1)

    parts = [_text(0, 16, title, size=12, weight="bold")]
    parts.append(_text(0, top - 14, "gap in percentage points", size=9, fill=PALETTE.muted))
    parts.append(_line(left, y(0), left + plot_w, y(0), PALETTE.muted))
    for tick in sorted({lo, 0, hi}):
        parts.append(_text(left - 6, y(tick) + 4, f"{tick}", size=9, anchor="end", fill=PALETTE.muted))
    for i, point in enumerate(points):
        parts += _point_label(x(i), height - bottom, point)
    ends = []
    for n, (name, gaps) in enumerate(lines):
        known = [(x(i), y(v), v) for i, v in enumerate(gaps) if v is not None]
        if known:
            colour = PALETTE.lines[n % len(PALETTE.lines)]
            parts += _series_path(known, colour, PALETTE.dashes[n % len(PALETTE.dashes)])
            end_x, end_y, last = known[-1]
            ends.append([end_y + 4, end_x + 8, f"{name} {last}", colour])
    parts += _end_labels(ends)
    return _svg(width, height, title, parts)


def _point_label(x, baseline, point):
    """ "Autumn 2 2026/27": the point's name, and its academic year on a second line."""
    name, _, year = point.rpartition(" ")
    parts = [_text(x, baseline + 14, name or year, size=9, anchor="middle", fill=PALETTE.muted)]
    if name:
        parts.append(_text(x, baseline + 25, year, size=9, anchor="middle", fill=PALETTE.muted))
    return parts


def _series_path(known, colour, dash):
    path = " ".join(f"{'M' if k == 0 else 'L'}{px:.1f},{py:.1f}" for k, (px, py, _v) in enumerate(known))
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>']
    parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py, _v in known]
    return parts


def _end_labels(ends):
    """Names at the ends of the lines, pushed apart so that none overlaps another."""
    ends = sorted(ends)
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + 12)
    return [_text(label_x, label_y, text, size=10, fill=colour) for label_y, label_x, text, colour in ends]


def level_line(title, points, levels, *, noun="observation", width=640, height=260):
    """A line over time on an ordered scale: dates along the bottom, `levels` ([(value, label)],
    lowest first, values consecutive) up the side. `points` is [(date, level value)]; "" when
    there are none. The description sums it up: how many, over when, first and latest level."""
    if not points:
        return ""
    points = sorted(points, key=lambda point: point[0])
    left, right, top, bottom = 150, 20, 15, 40
    label_of = dict(levels)
    lowest, highest = levels[0][0], levels[-1][0]
    first, last = points[0][0], points[-1][0]
    span_x, span_y = width - right - left, height - bottom - top

    def x(day):
        if first == last:
            return left + span_x / 2
        return round(left + (day - first).days * span_x / (last - first).days, 1)

    def y(level):
        return round(height - bottom - (level - lowest) * span_y / ((highest - lowest) or 1), 1)

    parts = []
    for value, label in levels:
        parts.append(_line(left, y(value), width - right, y(value), PALETTE.grid))
        parts.append(_text(left - 8, y(value) + 4, label, size=12, anchor="end"))
    ticks = {first, last}
    if len(points) > 2:
        ticks.add(points[len(points) // 2][0])
    for day in sorted(ticks):
        parts.append(_text(x(day), height - bottom + 22, f"{day:%b %Y}", size=12, anchor="middle"))
    line = " ".join(f"{x(day):.1f},{y(level):.1f}" for day, level in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{PALETTE.focus}" stroke-width="2.5"/>')
    for day, level in points:
        parts.append(
            f'<circle cx="{x(day):.1f}" cy="{y(level):.1f}" r="4" fill="{PALETTE.focus}">'
            f"<title>{escape(f'{day:%d/%m/%Y}: {label_of[level]}')}</title></circle>"
        )
    many = "s" if len(points) != 1 else ""
    summary = (
        f"{len(points)} {noun}{many} from {first:%d/%m/%Y} to {last:%d/%m/%Y}: "
        f"first {label_of[points[0][1]]}, latest {label_of[points[-1][1]]}."
    )
    return _svg(width, height, title, parts, description=summary)
