"""The Engagement Model observations and the statutory outcomes (assessment.engagement): the trend
of each area in words, worked by hand from a set of observations; outcome codes checked against
the key stage; who may record; the pages' query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.engagement import (
    KS1,
    KS2,
    WrongOutcome,
    engagement_summary,
    outcome_check,
    summarise,
)
from assessment.models import EngagementObservation, StatutoryOutcome
from core.roles import Role
from tests.factories import MembershipFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

D = datetime.date
EMERGING, DEVELOPING, ESTABLISHED, NOT_SEEN = 1, 2, 3, 0


def observe(pupil, by, day, area, established, note="Seen in the sensory room.", outcome=""):
    return EngagementObservation.objects.create(
        pupil=pupil,
        observer=by,
        observed_on=day,
        area=area,
        established=established,
        note=note,
        outcome=outcome,
    )


@pytest.fixture
def home(school):
    """A class of one pupil on the Engagement Model, its teacher, the SENCO, a head, an assistant
    who delivers no group of hers, and a governor."""
    school_class = SchoolClassFactory(school=school, name="6 Oak", year_group=6)
    members = {role: MembershipFactory(school=school, role=role) for role in Role if role != Role.TRUST_LEAD}
    school_class.teachers.add(members[Role.TEACHER].user)
    pupil = PupilFactory(school=school, school_class=school_class, year_group=6, legal_forename="Maya")
    return pupil, members


@pytest.fixture
def observed(home):
    """The year's observations of Maya (worked by hand below):

    exploration:  6 Oct developing, 12 Jan established, 9 Feb developing (a fall, shown as it is)
    anticipation: 6 Oct emerging, 10 Nov emerging (still), 2 Mar developing
    persistence:  1 Dec not yet seen
    realisation, initiation: nothing observed."""
    pupil, members = home
    senco = members[Role.SENCO].user
    observe(pupil, senco, D(2025, 10, 6), "exploration", DEVELOPING)
    observe(pupil, senco, D(2025, 10, 6), "anticipation", EMERGING)
    observe(pupil, senco, D(2025, 11, 10), "anticipation", EMERGING)
    observe(pupil, senco, D(2025, 12, 1), "persistence", NOT_SEEN)
    observe(pupil, senco, D(2026, 1, 12), "exploration", ESTABLISHED)
    observe(pupil, senco, D(2026, 2, 9), "exploration", DEVELOPING, note="Needed the light box again.")
    observe(
        pupil,
        senco,
        D(2026, 3, 2),
        "anticipation",
        DEVELOPING,
        note="Reached for the cup when the song began.",
        outcome="To show she expects a familiar routine",
    )
    return pupil, members


def test_each_areas_trend_in_words_worked_by_hand(observed):
    pupil, _ = observed
    summary = engagement_summary(pupil)
    assert summary.observations == 7
    assert summary.lines == [
        "Exploration: developing (Oct) → established (Jan) → developing (Feb)",
        "Realisation: not yet observed",
        "Anticipation: emerging (Oct–Nov) → developing (Mar)",
        "Persistence: not yet seen (Dec)",
        "Initiation: not yet observed",
    ]
    # The narrative: each area's latest note and the outcome it works towards.
    anticipation = summary.areas[2]
    assert anticipation.latest.note == "Reached for the cup when the song began."
    assert anticipation.latest.outcome == "To show she expects a familiar routine"
    assert summary.areas[0].latest.note == "Needed the light box again."


def test_months_carry_their_year_when_the_observations_span_academic_years(observed):
    pupil, members = observed
    observe(pupil, members[Role.SENCO].user, D(2026, 10, 5), "anticipation", ESTABLISHED)
    lines = engagement_summary(pupil).lines
    assert lines[2] == (
        "Anticipation: emerging (Oct 2025–Nov 2025) → developing (Mar 2026) → established (Oct 2026)"
    )
    # A period: only this academic year's observations, months without years again.
    since_september = engagement_summary(pupil, since=D(2026, 9, 1))
    assert since_september.lines[2] == "Anticipation: established (Oct)"
    assert since_september.lines[0] == "Exploration: not yet observed"


def test_no_observations_no_summary_and_order_does_not_matter(home):
    pupil, members = home
    assert engagement_summary(pupil) is None
    by = members[Role.SENCO].user
    late = EngagementObservation(
        pupil=pupil, observer=by, observed_on=D(2026, 3, 2), area="initiation", established=2
    )
    early = EngagementObservation(
        pupil=pupil, observer=by, observed_on=D(2025, 9, 8), area="initiation", established=1
    )
    assert summarise([late, early]).lines[4] == "Initiation: emerging (Sep) → developing (Mar)"


def test_the_summary_is_never_a_number_across_areas(client, observed):
    pupil, members = observed
    client.force_login(members[Role.SENCO].user)
    page = client.get(reverse("assessment:engagement", kwargs={"pk": pupil.pk})).content.decode()
    summary = page[page.index('id="summary-h"') : page.index('id="observations-h"')]
    assert "Anticipation:</strong> emerging (Oct–Nov) → developing (Mar)" in summary
    for word in ("score", "average", "total", "attainment", "%"):
        assert word not in summary.replace("never scored or averaged", "")


# -- statutory outcomes: the codes of each key stage ---------------------------------------------


@pytest.mark.parametrize(
    "key_stage, text, code",
    [(KS1, "pk4", "PK4"), (KS1, " PK 1 ", "PK1"), (KS1, "em", "EM"), (KS2, "PK6", "PK6"), (KS2, "Em", "EM")],
)
def test_outcome_codes_of_each_key_stage(key_stage, text, code):
    assert outcome_check(key_stage, "reading", text) == code


@pytest.mark.parametrize(
    "key_stage, subject, text, message",
    [
        (
            KS1,
            "reading",
            "PK5",
            "Reading, key stage 1: PK5 is not a pre-key stage 1 standard. Type PK1 to PK4 "
            "(the pre-key stage 1 standards) or EM (the Engagement Model).",
        ),
        (
            KS2,
            "maths",
            "PK7",
            "Mathematics, key stage 2: PK7 is not a pre-key stage 2 standard. Type PK1 to PK6 "
            "(the pre-key stage 2 standards) or EM (the Engagement Model).",
        ),
        (
            KS2,
            "writing",
            "PKF",
            "Writing, key stage 2: PKF was an interim code and is no longer reported. Type PK1 to PK6 "
            "(the pre-key stage 2 standards) or EM (the Engagement Model).",
        ),
        (
            KS2,
            "writing",
            "WTS",
            "Writing, key stage 2: WTS is a result at the standard of the national curriculum, not an "
            "outcome below it. Type PK1 to PK6 (the pre-key stage 2 standards) or EM (the Engagement Model).",
        ),
        (
            KS1,
            "maths",
            "level 2",
            "Mathematics, key stage 1: “level 2” is not an outcome code. Type PK1 to PK4 "
            "(the pre-key stage 1 standards) or EM (the Engagement Model).",
        ),
    ],
)
def test_a_wrong_outcome_says_what_is_reported(key_stage, subject, text, message):
    with pytest.raises(WrongOutcome) as wrong:
        outcome_check(key_stage, subject, text)
    assert str(wrong.value) == message


def outcomes_url(pupil):
    return reverse("assessment:statutory_outcomes", kwargs={"pk": pupil.pk})


def test_outcomes_are_stored_only_when_every_code_is_right_and_show_on_the_pupil_page(client, home):
    pupil, members = home
    client.force_login(members[Role.TEACHER].user)
    bad = {
        "ks2_year": "2025",
        "ks2_reading": "pk5",
        "ks2_writing": "PK7",
        "ks2_maths": "em",
        "ks1_reading": "PK2",
    }
    response = client.post(outcomes_url(pupil), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Writing, key stage 2: PK7 is not a pre-key stage 2 standard." in page
    assert "Say in which academic year key stage 1 ended." in page
    assert not StatutoryOutcome.objects.exists()

    good = {"ks2_year": "2025", "ks2_reading": "pk5", "ks2_writing": "PK4", "ks2_maths": "em"}
    response = client.post(outcomes_url(pupil), good)
    assert response.status_code == 302
    stored = sorted(StatutoryOutcome.objects.values_list("key_stage", "academic_year", "subject", "outcome"))
    assert stored == [(2, 2025, "maths", "EM"), (2, 2025, "reading", "PK5"), (2, 2025, "writing", "PK4")]
    assert StatutoryOutcome.objects.get(subject="maths").updated_by == members[Role.TEACHER].user

    detail = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    section = detail[detail.index('id="outcomes-h"') :]
    assert "Key stage 2 <span" in section and "(2025/26)" in section
    assert "<strong>PK5</strong>" in section and "pre-key stage standard 5" in section
    assert "<strong>EM</strong>" in section and "the Engagement Model" in section

    # Emptying a box removes that outcome; the form shows what is stored.
    form = client.get(outcomes_url(pupil)).content.decode()
    assert 'value="PK5"' in form
    response = client.post(outcomes_url(pupil), {**good, "ks2_writing": ""})
    assert response.status_code == 302
    assert sorted(StatutoryOutcome.objects.values_list("subject", flat=True)) == ["maths", "reading"]
    assert StatutoryOutcome.history.filter(history_type="-").count() == 1


def test_who_may_record_outcomes_and_observations(client, home):
    pupil, members = home
    url_add = reverse("assessment:engagement_add", kwargs={"pk": pupil.pk})
    for role, outcome_status, record_status in (
        (Role.SENCO, 200, 200),
        (Role.TEACHER, 200, 200),
        (Role.HEAD, 403, 403),
        (Role.GOVERNOR, 403, 403),
        # The assistant delivers no group of Maya's: not found.
        (Role.TEACHING_ASSISTANT, 403, 404),
    ):
        client.force_login(members[role].user)
        assert client.get(outcomes_url(pupil)).status_code == outcome_status, role
        assert client.get(url_add).status_code == record_status, role
    client.force_login(members[Role.GOVERNOR].user)
    assert client.get(reverse("assessment:engagement", kwargs={"pk": pupil.pk})).status_code == 403


# -- recording and changing observations -----------------------------------------------------------


def test_a_teacher_records_an_observation_and_changes_only_their_own(client, observed):
    pupil, members = observed
    teacher = members[Role.TEACHER].user
    client.force_login(teacher)
    url = reverse("assessment:engagement_add", kwargs={"pk": pupil.pk})
    future = {
        "observed_on": "2099-01-01",
        "area": "initiation",
        "established": "1",
        "note": "Pressed the switch.",
    }
    response = client.post(url, future)
    assert response.status_code == 400
    assert "An observation cannot be dated in the future." in response.content.decode()
    response = client.post(url, {**future, "observed_on": "2026-03-09"})
    assert response.status_code == 302
    mine = EngagementObservation.objects.get(area="initiation")
    assert (mine.observer, mine.established, mine.observed_on) == (teacher, EMERGING, D(2026, 3, 9))

    edit = reverse("assessment:engagement_edit", kwargs={"pk": mine.pk})
    assert client.post(edit, {**future, "observed_on": "2026-03-09", "established": "2"}).status_code == 302
    mine.refresh_from_db()
    assert mine.established == DEVELOPING
    # The SENCO's observation: the teacher may not change it.
    senco_one = EngagementObservation.objects.filter(observer=members[Role.SENCO].user).first()
    assert client.get(reverse("assessment:engagement_edit", kwargs={"pk": senco_one.pk})).status_code == 403
    # The SENCO changes any.
    client.force_login(members[Role.SENCO].user)
    assert client.get(edit).status_code == 200
    page = client.get(reverse("assessment:engagement", kwargs={"pk": pupil.pk})).content.decode()
    assert "Initiation:</strong> developing (Mar)" in page
    assert mine.history.count() == 2


def test_the_pupil_page_shows_the_summary_and_links_to_the_observations(client, observed):
    pupil, members = observed
    client.force_login(members[Role.TEACHER].user)
    page = client.get(reverse("pupils:detail", kwargs={"pk": pupil.pk})).content.decode()
    section = page[page.index('id="engagement-h"') : page.index('id="outcomes-h"')]
    assert reverse("assessment:engagement", kwargs={"pk": pupil.pk}) in section
    assert "Exploration:</strong> developing (Oct) → established (Jan) → developing (Feb)" in section
    assert "Reached for the cup when the song began." in section


def test_the_observation_page_queries_do_not_grow_with_the_observations(client, home):
    pupil, members = home
    senco = members[Role.SENCO].user
    client.force_login(senco)
    url = reverse("assessment:engagement", kwargs={"pk": pupil.pk})
    detail = reverse("pupils:detail", kwargs={"pk": pupil.pk})

    def counts():
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as pupil_page:
            assert client.get(detail).status_code == 200
        return len(page), len(pupil_page)

    observe(pupil, senco, D(2025, 10, 6), "exploration", EMERGING)
    few = counts()
    for n in range(30):
        observe(
            pupil,
            senco,
            D(2025, 10, 7) + datetime.timedelta(days=n),
            list(("exploration", "realisation", "anticipation"))[n % 3],
            n % 4,
        )
    assert counts() == few


def test_the_document_block_for_the_journey_and_case_study(observed, client):
    from django.template import Context, Template

    pupil, members = observed
    StatutoryOutcome.objects.create(
        pupil=pupil, key_stage=2, academic_year=2025, subject="maths", outcome="EM"
    )
    block = Template("{% load engagement %}{% engagement_block pk anonymised=anonymised %}")
    named = block.render(Context({"pk": pupil.pk, "anonymised": False}))
    assert "<li>Anticipation: emerging (Oct–Nov) → developing (Mar). " in named
    assert "Reached for the cup when the song began." in named
    assert "<strong>EM</strong>" in named
    anonymised = block.render(Context({"pk": pupil.pk, "anonymised": True}))
    assert "<li>Anticipation: emerging (Oct–Nov) → developing (Mar)</li>" in anonymised
    assert "Reached for the cup" not in anonymised
    # A pupil with neither: nothing at all.
    other = PupilFactory(school=pupil.school)
    assert block.render(Context({"pk": other.pk, "anonymised": False})).strip() == ""
    # The named journey shows it.
    client.force_login(members[Role.SENCO].user)
    journey = client.get(reverse("reports:journey", kwargs={"pk": pupil.pk}))
    assert journey.status_code == 200
    assert "Anticipation: emerging (Oct–Nov) → developing (Mar)" in journey.content.decode()
