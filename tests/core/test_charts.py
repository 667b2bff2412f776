"""core.charts: the geometry of each chart worked out by hand, one palette for page and PDF, every
figure in words beside its bar or line, and text escaped."""

import datetime
import re
from pathlib import Path

from django.conf import settings

from core import charts
from core.charts import PALETTE
from core.figures import Share

ROOT = Path(settings.BASE_DIR)
COLOUR = re.compile(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"')


def _rects(svg):
    return re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#\w+)"', svg
    )


def _palette_colours():
    return {PALETTE.ink, PALETTE.muted, PALETTE.grid, PALETTE.focus, PALETTE.rest}.union(
        PALETTE.lines, PALETTE.scale, PALETTE.scale_text
    )


def test_paired_bars_scale_to_100_percent_and_name_each_bar():
    svg = charts.paired_bars(
        "Reading", ["Reading"], [("SEND", [(50, "50% (2/4)")]), ("Others", [(75, "75% (6/8)")])]
    )
    # A 640 wide chart: 120 for the subjects, 150 for the words, so 370 for 100%.
    # SEND 50% of 370 = 185.0, in the focus colour; others 75% = 277.5, in the lighter one,
    # 14 high and 3 below it (y 28 + 17 = 45).
    assert _rects(svg) == [
        ("120.0", "28.0", "185.0", "14.0", PALETTE.focus),
        ("120.0", "45.0", "277.5", "14.0", PALETTE.rest),
    ]
    # Each bar's group and figure in words just past its end: 120 + 185 + 4 = 309.
    assert '<text x="309.0" y="39.0"' in svg and "SEND: 50% (2/4)</text>" in svg
    assert "Others: 75% (6/8)</text>" in svg
    # 28 + one category of 2 x 17 + 12 = 74, and 22 for the axis labels.
    assert 'viewBox="0 0 640 96"' in svg


def test_paired_bars_widen_for_long_words_and_draw_no_bar_without_a_figure():
    long_name = "Pupils with SEN support and pupil premium"  # 41 characters
    svg = charts.paired_bars("t", ["Maths"], [(long_name, [(None, "fewer than 5")])])
    assert "<rect" not in svg
    assert f"{long_name}: fewer than 5</text>" in svg
    # 55 characters at 10 px x 0.62 = 341 + 8 = 349 for the words; 640 - 120 - 349 = 171, raised to
    # the least plot of 200, so the chart is 120 + 200 + 349 = 669 wide; one bar a group:
    # 28 + 17 + 12 = 57, and 22 for the axis labels.
    assert 'viewBox="0 0 669 79"' in svg


def test_pair_chart_takes_shares_as_gaps_passes_them():
    svg = charts.pair_chart(
        "At or above ARE",
        "SEN support",
        "Everyone else",
        [("Reading, Year 5", Share(1, 4), Share(3, 4)), ("Maths, Year 5", Share(0, 0, True, 5), None)],
    )
    widths = [float(r[2]) for r in _rects(svg)]
    # Labels: 15 characters at 11 px x 0.62 = 102.3 + 12, under the least 120. Words: the longest,
    # "Everyone else: 75% (3/4)", 24 characters at 10 px x 0.62 = 148.8 + 8 = 156.8. So 640 - 120
    # - 156.8 = 363.2 for 100%: 25% = 90.8, 75% = 272.4; the suppressed (printed "c") and the
    # missing share draw no bar.
    assert widths == [90.8, 272.4]
    assert "SEN support: 25% (1/4)" in svg and "Everyone else: 75% (3/4)" in svg
    assert "SEN support: c" in svg and "Everyone else: no data" in svg
    assert charts.pair_chart("t", "a", "b", []) == ""


def test_value_bars_scale_to_the_largest_and_keep_every_row():
    svg = charts.value_bars("Gain a week", [("A", 2), ("B", 1), ("C", None), ("D", -1)])
    # 2 is the largest: 300 wide; 1 is 150; none and below zero get no bar.
    assert [(r[1], r[2]) for r in _rects(svg)] == [("2.0", "300.0"), ("24.0", "150.0")]
    # The figure past each bar (200 + width + 6), and in place of a missing one.
    assert '<text x="506.0" y="14.0"' in svg and '<text x="356.0" y="36.0"' in svg
    assert ">—</text>" in svg and ">-1</text>" in svg
    assert 'viewBox="0 0 560 88"' in svg  # four rows of 22
    assert charts.value_bars("t", []) == ""


def test_gap_lines_draw_each_subject_with_its_name_at_the_end():
    svg = charts.gap_lines("Gap", ["Autumn 2025/26", "Spring 2025/26"], [("Reading", [10, 5])])
    # From 0 to 10 points over 146 px (230 - 44 - 40), 476 px across (640 - 44 - 120):
    # 10 points at y 44, 5 points at 44 + 73 = 117; the points at x 44 and 520.
    assert f'<path d="M44.0,44.0 L520.0,117.0" fill="none" stroke="{PALETTE.lines[0]}"' in svg
    assert '<text x="528.0" y="121.0"' in svg and ">Reading 5</text>" in svg
    assert ">Autumn</text>" in svg and ">2025/26</text>" in svg


