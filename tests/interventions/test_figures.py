"""Impact, value for money and the provision map, against figures worked out by hand."""

from decimal import Decimal

import pytest

from core.roles import Role
from interventions import selectors
from tests.factories import MembershipFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def by_name(rows):
    return {row.intervention.name: row for row in rows}


def test_gain_rate_cost_per_pupil_and_per_unit_of_gain(cohort):
    rows = by_name(selectors.intervention_impact(cohort.school, YEAR))
    reading = rows["Reading fluency"]
    # Baselines 10/12/15, exits 16/15/21: gains 6/3/6, sum 15, mean 15/3 = 5.
    assert reading.pupils.value == 3
    assert reading.mean_gain == Decimal("5.00")
    # 6 weeks: 5/6 = 0.833... -> 0.83 a week.
    assert reading.gain_per_week == Decimal("0.83")
    # Exit criteria judged for all 3, met by 2 of them.
    assert str(reading.exit_met) == "2 of 3 judged met the exit criteria: 67% (2/3)"
    # 18 sessions x 30 minutes = 540 minutes = 9 hours delivered.
    assert reading.hours_delivered == Decimal("9.00")
    # Cost = £15 x 9 hours + £30 resources = £165; per pupil 165/3 = £55; per unit of gain 165/15 = £11.
    assert reading.cost == Decimal("165.00")
    assert reading.cost_per_pupil == Decimal("55.00")
    assert reading.cost_per_gain == Decimal("11.00")

    maths = rows["Number sense"]
    # Gains 88-80 = 8 and 92-90 = 2: mean 5 over 10 weeks = 0.50 a week.
    assert maths.mean_gain == Decimal("5.00")
    assert maths.gain_per_week == Decimal("0.50")
    # 20 sessions x 60 minutes = 20 hours x £20 = £400; £200 a pupil; 400/10 = £40 per unit of gain.
    assert (maths.hours_delivered, maths.cost) == (Decimal("20.00"), Decimal("400.00"))
    assert (maths.cost_per_pupil, maths.cost_per_gain) == (Decimal("200.00"), Decimal("40.00"))


def test_interventions_ranked_by_impact_and_by_value_within_their_measure(cohort):
    rows = selectors.intervention_impact(cohort.school, YEAR)
    ranking = selectors.rank_within_measures(rows)
    # Reading has 3 pupils with a baseline and an exit score, on its own measure: ranked, alone.
    # Number sense has 2 (and no named measure): listed, unranked.
    assert [(m.measure, [r.intervention.name for r in m.by_impact]) for m in ranking.measures] == [
        ("words read correctly in a minute", ["Reading fluency"])
    ]
    assert [r.intervention.name for r in ranking.measures[0].by_value] == ["Reading fluency"]
    assert [r.intervention.name for r in ranking.unranked] == ["Number sense"]
    assert ranking.summary == (
        "Ranked within each measure, where at least 3 pupils have a baseline and an exit score; "
        "1 intervention with fewer is listed below, unranked."
    )


def test_each_pupils_gain_rate_and_hours(cohort):
    rows = {r.place.pupil.legal_surname: r for r in selectors.pupil_impact(cohort.senco, YEAR)}
    # Reader0: 16-10 = 6, 6/6 = 1.00 a week; Reader1: 3, 0.50; Reader2: 6, 1.00.
    assert (rows["Reader0"].gain, rows["Reader0"].rate) == (Decimal("6"), Decimal("1.00"))
    assert (rows["Reader1"].gain, rows["Reader1"].rate) == (Decimal("3"), Decimal("0.50"))
    # Reader2 came to 2 of the 18 sessions: 2 x 30 minutes = 1 hour; the others 9 hours.
    assert rows["Reader2"].hours == Decimal("1.00")
    assert str(rows["Reader2"].attendance) == "11% (2/18)"
    assert rows["Reader0"].hours == Decimal("9.00")
    # Counter0: 8 over 10 weeks = 0.80 a week, 20 hours.
    assert (rows["Counter0"].rate, rows["Counter0"].hours) == (Decimal("0.80"), Decimal("20.00"))


