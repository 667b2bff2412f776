"""The scale profiles' sizes follow the arithmetic of demo/assessment_data.py (and of
docs/scaling.md), worked out here by hand from the subjects a school assesses.

A primary school (SUBJECT_PLAN): reading, writing, maths and GPS at all six half-term points from
Reception, phonics at all six from Reception to Year 2, science at all six from Year 1; eight
foundation subjects once a term (3 points a year) from Year 1, and French once a term from Year 3.
Rows a pupil has in one whole year, by their year group then:
  Reception: 5 subjects x 6 = 30
  Year 1, 2: (4 + phonics + science) x 6 + 8 x 3 = 36 + 24 = 60
  Year 3-6:  (4 + science) x 6 + (8 + French) x 3 = 30 + 27 = 57
and in the year under way with two points held (Autumn 1 and 2; the termly subjects at Autumn 2):
  Reception: 5 x 2 = 10; Year 1, 2: 6 x 2 + 8 = 20; Year 3-6: 5 x 2 + 9 = 19.
A pupil has the last five years, from the year they joined: a Year 6 pupil who joined in
Reception has 19 + 57 + 57 + 57 + 60 = 250 (Years 2 to 6).

A secondary school: in key stage 3 all 12 subjects at six points (72 a year); in key stage 4
English, maths and science and 4 options (7 subjects, 42 a year). A Year 11 pupil who joined in
Year 7: 7 x 2 + 42 + 72 x 3 = 272.
"""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Min

from assessment.models import Assessment, Subject
from demo.assessment_data import SUBJECT_PLAN, expected_rows
from demo.generator import build_demo
from pupils.models import Pupil

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 12, 7)  # two points of 2026/27 held: Autumn 1 and Autumn 2
PRIMARY_YEAR = {0: 30, 1: 60, 2: 60, 3: 57, 4: 57, 5: 57, 6: 57}
PRIMARY_NOW = {0: 10, 1: 20, 2: 20, 3: 19, 4: 19, 5: 19, 6: 19}


def by_hand(year_group, joined_year_group):
    """A primary pupil's rows, from the tables above: this year's, and each whole year of the last
    four spent at the school."""
    earlier = range(max(joined_year_group, year_group - 4, 0), year_group)
    return PRIMARY_NOW[year_group] + sum(PRIMARY_YEAR[y] for y in earlier)


def test_the_arithmetic_per_pupil():
    # Joined in Reception: R 10; Y1 20 + 30; Y2 20 + 60 + 30; Y3 19 + 60 + 60 + 30;
    # Y4 19 + 57 + 60 + 60 + 30; Y5 19 + 57 + 57 + 60 + 60; Y6 19 + 57 x 3 + 60.
    assert [expected_rows("primary", y, 0, 2) for y in range(7)] == [10, 50, 110, 169, 226, 253, 250]
    assert [by_hand(y, 0) for y in range(7)] == [10, 50, 110, 169, 226, 253, 250]
    # A Year 5 pupil who joined in Year 4: 19 + 57.
    assert expected_rows("primary", 5, 4, 2) == 76
    # Secondary, joined in Year 7: Y7 12 x 2; Y8 24 + 72; Y9 24 + 144; Y10 7 x 2 + 216;
    # Y11 14 + 42 + 216. A Year 11 pupil who joined in Year 10: 14 + 42.
    assert [expected_rows("secondary", y, 7, 2) for y in range(7, 12)] == [24, 96, 168, 230, 272]
    assert expected_rows("secondary", 11, 10, 2) == 56
    # The trust profile: 50 schools of 800 (114 in each of Reception to Year 5, 116 in Year 6)
    # and a second school of 400 (57, and 58 in Year 6), every pupil from Reception:
    # 114 x (10 + 50 + 110 + 169 + 226 + 253) + 116 x 250 = 93,252 + 29,000 = 122,252 a school,
    # 57 x 818 + 58 x 250 = 61,126 for the second: 50 x 122,252 + 61,126 = 6,173,726 rows at most
    # (pupils who joined later have fewer).
    assert 50 * (114 * 818 + 116 * 250) + 57 * 818 + 58 * 250 == 6_173_726


