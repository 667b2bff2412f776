"""Structured conversations: recording, review, and the participation figures for a small cohort
worked out by hand."""

import datetime

import pytest
from django.urls import reverse

from core.calendar import Term
from core.roles import Role
from evidence import selectors, services
from evidence.models import Conversation, ConversationTarget
from pupils.models import SenStatus
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def talk(pupil, by, day, led_by):
    return services.conversation_create(
        pupil=pupil,
        by=by,
        date=day,
        attended="Mother",
        led_by=led_by,
        curricular_target="Read 50 common exception words",
        wider_target="Join a club",
    )


@pytest.fixture
def cohort():
    """Six pupils on the SEND record, two others, one archived SEND pupil; conversations in
    2025/26 (and one in 2024/25, which does not count)."""
    school = SchoolFactory()
    senco = MembershipFactory(school=school, role=Role.SENCO)
    by = senco.user
    p = {
        n: PupilFactory(school=school, sen_status=SenStatus.SEN_SUPPORT, legal_surname=f"Send{n}")
        for n in range(1, 6)
    }
    p[6] = PupilFactory(school=school, sen_status=SenStatus.EHCP, legal_surname="Send6")
    plain = PupilFactory(school=school, legal_surname="NotSend")
    archived = PupilFactory(
        school=school,
        sen_status=SenStatus.EHCP,
        archived_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )
    # P1: three, the first led by the head.
    talk(p[1], by, D(2025, 10, 6), "head")
    talk(p[1], by, D(2026, 2, 2), "teacher")
    talk(p[1], by, D(2026, 5, 11), "teacher")
    # P2: three, the first led by the SENCO.
    talk(p[2], by, D(2025, 11, 10), "senco")
    talk(p[2], by, D(2026, 3, 2), "senco")
    talk(p[2], by, D(2026, 6, 8), "teacher")
    # P3: two, the first (in spring) led by the SENCO.
    talk(p[3], by, D(2026, 1, 12), "senco")
    talk(p[3], by, D(2026, 4, 20), "teacher")
    # P4: one, led by the head.
    talk(p[4], by, D(2025, 12, 1), "head")
    # P5: one last year only. P6: none.
    talk(p[5], by, D(2024, 11, 4), "teacher")
    # Not on the SEND record, or archived: not in the figures at all.
    for day in (D(2025, 10, 1), D(2026, 1, 5), D(2026, 5, 5)):
        talk(plain, by, day, "head")
        talk(archived, by, day, "head")
    return school, senco, p


def test_year_and_term_come_from_the_date(cohort):
    c = Conversation.objects.filter(pupil=cohort[2][3]).order_by("date")
    assert [(x.academic_year, x.term) for x in c] == [(2025, Term.SPRING), (2025, Term.SUMMER)]
    assert set(ConversationTarget.objects.filter(conversation=c[0]).values_list("kind", flat=True)) == {
        "curricular",
        "wider",
    }


def test_participation_figures_by_hand(cohort, django_assert_max_num_queries):
    school, _, _ = cohort
    with django_assert_max_num_queries(1):
        figures = selectors.conversation_participation(school, 2025)
    # Six SEND pupils on roll: none P5, P6 = 2/6 = 33.3 -> 33%; one P4 = 1/6 = 16.7 -> 17%;
    # two P3 = 1/6 -> 17%; three P1, P2 = 2/6 -> 33%.
    assert figures.send_pupils == 6
    assert str(figures.none) == "33% (2/6)"
    assert str(figures.one) == "17% (1/6)"
    assert str(figures.two) == "17% (1/6)"
    assert str(figures.three) == "33% (2/6)"
    leads = {row.lead: row for row in figures.leads}
    # Head led the first conversation of P1 (3 this year) and P4 (1): 1/2 had all three; 3 + 1 = 4
    # conversations. SENCO first for P2 (3) and P3 (2): 1/2; 3 + 2 = 5. Class teacher first for none.
    assert (str(leads["head"].families), str(leads["head"].full), str(leads["head"].conversations)) == (
        "2",
        "50% (1/2)",
        "4",
    )
    assert (str(leads["senco"].families), str(leads["senco"].full), str(leads["senco"].conversations)) == (
        "2",
        "50% (1/2)",
        "5",
    )
    assert (str(leads["teacher"].families), str(leads["teacher"].full)) == ("0", "none (0/0)")


