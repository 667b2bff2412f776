"""Words a school recognises: the year groups of its own phase wherever a year group is chosen,
and a primary need asked for whenever a pupil joins the SEN register."""

import re

import pytest
from django.urls import reverse

from pupils.models import Pupil
from schools.models import School
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

PRIMARY = ["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
SECONDARY = ["Year 7", "Year 8", "Year 9", "Year 10", "Year 11", "Year 12", "Year 13"]


def year_options(html, select_id):
    """The labels of a <select>'s options, without the empty one."""
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select)]


@pytest.mark.parametrize(
    ("phase", "years"), [(School.Phase.PRIMARY, PRIMARY), (School.Phase.SECONDARY, SECONDARY)]
)
def test_forms_offer_the_phases_own_year_groups(senco_client, school, phase, years):
    school.phase = phase
    school.save()
    create = senco_client.get(reverse("pupils:create")).content.decode()
    assert year_options(create, "id_year_group") == years
    listing = senco_client.get(reverse("pupils:list")).content.decode()
    assert year_options(listing, "id_year_group") == years
    gaps = senco_client.get(reverse("gaps:dashboard")).content.decode()
    groups = re.findall(r'<option value="year:\d+"[^>]*>([^<]+)</option>', gaps)
    assert groups[: len(years)] == years and set(groups) == set(years)


def test_a_primary_school_refuses_a_secondary_year_group(senco_client, school):
    data = {
        "upn": "P207000016049",
        "legal_forename": "Ava",
        "legal_surname": "Okafor",
        "date_of_birth": "2016-05-04",
        "gender": "F",
        "year_group": "9",
        "sen_status": "N",
    }
    response = senco_client.post(reverse("pupils:create"), data)
    assert response.status_code == 200
    assert "Select a valid choice. 9 is not one of the available choices." in response.content.decode()
    assert not Pupil.objects.exists()
    response = senco_client.post(reverse("pupils:create"), {**data, "year_group": "4"})
    assert response.status_code == 302 and Pupil.objects.get().year_group == 4


def test_adding_a_pupil_on_sen_support_asks_for_the_primary_need(senco_client, school):
    data = {
        "upn": "P207000016049",
        "legal_forename": "Ava",
        "legal_surname": "Okafor",
        "date_of_birth": "2016-05-04",
        "gender": "F",
        "year_group": "4",
        "sen_status": "K",
        "sen_status_date": "2024-09-10",
    }
    response = senco_client.post(reverse("pupils:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the pupil&#x27;s primary need" in html and "choose NSA" in html
    assert not Pupil.objects.exists()
    # Not on the register: no need is asked for.
    response = senco_client.post(reverse("pupils:create"), {**data, "sen_status": "N"})
    assert response.status_code == 302
    assert Pupil.objects.get().primary_need == ""


def test_joining_the_register_from_the_pupil_page_sets_the_need(senco_client, school):
    pupil = PupilFactory(school=school)
    url = reverse("pupils:sen_status", kwargs={"pk": pupil.pk})
    page = senco_client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert 'name="primary_need"' in page  # the change form on the pupil page asks for it
    response = senco_client.post(url, {"status": "K", "effective_date": "2025-01-06", "primary_need": "SLCN"})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.primary_need) == ("K", "SLCN")


def test_a_changed_primary_need_cannot_repeat_the_secondary(senco_client, school):
    pupil = PupilFactory(school=school, primary_need="ASD", secondary_need="SEMH")
    url = reverse("pupils:sen_status", kwargs={"pk": pupil.pk})
    response = senco_client.post(url, {"status": "K", "effective_date": "2025-01-06", "primary_need": "SEMH"})
    assert response.status_code == 400 and "must differ from the secondary need" in response.content.decode()
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.primary_need) == ("N", "ASD")
