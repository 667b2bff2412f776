"""A subject access request: one download holds the pupil's record and every related table."""

import datetime
import json

import pytest
from django.urls import reverse

from attendance.models import Attendance
from core.calendar import Term
from pupils.access_log import pupil_access_log
from tests.factories import InterventionPlaceFactory, PupilFactory, SenStatusChangeFactory

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_record_history_and_related_data(senco_client, senco):
    pupil = PupilFactory(school=senco.school, legal_surname="Okafor", legal_forename="Ada")
    neighbour = PupilFactory(school=senco.school, legal_surname="Nguyen")
    SenStatusChangeFactory(pupil=pupil, status="K", effective_date=datetime.date(2025, 9, 1))
    Attendance.objects.create(
        pupil=pupil, academic_year=2025, term=Term.AUTUMN, possible_sessions=140, attended_sessions=131
    )
    Attendance.objects.create(
        pupil=neighbour, academic_year=2025, term=Term.AUTUMN, possible_sessions=140, attended_sessions=77
    )
    InterventionPlaceFactory(pupil=pupil, run__intervention__school=senco.school)

    response = senco_client.get(reverse("pupils:data_export", kwargs={"pk": pupil.pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["pupil"]["legal_surname"] == "Okafor"
    assert [row["attended_sessions"] for row in data["related"]["attendance.Attendance"]] == [131]
    assert [row["status"] for row in data["related"]["pupils.SenStatusChange"]] == ["K"]
    assert len(data["related"]["interventions.InterventionPlace"]) == 1
    assert data["change_history"], "the pupil's own history rows are included"
    assert "Nguyen" not in response.content.decode()
    # In the access log as a subject access download, not as an ordinary view.
    assert list(pupil_access_log(pupil).values_list("user", "how")) == [(senco.user.pk, "sar")]


def test_the_pupil_page_links_to_the_download_for_the_senco_only(client, senco, head):
    pupil = PupilFactory(school=senco.school)
    url = reverse("pupils:data_export", kwargs={"pk": pupil.pk})
    page = reverse("pupils:detail", kwargs={"pk": pupil.pk})
    client.force_login(senco.user)
    assert url in client.get(page).content.decode()
    client.force_login(head.user)
    assert url not in client.get(page).content.decode()
