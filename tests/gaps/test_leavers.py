"""Pupils who have left (are archived) since a point still count in that point's figures, in
the year group they were in then; they are in no list of pupils and no figure about pupils now
(assessment.bands states the rule)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from pupils.models import SenStatus
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import THIS_YEAR, Scheme, assess, pupils
from tests.gaps.test_figures import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_leaver(cohort):
    """The Year 4 cohort of test_figures, and a twelfth SEND pupil (SEN support, Year 4) who
    was on track in Reading at Autumn (10 points) and at Spring (12 points, expected progress),
    and has left since."""
    scheme = cohort["scheme"]
    leaver = pupils(
        cohort["school"], 1, sen_status=SenStatus.SEN_SUPPORT, primary_need="SPLD", archived_at=timezone.now()
    )
    assess(scheme, leaver, scheme.point("Autumn"), "Reading", "OT", points="10")
    assess(scheme, leaver, scheme.point("Spring"), "Reading", "OT", "E", points="12")
    return {**cohort, "leaver": leaver[0]}


def test_a_leaver_counts_in_the_grid_and_gaps_of_the_points_they_were_assessed_at(client, with_leaver):
    spring = with_leaver["scheme"].point("Spring")
    report = page(client, with_leaver[Role.SENCO], "gaps:grid", f"?point={spring.pk}&group=send").context[
        "report"
    ]
    # 12 SEND pupils assessed at Spring: 3 below (25%), 7 on track (58.3 -> 58%), 2 exceeded
    # (16.7 -> 17%).
    row = report.attainment[0]
    assert row.label == "Year 4"
    assert [str(f) for _, f, _ in row.cells[0]] == ["25% (3/12)", "58% (7/12)", "17% (2/12)"]
    gap = report.gaps[0]
    # SEND at or above ARE 9/12 = 75%, others 9/9: 25 points. Autumn: 6/12 = 50%: 50 points.
    assert (str(gap.focus), str(gap.rest), gap.points) == ("75% (9/12)", "100% (9/9)", 25)
    assert gap.since_last_point == 50
    # Gain since Autumn: (5x2 + 1x4 + 2x5 + 3x0 + 2) / 12 = 26/12 = 2.17 -> 2.2; others 1.0.
    progress = report.average_progress[0]
    assert (progress.focus_avg, progress.focus_n, progress.rest_avg) == (Decimal("2.2"), 12, Decimal("1.0"))


def test_a_leaver_counts_in_b_but_not_in_the_groups_or_the_pupil_lists(client, with_leaver):
    spring = with_leaver["scheme"].point("Spring")
    senco = with_leaver[Role.SENCO]
    reading = page(client, senco, "gaps:attainment", f"?point={spring.pk}").context["report"].rows[0]
    # All SEND 9 of 12 (75%); SEN support: send[:8] and the leaver, all at or above: 9 of 9.
    assert (str(reading.attainment["send"]), str(reading.attainment["K"])) == ("75% (9/12)", "100% (9/9)")
    # Expected progress or better among SEN support pupils: send[:6] E, send[6:8] X, leaver E.
    assert str(reading.progress["K"]) == "100% (9/9)"
    # The groups of A are of the pupils on roll: 11 SEND of 20.
    groups = page(client, senco, "gaps:groups").context["report"]
    assert str(groups.focus_share) == "55% (11/20)"
    # Pupil tracks name the pupils on roll only.
    tracks = page(client, senco, "gaps:pupils", f"?point={spring.pk}").context["report"].tracks
    assert len(tracks) == 11
    assert with_leaver["leaver"].pk not in {t.pupil.pk for t in tracks}


@pytest.fixture
def last_year(db):
    """Last year's Spring, Reading, three pupils with SEND support (plus one without SEN):
    - a pupil now in Year 5 (Year 4 then), below;
    - a pupil now in Year 5 without SEN (Year 4 then), on track;
    - a pupil who left Year 6 last July (recorded as Year 6, archived), on track."""
    school = SchoolFactory()
    scheme = Scheme(school)
    spring = scheme.point("Spring", year=THIS_YEAR - 1)
    now_y5 = pupils(school, 1, sen_status=SenStatus.SEN_SUPPORT, year_group=5)
    other_y5 = pupils(school, 1, year_group=5)
    july = datetime.datetime(THIS_YEAR, 7, 20, 12, tzinfo=datetime.UTC)
    leaver = pupils(school, 1, sen_status=SenStatus.SEN_SUPPORT, year_group=6, archived_at=july)
    assess(scheme, now_y5, spring, "Reading", "B")
    assess(scheme, other_y5 + leaver, spring, "Reading", "OT")
    return {"school": school, "spring": spring, "senco": MembershipFactory(school=school, role=Role.SENCO)}


def test_last_years_leavers_stay_in_the_year_group_they_were_in(client, last_year):
    query = f"?point={last_year['spring'].pk}&group=send"
    report = page(client, last_year["senco"], "gaps:grid", query).context["report"]
    # The leaver was in Year 6 at last year's Spring, not in Year 5 with the pupils now in Year 6.
    assert [row.label for row in report.attainment] == ["Year 4", "Year 6"]
    by_label = {g.label: g for g in report.gaps}
    # Year 4 then: SEND 0 of 1 at or above, others 1 of 1: a gap of 100 points.
    assert (str(by_label["Year 4"].focus), str(by_label["Year 4"].rest), by_label["Year 4"].points) == (
        "0% (0/1)",
        "100% (1/1)",
        100,
    )
    # Year 6 then: the leaver, 1 of 1; nobody else assessed, so no gap.
    assert (str(by_label["Year 6"].focus), by_label["Year 6"].points) == ("100% (1/1)", None)
    # The "Year 6" group at a point is the pupils in Year 6 then (the year group stored with
    # their assessment): the leaver, not the pupils in Year 6 now, who were in Year 5.
    query = f"?point={last_year['spring'].pk}&group=year:6"
    rows = page(client, last_year["senco"], "gaps:grid", query).context["report"].attainment
    assert [(row.label, [str(f) for _, f, _ in row.cells[0]]) for row in rows] == [
        ("Year 6", ["0% (0/1)", "100% (1/1)", "0% (0/1)"])
    ]
