"""A school without an assessment scheme: opening any scheme page or the grid stores nothing; the
SENCO sets the defaults up with a POST, and everyone else is told the SENCO will."""

import pytest
from django.urls import reverse

from assessment.models import AssessmentPoint, AssessmentScheme, AttainmentBand, ProgressBand, Subject
from core.roles import Role

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("assessment:grid"),
    reverse("assessment:scheme"),
    reverse("assessment:scheme_subjects"),
    reverse("assessment:scheme_bands", kwargs={"kind": "progress"}),
]


def test_a_get_shows_the_set_up_button_and_stores_nothing(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    for url in [*PAGES, reverse("assessment:pupil_targets", kwargs={"pk": home.class_pupil.pk})]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Set up the default scheme" in page.content.decode(), url
    assert not AssessmentScheme.objects.exists()
    assert not Subject.objects.exists()
    assert not AssessmentPoint.objects.exists()


def test_the_head_is_told_the_senco_sets_it_up(client, world):
    client.force_login(world["A"].members[Role.HEAD].user)
    for url in PAGES:
        page = client.get(url).content.decode()
        assert "Your SENCO sets up" in page and "Set up the default scheme" not in page, url
    assert client.post(reverse("assessment:scheme"), {"set_up": "1"}).status_code == 403
    assert not AssessmentScheme.objects.exists()


def test_the_sencos_post_sets_up_the_defaults(client, world):
    school = world["A"].school  # a primary school
    client.force_login(world["A"].members[Role.SENCO].user)
    response = client.post(reverse("assessment:scheme"), {"set_up": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("assessment:scheme")
    assert AssessmentScheme.objects.filter(school=school).count() == 1
    assert list(Subject.objects.filter(school=school).order_by("order").values_list("name", flat=True)) == [
        "Reading",
        "Writing",
        "Maths",
        "GPS",
    ]
    assert AttainmentBand.objects.filter(school=school).count() == 3
    assert ProgressBand.objects.filter(school=school).count() == 3
    assert AssessmentPoint.objects.filter(school=school).count() == 3  # three terms this year
    assert not AssessmentScheme.objects.filter(school=world["B"].school).exists()
    # A second press changes nothing.
    client.post(reverse("assessment:scheme"), {"set_up": "1"})
    assert Subject.objects.filter(school=school).count() == 4
    assert "No assessment scheme yet" not in client.get(reverse("assessment:grid")).content.decode()
