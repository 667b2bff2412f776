import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from pupils.models import AccessLogEntry, Pupil, SenStatus
from tests.factories import MembershipFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

NEW_PUPIL = {
    "upn": "A207000016049",  # wrong check letter: P is right
    "legal_forename": "Ava",
    "legal_surname": "Okafor",
    "preferred_forename": "",
    "date_of_birth": "2016-05-04",
    "gender": "F",
    "year_group": "4",
    "primary_need": "SLCN",
    "secondary_need": "",
    "pen_portrait": "Loves drawing.",
    "sen_status": "K",
    "sen_status_date": "2024-09-10",
}


def make_pupils(school, n, school_class=None):
    for i in range(n):
        PupilFactory(
            school=school,
            school_class=school_class,
            sen_status="K" if i % 5 == 0 else "N",
            primary_need="SLCN" if i % 5 == 0 else "",
        )


def test_bad_upn_gets_clear_message_and_nothing_saved(senco_client):
    response = senco_client.post(reverse("pupils:create"), NEW_PUPIL)
    assert response.status_code == 200
    assert (
        "The check letter of this UPN is wrong: for these digits it should be P" in response.content.decode()
    )
    assert not Pupil.objects.exists()
    # Every other value the user typed is still in the form.
    assert 'value="Okafor"' in response.content.decode()


def test_senco_adds_a_pupil_with_placement_date(senco_client):
    response = senco_client.post(reverse("pupils:create"), {**NEW_PUPIL, "upn": "P207000016049"})
    pupil = Pupil.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "pupils:detail", kwargs={"pk": pupil.pk}
    )
    assert (pupil.sen_status, pupil.sen_placed_on) == (
        SenStatus.SEN_SUPPORT,
        datetime.date(2024, 9, 10),
    )


def test_duplicate_upn_in_school_is_refused(senco_client, senco):
    PupilFactory(school=senco.school, upn="P207000016049")
    response = senco_client.post(reverse("pupils:create"), {**NEW_PUPIL, "upn": "P207000016049"})
    assert "already has this UPN" in response.content.decode()
    assert Pupil.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date_of_birth": "31/02/2016"}, "Enter a valid date"),
        ({"date_of_birth": "2090-01-01"}, "must be in the past"),
        ({"secondary_need": "SLCN"}, "must differ from the primary"),
        ({"year_group": "15"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(senco_client, change, message):
    response = senco_client.post(reverse("pupils:create"), {**NEW_PUPIL, "upn": "P207000016049", **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Pupil.objects.exists()


def test_edit_shows_change_in_history_on_pupil_page(senco_client, senco):
    pupil = PupilFactory(school=senco.school, legal_surname="Brown")
    form = senco_client.get(reverse("pupils:edit", kwargs={"pk": pupil.pk})).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "agencies"}
    data.update(legal_surname="Browne", date_of_birth="2016-03-01")
    response = senco_client.post(reverse("pupils:edit", kwargs={"pk": pupil.pk}), data)
    assert response.status_code == 302
    page = senco_client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert "Legal surname" in page and "Brown" in page and "Browne" in page
    assert senco.user.username in page


def test_sen_status_change_through_the_page(senco_client, senco):
    pupil = PupilFactory(school=senco.school)
    url = reverse("pupils:sen_status", kwargs={"pk": pupil.pk})
    # Joining the register without a primary need is refused, with the reason, and nothing saved.
    response = senco_client.post(url, {"status": "E", "effective_date": "2025-03-03", "note": "Plan issued"})
    assert response.status_code == 400
    assert "Choose the pupil&#x27;s primary need" in response.content.decode()
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.primary_need, pupil.sen_history.count()) == ("N", "", 0)
    response = senco_client.post(
        url, {"status": "E", "effective_date": "2025-03-03", "primary_need": "ASD", "note": "Plan issued"}
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.primary_need) == ("E", "ASD")
    # Moving within the register keeps the need already recorded: none has to be given again.
    response = senco_client.post(url, {"status": "K", "effective_date": "2025-07-18"})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.primary_need) == ("K", "ASD")
    response = senco_client.post(url, {"status": "K", "effective_date": "not a date"})
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()


def test_archive_through_the_page_hides_from_list_but_keeps_record(senco_client, senco):
    pupil = PupilFactory(school=senco.school, legal_surname="Leaver")
    response = senco_client.post(
        reverse("pupils:archive", kwargs={"pk": pupil.pk}),
        {"archive_reason": "Moved to another school"},
    )
    assert response.status_code == 302
    assert "was archived" in senco_client.get(response["Location"]).content.decode()
    assert "Leaver" not in senco_client.get(reverse("pupils:list")).content.decode()
    assert "Leaver" in senco_client.get(reverse("pupils:list") + "?archived=1").content.decode()
    assert senco_client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).status_code == 200


def test_opening_a_record_is_logged(client, world):
    head = world["A"].members[Role.HEAD]
    client.force_login(head.user)
    pupil = world["A"].other_pupil
    client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk}))
    client.get(reverse("pupils:list"))
    # The pupil page reads one pupil, the list the school's three: one entry each.
    entries = AccessLogEntry.objects.order_by("pk").values_list("pupil_ids", "user", "role", "how")
    assert list(entries) == [
        ([pupil.pk], head.user.pk, "head", "page"),
        (sorted(p.pk for p in world["A"].pupils), head.user.pk, "head", "page"),
    ]


