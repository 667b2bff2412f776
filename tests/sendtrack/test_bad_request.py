"""handler400: a request Django refuses to read gets a page saying what happened and what to do
(or the same words as JSON for the grid's script), never Django's bare "Bad Request"."""

import pytest
from django.urls import reverse

from assessment.models import AssessmentPoint
from assessment.services import scheme_set_up_defaults
from core.roles import Role

pytestmark = pytest.mark.django_db


def test_too_many_fields_gets_a_page_that_says_what_to_do(client, world, settings):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    # A form of 1,001 fields, one more than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000),
    # as the grid of a class of 42 by 6 subjects posted before it sent changed cells only.
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    scheme_set_up_defaults(school=home.school, academic_year=2025)
    point = AssessmentPoint.objects.filter(school=home.school).first()
    data = {f"n-{i}-1": "1" for i in range(1001)}
    url = reverse("assessment:grid") + f"?point={point.pk}&school_class={home.school_class.pk}"
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That could not be saved" in page
    assert "The form sent more than 1,000 boxes at once" in page
    assert "turn JavaScript on (it then sends only the boxes you changed) or open one class at a time" in page
    assert "Back to the overview" in page  # the site's own page, with its menu, not a bare response


def test_too_large_a_request_gets_the_page_or_json(client, world, settings):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    url = reverse("pupils:create")
    response = client.post(url, {"note": "x" * 500})
    assert response.status_code == 400
    assert "What was sent is larger than the site accepts in one go." in response.content.decode()
    response = client.post(url, {"note": "x" * 500}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": "What was sent is larger than the site accepts in one go. Nothing was saved. "
        "Go back and send a smaller part, or fewer files at a time.",
        "errors": [],
    }
