"""Pupils' placements on frameworks (issue 22), one at a time from the pupil page and several
from a class or year group, and the pupil page's "Progress on other frameworks". Expected texts
and figures are worked by hand in the comments."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import frameworks
from assessment.models import AssessmentPoint, Framework, FrameworkPlacement, FrameworkStage, Subject
from assessment.selectors_frameworks import pupil_framework_progress
from core.roles import Role
from tests.factories import PupilFactory, assessment_create

pytestmark = pytest.mark.django_db

Kind = Framework.Kind
D = datetime.date


@pytest.fixture
def home(world):
    return world["A"]


@pytest.fixture
def school_data(home):
    """Maths and Reading; small steps (S1 of 3 steps, S2 of 4: S2's offset 3; 4 steps expected a
    year); a reading age; and the points: Summer 2025/26 (as at 31 Aug 2026), then Autumn and
    Summer 2026/27 (Autumn as at 18 Apr 2027, the day before Summer starts; Summer as at 31 Aug
    2027)."""
    school = home.school
    maths = Subject.objects.create(school=school, name="Maths", order=1)
    reading = Subject.objects.create(school=school, name="Reading", order=2)
    steps = Framework.objects.create(
        school=school, kind=Kind.STEPS, name="Small steps", expected_per_year=Decimal(4)
    )
    FrameworkStage.objects.create(framework=steps, order=1, code="S1", name="Counting", steps=3)
    FrameworkStage.objects.create(framework=steps, order=2, code="S2", name="Adding", steps=4)
    frameworks.renumber(steps)
    age = Framework.objects.create(school=school, kind=Kind.AGE, name="Reading age", test_name="NGRT")
    points = {
        "summer25": AssessmentPoint.objects.create(
            school=school, academic_year=2025, order=1, name="Summer", starts_on=D(2026, 4, 20)
        ),
        "autumn26": AssessmentPoint.objects.create(
            school=school, academic_year=2026, order=1, name="Autumn", starts_on=D(2026, 9, 1)
        ),
        "summer26": AssessmentPoint.objects.create(
            school=school, academic_year=2026, order=2, name="Summer", starts_on=D(2027, 4, 19)
        ),
    }
    return {"maths": maths, "reading": reading, "steps": steps, "age": age, "points": points}


def test_the_placement_in_force_at_a_date_is_the_latest_started(client, home, school_data):
    pupil, maths, steps = home.class_pupil, school_data["maths"], school_data["steps"]
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:pupil_placements", kwargs={"pk": pupil.pk})
    for framework, day in ((str(steps.pk), "2026-01-05"), ("main", "2026-09-14")):
        response = client.post(url, {"subject": maths.pk, "framework": framework, "starts_on": day})
        assert response.status_code == 302
    # Before 5 Jan 2026 the main scheme (no placement); from then small steps; from 14 Sep 2026
    # the main scheme again (None).
    assert frameworks.placements_at([pupil.pk], D(2026, 1, 4)) == {}
    assert frameworks.placements_at([pupil.pk], D(2026, 1, 5)) == {(pupil.pk, maths.pk): steps.pk}
    assert frameworks.placements_at([pupil.pk], D(2026, 9, 13)) == {(pupil.pk, maths.pk): steps.pk}
    assert frameworks.placements_at([pupil.pk], D(2026, 9, 14)) == {(pupil.pk, maths.pk): None}
    page = client.get(url).content.decode()
    # No value on the school's scale before the first placement: not a move, where they start.
    assert "Assessed on Small steps from 5 Jan 2026" in page
    assert "Moved from Small steps to the school&#x27;s scale on 14 Sep 2026" in page
    # Placing again from a later day on what the pupil is already on changes nothing.
    response = client.post(
        url, {"subject": maths.pk, "framework": "main", "starts_on": "2026-10-01"}, follow=True
    )
    assert "is already on the school&#x27;s scale in Maths then." in response.content.decode()
    assert FrameworkPlacement.objects.filter(pupil=pupil).count() == 2


def test_one_pupil_is_placed_in_several_subjects_at_once(client, home, school_data):
    pupil, maths, reading, steps = (
        home.class_pupil,
        school_data["maths"],
        school_data["reading"],
        school_data["steps"],
    )
    FrameworkPlacement.objects.create(pupil=pupil, subject=maths, framework=steps, starts_on=D(2025, 9, 1))
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:pupil_placements", kwargs={"pk": pupil.pk})
    form = client.get(url).content.decode()
    # A box to tick for each subject.
    assert re.search(rf'type="checkbox"[^>]*name="subject" value="{reading.pk}"', form)
    response = client.post(
        url,
        {"subject": [reading.pk, maths.pk], "framework": str(steps.pk), "starts_on": "2026-01-05"},
        follow=True,
    )
    page = response.content.decode()
    # Reading is a move; Maths was on Small steps already from September 2025.
    assert f"{pupil.full_name} is assessed in Reading on Small steps from 05/01/2026." in page
    assert f"{pupil.full_name} is already on Small steps in Maths then." in page
    assert frameworks.placements_at([pupil.pk], D(2026, 1, 5)) == {
        (pupil.pk, maths.pk): steps.pk,
        (pupil.pk, reading.pk): steps.pk,
    }
    # Both subjects moved back to the school's scale in one go: one message naming both.
    response = client.post(
        url, {"subject": [maths.pk, reading.pk], "framework": "main", "starts_on": "2026-09-01"}, follow=True
    )
    assert "is assessed in Maths and Reading on the school&#x27;s scale from 01/09/2026." in (
        response.content.decode()
    )
    # Nothing ticked: said, and nothing stored.
    response = client.post(url, {"framework": "main", "starts_on": "2026-10-01"})
    assert response.status_code == 400
    assert "Tick at least one subject." in response.content.decode()
    assert FrameworkPlacement.objects.filter(pupil=pupil).count() == 4


def test_a_placement_names_a_framework_in_use_and_a_sensible_date(client, home, school_data):
    pupil, maths, steps = home.class_pupil, school_data["maths"], school_data["steps"]
    steps.retired = True
    steps.save()
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:pupil_placements", kwargs={"pk": pupil.pk})
    response = client.post(url, {"subject": maths.pk, "framework": str(steps.pk), "starts_on": "2026-01-05"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    response = client.post(url, {"subject": maths.pk, "framework": "main", "starts_on": "1990-01-05"})
    assert response.status_code == 400
    assert "Give a date within the last ten years or the next." in response.content.decode()
    assert not FrameworkPlacement.objects.exists()


def test_several_pupils_are_placed_from_a_class_in_one_subject(client, home, school_data):
    maths, steps = school_data["maths"], school_data["steps"]
    second = PupilFactory(school=home.school, school_class=home.school_class, legal_surname="Second")
    FrameworkPlacement.objects.create(pupil=second, subject=maths, framework=steps, starts_on=D(2025, 9, 1))
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:place_pupils") + f"?school_class={home.school_class.pk}&subject={maths.pk}"
    page = client.get(url).content.decode()
    # The class's two pupils, each with what they are on in Maths today.
    assert page.count('name="pupils"') == 2
    assert "Small steps" in page
    response = client.post(
        url,
        {"pupils": [home.class_pupil.pk, second.pk], "framework": str(steps.pk), "starts_on": "2026-01-05"},
        follow=True,
    )
    # The second pupil was on small steps already: only the first is placed.
    assert (
        "Placed 1 pupil on Small steps in Maths from 05/01/2026. "
        "1 pupil already on it then left as they were." in response.content.decode()
    )
    on = frameworks.placements_at([home.class_pupil.pk, second.pk], D(2026, 1, 5))
    assert on == {(home.class_pupil.pk, maths.pk): steps.pk, (second.pk, maths.pk): steps.pk}
    # A pupil of another class cannot be slipped in.
    response = client.post(
        url, {"pupils": [home.group_pupil.pk], "framework": "main", "starts_on": "2026-01-05"}
    )
    assert response.status_code == 400
    assert not FrameworkPlacement.objects.filter(pupil=home.group_pupil).exists()


def test_bulk_placement_costs_the_same_queries_for_two_pupils_and_twenty(
    home, school_data, django_assert_num_queries
):
    from assessment.services import placements_set

    maths, steps = school_data["maths"], school_data["steps"]
    by = home.members[Role.SENCO].user
    few = [PupilFactory(school=home.school) for _ in range(2)]
    many = [PupilFactory(school=home.school) for _ in range(20)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        placements_set(
            school=home.school, pupils=few, subject=maths, framework=steps, starts_on=D(2026, 1, 5), by=by
        )
    with CaptureQueriesContext(connection) as twenty:
        placements_set(
            school=home.school, pupils=many, subject=maths, framework=steps, starts_on=D(2026, 1, 5), by=by
        )
    assert len(twenty) == len(two)
    assert FrameworkPlacement.history.filter(framework=steps).count() == 22


@pytest.fixture
def progress(home, school_data):
    """The class pupil on small steps in Maths from 1 Apr 2026: S1.2 (place 2) at Summer 2025/26,
    S1.3 (place 3) at Autumn 2026/27, S2.2 (place 3 + 2 = 5) at Summer 2026/27; before that on
    the school's scale (9 points at Autumn 2025/26), so the placement is a move from it. The
    group pupil on a reading age in Reading this year only: 7y 0m (84 months) at Autumn, 7y 10m
    (94) at Summer."""
    pupil, maths, steps = home.class_pupil, school_data["maths"], school_data["steps"]
    s1, s2 = steps.stages.order_by("order")
    p = school_data["points"]
    autumn25 = AssessmentPoint.objects.create(
        school=home.school, academic_year=2025, order=0, name="Autumn", starts_on=D(2025, 9, 1)
    )
    assessment_create(pupil=pupil, point=autumn25, subject=maths, points=Decimal(9))
    FrameworkPlacement.objects.create(pupil=pupil, subject=maths, framework=steps, starts_on=D(2026, 4, 1))
    for point, stage, step in ((p["summer25"], s1, 2), (p["autumn26"], s1, 3), (p["summer26"], s2, 2)):
        assessment_create(
            pupil=pupil,
            point=point,
            subject=maths,
            framework=steps,
            stage=stage,
            step=step,
            place=stage.offset + step,
        )
    reader, reading, age = home.group_pupil, school_data["reading"], school_data["age"]
    FrameworkPlacement.objects.create(pupil=reader, subject=reading, framework=age, starts_on=D(2026, 9, 1))
    for point, months in ((p["autumn26"], 84), (p["summer26"], 94)):
        assessment_create(pupil=reader, point=point, subject=reading, framework=age, score=months)
    frameworks.progress_refresh(home.school.pk, [(pupil.pk, maths.pk), (reader.pk, reading.pk)])


def test_progress_on_small_steps_reads_as_steps_this_year_against_the_expected(
    home, progress, django_assert_num_queries
):
    membership = home.members[Role.SENCO]
    with django_assert_num_queries(2):
        shown = pupil_framework_progress(membership, home.class_pupil, D(2027, 7, 20))
    (maths,) = shown
    (series,) = maths.series
    # Summer 2025/26 (31 Aug 2026) to Summer 2026/27 (31 Aug 2027): 12 months; place 2 to 5: +3
    # steps; expected 4 a year x 12 / 12 = 4, so below the expected rate.
    assert series.progress == "+3 steps this year (expected 4 in 12 months)"
    assert series.expected_met is False
    assert series.since_start == ""  # the first value, Summer 2025/26, is this year's baseline
    assert [(str(point), value) for point, value, _row in series.values] == [
        ("Summer 2025/26", "S1.2"),
        ("Autumn 2026/27", "S1.3"),
        ("Summer 2026/27", "S2.2"),
    ]
    assert [words for _day, words, _f, _p in maths.moves] == [
        "moved from the school's scale to Small steps on 1 Apr 2026"
    ]
    assert maths.now == progress_framework(home)


def progress_framework(home):
    return Framework.objects.get(school=home.school, name="Small steps")


def test_progress_on_a_reading_age_is_months_gained_and_the_ratio_gain(home, progress):
    membership = home.members[Role.SENCO]
    (reading,) = pupil_framework_progress(membership, home.group_pupil, D(2027, 7, 20))
    # Autumn (as at 18 Apr 2027) to Summer (31 Aug 2027): 4 months; 94 - 84 = 10 months gained;
    # 10 / 4 = 2.5, in the band from 2 (substantial impact).
    assert reading.series[0].progress == "10 months gained in 4 months: ratio gain 2.5 (substantial impact)"
    assert reading.series[0].expected_met is True
    assert [value for _p, value, _r in reading.series[0].values] == ["7y 0m", "7y 10m"]
    # Never on the school's scale in Reading: the placement says where they start, not a move.
    assert [words for _day, words, _f, _p in reading.moves] == ["assessed on Reading age from 1 Sep 2026"]


def test_a_pupil_new_to_a_framework_reads_since_starting_on_it(home, school_data):
    pupil, maths, steps = home.class_pupil, school_data["maths"], school_data["steps"]
    s1, s2 = steps.stages.order_by("order")
    p = school_data["points"]
    assessment_create(
        pupil=pupil, point=p["autumn26"], subject=maths, framework=steps, stage=s1, step=1, place=1
    )
    assessment_create(
        pupil=pupil, point=p["summer26"], subject=maths, framework=steps, stage=s2, step=1, place=4
    )
    frameworks.progress_refresh(home.school.pk, [(pupil.pk, maths.pk)])
    (shown,) = pupil_framework_progress(home.members[Role.SENCO], pupil, D(2027, 7, 20))
    # Both values this year: measured from the first. 18 Apr to 31 Aug 2027: 4 months; place 1
    # to 4: +3 steps; expected 4 x 4 / 12 = 1.33, rounded down to 1.
    assert shown.series[0].progress == "+3 steps since starting on Small steps (expected 1 in 4 months)"


def test_a_move_back_to_the_schools_scale_is_shown_as_progress_on_the_pupil_page(
    client, home, progress, monkeypatch
):
    maths, steps = Subject.objects.get(school=home.school, name="Maths"), progress_framework(home)
    FrameworkPlacement.objects.create(
        pupil=home.class_pupil, subject=maths, framework=None, starts_on=D(2027, 1, 12)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2027, 7, 20))
    client.force_login(home.members[Role.TEACHER].user)
    page = client.get(reverse("pupils:detail", kwargs={"pk": home.class_pupil.pk})).content.decode()
    assert "Progress on other frameworks" in page
    assert "Maths: on the school's scale today" in page
    assert "Moved from the school&#x27;s scale to Small steps on 1 Apr 2026" in page
    assert "Moved from Small steps to the school&#x27;s scale on 12 Jan 2027" in page
    assert "+3 steps this year (expected 4 in 12 months)" in page
    assert "below the expected rate" in page
    # A teacher reads it; only leaders set frameworks.
    assert reverse("assessment:pupil_placements", kwargs={"pk": home.class_pupil.pk}) not in page
    assert steps.name in page


def test_leaders_see_the_set_frameworks_link_and_a_teaching_assistant_sees_no_section(client, home, progress):
    client.force_login(home.members[Role.SENCO].user)
    page = client.get(reverse("pupils:detail", kwargs={"pk": home.class_pupil.pk})).content.decode()
    assert reverse("assessment:pupil_placements", kwargs={"pk": home.class_pupil.pk}) in page
    client.force_login(home.members[Role.TEACHING_ASSISTANT].user)
    page = client.get(reverse("pupils:detail", kwargs={"pk": home.group_pupil.pk})).content.decode()
    assert "Progress on other frameworks" not in page


def test_a_pupil_on_a_framework_since_an_earlier_year_reads_since_starting_as_well(
    home, school_data, django_assert_num_queries
):
    """Small steps in Writing from Autumn 2025/26: S1.1 (place 1), then S1.2 (2) at Summer
    2025/26, S1.3 (3) at Autumn 2026/27 and S2.2 (3 + 2 = 5) at Summer 2026/27."""
    pupil, steps, p = home.class_pupil, school_data["steps"], school_data["points"]
    writing = Subject.objects.create(school=home.school, name="Writing", order=3)
    s1, s2 = steps.stages.order_by("order")
    autumn25 = AssessmentPoint.objects.create(
        school=home.school, academic_year=2025, order=0, name="Autumn", starts_on=D(2025, 9, 1)
    )
    for point, stage, step in (
        (autumn25, s1, 1),
        (p["summer25"], s1, 2),
        (p["autumn26"], s1, 3),
        (p["summer26"], s2, 2),
    ):
        assessment_create(
            pupil=pupil,
            point=point,
            subject=writing,
            framework=steps,
            stage=stage,
            step=step,
            place=stage.offset + step,
        )
    # And a reading age in Reading at the same four points: 7y 0m, 7y 4m, 7y 8m, 8y 4m.
    reading, age = school_data["reading"], school_data["age"]
    for point, months in ((autumn25, 84), (p["summer25"], 88), (p["autumn26"], 92), (p["summer26"], 100)):
        assessment_create(pupil=pupil, point=point, subject=reading, framework=age, score=months)
    frameworks.progress_refresh(home.school.pk, [(pupil.pk, writing.pk), (pupil.pk, reading.pk)])
    with django_assert_num_queries(2):
        shown_reading, shown = pupil_framework_progress(home.members[Role.SENCO], pupil, D(2027, 7, 20))
    # 88 to 100 this year: 12 months in 12; 84 to 100 since starting: 16 months in 16.
    assert shown_reading.series[0].progress == "12 months gained in 12 months: ratio gain 1 (modest impact)"
    assert shown_reading.series[0].since_start == (
        "Since starting on Reading age in Autumn 2025/26: "
        "16 months gained in 16 months: ratio gain 1 (modest impact)"
    )
    (series,) = shown.series
    # This year: from Summer 2025/26 (place 2, as at 31 Aug 2026) to place 5 at 31 Aug 2027.
    assert series.progress == "+3 steps this year (expected 4 in 12 months)"
    # Since starting: Autumn 2025/26 is as at 19 Apr 2026, the day before Summer 2025/26 starts;
    # to 31 Aug 2027 is 16 months; place 1 to 5: +4 steps; expected 4 x 16 / 12 = 5.33, so 5.
    assert (
        series.since_start
        == "+4 steps since starting on Small steps in Autumn 2025/26 (expected 5 in 16 months)"
    )


def test_an_engagement_model_pupil_over_two_years_has_no_values_to_show(home, school_data):
    """Engagement Model rows on the grid hold no value: the pupil page shows no series of blanks
    and counts no progress on them (it answered 500 when it subtracted two blanks); the
    placement says the pupil is on the Engagement Model, and the observations are its record."""
    pupil, p = home.class_pupil, school_data["points"]
    engagement = Framework.objects.create(school=home.school, kind=Kind.ENGAGEMENT, name="Engagement Model")
    autumn25 = AssessmentPoint.objects.create(
        school=home.school, academic_year=2025, order=0, name="Autumn", starts_on=D(2025, 9, 1)
    )
    for point in (autumn25, p["summer25"], p["autumn26"], p["summer26"]):
        assessment_create(pupil=pupil, point=point, subject=school_data["maths"], framework=engagement)
    FrameworkPlacement.objects.create(
        pupil=pupil, subject=school_data["maths"], framework=engagement, starts_on=D(2025, 9, 1)
    )
    (shown,) = pupil_framework_progress(home.members[Role.SENCO], pupil, D(2027, 7, 20))
    assert shown.series == []
    assert shown.now == engagement
