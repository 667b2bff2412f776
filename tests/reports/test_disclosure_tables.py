"""Disclosure control on the SEF's attendance and exclusions lines: SEN support and EHC plan add
up to SEND, and SEND and no SEND to all pupils."""

from reports.sef.attendance import GROUPS, _line, _withhold


def _totals(rows):
    """rows: per group (pupils, persistently absent, pupils suspended, suspensions)."""
    now, before, excluded, incidents = {}, {}, {}, {}
    for i, (n, pa, sp, s) in enumerate(rows):
        now.update({f"n{i}": n, f"att{i}": 90 * n, f"pos{i}": 100 * n, f"pa{i}": pa})
        before.update({f"n{i}": 0, f"att{i}": 0, f"pos{i}": 0})
        excluded.update({f"s{i}": s, f"sp{i}": sp, f"sd{i}": s, f"p{i}": 0})
        incidents[f"b{i}"] = 0
    return {"now": now, "before": before, "excluded": excluded, "incidents": incidents}


def test_ehc_plan_suspensions_cannot_be_send_less_sen_support():
    # SEND 30 = SEN support 22 + EHC plan 8; no SEND 90; all 120. Suspensions: SEN support 7, EHC
    # plan 2 (under 5), SEND 9, no SEND 10, all 19. SEND 9 less SEN support 7 would give the 2
    # back: SEN support's 7 is withheld too (the smaller of the two others in its line, SEND's 9
    # and SEN support's 7). Pupils suspended (6, 2, 8, 9, 17) the same way. Persistently absent
    # (11, 5, 16, 20, 36) stay: 16 of 30 leaves 14; 5 of 8 leaves 3, under 5, so EHC plan's and
    # then SEN support's (11 of 22) go.
    rows = [(30, 16, 8, 9), (22, 11, 6, 7), (8, 5, 2, 2), (90, 20, 9, 10), (120, 36, 17, 19)]
    totals = _totals(rows)
    lines = [_line(label, i, totals, 5) for i, (label, _) in enumerate(GROUPS)]
    _withhold(lines, totals, 5)
    shown = {
        line.group: (str(line.suspensions), str(line.suspended), str(line.persistent_absence))
        for line in lines
    }
    assert shown == {
        "SEND": ("9", "27% (8/30)", "53% (16/30)"),
        "SEN support": ("c", "c", "c"),
        "EHC plan": ("c", "c", "c"),
        "No SEND": ("10", "10% (9/90)", "22% (20/90)"),
        "All pupils": ("19", "14% (17/120)", "30% (36/120)"),
    }
    assert [str(line.pupils) for line in lines] == ["30", "22", "8", "90", "120"]


def test_sef_places_taken_by_send_pupils_cannot_be_worked_back_from_the_total_row():
    from core.disclosure import TOTAL  # noqa: PLC0415  (the table alone)
    from reports.sef.interventions import places_table  # noqa: PLC0415  (the table alone)

    # Places (SEND places): reading 12 (3), phonics 8 (8), maths 20 (10); all 40 (21).
    counts = [(12, 3), (8, 8), (20, 10)]

    def shown(threshold):
        table = places_table(counts, threshold)
        rows = [*range(len(counts)), TOTAL]
        return [(str(table.count((i, "places"))), str(table.share((i, "send"), (i, "places")))) for i in rows]

    # Reading's 3 is under 5. The 21 SEND places of all three less phonics' 8 and maths' 10 give it
    # back, so phonics' 8 (the smaller) is withheld too; then 21 - 10 = 11 is 3 + 8 or 4 + 7
    # (phonics' 8 places allow at most 8), so maths and the totals stay. A place's count stays:
    # the places that are not SEND pupils' are never shown, so 12 places say nothing of the 3.
    assert shown(5) == [("12", "c"), ("8", "c"), ("20", "50% (10/20)"), ("40", "53% (21/40)")]
    assert shown(0) == [
        ("12", "25% (3/12)"),
        ("8", "100% (8/8)"),
        ("20", "50% (10/20)"),
        ("40", "53% (21/40)"),
    ]