def test_filters_and_search(senco_client, senco):
    oak = SchoolClassFactory(school=senco.school, name="4 Oak")
    PupilFactory(
        school=senco.school,
        legal_surname="Ahmed",
        school_class=oak,
        sen_status="E",
        primary_need="ASD",
        eal=True,
    )
    PupilFactory(
        school=senco.school,
        legal_surname="Baker",
        sen_status="K",
        primary_need="SLCN",
        secondary_need="ASD",
    )
    PupilFactory(school=senco.school, legal_surname="Clark", year_group=5, lac=True)
    url = reverse("pupils:list")

    def names(query):
        return [p.legal_surname for p in senco_client.get(url, query).context["page"].object_list]

    assert names({"q": "ahm"}) == ["Ahmed"]
    assert names({"sen_status": "E"}) == ["Ahmed"]
    assert names({"need": "ASD"}) == ["Ahmed", "Baker"]  # primary or secondary
    assert names({"school_class": oak.pk}) == ["Ahmed"]
    assert names({"year_group": "5"}) == ["Clark"]
    assert names({"eal": "true"}) == ["Ahmed"]
    assert names({"lac": "true"}) == ["Clark"]
    assert names({"on_record": "true"}) == ["Ahmed", "Baker"]
    assert names({"on_record": "false"}) == ["Clark"]
    # Nonsense in a filter is ignored with the form's message, never a server error.
    assert senco_client.get(url, {"year_group": "banana", "school_class": "x"}).status_code == 200


def test_htmx_request_gets_only_the_results_partial(senco_client, senco):
    PupilFactory(school=senco.school, legal_surname="Ahmed")
    response = senco_client.get(reverse("pupils:list"), {"q": "ahm"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "Ahmed" in body and "<html" not in body
    # The count goes out of band into the page's one live region; the table is not live.
    assert '<span id="results-count" hx-swap-oob="innerHTML">1 pupil</span>' in body
    assert "aria-live" not in body


@pytest.mark.parametrize("role", [Role.SENCO, Role.TEACHER])
def test_pupil_list_query_count_does_not_grow_with_pupils(client, django_assert_max_num_queries, role):
    small = MembershipFactory(role=role)
    large = MembershipFactory(role=role)
    for membership, n in ((small, 20), (large, 400)):
        school_class = SchoolClassFactory(school=membership.school)
        school_class.teachers.add(membership.user)
        make_pupils(membership.school, n, school_class)
    counts = []
    for membership in (small, large):
        client.force_login(membership.user)
        # 12 for the page, and 8 for its access-log entry whatever the number of pupils listed:
        # the savepoint, the school's chain head made (its first entry) and locked and read in one
        # UPDATE ... RETURNING, the entry, its pupil rows in one INSERT, the head's new hash, the
        # savepoint released.
        with django_assert_max_num_queries(12 + 8) as captured:
            response = client.get(reverse("pupils:list"), {"on_record": "true"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_register_query_count_does_not_grow_with_pupils(client, django_assert_max_num_queries):
    small = MembershipFactory(role=Role.GOVERNOR)
    large = MembershipFactory(role=Role.GOVERNOR)
    make_pupils(small.school, 20)
    make_pupils(large.school, 400)
    counts = []
    for membership in (small, large):
        client.force_login(membership.user)
        with django_assert_max_num_queries(10) as captured:
            assert client.get(reverse("sen_register")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_groups_the_inclusion_area_names_are_recorded_on_the_form(senco_client):
    fields = {"social_care": "CPP", "post_looked_after": "S", "young_carer": "P"}
    response = senco_client.post(reverse("pupils:create"), {**NEW_PUPIL, "upn": "P207000016049", **fields})
    assert response.status_code == 302
    pupil = Pupil.objects.get()
    assert (pupil.social_care, pupil.post_looked_after, pupil.young_carer) == ("CPP", "S", "P")
    page = senco_client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert (
        "Child protection plan now" in page
        and "Previously looked after (S)" in page
        and "Young carer (P)" in page
    )


def test_an_unknown_social_care_code_is_refused_with_a_message(senco_client):
    response = senco_client.post(
        reverse("pupils:create"),
        {**NEW_PUPIL, "upn": "P207000016049", "social_care": "XX", "young_carer": "N"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Pupil.objects.exists()


def test_a_concern_is_recorded_and_listed_and_a_bad_date_gets_a_message(senco_client, senco):
    pupil = PupilFactory(school=senco.school, legal_surname="Brown")
    url = reverse("pupils:concern", kwargs={"pk": pupil.pk})
    response = senco_client.post(
        url, {"raised_on": "2025-10-03", "raised_by": "parent", "summary": "Worried about reading at home."}
    )
    assert response.status_code == 302
    page = senco_client.get(url).content.decode()
    assert "03/10/2025" in page and "Parent or carer" in page and "Worried about reading at home." in page
    response = senco_client.post(url, {"raised_on": "2090-01-01", "raised_by": "teacher", "summary": "Later"})
    assert response.status_code == 400
    assert "cannot be raised in the future" in response.content.decode()
    assert 'value="2090-01-01"' in response.content.decode()  # what was typed is kept
    assert pupil.concerns.count() == 1