def test_two_schools_of_20_pupils_have_the_rows_worked_out_by_hand():
    demo = build_demo(pupils=20, schools=2, seed=5, today=TODAY)
    # The main school (20), the small second (10) and one more of 20: three primary schools.
    assert [built.pupils for built in demo["schools"]] == [20, 10, 20]
    joined = Pupil.objects.annotate(joined=Min("sen_history__effective_date"))
    for built in demo["schools"]:
        expected = 0
        for pupil in joined.filter(school=built.school):
            joined_year = pupil.joined.year if pupil.joined.month >= 9 else pupil.joined.year - 1
            expected += by_hand(pupil.year_group, pupil.year_group - (2026 - joined_year))
        assert Assessment.objects.filter(pupil__school=built.school).count() == expected
    # 20 pupils: 3 in each of Reception to Year 5, 2 in Year 6; all from Reception, that is
    # 3 x 818 + 2 x 250 = 2,954 rows; pupils who joined later have fewer.
    main = Assessment.objects.filter(pupil__school=demo["schools"][0].school).count()
    assert 2000 < main <= 2954
    # Every subject of the plan is the school's, with rows in it.
    names = [tracked.name for tracked in SUBJECT_PLAN["primary"]]
    school = demo["schools"][0].school
    assert sorted(Subject.objects.filter(school=school).values_list("name", flat=True)) == sorted(names)
    per_subject = dict(
        Assessment.objects.filter(pupil__school=school)
        .values_list("subject__name")
        .annotate(n=Count("pk"))
        .values_list("subject__name", "n")
    )
    assert set(per_subject) == set(names)


def test_secondary_key_stage_4_pupils_take_core_and_four_options():
    demo = build_demo(pupils=35, profile="secondary", seed=3, today=TODAY)
    school = demo["schools"][0].school
    now = Assessment.objects.filter(pupil__school=school, point__academic_year=2026, point__order=2)
    taken = {}
    for pupil, year_group, subject in now.values_list("pupil", "year_group", "subject__name"):
        taken.setdefault((pupil, year_group), set()).add(subject)
    for (_pupil, year_group), subjects in taken.items():
        if year_group >= 10:
            assert len(subjects) == 7 and {"English", "Maths", "Science"} <= subjects
            assert subjects & {"History", "Geography"}
        else:
            assert len(subjects) == 12


def test_the_trust_benchmark_runs_at_a_tiny_size(capsys, transactional_db_with_migration_data):
    # A transaction test, as the benchmark's job runs outside the test's transaction; the
    # migrations' rows (the demo's evidence questions) are put back after an earlier one.
    with pytest.raises(CommandError):
        call_command("benchmark", "--profile", "trust", "--existing")
    build_demo(pupils=14, schools=2)
    call_command("benchmark", "--profile", "trust", "--existing", "--repeat", "1")
    out = capsys.readouterr().out
    assert "3 schools, 35 pupils" in out and "smaller than the trust profile's" in out
    for what in (
        "trust comparison, 3 schools",
        "gap dashboard (overview)",
        "E to H attendance",
        "web worker resident memory after the trust pages",
        "trust governor pack job, 3 school PDFs",
    ):
        assert what in out, what


def test_a_large_load_on_postgresql_builds_the_indexes_after_the_rows(monkeypatch):
    """The indexes and constraints dropped for a large load are all back after it (PostgreSQL)."""
    from django.db import connection

    import demo.assessment_data

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite loads with bulk_create and keeps its indexes")

    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'assessment_assessment'::regclass ORDER BY 1"
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'assessment_assessment' ORDER BY 1"
            )
            return constraints, cursor.fetchall()

    before = definitions()
    monkeypatch.setattr(demo.assessment_data, "INDEX_AFTER_PUPILS", 1)
    build_demo(pupils=14, seed=5, today=TODAY)
    assert Assessment.objects.count() > 0
    assert definitions() == before
