"""Small SVG charts drawn on the server, so that the page and the PDF show the same picture.

Every bar and line carries its own words (the group and the figure beside a bar, the subject at
the end of a line), so colour is never the only signal; the template prints the same figures as
a table under each chart. Text is escaped; the result is marked safe for templates.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

INK = "#212529"
MUTED = "#6c757d"
SERIES_COLOURS = ["#0b5394", "#9fc5e8"]
LINE_COLOURS = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#134f5c", "#7f6000"]
LINE_DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]


def _text(x, y, content, *, size=11, anchor="start", weight="normal", fill=INK):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" font-family="DejaVu Sans, Arial, sans-serif">'
        f"{escape(content)}</text>"
    )


def paired_bars(title, categories, series, *, width=640):
    """Horizontal bars, one group per category and one bar per series (for example SEND and
    others), each bar labelled with its series name and its figure. `series` is
    [(name, [(percent or None, label text), ...])]; a missing percent draws no bar, only its text."""
    label_w, bar_h, gap, group_gap, top = 120, 14, 3, 12, 28
    plot_w = width - label_w - 150
    group_h = len(series) * (bar_h + gap) + group_gap
    height = top + len(categories) * group_h + 22
    parts = [_text(0, 16, title, size=12, weight="bold")]
    for i, category in enumerate(categories):
        y0 = top + i * group_h
        parts.append(_text(label_w - 8, y0 + bar_h + 2, category, anchor="end"))
        for j, (name, values) in enumerate(series):
            percent, label = values[i]
            y = y0 + j * (bar_h + gap)
            w = max(0.0, (percent or 0) * plot_w / 100)
            if percent is not None:
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{SERIES_COLOURS[j % len(SERIES_COLOURS)]}" stroke="{INK}" stroke-width="0.5"/>'
                )
            parts.append(_text(label_w + w + 4, y + bar_h - 3, f"{name}: {label}", size=10))
    axis_y = top + len(categories) * group_h
    parts.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{axis_y}" stroke="{INK}"/>')
    for tick in (0, 50, 100):
        x = label_w + tick * plot_w / 100
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 4}" stroke="{INK}"/>')
        parts.append(_text(x, axis_y + 15, f"{tick}%", size=9, anchor="middle", fill=MUTED))
    return _svg(width, height, title, parts)


def gap_lines(title, points, lines, *, width=640, height=230):
    """The gap in percentage points at each assessment point, one line per subject, each named at
    its last point. `lines` is [(name, [gap or None per point])]."""
    values = [v for _, gaps in lines for v in gaps if v is not None]
    if len(points) < 2 or not values:
        return ""
    left, right, top, bottom = 44, 120, 44, 40
    lo, hi = min(0, min(values)), max(10, max(values))
    span = hi - lo or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i):
        return left + i * plot_w / (len(points) - 1)

    def y(v):
        return top + (hi - v) * plot_h / span

    parts = [_text(0, 16, title, size=12, weight="bold")]
    parts.append(_text(0, top - 14, "gap in percentage points", size=9, fill=MUTED))
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + plot_w}" y2="{y(0):.1f}" stroke="{MUTED}"/>')
    for tick in sorted({lo, 0, hi}):
        parts.append(_text(left - 6, y(tick) + 4, f"{tick}", size=9, anchor="end", fill=MUTED))
    for i, point in enumerate(points):
        # "Autumn 2 2026/27": the point's name, and its academic year on a second line.
        name, _, year = point.rpartition(" ")
        parts.append(_text(x(i), height - bottom + 14, name or year, size=9, anchor="middle", fill=MUTED))
        if name:
            parts.append(_text(x(i), height - bottom + 25, year, size=9, anchor="middle", fill=MUTED))
    ends = []
    for n, (name, gaps) in enumerate(lines):
        colour, dash = LINE_COLOURS[n % len(LINE_COLOURS)], LINE_DASHES[n % len(LINE_DASHES)]
        known = [(i, v) for i, v in enumerate(gaps) if v is not None]
        if not known:
            continue
        path = " ".join(f"{'M' if k == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for k, (i, v) in enumerate(known))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for i, v in known:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        i, v = known[-1]
        ends.append([y(v) + 4, x(i) + 8, f"{name} {v}", colour])
    # Names at the ends of the lines, pushed apart so that none overlaps another.
    ends.sort()
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + 12)
    for label_y, label_x, text, colour in ends:
        parts.append(_text(label_x, label_y, text, size=10, fill=colour))
    return _svg(width, height, title, parts)


def _svg(width, height, title, parts):
    body = "".join(parts)
    return mark_safe(  # noqa: S308 - every piece of text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def sef_charts(figures):
    """The charts of a SEF figures object (live or from a snapshot), keyed by measure."""
    charts = {}
    if figures.attainment.available:
        for measure in figures.attainment.measures:
            if not measure.rows:
                continue
            categories = [row.subject for row in measure.rows]
            series = [
                ("SEND", [(row.send.percent, str(row.send)) for row in measure.rows]),
                ("Others", [(row.others.percent, str(row.others)) for row in measure.rows]),
            ]
            charts[measure.key] = {
                "bars": paired_bars(f"{measure.title}, {measure.rows[0].point}", categories, series),
                "trend": gap_lines(
                    f"Gap between other pupils and SEND pupils: {measure.title.lower()}",
                    measure.trend_points,
                    [(line.subject, line.gaps) for line in measure.trend],
                ),
            }
    if figures.attendance.available:
        lines = [line for line in figures.attendance.lines if line.group in ("SEND", "No SEND")]
        categories = [figures.year_label, figures.attendance.previous_year]
        series = [
            (
                line.group,
                [
                    (_number(line.rate), str(line.rate)),
                    (_number(line.previous_rate), str(line.previous_rate)),
                ],
            )
            for line in lines
        ]
        charts["attendance"] = paired_bars(
            "Attendance: share of possible sessions attended", categories, series
        )
    return charts


def _number(rate):
    value = rate.number
    return None if value is None else float(value)
