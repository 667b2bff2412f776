"""Case sampling (issue 14, item 5): what the sample should include and the warnings when it does
not, the scoped search, the letters of the anonymised journeys, and bad input."""

import pytest
from django.urls import reverse

from core.roles import Role
from pupils.models import SenStatus
from reports.models import SampledPupil
from reports.sampling import make_up, sample_of
from reports.selectors import current_academic_year
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    school = SchoolFactory(name="Elm Tree Primary")
    school.members = {role: MembershipFactory(school=school, role=role) for role in Role}
    return school


def add(client, pupil, **data):
    return client.post(reverse("reports:sample_add", args=[pupil.pk]), data)


def test_the_sample_warns_until_it_has_about_six_pupils_of_every_group(client, school):
    client.force_login(school.members[Role.SENCO].user)
    support = PupilFactory.create_batch(4, school=school, sen_status=SenStatus.SEN_SUPPORT)
    for pupil in support[:2]:
        assert add(client, pupil).status_code == 302
    checks = make_up(sample_of(school, current_academic_year()))
    # Two pupils on SEN support, no flags: size short by four; no EHC plan, no disadvantaged
    # pupil, no pupil known to social care.
    assert checks.warnings == [
        "The sample has 2 pupils: inspectors trace about 6, so choose 4 more.",
        "The sample has no pupil with an EHC plan.",
        "The sample has no disadvantaged pupil (pupil premium or free school meals).",
        "The sample has no pupil known to children's social care.",
    ]
    page = client.get(reverse("reports:sample")).content.decode()
    assert "The sample has no pupil with an EHC plan." in page
    add(client, PupilFactory(school=school, sen_status=SenStatus.EHCP, fsm=True))
    add(client, PupilFactory(school=school, lac=True))
    for pupil in support[2:]:
        add(client, pupil)
    checks = make_up(sample_of(school, current_academic_year()))
    assert checks.warnings == []
    # 4 on SEN support + 1 with an EHC plan (also FSM) + 1 looked after = 6.
    assert [(c.key, c.count) for c in checks.checks] == [
        ("ehcp", 1),
        ("sen_support", 4),
        ("disadvantaged", 1),
        ("social_care", 1),
    ]
    assert "includes every group it should" in client.get(reverse("reports:sample")).content.decode()


def test_samples_are_kept_per_year(client, school):
    client.force_login(school.members[Role.HEAD].user)
    pupil = PupilFactory(school=school)
    year = current_academic_year()
    add(client, pupil, year=year - 1)
    assert sample_of(school, year) is None
    assert list(sample_of(school, year - 1).entries.values_list("pupil", flat=True)) == [pupil.pk]


def test_letters_stay_with_their_pupils(client, school):
    client.force_login(school.members[Role.SENCO].user)
    a, b, c = PupilFactory.create_batch(3, school=school)
    for pupil in (a, b, c):
        add(client, pupil)
    client.post(reverse("reports:sample_remove", args=[a.pk]))
    d = PupilFactory(school=school)
    add(client, d)
    positions = dict(SampledPupil.objects.values_list("pupil", "position"))
    assert positions == {b.pk: 2, c.pk: 3, d.pk: 4}


def test_adding_twice_or_removing_a_pupil_not_sampled_is_a_message(client, school):
    client.force_login(school.members[Role.SENCO].user)
    pupil = PupilFactory(school=school, legal_forename="Rosa", legal_surname="Pike")
    add(client, pupil)
    response = add(client, pupil, year="not a year")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Rosa Pike is already in the sample." in page
    response = client.post(reverse("reports:sample_remove", args=[PupilFactory(school=school).pk]))
    assert "is not in the sample." in client.get(response["Location"]).content.decode()
    assert SampledPupil.objects.count() == 1


def test_a_sample_holds_at_most_twelve(client, school):
    client.force_login(school.members[Role.SENCO].user)
    for pupil in PupilFactory.create_batch(13, school=school):
        add(client, pupil)
    assert SampledPupil.objects.count() == 12


def test_the_search_finds_only_pupils_of_the_school_not_yet_sampled(client, school):
    client.force_login(school.members[Role.SENCO].user)
    ours = PupilFactory(school=school, legal_forename="Nadia", legal_surname="Quinton", year_group=3)
    PupilFactory(school=school, legal_forename="Nadia", legal_surname="Rowe", year_group=5)
    PupilFactory(legal_forename="Nadia", legal_surname="Elsewhere")  # another school
    page = client.get(reverse("reports:sample"), {"q": "nadia"}).content.decode()
    assert "Nadia Quinton" in page and "Nadia Rowe" in page and "Elsewhere" not in page
    page = client.get(reverse("reports:sample"), {"q": "nadia", "year_group": "3"}).content.decode()
    assert "Nadia Quinton" in page and "Nadia Rowe" not in page
    page = client.get(reverse("reports:sample"), {"q": ours.upn}).content.decode()
    assert "Nadia Quinton" in page and "Nadia Rowe" not in page
    add(client, ours)
    page = client.get(reverse("reports:sample"), {"q": "quinton"}).content.decode()
    assert "No pupil found who is not already in the sample." in page


def test_bad_search_input_is_reported_on_the_form(client, school):
    client.force_login(school.members[Role.SENCO].user)
    response = client.get(reverse("reports:sample"), {"year_group": "99", "status": "Z", "q": "x" * 101})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check the search" in page and "Select a valid choice" in page


def test_the_head_may_choose_and_a_governor_or_teacher_may_not(client, school):
    pupil = PupilFactory(school=school)
    for role, expected in [
        (Role.HEAD, 302),
        (Role.SENCO, 302),
        (Role.TEACHER, 403),
        (Role.TEACHING_ASSISTANT, 403),
        (Role.GOVERNOR, 403),
        (Role.TRUST_LEAD, 403),
    ]:
        client.force_login(school.members[role].user)
        assert add(client, pupil).status_code == expected, role
        assert client.get(reverse("reports:sample")).status_code == (200 if expected == 302 else 403)


@pytest.mark.parametrize(
    "flags", [{"social_care": "CIN"}, {"social_care": "PREV"}, {"post_looked_after": "A"}, {"lac": True}]
)
def test_pupils_known_to_social_care_now_or_before_count_for_the_sample(client, school, flags):
    client.force_login(school.members[Role.SENCO].user)
    assert add(client, PupilFactory(school=school, **flags)).status_code == 302
    checks = make_up(sample_of(school, current_academic_year()))
    assert ("social_care", 1) in [(c.key, c.count) for c in checks.checks]
