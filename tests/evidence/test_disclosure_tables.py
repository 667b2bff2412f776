"""Disclosure control on the evidence pages a governor reads: the families by number of
conversations add up to the SEND pupils, each lead's families to those with any conversation and
their "all three" to those with three; a survey's answers add up to those who answered, and
Fairly and Very to its positive answers."""

from evidence.models import Scale
from evidence.selectors import _round_result, participation_figures


def _participation(threshold):
    # 30 SEND pupils: 12 families had no conversation, 6 one, 3 two, 9 all three. The 18 with any
    # were first led by the head (10, of whom 5 had all three) and the SENCO (8, of whom 4).
    totals = {"pupils": 30, "none": 12, "one": 6, "two": 3, "three": 9}
    by_lead = {
        "head": {"families": 10, "full": 5, "conversations": 30},
        "senco": {"families": 8, "full": 4, "conversations": 20},
    }
    figures = participation_figures(2026, totals, by_lead, threshold)
    by_number = [str(figures.none), str(figures.one), str(figures.two), str(figures.three)]
    leads = [(row.label, str(row.conversations), str(row.families), str(row.full)) for row in figures.leads]
    return str(figures.shown_pupils), by_number, leads


def test_families_with_two_conversations_cannot_be_worked_back():
    # Two conversations: 3, under 5. 30 less 12, 6 and 9 would give it back: the 6 (the smallest
    # other) is hidden too. The SENCO's 4 with all three is under 5; the 9 with all three less the
    # head's 5 and the teachers' 0 would give it back: the head's 5 is hidden too (then 9 is 5 + 4
    # or 8 + 1 ..., the head's 10 families allowing up to 10). Families and conversations stay.
    assert _participation(5) == (
        "30",
        ["40% (12/30)", "c", "c", "30% (9/30)"],
        [
            ("Headteacher", "30", "10", "c"),
            ("SENCO", "20", "8", "c"),
            ("Class teacher", "0", "0", "none (0/0)"),
        ],
    )
    # Staff see every figure.
    assert _participation(0) == (
        "30",
        ["40% (12/30)", "20% (6/30)", "10% (3/30)", "30% (9/30)"],
        [
            ("Headteacher", "30", "10", "50% (5/10)"),
            ("SENCO", "20", "8", "50% (4/8)"),
            ("Class teacher", "0", "0", "none (0/0)"),
        ],
    )


def test_a_small_survey_answer_cannot_be_worked_back_from_the_others():
    # 20 answered: Not at all 2, A little 6, Fairly 7, Very 5; Fairly or Very 12.
    answered = [2, 6, 7, 5]

    def shown(threshold):
        result = _round_result(None, answered, threshold)
        return [str(cell.share) for cell in result.cells], str(result.positive)

    # Not at all's 2 is under 5: 20 less 6, 7 and 5 would give it back, so Very's 5 (the smallest
    # other) is hidden; Fairly or Very's 12 less Fairly's 7 would give the 5 back, so Fairly's 7
    # is hidden; then 20 less 12 less A little's 6 gives the 2 back, so the 6 is hidden too. Fairly
    # or Very stays: 2 + 6 could be 1 + 7 or 4 + 4, 7 + 5 could be 8 + 4 ...
    assert shown(5) == (["c", "c", "c", "c"], "60% (12/20)")
    assert shown(0) == (["10% (2/20)", "30% (6/20)", "35% (7/20)", "25% (5/20)"], "60% (12/20)")
    assert [a for a, _label in Scale.choices] == [1, 2, 3, 4]
