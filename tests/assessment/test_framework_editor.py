"""The framework editor (issue 22): kits, small steps, scores, ages, the Engagement Model; edits
that keep recorded values readable, and the refusals of those that would not. Leaders edit,
teachers read, governors never see it. Expected figures are worked by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import frameworks
from assessment.models import Assessment, AssessmentPoint, Framework, FrameworkStage, Subject
from core.roles import Role
from tests.factories import assessment_create

pytestmark = pytest.mark.django_db

Kind = Framework.Kind


@pytest.fixture
def home(world):
    return world["A"]


def senco_client(client, home):
    client.force_login(home.members[Role.SENCO].user)
    return client


def stage_rows(rows):
    """POST data of the stages formset (prefix "stages"): rows are dicts with "id" for kept stages."""
    data = {
        "part": "stages",
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is False:
                continue
            data[f"stages-{i}-{key}"] = "on" if value is True else value
    return data


def small_steps(school):
    """S1 of 3 steps, S2 of 4, S3 of 2: offsets 0, 3 and 7 (the steps before each)."""
    framework = Framework.objects.create(
        school=school, kind=Kind.STEPS, name="Small steps", expected_per_year=Decimal(4)
    )
    for order, (code, steps) in enumerate([("S1", 3), ("S2", 4), ("S3", 2)], 1):
        FrameworkStage.objects.create(
            framework=framework, order=order, code=code, name=f"Stage {order}", steps=steps
        )
    frameworks.renumber(framework)
    return framework


def test_the_kit_adds_the_six_key_stage_2_standards_in_one_click(client, home):
    senco_client(client, home)
    response = client.post(reverse("assessment:frameworks"), {"kit": "Pre-key stage 2 standards"})
    framework = Framework.objects.get(school=home.school, name="Pre-key stage 2 standards")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    stages = list(framework.stages.order_by("order").values_list("code", "steps", "offset"))
    # Six standards of one step each: PK1 starts the framework, PK6 has five steps before it.
    assert stages == [
        ("PK1", 1, 0),
        ("PK2", 1, 1),
        ("PK3", 1, 2),
        ("PK4", 1, 3),
        ("PK5", 1, 4),
        ("PK6", 1, 5),
    ]
    assert framework.kind == Kind.STANDARDS and framework.expected_per_year == 1
    page = client.get(response["Location"]).content.decode()
    assert "Added Pre-key stage 2 standards: 6 standards, one expected a year." in page
    # Once added, it is not offered again, and a second click adds nothing.
    listing = client.get(reverse("assessment:frameworks")).content.decode()
    assert 'value="Pre-key stage 2 standards"' not in listing
    assert 'value="Pre-key stage 1 standards"' in listing
    client.post(reverse("assessment:frameworks"), {"kit": "Pre-key stage 2 standards"})
    assert Framework.objects.filter(school=home.school).count() == 1
    assert FrameworkStage.objects.filter(framework__school=home.school).count() == 6


def test_the_senco_adds_small_steps_then_its_stages(client, home):
    senco_client(client, home)
    response = client.post(
        reverse("assessment:framework_add", kwargs={"kind": "steps"}),
        {"name": "Maths small steps", "expected_per_year": "4", "below_main": "on"},
    )
    framework = Framework.objects.get(school=home.school, name="Maths small steps")
    assert response.status_code == 302 and framework.expected_per_year == 4
    edit = reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    response = client.post(
        edit,
        stage_rows(
            [
                {"code": "S1", "name": "Counting to 5", "steps": "3", "ORDER": "1"},
                {"code": "S2", "name": "Counting to 10", "steps": "4", "ORDER": "2"},
            ]
        ),
    )
    assert response.status_code == 302
    # S2 comes after S1's three steps.
    assert list(framework.stages.values_list("code", "steps", "offset")) == [("S1", 3, 0), ("S2", 4, 3)]


def test_a_reading_age_starts_with_the_default_impact_bands_and_they_can_be_changed(client, home):
    senco_client(client, home)
    response = client.post(
        reverse("assessment:framework_add", kwargs={"kind": "age"}),
        {
            "name": "Reading age",
            "test_name": "NGRT",
            "expected_per_year": "12",
            "below_main": "on",
            "lowest_age": "4y 0m",
            "highest_age": "15y 6m",
            "bands": "0 modest impact\n1.4 useful impact\n2 substantial impact\n3 remarkable impact",
        },
    )
    framework = Framework.objects.get(school=home.school, name="Reading age")
    assert response.status_code == 302
    # 4 years is 48 months; 15 years 6 months is 186.
    assert (framework.value_min, framework.value_max) == (48, 186)
    assert framework.impact_bands == [
        [0, "modest impact"],
        [1.4, "useful impact"],
        [2, "substantial impact"],
        [3, "remarkable impact"],
    ]
    edit = reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    refused = client.post(
        edit,
        {
            "part": "details",
            "name": "Reading age",
            "test_name": "NGRT",
            "expected_per_year": "12",
            "lowest_age": "4y",
            "highest_age": "15y 6m",
            "bands": "0 modest\n2 useful\n1.5 substantial",
        },
    )
    assert refused.status_code == 400
    assert (
        "Line 3: the bands go lowest first, each starting above the one before." in refused.content.decode()
    )
    client.post(
        edit,
        {
            "part": "details",
            "name": "Reading age",
            "test_name": "NGRT",
            "expected_per_year": "12",
            "lowest_age": "4y",
            "highest_age": "15y 6m",
            "bands": "0 little impact\n1.5 useful impact",
        },
    )
    framework.refresh_from_db()
    assert framework.impact_bands == [[0, "little impact"], [1.5, "useful impact"]]
    # A ratio gain of 1.4 now reads as little impact, 1.5 as useful.
    assert frameworks.impact_of(framework, Decimal("1.4")) == "little impact"
    assert frameworks.impact_of(framework, Decimal("1.5")) == "useful impact"


def test_scores_and_the_engagement_model_are_added_with_their_own_fields(client, home):
    senco_client(client, home)
    add_score = reverse("assessment:framework_add", kwargs={"kind": "score"})
    assert 'name="test_name"' in client.get(add_score).content.decode()
    client.post(
        add_score,
        {
            "name": "Maths test",
            "test_name": "PUMA",
            "value_min": "69",
            "value_max": "141",
            "expected_per_year": "3",
        },
    )
    score = Framework.objects.get(school=home.school, name="Maths test")
    assert (score.kind, score.test_name, score.value_min, score.value_max) == (Kind.SCORE, "PUMA", 69, 141)
    add_engagement = reverse("assessment:framework_add", kwargs={"kind": "engagement"})
    assert 'name="expected_per_year"' not in client.get(add_engagement).content.decode()
    client.post(add_engagement, {"name": "Engagement Model"})
    assert Framework.objects.get(school=home.school, name="Engagement Model").kind == Kind.ENGAGEMENT
    # Two frameworks cannot share a name.
    again = client.post(add_engagement, {"name": "engagement model"})
    assert again.status_code == 400
    assert "The school already has a framework called “engagement model”." in again.content.decode()


@pytest.fixture
def recorded(home):
    """Small steps with two values of one pupil in Maths: S2.2 (place 3 + 2 = 5) in the autumn
    and S3.1 (place 7 + 1 = 8) in the summer: 3 steps gained."""
    school = home.school
    framework = small_steps(school)
    s1, s2, s3 = framework.stages.order_by("order")
    maths = Subject.objects.create(school=school, name="Maths")
    autumn = AssessmentPoint.objects.create(
        school=school, academic_year=2025, order=1, name="Autumn", starts_on=datetime.date(2025, 9, 1)
    )
    summer = AssessmentPoint.objects.create(
        school=school, academic_year=2025, order=2, name="Summer", starts_on=datetime.date(2026, 4, 20)
    )
    pupil = home.class_pupil
    first = assessment_create(
        pupil=pupil, point=autumn, subject=maths, framework=framework, stage=s2, step=2, place=5
    )
    second = assessment_create(
        pupil=pupil, point=summer, subject=maths, framework=framework, stage=s3, step=1, place=8
    )
    frameworks.progress_refresh(school.pk, [(pupil.pk, maths.pk)])
    second.refresh_from_db()
    assert second.gained == 3
    return framework, (s1, s2, s3), first, second


def test_editing_stages_after_data_exists_keeps_values_readable_and_renumbers_places(client, home, recorded):
    framework, (s1, s2, s3), first, second = recorded
    senco_client(client, home)
    # A new first stage S0 of 2 steps, S2 renamed and given 6 steps: offsets S0 0, S1 2, S2 5,
    # S3 11. S2.2 is now at place 5 + 2 = 7 and S3.1 at 11 + 1 = 12: from S2.2 to S3.1 the
    # pupil passed S2.3 to S2.6 (4 steps) and S3.1 (1): 5 steps gained.
    response = client.post(
        reverse("assessment:framework_edit", kwargs={"pk": framework.pk}),
        stage_rows(
            [
                {"id": s1.pk, "code": "S1", "name": "Stage 1", "steps": "3", "ORDER": "2"},
                {"id": s2.pk, "code": "S2", "name": "Counting to 20", "steps": "6", "ORDER": "3"},
                {"id": s3.pk, "code": "S3", "name": "Stage 3", "steps": "2", "ORDER": "4"},
                {"code": "S0", "name": "First responses", "steps": "2", "ORDER": "1"},
            ]
        ),
    )
    assert response.status_code == 302
    assert list(framework.stages.order_by("order").values_list("code", "offset")) == [
        ("S0", 0),
        ("S1", 2),
        ("S2", 5),
        ("S3", 11),
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.place, second.place, second.gained) == (7, 12, 5)
    # Still read as typed.
    stages = list(framework.stages.all())
    assert frameworks.show(framework, first.stage, first.step, None) == "S2.2"
    assert frameworks.show(framework, second.stage, second.step, None) == "S3.1"
    assert frameworks.parse(framework, stages, "S2.6").place == 11


def test_an_edit_that_would_leave_values_unreadable_is_refused_and_changes_nothing(client, home, recorded):
    framework, (s1, s2, s3), first, second = recorded
    senco_client(client, home)
    edit = reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    removing = client.post(
        edit,
        stage_rows(
            [
                {"id": s1.pk, "code": "S1", "name": "Stage 1", "steps": "3", "ORDER": "1"},
                {"id": s2.pk, "code": "S2", "name": "Stage 2", "steps": "4", "ORDER": "2", "DELETE": True},
                {"id": s3.pk, "code": "S3", "name": "Stage 3", "steps": "2", "ORDER": "3"},
            ]
        ),
    )
    assert removing.status_code == 400
    assert (
        "“S2 Stage 2” has 1 value recorded, so it cannot be removed: rename it instead, or keep it."
        in removing.content.decode()
    )
    fewer = client.post(
        edit,
        stage_rows(
            [
                {"id": s1.pk, "code": "S1", "name": "Stage 1", "steps": "3", "ORDER": "1"},
                {"id": s2.pk, "code": "S2", "name": "Stage 2", "steps": "1", "ORDER": "2"},
                {"id": s3.pk, "code": "S3", "name": "Stage 3", "steps": "2", "ORDER": "3"},
            ]
        ),
    )
    assert fewer.status_code == 400
    assert (
        "“S2” has a value recorded at step 2, so it needs at least 2 steps (you gave 1)."
        in fewer.content.decode()
    )
    assert list(framework.stages.order_by("order").values_list("code", "steps", "offset")) == [
        ("S1", 3, 0),
        ("S2", 4, 3),
        ("S3", 2, 7),
    ]
    assert sorted(Assessment.objects.filter(framework=framework).values_list("place", flat=True)) == [5, 8]


def test_a_range_that_would_leave_a_recorded_age_outside_is_refused(client, home):
    school = home.school
    framework = Framework.objects.create(school=school, kind=Kind.AGE, name="Reading age")
    reading = Subject.objects.create(school=school, name="Reading")
    point = AssessmentPoint.objects.create(
        school=school, academic_year=2025, order=1, name="Autumn", starts_on=datetime.date(2025, 9, 1)
    )
    assessment_create(pupil=home.class_pupil, point=point, subject=reading, framework=framework, score=90)
    senco_client(client, home)
    response = client.post(
        reverse("assessment:framework_edit", kwargs={"pk": framework.pk}),
        {
            "part": "details",
            "name": "Reading age",
            "expected_per_year": "12",
            "lowest_age": "8y",
            "highest_age": "17y",
            "bands": "0 modest impact",
        },
    )
    # 7y 6m (90 months) lies below 8y 0m.
    assert response.status_code == 400
    assert (
        "1 recorded value lies outside 8y 0m to 17y 0m (the values recorded run from 7y 6m to 7y 6m): "
        "widen the range to keep them readable." in response.content.decode()
    )
    framework.refresh_from_db()
    assert framework.value_min is None


def test_a_framework_with_pupils_on_it_today_is_not_retired(client, home):
    school = home.school
    framework = small_steps(school)
    maths = Subject.objects.create(school=school, name="Maths")
    from assessment.models import FrameworkPlacement

    FrameworkPlacement.objects.create(
        pupil=home.class_pupil, subject=maths, framework=framework, starts_on=datetime.date(2025, 9, 1)
    )
    senco_client(client, home)
    edit = reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    response = client.post(edit, {"part": "retire"}, follow=True)
    assert (
        "1 pupil is assessed on Small steps today: place them on another framework before retiring it."
        in (response.content.decode())
    )
    assert not Framework.objects.get(pk=framework.pk).retired
    FrameworkPlacement.objects.create(
        pupil=home.class_pupil, subject=maths, framework=None, starts_on=datetime.date(2025, 10, 1)
    )
    assert client.post(edit, {"part": "retire"}).status_code == 302
    assert Framework.objects.get(pk=framework.pk).retired


def test_a_teacher_reads_the_editor_and_cannot_save_and_a_governor_never_sees_it(client, home):
    framework = small_steps(home.school)
    edit = reverse("assessment:framework_edit", kwargs={"pk": framework.pk})
    client.force_login(home.members[Role.TEACHER].user)
    page = client.get(edit)
    assert page.status_code == 200
    assert "You can read this framework; only the SENCO and the head change it." in page.content.decode()
    assert client.post(edit, stage_rows([])).status_code == 403
    assert (
        client.post(reverse("assessment:frameworks"), {"kit": "Pre-key stage 1 standards"}).status_code == 403
    )
    assert not Framework.objects.filter(name="Pre-key stage 1 standards").exists()
    client.force_login(home.members[Role.GOVERNOR].user)
    assert client.get(reverse("assessment:frameworks")).status_code == 403
    assert client.get(edit).status_code == 403
    client.force_login(home.members[Role.HEAD].user)
    assert (
        client.post(reverse("assessment:frameworks"), {"kit": "Pre-key stage 1 standards"}).status_code == 302
    )


def test_the_list_costs_the_same_queries_with_more_frameworks(client, home, django_assert_max_num_queries):
    senco_client(client, home)
    url = reverse("assessment:frameworks")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in frameworks.PRE_KEY_STAGE:
        frameworks.kit_add(home.school, name)
    small_steps(home.school)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_changing_the_expected_rate_judges_recorded_progress_again(client, home, recorded):
    framework, _stages, _first, second = recorded
    # Autumn (as at 19 Apr 2026, the day before Summer starts) to Summer (31 Aug 2026): 4 months.
    # At 4 steps a year, 4 x 4 / 12 = 1.33, rounded down to 1 expected: 3 gained meets it.
    assert (second.months, second.expected_met) == (4, True)
    senco_client(client, home)
    response = client.post(
        reverse("assessment:framework_edit", kwargs={"pk": framework.pk}),
        {"part": "details", "name": "Small steps", "expected_per_year": "12", "below_main": "on"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    # At 12 a year, 12 x 4 / 12 = 4 expected: 3 gained falls short.
    assert second.expected_met is False