def test_gap_lines_give_each_line_a_dash_and_push_names_apart():
    svg = charts.gap_lines("Gap", ["a 1", "b 2"], [("Reading", [10, 5]), ("Maths", [10, 5])])
    assert f'stroke="{PALETTE.lines[1]}" stroke-width="2" stroke-dasharray="{PALETTE.dashes[1]}"' in svg
    # Both end at 5 points (y 117): one name at 121, the next 12 below at 133.
    assert re.search(r'y="121\.0"[^>]*>Maths 5<', svg) and re.search(r'y="133\.0"[^>]*>Reading 5<', svg)


def test_gap_lines_need_two_points_and_a_figure():
    assert charts.gap_lines("Gap", ["Autumn 2025/26"], [("Reading", [5])]) == ""
    assert charts.gap_lines("Gap", ["a", "b"], [("Reading", [None, None])]) == ""


LEVELS = [
    (1, "1 Correcting"),
    (2, "2 Modelling"),
    (3, "3 Cueing"),
    (4, "4 Prompting"),
    (5, "5 Self"),
    (6, "6 Ind"),
]


def test_level_line_over_dates_and_levels():
    svg = charts.level_line(
        "Support", [(datetime.date(2025, 12, 1), 3), (datetime.date(2025, 9, 1), 1)], LEVELS
    )
    # Sorted by date. Dates from x 150 to 620; levels 1 to 6 from y 220 to 15, 41 a level:
    # level 1 at 220, level 3 at 138.
    assert '<polyline points="150.0,220.0 620.0,138.0"' in svg
    assert "<title>01/12/2025: 3 Cueing</title>" in svg
    assert (
        "<desc>2 observations from 01/09/2025 to 01/12/2025: first 1 Correcting, latest 3 Cueing. "
        f"{charts.TABLE_NOTE}</desc>"
    ) in svg
    assert ">Sep 2025</text>" in svg and ">Dec 2025</text>" in svg


def test_level_line_of_one_point_sits_in_the_middle():
    svg = charts.level_line("Support", [(datetime.date(2025, 9, 1), 6)], LEVELS, noun="visit")
    assert '<polyline points="385.0,15.0"' in svg
    assert "1 visit from 01/09/2025 to 01/09/2025" in svg
    assert charts.level_line("Support", [], LEVELS) == ""


def test_stacked_bars_in_the_order_of_the_scale():
    legend = ["Not at all", "A little", "Fairly", "Very"]
    rows = [("Q1 Autumn", [(25, "25% (1/4)"), (25, "25% (1/4)"), (50, "50% (2/4)"), (0, "0% (0/4)")], False)]
    svg = charts.stacked_bars("Answers", [rows, [("Q2 Autumn", [], True)]], legend)
    bars = [r for r in _rects(svg) if r[3] == "22.0"]
    # 460 across (640 - 170 - 10): 25% = 115, 50% = 230, laid end to end; 0% draws nothing.
    assert bars == [
        ("170.0", "0.0", "115.0", "22.0", PALETTE.scale[0]),
        ("285.0", "0.0", "115.0", "22.0", PALETTE.scale[1]),
        ("400.0", "0.0", "230.0", "22.0", PALETTE.scale[2]),
    ]
    assert "<title>Fairly: 50% (2/4)</title>" in svg
    # The figure on each segment, in the ink that reads on it.
    assert re.search(rf'fill="{PALETTE.scale_text[0]}"[^>]*>25%<', svg)
    # The suppressed row says so and has no bar; the legend names every colour.
    assert ">fewer than the threshold: not shown</text>" in svg
    assert all(f">{name}</text>" in svg for name in legend)
    assert len([r for r in _rects(svg) if r[3] == "12.0"]) == 4


def test_text_is_escaped_and_every_chart_has_a_name_and_a_note():
    svg = charts.value_bars('<script>"x"</script>', [("<b>", 1)])
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;" in svg and 'aria-label="&lt;script&gt;&quot;x&quot;&lt;/script&gt;"' in svg
    assert 'role="img"' in svg and charts.TABLE_NOTE in svg


def test_every_colour_drawn_comes_from_the_one_palette():
    drawn = [
        charts.paired_bars("t", ["a"], [("x", [(40, "40%")]), ("y", [(60, "60%")])]),
        charts.gap_lines("t", ["a", "b", "c"], [(str(n), [n, n + 1, n + 2]) for n in range(7)]),
        charts.value_bars("t", [("a", 1)]),
        charts.level_line("t", [(datetime.date(2025, 9, 1), 2)], LEVELS),
        charts.stacked_bars("t", [[("a", [(25, ""), (25, ""), (25, ""), (25, "")], False)]], list("abcd")),
    ]
    used = {colour for svg in drawn for colour in COLOUR.findall(svg)}
    assert used and used <= _palette_colours()
    # Seven lines: the six colours, then the first again.
    assert used >= set(PALETTE.lines)


def test_no_stylesheet_or_template_sets_a_chart_colour():
    """The page (app.css) and the PDF (print.css) draw the same SVG; neither may restyle it, and
    no template draws a chart of its own."""
    for sheet in (ROOT / "static" / "css").glob("*.css"):
        declarations = re.findall(r"\b(fill|stroke)\s*:", sheet.read_text())
        assert declarations == [], sheet.name
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "<svg" not in text and 'fill="' not in text, template.relative_to(ROOT)
