"""SEN status and year group as at each assessment point (gaps.cohort), against the "current
cohort" basis, worked by hand on a small cohort.

The dates are those of the default three terms (core.calendar): Autumn from 1 September,
Spring from 3 January, Summer from 15 April. So the as-at date of Autumn is 2 January, of Spring
14 April, of Summer 31 August. "Last year" is the academic year before this one, whose dates
are all in the past whenever the tests run.

Reading, pupils now in Year 5 (Year 4 last year):
- `placed`: no SEN, placed on SEN support on 1 February of last year (in its Spring);
- `left`: SEN support for years, off the register on 1 May of last year (in its Summer);
- `steady`: two pupils on SEN support throughout;
- `others`: four pupils with no SEN throughout.

                      last Autumn  last Spring  this Autumn
    placed            OT           OT           B
    left              B            B            OT
    steady            B, OT        B, OT        B, OT
    others            OT OT OT B   OT x4        OT OT OT EX

As at each point, SEND is: last Autumn left + steady (3); last Spring placed + left + steady
(4); this Autumn placed + steady (3). Today's SEND pupils are placed + steady (3).
"""

import datetime

import pytest
from django.db.models import F

from assessment.models import Assessment, AssessmentPoint, point_as_at, year_group_in
from core.roles import Role
from gaps.cohort import AS_AT, BASIS_LABELS, CURRENT
from pupils.models import Pupil, SenStatus, SenStatusChange
from reports.sef import sef_figures
from tests.factories import MembershipFactory, SchoolFactory
from tests.gaps.builders import STATUS_SINCE, THIS_YEAR, Scheme, assess, pupils
from tests.gaps.test_figures import page
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

LAST_YEAR = THIS_YEAR - 1
PLACED_ON = datetime.date(THIS_YEAR, 2, 1)  # in last year's Spring
LEFT_ON = datetime.date(THIS_YEAR, 5, 1)  # in last year's Summer
AS_AT_LABEL = "SEN status and year group as at each assessment point"
CURRENT_LABEL = "Current cohort: pupils on the SEND record today, followed back through earlier points"


def _history(pupil, *changes):
    SenStatusChange.objects.bulk_create(
        SenStatusChange(pupil=pupil, status=status, effective_date=when) for status, when in changes
    )


@pytest.fixture
def moves(db):
    school = SchoolFactory(name="Asatfield")
    scheme = Scheme(school)
    placed = pupils(school, 1, sen_status=SenStatus.SEN_SUPPORT, year_group=5, since=None)[0]
    _history(placed, (SenStatus.NONE, STATUS_SINCE), (SenStatus.SEN_SUPPORT, PLACED_ON))
    left = pupils(school, 1, sen_status=SenStatus.NONE, year_group=5, since=None)[0]
    _history(left, (SenStatus.SEN_SUPPORT, STATUS_SINCE), (SenStatus.NONE, LEFT_ON))
    steady = pupils(school, 2, sen_status=SenStatus.SEN_SUPPORT, year_group=5)
    others = pupils(school, 4, year_group=5)
    last_autumn = scheme.point("Autumn", year=LAST_YEAR)
    last_spring = scheme.point("Spring", year=LAST_YEAR)
    this_autumn = scheme.point("Autumn")
    for point, placed_band, left_band, other_bands in (
        (last_autumn, "OT", "B", ["OT", "OT", "OT", "B"]),
        (last_spring, "OT", "B", ["OT"] * 4),
        (this_autumn, "B", "OT", ["OT", "OT", "OT", "EX"]),
    ):
        assess(scheme, [placed], point, "Reading", placed_band)
        assess(scheme, [left], point, "Reading", left_band)
        assess(scheme, steady[:1], point, "Reading", "B")
        assess(scheme, steady[1:], point, "Reading", "OT")
        for pupil, band in zip(others, other_bands, strict=True):
            assess(scheme, [pupil], point, "Reading", band)
    return {
        "school": school,
        "scheme": scheme,
        "placed": placed,
        "left": left,
        "last_autumn": last_autumn,
        "last_spring": last_spring,
        "this_autumn": this_autumn,
        "senco": MembershipFactory(school=school, role=Role.SENCO),
        "governor": MembershipFactory(school=school, role=Role.GOVERNOR),
    }


