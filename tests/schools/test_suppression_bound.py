"""A school's suppression threshold is never below 3 unless an administrator gives a reason,
which is kept with a warning in the school's history. Found: a superuser could set it to 0 on
the admin site (no suppression at all for governors). The bound is in the model (clean, for the
admin and every form) and in the database (a check constraint, for every other path)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from schools.models import MIN_SUPPRESSION_THRESHOLD, School
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_minimum_is_three():
    assert MIN_SUPPRESSION_THRESHOLD == 3


@pytest.mark.parametrize("threshold", [0, 1, 2])
def test_a_threshold_below_three_without_a_reason_is_refused_by_the_model(threshold):
    school = SchoolFactory()
    school.suppression_threshold = threshold
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert "suppression_threshold" in refused.value.message_dict


@pytest.mark.parametrize("threshold", [0, 2])
def test_and_by_the_database_whatever_the_path(threshold):
    school = SchoolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.filter(pk=school.pk).update(suppression_threshold=threshold)


def test_three_and_above_need_no_reason():
    school = SchoolFactory()
    school.suppression_threshold = 3
    school.full_clean()
    school.save()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_form(school, **changes):
    data = {
        "name": school.name,
        "urn": school.urn,
        "phase": school.phase,
        "organisation": school.organisation_id or "",
        "suppression_threshold": school.suppression_threshold,
        "suppression_override_reason": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_admin_site_refuses_zero(admin_client):
    school = SchoolFactory()
    response = admin_client.post(
        reverse("admin:schools_school_change", args=[school.pk]), admin_form(school, suppression_threshold=0)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "cannot be below 3" in response.content.decode()
    school.refresh_from_db()
    assert school.suppression_threshold == 5


def test_an_override_with_a_reason_is_kept_with_a_warning_in_history(admin_client):
    school = SchoolFactory()
    reason = "Special school of 40 pupils: the local authority agreed a threshold of 2"
    response = admin_client.post(
        reverse("admin:schools_school_change", args=[school.pk]),
        admin_form(school, suppression_threshold=2, suppression_override_reason=reason),
        follow=True,
    )
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.suppression_threshold == 2
    latest = school.history.latest()
    assert latest.suppression_threshold == 2
    assert latest.suppression_override_reason == reason
    assert "Warning" in latest.history_change_reason and "below 3" in latest.history_change_reason
    assert "below 3" in response.content.decode()  # the administrator is warned on the page too
