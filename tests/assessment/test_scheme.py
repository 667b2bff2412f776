"""The scheme editor: points, subjects, bands (with presets) and the measure; SENCO edits, head reads."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import Assessment, AssessmentPoint, AttainmentBand, ProgressBand, Subject
from assessment.selectors import current_point, points_of
from assessment.services import scheme_set_up_defaults
from core.roles import Role
from tests.factories import assessment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(world):
    home = world["A"]
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    return home


def formset_data(rows, extra=None):
    """POST data of a formset with prefix "rows": rows are dicts of field values with "id"."""
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is False:
                continue
            data[f"rows-{i}-{key}"] = "on" if value is True else value
    return data


def test_senco_renames_reorders_and_adds_points(client, home):
    autumn, spring, summer = AssessmentPoint.objects.filter(school=home.school, academic_year=2025)
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_points", kwargs={"year": 2025})
    assert client.get(url).status_code == 200
    data = formset_data(
        [
            {"id": autumn.pk, "name": "Autumn 1", "starts_on": "2025-09-01", "ORDER": "1"},
            {"id": spring.pk, "name": "Spring 1", "starts_on": "2026-01-05", "ORDER": "3"},
            {"id": summer.pk, "name": "Summer 1", "starts_on": "2026-04-20", "ORDER": "4"},
            {"name": "Autumn 2", "starts_on": "2025-11-03", "ORDER": "2"},
        ]
    )
    response = client.post(url, data)
    assert response.status_code == 302
    names = list(
        AssessmentPoint.objects.filter(school=home.school, academic_year=2025)
        .order_by("order")
        .values_list("name", flat=True)
    )
    assert names == ["Autumn 1", "Autumn 2", "Spring 1", "Summer 1"]


def test_point_with_data_cannot_be_removed_and_nothing_is_lost(client, home):
    autumn, spring, summer = AssessmentPoint.objects.filter(school=home.school, academic_year=2025)
    subject = Subject.objects.filter(school=home.school).first()
    assessment_create(pupil=home.class_pupil, point=autumn, subject=subject, points=10)
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_points", kwargs={"year": 2025})
    data = formset_data(
        [
            {"id": autumn.pk, "name": "Autumn", "starts_on": "2025-09-01", "ORDER": "1", "DELETE": True},
            {"id": spring.pk, "name": "Spring renamed", "starts_on": "2026-01-03", "ORDER": "2"},
            {"id": summer.pk, "name": "Summer", "starts_on": "2026-04-15", "ORDER": "3"},
        ]
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Autumn” has assessments recorded, so it cannot be removed." in page
    assert 'value="Spring renamed"' in page  # what was typed is shown again
    assert AssessmentPoint.objects.filter(school=home.school, academic_year=2025).count() == 3
    assert not AssessmentPoint.objects.filter(name="Spring renamed").exists()


def test_six_half_terms_preset_for_a_new_year(client, home):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_points", kwargs={"year": 2026})
    assert client.post(url, {"preset": "half-terms"}).status_code == 302
    points = AssessmentPoint.objects.filter(school=home.school, academic_year=2026).order_by("order")
    assert [p.name for p in points] == [
        "Autumn 1",
        "Autumn 2",
        "Spring 1",
        "Spring 2",
        "Summer 1",
        "Summer 2",
    ]
    assert points[1].starts_on == datetime.date(2026, 11, 1)


def test_subject_with_data_is_retired_not_deleted(client, home):
    reading = Subject.objects.get(school=home.school, name="Reading")
    point = AssessmentPoint.objects.filter(school=home.school).first()
    assessment_create(pupil=home.class_pupil, point=point, subject=reading, points=10)
    subjects = list(Subject.objects.filter(school=home.school))
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_subjects")
    rows = [{"id": s.pk, "name": s.name, "is_core": True, "ORDER": str(i)} for i, s in enumerate(subjects, 1)]
    rows[0]["DELETE"] = True
    response = client.post(url, formset_data(rows))
    assert response.status_code == 400
    assert "tick “Retired” instead" in response.content.decode()
    # Retire it, rename Maths to Mathematics and add Science.
    rows[0].pop("DELETE")
    rows[0]["retired"] = True
    rows[2]["name"] = "Mathematics"
    rows.append({"name": "Science", "is_core": False, "ORDER": "5"})
    assert client.post(url, formset_data(rows)).status_code == 302
    assert list(Subject.objects.filter(school=home.school, retired=False).values_list("name", flat=True)) == [
        "Writing",
        "Mathematics",
        "GPS",
        "Science",
    ]
    assert Subject.objects.get(pk=reading.pk).retired
    assert Assessment.objects.filter(subject=reading).count() == 1


def test_duplicate_subject_names_get_a_clear_message(client, home):
    subjects = list(Subject.objects.filter(school=home.school))
    client.force_login(home.members[Role.SENCO].user)
    rows = [{"id": s.pk, "name": s.name, "ORDER": str(i)} for i, s in enumerate(subjects, 1)]
    rows[1]["name"] = "reading"
    response = client.post(reverse("assessment:scheme_subjects"), formset_data(rows))
    assert response.status_code == 400
    assert "Two subjects are called “reading”" in response.content.decode()


def test_band_presets_and_band_in_use(client, home):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme_bands", kwargs={"kind": "attainment"})
    assert client.post(url, {"preset": "wts"}).status_code == 302
    assert list(AttainmentBand.objects.filter(school=home.school).values_list("code", flat=True)) == [
        "WTS",
        "EXS",
        "GDS",
    ]
    progress_url = reverse("assessment:scheme_bands", kwargs={"kind": "progress"})
    assert client.post(progress_url, {"preset": "ofsted"}).status_code == 302
    assert ProgressBand.objects.filter(school=home.school).count() == 4
    # Once a band is used, neither the preset nor deleting it is allowed.
    wts = AttainmentBand.objects.get(school=home.school, code="WTS")
    point = AssessmentPoint.objects.filter(school=home.school).first()
    subject = Subject.objects.filter(school=home.school).first()
    assessment_create(pupil=home.class_pupil, point=point, subject=subject, attainment=wts)
    response = client.post(url, {"preset": "are"})
    assert response.status_code == 400
    assert "cannot be replaced" in response.content.decode()
    bands = list(AttainmentBand.objects.filter(school=home.school))
    rows = [{"id": b.pk, "code": b.code, "label": b.label, "ORDER": str(i)} for i, b in enumerate(bands, 1)]
    rows[0]["DELETE"] = True
    response = client.post(url, formset_data(rows))
    assert response.status_code == 400
    assert "is used by recorded assessments or targets" in response.content.decode()
    # Reordering (a swap) is fine.
    rows[0].pop("DELETE")
    rows[0]["ORDER"], rows[1]["ORDER"] = "2", "1"
    assert client.post(url, formset_data(rows)).status_code == 302
    assert list(AttainmentBand.objects.filter(school=home.school).values_list("code", flat=True)) == [
        "EXS",
        "WTS",
        "GDS",
    ]


def test_measure_and_expected_progress(client, home):
    client.force_login(home.members[Role.SENCO].user)
    url = reverse("assessment:scheme")
    data = {
        "measure_name": "Scaled score",
        "measure_min": "120",
        "measure_max": "80",
        "expected_progress_per_year": "4",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The highest value must be above the lowest." in response.content.decode()
    data.update(measure_min="80", measure_max="120")
    assert client.post(url, data).status_code == 302
    scheme = home.school.assessment_scheme
    scheme.refresh_from_db()
    assert (scheme.measure_name, scheme.measure_min, scheme.measure_max) == ("Scaled score", 80, 120)


def test_head_reads_the_scheme_but_cannot_change_it(client, home):
    client.force_login(home.members[Role.HEAD].user)
    assert client.get(reverse("assessment:scheme")).status_code == 200
    page = client.get(reverse("assessment:scheme_subjects")).content.decode()
    assert "only the SENCO changes it" in page and "disabled" in page
    assert client.post(reverse("assessment:scheme"), {"measure_name": "x"}).status_code == 403
    assert (
        client.post(
            reverse("assessment:scheme_bands", kwargs={"kind": "progress"}), {"preset": "ofsted"}
        ).status_code
        == 403
    )
    for role in (Role.TEACHER, Role.TEACHING_ASSISTANT, Role.GOVERNOR):
        client.force_login(home.members[role].user)
        assert client.get(reverse("assessment:scheme")).status_code == 403


def test_current_point_is_the_latest_started(home):
    points = points_of(home.school)  # 2025/26: Autumn 1 Sep, Spring 3 Jan, Summer 15 Apr
    assert current_point(points, datetime.date(2026, 2, 1)).name == "Spring"
    assert current_point(points, datetime.date(2025, 12, 31)).name == "Autumn"
    assert current_point(points, datetime.date(2026, 7, 1)).name == "Summer"
    # Before anything has started: the earliest point.
    assert current_point(points, datetime.date(2025, 8, 1)).name == "Autumn"


def test_grid_opens_at_the_current_point(client, home):
    client.force_login(home.members[Role.SENCO].user)
    today = datetime.date.today()
    points = points_of(home.school)
    expected = current_point(points, today)
    page = client.get(reverse("assessment:grid") + f"?school_class={home.school_class.pk}").content.decode()
    # The grid's own line names its point (the chooser lists every point, so look there).
    assert f"{expected}; the value at" in page
    assert expected.name == "Summer"  # the default 2025/26 points; today is after 15 April 2026