def _grid(client, moves, point, query=""):
    return page(client, moves["senco"], "gaps:grid", f"?point={moves[point].pk}{query}").context["report"]


def _reading_gap(report, label):
    return next(g for g in report.gaps if g.label == label and g.subject.name == "Reading")


# -- the as-at date and the as-at status ------------------------------------------------------


def test_each_point_is_taken_at_the_last_day_of_its_period(moves):
    points = {
        p.name: p for p in AssessmentPoint.objects.filter(school=moves["school"], academic_year=LAST_YEAR)
    }
    # The day before the next point starts; 31 August for the year's last point.
    assert points["Autumn"].as_at == datetime.date(THIS_YEAR, 1, 2)
    assert points["Spring"].as_at == datetime.date(THIS_YEAR, 4, 14)
    assert points["Summer"].as_at == datetime.date(THIS_YEAR, 8, 31)
    # Read with the next start in the same query, the same dates and no query of their own.
    annotated = AssessmentPoint.objects.filter(
        school=moves["school"], academic_year=LAST_YEAR
    ).with_next_start()
    assert [p.as_at for p in annotated] == [points[n].as_at for n in ("Autumn", "Spring", "Summer")]
    # A next point dated before this one (a slip in the scheme) never puts the date before the start.
    assert point_as_at(2024, datetime.date(2025, 1, 6), datetime.date(2025, 1, 1)) == datetime.date(
        2025, 1, 6
    )


def test_status_as_at_a_date_comes_from_the_history(moves):
    placed, left = moves["placed"], moves["left"]
    mine = Pupil.objects.filter(pk__in=[placed.pk, left.pk])

    def statuses(day):
        # Each status asked for on its own, through the rule the figures use.
        return {pupil.pk: code for code in "NKE" for pupil in mine.on_record_at(day, [code])}

    before = datetime.date(THIS_YEAR, 1, 31)
    assert statuses(before) == {placed.pk: "N", left.pk: "K"}
    assert statuses(PLACED_ON) == {placed.pk: "K", left.pk: "K"}
    assert statuses(LEFT_ON) == {placed.pk: "K", left.pk: "N"}
    # Before any entry in the history: no SEN.
    assert statuses(STATUS_SINCE - datetime.timedelta(days=1)) == {placed.pk: "N", left.pk: "N"}
    assert set(mine.on_record_at(before)) == {left}
    assert set(mine.on_record_at(LEFT_ON)) == {placed}


# -- the grids and gaps (key question C) -------------------------------------------------------


def test_a_pupil_placed_in_spring_is_not_send_in_the_autumn_grid_but_is_in_spring(client, moves):
    autumn = _reading_gap(_grid(client, moves, "last_autumn"), "Year 4")
    # Last Autumn: SEND are left + steady: 1 of 3 at or above (33%); others placed + 3 of 4 others:
    # 4 of 5 (80%). A gap of 80 - 33 = 47 points.
    assert (str(autumn.focus), str(autumn.rest), autumn.points) == ("33% (1/3)", "80% (4/5)", 47)
    spring = _reading_gap(_grid(client, moves, "last_spring"), "Year 4")
    # Last Spring: placed + left + steady, 2 of 4 (50%); others 4 of 4 (100%): 50 points, against
    # Autumn's own SEND pupils' 47.
    assert (str(spring.focus), str(spring.rest), spring.points) == ("50% (2/4)", "100% (4/4)", 50)
    assert spring.since_last_point == 47


def test_a_pupil_who_left_the_register_last_year_is_send_then_and_not_now(client, moves):
    now = _reading_gap(_grid(client, moves, "this_autumn"), "Year 5")
    # This Autumn: placed + steady, 1 of 3 (33%); others left + 4 others, 5 of 5 (100%): 67.
    assert (str(now.focus), str(now.rest), now.points) == ("33% (1/3)", "100% (5/5)", 67)
    # A year earlier the same pupils, Year 4 then, with that point's own SEND pupils: 47.
    assert now.since_last_year == 47