def test_hours_of_support_against_progress_within_each_measure(cohort):
    measures = {
        m.measure: {b.label: b for b in m.bands} for m in selectors.hours_vs_progress(cohort.school, YEAR)
    }
    # Reading ("words read correctly in a minute"): under 5 hours, Reader2 alone (gain 6); 5 to
    # 10 hours, Reader0 and Reader1 (6 and 3, mean 4.5). Number sense (no measure named): 20
    # hours or more, both pupils (8 and 2, mean 5). The two are never averaged together.
    reading, maths = measures["words read correctly in a minute"], measures["measure not named"]
    assert str(reading["under 5 hours"]) == "6.00 (1 pupil)"
    assert str(reading["5 to 10 hours"]) == "4.50 (2 pupils)"
    assert str(reading["10 to 20 hours"]) == str(reading["20 hours or more"]) == "—"
    assert str(maths["20 hours or more"]) == "5.00 (2 pupils)"
    assert str(maths["under 5 hours"]) == "—"
    governor = selectors.hours_vs_progress(cohort.school, YEAR, suppress_below=5)
    assert [str(b) for b in governor[0].bands] == ["—", "—", "—", "c"]


def test_governor_sees_small_groups_suppressed(cohort):
    rows = by_name(selectors.intervention_impact(cohort.school, YEAR, suppress_below=5))
    reading = rows["Reading fluency"]
    assert reading.suppressed and reading.mean_gain is None and reading.cost_per_gain is None
    assert str(reading.pupils) == "c"
    assert str(reading.exit_met) == "c"


def test_provision_map_by_term_and_year_with_totals(cohort):
    pmap = selectors.provision_map(cohort.senco, YEAR)
    assert [(g.term, g.year_label) for g in pmap.groups] == [("Autumn", "Year 4"), ("Spring", "Year 5")]
    autumn, spring = pmap.groups
    # Reading planned: 3 a week x 6 weeks x 30 minutes = 540 minutes = 9 hours; £15 x 9 + £30 = £165.
    assert (autumn.rows[0].hours, autumn.rows[0].cost, autumn.pupils.value) == (
        Decimal("9.00"),
        Decimal("165.00"),
        3,
    )
    # Maths planned: 2 x 10 x 60 minutes = 20 hours; £20 x 20 = £400.
    assert (spring.hours, spring.cost, spring.pupils.value) == (Decimal("20.00"), Decimal("400.00"), 2)
    # Totals: 5 pupils, 9 + 20 = 29 hours, 165 + 400 = £565.
    assert (pmap.total_pupils.value, pmap.total_hours, pmap.total_cost) == (
        5,
        Decimal("29.00"),
        Decimal("565.00"),
    )
    assert [p.legal_surname for p in autumn.rows[0].names] == ["Reader0", "Reader1", "Reader2"]


def test_provision_map_for_a_governor_names_no_one(cohort):
    governor = MembershipFactory(school=cohort.school, role=Role.GOVERNOR)
    pmap = selectors.provision_map(governor, YEAR)
    autumn = pmap.groups[0]
    assert autumn.rows[0].names == []
    assert str(autumn.rows[0].pupils) == "c"
    assert str(pmap.total_pupils) == "5"


def test_run_sheet_tracks_checkpoints_by_week(cohort):
    from interventions import services

    first, second = cohort.reading_places[:2]
    services.checkpoint_record(place=first, week=3, score=Decimal("12"), by=cohort.ta.user)
    services.checkpoint_record(place=second, week=3, score=Decimal("13"), by=cohort.ta.user)
    services.checkpoint_record(place=first, week=5, score=Decimal("14"), by=cohort.ta.user)
    sheet = selectors.run_sheet(cohort.senco, cohort.reading_run)
    assert sheet.weeks == [3, 5]
    assert [row.checkpoints for row in sheet.rows] == [
        [Decimal("12"), Decimal("14")],
        [Decimal("13"), None],
        [None, None],
    ]
    # 9 hours delivered: £15 x 9 + £30 = £165.
    assert (sheet.sessions_held, sheet.hours_delivered, sheet.cost) == (
        18,
        Decimal("9.00"),
        Decimal("165.00"),
    )
