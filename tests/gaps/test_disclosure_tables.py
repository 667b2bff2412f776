"""Disclosure control on question B's table by SEN status: SEN support and EHC plan add up to all
SEND, so a hidden EHC plan figure must not be all SEND less SEN support."""

from decimal import Decimal

from gaps.sen_status import status_shares
from pupils.models import SenStatus


def test_ehc_plan_cannot_be_all_send_less_sen_support():
    counts = {
        SenStatus.NONE: (40, 50),
        SenStatus.SEN_SUPPORT: (10, 20),
        SenStatus.EHCP: (2, 3),
        "send": (12, 23),
    }
    shares = {key: str(share) for key, share in status_shares(counts, 5).items()}
    # EHC plan: 2 of 3, both under 5. All SEND 12 of 23 less SEN support 10 of 20 would give 2 of
    # 3 back, so SEN support is withheld too; all SEND stays (with SEN support hidden, EHC plan at
    # or above could be 1, 2, 3 or 4 of a group of 1 to 4). No SEN is its own group: 40 of 50.
    assert shares == {
        SenStatus.NONE: "80% (40/50)",
        SenStatus.SEN_SUPPORT: "c",
        SenStatus.EHCP: "c",
        "send": "52% (12/23)",
    }
    assert {k: str(s) for k, s in status_shares(counts, 0).items()}[SenStatus.EHCP] == "67% (2/3)"


def test_suspensions_of_ehc_plan_pupils_cannot_be_all_send_less_sen_support():
    from gaps.exclusions import _row, _table  # noqa: PLC0415  (the table without the queries)

    def c(susp, n, suspensions):
        return {"susp": susp, "n": n, "suspensions": suspensions, "permanent": 0}

    # No SEN, SEN support, EHC plan, all SEND, then MLD and SEMH among SEND.
    counts = [c(10, 100, 12), c(6, 20, 7), c(2, 8, 2), c(8, 28, 9), c(5, 16, 6), c(3, 12, 3)]
    labels = ["No SEN", "SEN support", "EHC plan", "All SEND", "MLD", "SEMH"]
    table = _table(counts, {"susp": 18, "n": 128}, 3, 5)
    rows = {label: _row(label, i, table) for i, label in enumerate(labels)}

    def shown(label):
        row = rows[label]
        return str(row.pupils_suspended), str(row.suspensions), str(row.share_of_suspended)

    # EHC plan: 2 pupils suspended, 2 suspensions, both under 5. All SEND 8 less SEN support 6 would
    # give the 2 back, and 9 less 7 the suspensions: SEN support's are withheld too. SEMH's 3 is
    # under 5; all SEND 8 less MLD 5 leaves 3 only if no SEND pupil is without a recorded need,
    # which the reader cannot know, so MLD stays.
    assert shown("No SEN") == ("10% (10/100)", "12", "56% (10/18)")
    assert shown("SEN support") == ("c", "c", "c")
    assert shown("EHC plan") == ("c", "c", "c")
    assert shown("All SEND") == ("29% (8/28)", "9", "44% (8/18)")
    assert shown("MLD") == ("31% (5/16)", "6", "28% (5/18)")
    assert shown("SEMH") == ("c", "c", "c")
    assert str(rows["EHC plan"].share_of_school) == "6% (8/128)"


def test_average_progress_hides_a_small_focus_count_with_its_complements():
    from django.template.loader import render_to_string  # noqa: PLC0415  (the table as a reader sees it)

    from gaps.grids import progress_rows  # noqa: PLC0415  (the table without the queries)

    def year(focus, rest, focus_gain, rest_gain):
        return {"pupils": (focus, rest), "pairs": (focus, rest), "gain": (focus_gain, rest_gain)}

    # Year 3: 3 in the focus group, 25 others; Year 4: 8 and 22; Year 5: 6 and 20 (one pair each).
    totals = {3: year(3, 25, 6, 75), 4: year(8, 22, 16, 66), 5: year(6, 20, 9, 50)}
    rows = progress_rows(totals, 5)
    # Year 3's 3 is under 5. Year 3's 28 pupils less it would give 25 back: 25 hidden. The focus
    # group's 17 less Year 4's 8 and Year 5's 6 gives 3: Year 5's 6 (the smallest) hidden. Then
    # everyone else's 67 less 22 and 20 gives the 25: Year 5's 20 hidden. Year 5's 26 = 6 + 20 now
    # has many solutions (1 + 27 in Year 3, 8 + 18 in Year 5, say), so Year 4 stays.
    shown = [(r.label, r.suppressed, r.rest_suppressed, r.focus_avg, r.rest_avg, r.difference) for r in rows]
    assert shown == [
        ("Year 3", True, True, None, None, None),
        ("Year 4", False, False, Decimal("2.0"), Decimal("3.0"), Decimal("-1.0")),
        ("Year 5", True, True, None, None, None),
    ]
    html = render_to_string("gaps/_progress_table.html", {"rows": rows})
    assert "(25 pupils)" not in html and "(3 pupils)" not in html and "(20 pupils)" not in html
    assert "(8 pupils)" in html and "(22 pupils)" in html
    # Staff see every figure: Year 3's focus group 6 points over 3 pupils, 2.0 against 3.0.
    staff = progress_rows(totals, 0)
    assert [(r.suppressed, r.rest_suppressed, r.focus_avg, r.rest_avg) for r in staff][0] == (
        False,
        False,
        Decimal("2.0"),
        Decimal("3.0"),
    )
    assert "(3 pupils)" in render_to_string("gaps/_progress_table.html", {"rows": staff})


