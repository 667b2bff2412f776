"""Attendance, exclusions, behaviour and participation: the flag, the panel, the forms, the grid."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from attendance.models import Attendance, BehaviourCount, Exclusion, Participation
from attendance.selectors import current_academic_year, current_term, pupil_attendance_summary
from core.roles import Role
from tests.factories import MembershipFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db


def record(pupil, possible, attended, year=2024, term=1, **absence):
    return Attendance.objects.create(
        pupil=pupil,
        academic_year=year,
        term=term,
        possible_sessions=possible,
        attended_sessions=attended,
        **absence,
    )


def test_persistent_absence_worked_by_hand(school):
    a, b, c, d = PupilFactory.create_batch(4, school=school)
    record(a, 180, 162)  # 162 / 180 = 90.0%: exactly the line, not persistent
    record(b, 180, 161)  # 161 / 180 = 89.44%: shown 89.4%, persistent
    record(c, 7, 6)  # 6 / 7 = 85.7%: persistent
    record(d, 10, 9)  # 9 / 10 = 90.0%: not persistent
    shown = {r.pupil_id: (r.rate, r.persistently_absent) for r in Attendance.objects.all()}
    assert shown == {
        a.pk: (Decimal("90.0"), False),
        b.pk: (Decimal("89.4"), True),
        c.pk: (Decimal("85.7"), True),
        d.pk: (Decimal("90.0"), False),
    }
    assert set(Attendance.objects.persistently_absent().values_list("pupil", flat=True)) == {b.pk, c.pk}
    assert set(Attendance.objects.not_persistently_absent().values_list("pupil", flat=True)) == {a.pk, d.pk}
    # 180 + 180 + 7 + 10 = 377 possible; 162 + 161 + 6 + 9 = 338 attended; 2 persistent.
    totals = Attendance.objects.for_school(school).totals()
    assert (totals["records"], totals["possible"], totals["attended"], totals["persistent"]) == (
        4,
        377,
        338,
        2,
    )


def test_panel_shows_terms_flag_in_words_and_edit_links_for_the_senco(client, world):
    home = world["A"]
    pupil = home.class_pupil
    record(pupil, 180, 161, authorised_absence=10, unauthorised_absence=9)
    Exclusion.objects.create(
        pupil=pupil, start_date=datetime.date(2025, 1, 14), days=Decimal("1.5"), academic_year=2024
    )
    BehaviourCount.objects.create(pupil=pupil, academic_year=2024, term=1, incidents=4)
    Participation.objects.create(
        pupil=pupil, kind="residential", activity="PGL", date=datetime.date(2025, 6, 2), academic_year=2024
    )
    client.force_login(home.members[Role.SENCO].user)
    html = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert "89.4%" in html and "Persistent absence" in html
    assert "1 suspension, 1.5 days in all." in html
    assert "PGL" in html and "Residential visit" in html
    assert reverse("attendance:term_add", kwargs={"pk": pupil.pk}) in html
    # The class teacher reads the panel but gets no edit links.
    client.force_login(home.members[Role.TEACHER].user)
    html = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    assert "Persistent absence" in html
    assert reverse("attendance:term_add", kwargs={"pk": pupil.pk}) not in html


@pytest.mark.parametrize("terms", [1, 6])
def test_panel_queries_do_not_grow_with_the_records(
    senco_client, school, terms, django_assert_max_num_queries
):
    pupil = PupilFactory(school=school)
    for n in range(terms):
        record(pupil, 100, 95, year=2020 + n // 3, term=n % 3 + 1)
        BehaviourCount.objects.create(pupil=pupil, academic_year=2020 + n // 3, term=n % 3 + 1, incidents=n)
        Participation.objects.create(
            pupil=pupil,
            kind="club",
            activity=f"Club {n}",
            date=datetime.date(2021, 1, 1 + n),
            academic_year=2020,
        )
    # The panel's reads: terms, exclusions, behaviour, activities, one query each, at 1 and 6 terms.
    with django_assert_max_num_queries(4):
        summary = pupil_attendance_summary(pupil)
    assert (len(summary.terms), len(summary.behaviour), len(summary.activities)) == (terms, terms, terms)
    response = senco_client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk}))
    assert response.status_code == 200
    assert response.content.decode().count("95.0%") >= terms  # 95 of 100 sessions each term


def test_add_a_term_and_an_invalid_one_is_shown_again(senco_client, school, senco):
    pupil = PupilFactory(school=school)
    url = reverse("attendance:term_add", kwargs={"pk": pupil.pk})
    year = current_academic_year()
    bad = {"academic_year": year, "term": 1, "possible_sessions": 100, "attended_sessions": 95}
    bad |= {"authorised_absence": 5, "unauthorised_absence": 1}
    response = senco_client.post(url, bad)
    assert response.status_code == 400
    assert "add up to 101, more than the 100 possible sessions" in response.content.decode()
    assert not Attendance.objects.exists()
    good = bad | {"unauthorised_absence": 0}
    response = senco_client.post(url, good)
    assert response.status_code == 302
    saved = Attendance.objects.get()
    assert (saved.attended_sessions, saved.academic_year) == (95, year)
    assert saved.history.get().history_user == senco.user
    # The same term again replaces it rather than adding a second.
    senco_client.post(url, good | {"attended_sessions": 90})
    assert Attendance.objects.get().attended_sessions == 90


def test_edit_exclusion_and_future_date_refused(senco_client, school):
    pupil = PupilFactory(school=school)
    add = reverse("attendance:exclusion_add", kwargs={"pk": pupil.pk})
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = senco_client.post(add, {"kind": "suspension", "start_date": future.isoformat(), "days": "1"})
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    response = senco_client.post(add, {"kind": "suspension", "start_date": "2025-01-14", "days": "0.5"})
    assert response.status_code == 302
    exclusion = Exclusion.objects.get()
    assert (exclusion.academic_year, exclusion.days) == (2024, Decimal("0.5"))
    edit = reverse("attendance:exclusion_edit", kwargs={"pk": exclusion.pk})
    response = senco_client.post(edit, {"kind": "permanent", "start_date": "2025-09-03", "days": "1"})
    assert response.status_code == 302
    exclusion.refresh_from_db()
    assert (exclusion.kind, exclusion.academic_year) == ("permanent", 2025)


def test_activity_and_behaviour_forms(senco_client, school):
    pupil = PupilFactory(school=school)
    response = senco_client.post(
        reverse("attendance:activity_add", kwargs={"pk": pupil.pk}),
        {"kind": "trip", "activity": "Science museum", "date": "2025-03-12"},
    )
    assert response.status_code == 302
    assert Participation.objects.get().academic_year == 2024
    url = reverse("attendance:behaviour_add", kwargs={"pk": pupil.pk})
    response = senco_client.post(
        url, {"academic_year": current_academic_year(), "term": 1, "incidents": "-1"}
    )
    assert response.status_code == 400
    response = senco_client.post(url, {"academic_year": current_academic_year(), "term": 1, "incidents": 3})
    assert BehaviourCount.objects.get().incidents == 3


# --- The entry grid ------------------------------------------------------------------------


def grid_url(school_class, year, term):
    return reverse("attendance:grid") + f"?group=c{school_class.pk}&academic_year={year}&term={term}"


def row(pupil, possible="", attended="", authorised="", unauthorised="", loaded_at=""):
    key = f"p{pupil.pk}"
    return {
        f"{key}-possible_sessions": possible,
        f"{key}-attended_sessions": attended,
        f"{key}-authorised_absence": authorised,
        f"{key}-unauthorised_absence": unauthorised,
        f"{key}-loaded_at": loaded_at,
    }


@pytest.fixture
def oak(school):
    return SchoolClassFactory(school=school, name="4 Oak", year_group=4)


def test_grid_saves_a_class_in_one_request(senco_client, school, oak, senco):
    year, term = current_academic_year(), int(current_term())
    a, b, c = PupilFactory.create_batch(3, school=school, school_class=oak)
    url = grid_url(oak, year, term)
    page = senco_client.get(url)
    assert page.status_code == 200
    data = row(a, 120, 108, 12, 0) | row(b, 120, 107, 6, 7) | row(c)  # c left blank: skipped
    response = senco_client.post(url, data)
    assert response.status_code == 302
    saved = {r.pupil_id: (r.attended_sessions, r.persistently_absent) for r in Attendance.objects.all()}
    # 108 / 120 = 90.0%: not persistent; 107 / 120 = 89.2%: persistent.
    assert saved == {a.pk: (108, False), b.pk: (107, True)}
    html = senco_client.get(url).content.decode()
    assert "89.2%" in html and "Persistent absence" in html


def test_grid_with_a_bad_row_saves_nothing_and_keeps_what_was_typed(senco_client, school, oak):
    year, term = current_academic_year(), int(current_term())
    a, b = PupilFactory.create_batch(2, school=school, school_class=oak)
    response = senco_client.post(grid_url(oak, year, term), row(a, 120, 110) | row(b, 120, 130))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved: 1 row need correcting" in html
    assert "add up to 130, more than the 120 possible" in html
    assert 'value="110"' in html
    assert not Attendance.objects.exists()


def test_grid_conflict_shows_both_and_a_second_save_keeps_mine(senco_client, school, oak):
    year, term = current_academic_year(), int(current_term())
    pupil = PupilFactory(school=school, school_class=oak)
    saved = record(pupil, 120, 100, year=year, term=term)
    loaded_at = saved.updated_at.isoformat()
    # Someone else saves after the page was loaded.
    saved.attended_sessions = 101
    saved.save()
    url = grid_url(oak, year, term)
    response = senco_client.post(url, row(pupil, 120, 115, loaded_at=loaded_at))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Saved by someone else meanwhile:" in html and "101 attended" in html and 'value="115"' in html
    assert Attendance.objects.get().attended_sessions == 101
    newer = Attendance.objects.get().updated_at.isoformat()
    assert senco_client.post(url, row(pupil, 120, 115, loaded_at=newer)).status_code == 302
    assert Attendance.objects.get().attended_sessions == 115


@pytest.mark.parametrize("size", [10, 30])
def test_grid_queries_are_the_same_for_10_and_30_pupils(
    senco_client, school, oak, size, django_assert_max_num_queries
):
    year, term = current_academic_year(), int(current_term())
    pupils = PupilFactory.create_batch(size, school=school, school_class=oak)
    url = grid_url(oak, year, term)
    # And 8 for the access-log entry, whatever the number of pupils (savepoint, the school's chain
    # head made and locked and read, the entry, its pupil rows in one INSERT, new hash, release).
    with django_assert_max_num_queries(12 + 8):
        assert senco_client.get(url).status_code == 200
    data = {}
    for pupil in pupils:
        data |= row(pupil, 120, 110, 10, 0)
    with django_assert_max_num_queries(20):
        assert senco_client.post(url, data).status_code == 302
    assert Attendance.objects.count() == size


def test_grid_is_the_sencos_only(client, school, oak):
    teacher = MembershipFactory(school=school, role=Role.TEACHER)
    client.force_login(teacher.user)
    assert client.get(reverse("attendance:grid")).status_code == 403


def test_a_pupils_rate_rounds_half_way_up_as_every_rate_does():
    """146 of 160 sessions is 91.25%: shown 91.3%, as the SEF's rates round (half-even gave 91.2)."""
    assert Attendance(attended_sessions=146, possible_sessions=160).rate == Decimal("91.3")
    assert Attendance(attended_sessions=113, possible_sessions=124).rate == Decimal("91.1")