def test_the_current_cohort_basis_follows_todays_send_pupils_back(client, moves):
    basis = f"&basis={CURRENT}"
    autumn = _reading_gap(_grid(client, moves, "last_autumn", basis), "Year 4")
    # Today's SEND pupils (placed + steady) at last Autumn: 2 of 3 (67%); others left + 3 of 4
    # others: 3 of 5 (60%). SEND pupils 7 points ahead.
    assert (str(autumn.focus), str(autumn.rest), autumn.points) == ("67% (2/3)", "60% (3/5)", -7)
    spring = _reading_gap(_grid(client, moves, "last_spring", basis), "Year 4")
    # Last Spring: 2 of 3 (67%) against left + 4 others, 4 of 5 (80%): 13.
    assert (str(spring.focus), str(spring.rest), spring.points) == ("67% (2/3)", "80% (4/5)", 13)
    assert spring.since_last_point == -7
    now = _reading_gap(_grid(client, moves, "this_autumn", basis), "Year 5")
    assert (str(now.focus), now.points, now.since_last_year) == ("33% (1/3)", 67, -7)


def test_b_counts_each_status_as_at_each_point(client, moves):
    query = f"?point={moves['this_autumn'].pk}"
    rows = page(client, moves["senco"], "gaps:attainment", query).context["report"].rows
    by_year = {r.academic_year: r for r in rows if r.subject.name == "Reading"}
    # Last Autumn as at then: SEN support left + steady 1 of 3; no SEN placed + others 4 of 5.
    last = by_year[LAST_YEAR]
    assert (str(last.attainment["K"]), str(last.attainment["N"])) == ("33% (1/3)", "80% (4/5)")
    # This Autumn: SEN support placed + steady 1 of 3; no SEN left + others 5 of 5.
    this = by_year[THIS_YEAR]
    assert (str(this.attainment["K"]), str(this.attainment["N"])) == ("33% (1/3)", "100% (5/5)")
    current = page(client, moves["senco"], "gaps:attainment", query + f"&basis={CURRENT}").context["report"]
    last = next(r for r in current.rows if r.subject.name == "Reading" and r.academic_year == LAST_YEAR)
    # Today's statuses at last Autumn: SEN support placed + steady, 2 of 3; no SEN 3 of 5.
    assert (str(last.attainment["K"]), str(last.attainment["N"])) == ("67% (2/3)", "60% (3/5)")


# -- year groups ------------------------------------------------------------------------------


def test_a_pupil_now_in_year_5_counts_in_year_4_at_last_years_point(client, moves):
    stored = set(Assessment.objects.filter(point=moves["last_spring"]).values_list("year_group", flat=True))
    assert stored == {4}
    report = _grid(client, moves, "last_spring", "&group=year:4")
    # All 8 pupils were in Year 4: below left, steady[0]: 2 of 8 (25%); on track 6 of 8 (75%).
    assert [(row.label, [str(f) for _, f, _ in row.cells[0]]) for row in report.attainment] == [
        ("Year 4", ["25% (2/8)", "75% (6/8)", "0% (0/8)"])
    ]
    assert _grid(client, moves, "last_spring", "&group=year:5").attainment == []


def test_a_repeated_year_is_counted_by_the_year_group_stored(client, moves):
    """A pupil now in Year 5 who was also in Year 5 last year (repeated it): the derivation from
    today's year group says Year 4; the year group stored with the assessment says Year 5."""
    scheme = moves["scheme"]
    repeated = pupils(moves["school"], 1, year_group=5)
    assert year_group_in(repeated[0], LAST_YEAR) == 4
    assess(scheme, repeated, moves["last_spring"], "Reading", "EX", year_group=5)
    report = _grid(client, moves, "last_spring", "&group=year:5")
    assert [(row.label, [str(f) for _, f, _ in row.cells[0]]) for row in report.attainment] == [
        ("Year 5", ["0% (0/1)", "0% (0/1)", "100% (1/1)"])
    ]
    # And not in Year 4, whose figures are the 8 pupils' as before.
    year_4 = _grid(client, moves, "last_spring", "&group=year:4").attainment
    assert [str(f) for _, f, _ in year_4[0].cells[0]] == ["25% (2/8)", "75% (6/8)", "0% (0/8)"]
    # In the SEND grid the rows are the year groups then.
    assert [row.label for row in _grid(client, moves, "last_spring").attainment] == ["Year 4"]
    assert {g.label for g in _grid(client, moves, "last_spring").gaps} == {"Year 4", "Year 5"}