def test_movement_on_the_sen_record_hides_a_small_year_with_its_complement():
    from gaps.vulnerable_groups import movement_rows  # noqa: PLC0415  (the table without the queries)

    by_year = {
        2024: {"placed": 8, "removed": 6, "k_to_e": 2, "e_to_k": 0},
        2025: {"placed": 3, "removed": 5, "k_to_e": 0, "e_to_k": 0},
        2026: {"placed": 7, "removed": 0, "k_to_e": 0, "e_to_k": 0},
    }

    def shown(threshold):
        rows, total = movement_rows(by_year, [2024, 2025, 2026], threshold)
        return [
            (m.label, str(m.placed), str(m.removed), str(m.k_to_e), str(m.e_to_k)) for m in [*rows, total]
        ]

    # Placed on the record: 2025's 3 is under 5, and the 18 of the three years less 8 and 7 would
    # give it back, so 2026's 7 (the smaller) is hidden too: 18 - 8 = 10 is then 3 + 7 or 4 + 6 or...
    # Removed: 6, 5 and 0 of 11, none small. SEN support to EHCP: 2 in 2024, all the three years'
    # moves, both under 5 (the zeros say nothing: the 2 is hidden, its total too).
    assert shown(5) == [
        ("2024/25", "8", "6", "c", "0"),
        ("2025/26", "c", "5", "0", "0"),
        ("2026/27", "c", "0", "0", "0"),
        ("All 3 years", "18", "11", "c", "0"),
    ]
    # Staff see every figure.
    assert shown(0) == [
        ("2024/25", "8", "6", "2", "0"),
        ("2025/26", "3", "5", "0", "0"),
        ("2026/27", "7", "0", "0", "0"),
        ("All 3 years", "18", "11", "2", "0"),
    ]


def test_a_small_row_one_pupil_per_column_hides_only_itself():
    """Question C's grid for a governor (threshold 5). Year 3 Reading: 4 pupils, one in each of
    four columns (on another framework, Below, On track, Exceeded). Were the reader told which
    columns hold a pupil (each 1 to 4, four of them, a total of at most 4), every count would be
    1; so the row prints every column "c", zeros too, and says nothing about which hold a pupil.
    Year 4 Reading: 0, 3, 6, 5 of 14. The 3 is under 5; 14 less 0, 6 and 5 gives it back, so the
    smallest other count, 5, is hidden as well (3 + 5 = 8 then has solutions 1 + 7 to 4 + 4).
    The 0 and the 6 stay shown: the small row does not hide the rest of the table."""
    from types import SimpleNamespace  # noqa: PLC0415  (the grid without the queries)

    from gaps.grids import GridRow, _cell, withhold  # noqa: PLC0415

    columns = [
        SimpleNamespace(pk=pk, order=order) for pk, order in (("fw", -1), ("B", 0), ("OT", 1), ("EX", 2))
    ]
    scale = SimpleNamespace(threshold=1)

    def row(year, counts):
        total = sum(counts)
        cells = [(c, _cell(n, total, "percent", 0), "") for c, n in zip(columns, counts, strict=True)]
        return GridRow(year, f"Year {year}", [cells])

    grid = [row(3, [1, 1, 1, 1]), row(4, [0, 3, 6, 5])]
    withhold([], 5, grid=grid, subjects=[SimpleNamespace(pk=1)], scale=scale)
    shown = [[str(figure) for _c, figure, _i in r.cells[0]] for r in grid]
    assert shown == [["c", "c", "c", "c"], ["0% (0/14)", "c", "43% (6/14)", "c"]]
