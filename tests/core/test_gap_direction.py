"""core.gap_direction worked by hand: every case of a gap's direction, whichever group is ahead.
A gap is the rest minus the focus group: positive, the focus group is behind."""

from decimal import Decimal

import pytest

from core.gap_direction import gap_direction, standing


@pytest.mark.parametrize(
    ("now", "then", "words", "direction", "better"),
    [
        # Behind, by less: narrowed (the SEF once printed this right only by luck of the sign).
        (12, 20, "SEND pupils 12 percentage points behind, down from 20 (narrowed)", "narrowed", True),
        # Behind, by more.
        (5, 1, "SEND pupils 5 percentage points behind, up from 1 (widened)", "widened", False),
        # Ahead, by more: -5 then -7 was printed "narrowing (from -5 to -7 points)".
        (-7, -5, "SEND pupils 7 percentage points ahead, up from 5 (widened)", "widened", True),
        (-5, -1, "SEND pupils 5 percentage points ahead, up from 1 (widened)", "widened", True),
        # Ahead, by less.
        (-2, -6, "SEND pupils 2 percentage points ahead, down from 6 (narrowed)", "narrowed", False),
        # Crossing zero, both ways.
        (
            -2,
            3,
            "SEND pupils 2 percentage points ahead, from 3 percentage points behind (reversed)",
            "reversed",
            True,
        ),
        (
            4,
            -1,
            "SEND pupils 4 percentage points behind, from 1 percentage point ahead (reversed)",
            "reversed",
            False,
        ),
        # To zero: closed; -1 to 0 was printed "widening (from -1 to 0 points)".
        (0, -1, "SEND pupils level with the others, from 1 percentage point ahead (closed)", "closed", False),
        (0, 9, "SEND pupils level with the others, from 9 percentage points behind (closed)", "closed", True),
        # From zero: a gap opens, which is a widening.
        (
            1,
            0,
            "SEND pupils 1 percentage point behind, from level with the others (widened)",
            "widened",
            False,
        ),
        (
            -3,
            0,
            "SEND pupils 3 percentage points ahead, from level with the others (widened)",
            "widened",
            True,
        ),
        # The same.
        (6, 6, "SEND pupils 6 percentage points behind, unchanged", "unchanged", None),
        (0, 0, "SEND pupils level with the others, unchanged", "unchanged", None),
        (-4, -4, "SEND pupils 4 percentage points ahead, unchanged", "unchanged", None),
        # Missing figures.
        (7, None, "SEND pupils 7 percentage points behind", None, None),
        (-1, None, "SEND pupils 1 percentage point ahead", None, None),
        (None, 5, "not shown", None, None),
        (None, None, "not shown", None, None),
        # Decimals (mean gains) read the same way.
        (
            Decimal("-1.5"),
            Decimal("2.0"),
            "SEND pupils 1.5 percentage points ahead, from 2.0 percentage points behind (reversed)",
            "reversed",
            True,
        ),
    ],
)
def test_every_case(now, then, words, direction, better):
    change = gap_direction("SEND pupils", now, then)
    assert (change.words, change.direction, change.better) == (words, direction, better)


def test_the_change_alone_and_where_a_group_stands():
    assert gap_direction("SEND pupils", -5, -1).since == "up from 1"
    assert gap_direction("SEND pupils", 12, 20).since == "down from 20"
    assert gap_direction("SEND pupils", -2, 3).since == "from 3 percentage points behind"
    assert gap_direction("SEND pupils", 3, 3).since == "unchanged"
    assert gap_direction("SEND pupils", 3, None).since is None
    assert standing(-1) == "1 percentage point ahead"
    assert standing(0, others="everyone else") == "level with everyone else"
    assert standing(None) is None
    assert gap_direction("EHCP", 0, 2, others="everyone else").words == (
        "EHCP level with everyone else, from 2 percentage points behind (closed)"
    )