def test_the_backfill_rule_in_sql_is_the_apps_rule(moves):
    """The data migration's one UPDATE gives every stored row the year group year_group_in gives,
    for a pupil on roll and for one who left (in July of last year, from Year 6)."""
    from importlib import import_module  # a migration module's name starts with a digit

    from django.apps import apps

    migration = import_module("assessment.migrations.0004_assessment_year_group_as_at_point")
    july = datetime.datetime(THIS_YEAR, 7, 20, 12, tzinfo=datetime.UTC)
    leaver = pupils(moves["school"], 1, year_group=6, archived_at=july)
    assess(moves["scheme"], leaver, moves["last_autumn"], "Reading", "OT")
    Assessment.objects.update(year_group=F("year_group") + 10)
    Assessment.objects.update(year_group=migration._year_group_sql(apps, "pupil_id", "point_id"))
    rows = Assessment.objects.select_related("pupil", "point")
    assert all(a.year_group == year_group_in(a.pupil, a.point.academic_year) for a in rows)
    assert Assessment.objects.get(pupil=leaver[0]).year_group == 6
    assert set(
        Assessment.objects.filter(point=moves["this_autumn"]).values_list("year_group", flat=True)
    ) == {5}


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["gaps:dashboard", "gaps:groups", "gaps:attainment", "gaps:grid", "gaps:pupils", "gaps:attendance"],
)
def test_every_gap_page_says_which_basis_it_uses(client, moves, name):
    as_at = page(client, moves["senco"], name).content.decode()
    assert AS_AT_LABEL in as_at and CURRENT_LABEL not in as_at
    assert "as recorded today" in as_at  # the groups without a dated history
    current = page(client, moves["governor"], name, f"?basis={CURRENT}").content.decode()
    assert CURRENT_LABEL in current and AS_AT_LABEL not in current
    # The tabs keep the basis chosen.
    assert f"basis={CURRENT}" in current


def test_the_basis_labels_are_the_forms(moves):
    assert BASIS_LABELS == {AS_AT: AS_AT_LABEL, CURRENT: CURRENT_LABEL}


def test_a_bad_basis_falls_back_to_as_at(client, moves):
    response = page(client, moves["senco"], "gaps:grid", "?basis=yesterday")
    assert response.context["cohort"].basis == AS_AT


# -- the SEF ----------------------------------------------------------------------------------


def test_the_sef_counts_send_pupils_as_at_each_point(moves):
    figures = sef_figures(moves["school"], THIS_YEAR, anonymised=False)
    reading = next(r for r in figures.attainment.measures[0].rows if r.subject == "Reading")
    # This Autumn: SEND 1 of 3, others 5 of 5: 67. The point before it with data is last
    # Spring, with its own SEND pupils: 2 of 4 against 4 of 4, 50 (with today's SEND pupils it
    # would be 13).
    assert (str(reading.send), str(reading.others), reading.gap) == ("33% (1/3)", "100% (5/5)", 67)
    assert (reading.previous_gap, reading.last_year_gap) == (50, 50)
    assert figures.attainment.basis.startswith(AS_AT_LABEL)


def test_the_sef_page_pdf_and_governor_version_state_the_basis(client, moves):
    from django.urls import reverse  # only these tests open the reports' pages

    client.force_login(moves["senco"].user)
    html = client.get(reverse("reports:sef"), {"year": THIS_YEAR}).content.decode()
    assert AS_AT_LABEL in html
    pdf = pdf_text(client.get(reverse("reports:sef"), {"year": THIS_YEAR, "format": "pdf"}).content)
    assert AS_AT_LABEL in " ".join(pdf.split())
    client.force_login(moves["governor"].user)
    governor = client.get(reverse("reports:sef_governor"), {"year": THIS_YEAR}).content.decode()
    assert AS_AT_LABEL in governor