def test_participation_is_suppressed_for_governors(cohort):
    school, _, _ = cohort
    figures = selectors.conversation_participation(school, 2025, suppress_below=5)
    # Every group here is under 5 pupils.
    assert str(figures.three) == "c"
    assert str(figures.leads[0].full) == "c"


def test_pupils_without_a_conversation_this_term(cohort):
    school, senco, p = cohort
    autumn = selectors.pupils_without_conversation(senco, year=2025, term=Term.AUTUMN)
    # Autumn 2025: P1 (October), P2 (November) and P4 (December) had one; P3, P5, P6 did not.
    assert [x.legal_surname for x in autumn] == ["Send3", "Send5", "Send6"]
    spring = selectors.pupils_without_conversation(senco, year=2025, term=Term.SPRING)
    assert [x.legal_surname for x in spring] == ["Send4", "Send5", "Send6"]


def test_teacher_records_a_conversation_for_their_pupil_only(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    data = {
        "date": "2025-10-14",
        "attended": "Mother and grandmother",
        "led_by": "teacher",
        "barriers": "Reading at home is a battle.",
        "curricular_target": "Read to an adult four times a week",
        "wider_target": "Join the drumming club",
        "review_date": "2026-01-20",
    }
    response = client.post(reverse("evidence:conversation_create", kwargs={"pk": home.class_pupil.pk}), data)
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (
        conversation.pupil == home.class_pupil and conversation.recorded_by == home.members[Role.TEACHER].user
    )
    other = client.post(reverse("evidence:conversation_create", kwargs={"pk": home.other_pupil.pk}), data)
    assert other.status_code == 404
    assert Conversation.objects.count() == 1


def test_invalid_conversation_is_shown_again_with_400(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    response = client.post(
        reverse("evidence:conversation_create", kwargs={"pk": home.class_pupil.pk}),
        {
            "date": "2025-10-14",
            "attended": "Father",
            "led_by": "head",
            "barriers": "Tiredness",
            "curricular_target": "Times tables to 5",
            "wider_target": "",
            "review_date": "2025-09-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The review date cannot be before the conversation." in page
    assert "Tiredness" in page and "Times tables to 5" in page
    assert not Conversation.objects.exists()


def test_review_records_each_targets_outcome(client, world):
    home = world["A"]
    senco = home.members[Role.SENCO]
    conversation = talk(home.class_pupil, senco.user, D(2025, 10, 14), "senco")
    curricular, wider = conversation.targets.order_by("kind")
    client.force_login(home.members[Role.TEACHER].user)
    url = reverse("evidence:conversation_review", kwargs={"pk": conversation.pk})
    bad = client.post(url, {"reviewed_on": "2025-09-01"})
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "reviewed_on": "2026-01-20",
            f"outcome_{curricular.pk}": "achieved",
            f"note_{curricular.pk}": "Reads 60 words",
            f"outcome_{wider.pk}": "partly",
        },
    )
    assert response.status_code == 302
    curricular.refresh_from_db()
    wider.refresh_from_db()
    assert (curricular.outcome, curricular.outcome_note, curricular.reviewed_on) == (
        "achieved",
        "Reads 60 words",
        D(2026, 1, 20),
    )
    assert wider.outcome == "partly"


def test_governor_sees_figures_but_no_pupil(client, world):
    home = world["A"]
    for pupil in home.pupils:
        pupil.sen_status = SenStatus.SEN_SUPPORT
        pupil.save()
        talk(pupil, home.members[Role.SENCO].user, selectors.today(), "head")
    client.force_login(home.members[Role.GOVERNOR].user)
    page = client.get(reverse("evidence:conversations")).content.decode()
    assert "By who led the first conversation" in page
    for pupil in home.pupils:
        assert pupil.legal_surname not in page and pupil.upn not in page
