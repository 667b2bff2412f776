import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from plans import services
from plans.models import EhcPlan, EhcpReview, PupilPassport, SupportPlan
from plans.services import ScoreInput, TargetInput
from pupils.models import SenStatus
from tests.factories import (
    EhcPlanFactory,
    EhcpOutcomeFactory,
    InterventionFactory,
    MembershipFactory,
    PlanTargetFactory,
    PupilFactory,
    SchoolClassFactory,
    SupportPlanFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def senco():
    return MembershipFactory(role=Role.SENCO)


@pytest.fixture
def pupil(senco):
    return PupilFactory(
        school=senco.school,
        sen_status=SenStatus.SEN_SUPPORT,
        preferred_forename="Maya",
        legal_surname="Patel",
    )


def login(client, membership):
    client.force_login(membership.user)
    return client


def plan_post(**overrides):
    data = {
        "starts_on": "2025-09-15",
        "review_date": "2025-12-12",
        "strengths": "Loves drawing",
        "needs": "Decoding unfamiliar words",
        "pupil_voice": "I want to read comics",
        "parent_voice": "Reading at bedtime",
        "strategies": "Give instructions one at a time",
        "t-TOTAL_FORMS": "2",
        "t-INITIAL_FORMS": "0",
        "t-0-outcome": "Reads with confidence",
        "t-0-target": "Reads 40 of the 45 common exception words by February",
        "t-0-provision": "Daily 10-minute reading",
        "t-1-outcome": "",
        "t-1-target": "",
    }
    data.update(overrides)
    return data


def test_senco_writes_plan_1_then_reviews_it_and_edits_plan_2(client, senco, pupil):
    login(client, senco)
    intervention = InterventionFactory(school=senco.school, name="Fresh Start phonics")
    response = client.post(
        reverse("plans:plan_new", kwargs={"pk": pupil.pk}), plan_post(**{"t-0-intervention": intervention.pk})
    )
    plan = SupportPlan.objects.get(pupil=pupil)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:plan", kwargs={"pk": plan.pk}
    )
    target = plan.targets.get()
    assert target.intervention == intervention
    page = client.get(reverse("plans:plan", kwargs={"pk": plan.pk})).content.decode()
    assert "Reads 40 of the 45 common exception words" in page and "Fresh Start phonics" in page

    today = timezone.localdate()
    response = client.post(
        reverse("plans:plan_review", kwargs={"pk": plan.pk}),
        {
            "reviewed_on": today.isoformat(),
            "next_review_date": (today + datetime.timedelta(days=90)).isoformat(),
            f"score_{target.pk}": "1",
            f"comment_{target.pk}": "Reads 42 now",
            "review_summary": "Keep going",
        },
    )
    plan2 = SupportPlan.objects.get(pupil=pupil, number=2)
    assert response["Location"] == reverse("plans:plan_edit", kwargs={"pk": plan2.pk})
    plan.refresh_from_db()
    assert plan.is_reviewed and plan.targets.get().score == 1
    # The reviewed plan can no longer be edited or reviewed through the pages either.
    assert client.get(reverse("plans:plan_edit", kwargs={"pk": plan.pk})).status_code == 302
    assert client.post(reverse("plans:plan_review", kwargs={"pk": plan.pk}), {}).status_code == 302
    copied = plan2.targets.get()
    response = client.post(
        reverse("plans:plan_edit", kwargs={"pk": plan2.pk}),
        plan_post(
            starts_on=today.isoformat(),
            review_date=(today + datetime.timedelta(days=90)).isoformat(),
            **{
                "t-INITIAL_FORMS": "1",
                "t-0-pk": str(copied.pk),
                "t-0-target": "Reads all 45 common exception words",
                "t-1-outcome": "Writes a sentence independently",
                "t-1-target": "Writes 3 sentences with capital letters and full stops",
            },
        ),
    )
    assert response.status_code == 302
    assert list(plan2.targets.order_by("order").values_list("target", flat=True)) == [
        "Reads all 45 common exception words",
        "Writes 3 sentences with capital letters and full stops",
    ]
    assert plan.targets.get().target == "Reads 40 of the 45 common exception words by February"


def test_invalid_plan_is_shown_again_with_400_and_keeps_the_input(client, senco, pupil):
    login(client, senco)
    data = plan_post(review_date="2025-09-01", **{"t-1-outcome": "Joins in at playtime"})
    response = client.post(reverse("plans:plan_new", kwargs={"pk": pupil.pk}), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give each outcome a specific, measurable target." in body
    assert "Joins in at playtime" in body and "Decoding unfamiliar words" in body
    data = plan_post(review_date="2025-09-01")
    response = client.post(reverse("plans:plan_new", kwargs={"pk": pupil.pk}), data)
    assert response.status_code == 400
    assert "The review date must be after the date the plan starts." in response.content.decode()
    response = client.post(reverse("plans:plan_new", kwargs={"pk": pupil.pk}), {"starts_on": "31/02/2025"})
    assert response.status_code == 400
    assert not SupportPlan.objects.exists()


def make_history(pupil, user):
    plan = services.support_plan_create(
        pupil=pupil,
        by=user,
        starts_on=D(2024, 1, 8),
        review_date=D(2024, 4, 1),
        needs="Decoding",
        targets=[
            TargetInput("Reads with confidence", "Reads 20 words"),
            TargetInput("Makes friends", "Plays with 2 peers"),
        ],
    )
    for on, scores in ((D(2024, 3, 28), (2, -1)), (D(2024, 7, 10), (0, 1)), (D(2025, 7, 8), (1, 2))):
        targets = list(plan.targets.order_by("order"))
        plan = services.support_plan_review(
            plan=plan,
            by=user,
            reviewed_on=on,
            next_review_date=on + datetime.timedelta(days=100),
            scores={t.pk: ScoreInput(s, "ok") for t, s in zip(targets, scores, strict=True)},
        )
    return plan


def test_history_page_and_pdf(client, senco, pupil):
    make_history(pupil, senco.user)
    login(client, senco)
    url = reverse("plans:plan_history", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    # From 08/01/2024 (plan 1) to 08/07/2025 (plan 4 started at plan 3's review): 18 months.
    assert "Plan 1 to plan 4 over 18 months." in page
    response = client.get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Plan 1 to plan 4 over 18 months." in text
    assert "Maya Patel" in text
    # Mean scores: plan 1 (2 - 1) / 2 = +0.5; plan 2 (0 + 1) / 2 = +0.5; plan 3 (1 + 2) / 2 = +1.5.
    assert "mean score +0.5 over 2 targets" in text and "mean score +1.5 over 2 targets" in text
    assert "+2 Much better than expected" in text


def test_plan_pdf_shows_its_sections(client, senco, pupil):
    plan = SupportPlanFactory(pupil=pupil, pupil_voice="I like Lego", strategies="Visual timetable")
    PlanTargetFactory(plan=plan, target="Counts to 20 reliably")
    login(client, senco)
    text = pdf_text(client.get(reverse("plans:plan", kwargs={"pk": plan.pk}), {"format": "pdf"}).content)
    for expected in (
        "SEN support plan 1: Maya Patel",
        "I like Lego",
        "Visual timetable",
        "Counts to 20 reliably",
    ):
        assert expected in text


def test_passport_is_written_by_the_senco_and_read_by_the_ta_of_the_group(client, world):
    home = world["A"]
    pupil = home.group_pupil
    login(client, home.members[Role.SENCO])
    url = reverse("plans:passport_edit", kwargs={"pk": pupil.pk})
    response = client.post(url, {"helps_me": "  "})
    assert response.status_code == 400
    assert "Write at least one section" in response.content.decode()
    response = client.post(
        url, {"helps_me": "Ear defenders in assembly", "communicate": "I point and use Makaton"}
    )
    assert response.status_code == 302
    login(client, home.members[Role.TEACHING_ASSISTANT])
    page = client.get(reverse("plans:passport", kwargs={"pk": pupil.pk}))
    assert "Ear defenders in assembly" in page.content.decode()
    text = pdf_text(client.get(reverse("plans:passport", kwargs={"pk": pupil.pk}), {"format": "pdf"}).content)
    assert "What helps me" in text and "I point and use Makaton" in text
    # The assistant reads no plan, and no passport of a pupil outside their groups.
    assert client.get(reverse("plans:pupil", kwargs={"pk": pupil.pk})).status_code == 403
    assert client.get(reverse("plans:passport", kwargs={"pk": home.class_pupil.pk})).status_code == 404
    assert PupilPassport.objects.count() == 1


def test_teacher_reads_plans_of_their_class_only(client, world):
    home = world["A"]
    mine = SupportPlanFactory(pupil=home.class_pupil)
    theirs = SupportPlanFactory(pupil=home.other_pupil)
    login(client, home.members[Role.TEACHER])
    page = client.get(reverse("plans:plan", kwargs={"pk": mine.pk})).content.decode()
    assert "Edit plan" not in page
    assert client.get(reverse("plans:plan", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("plans:plan_edit", kwargs={"pk": mine.pk}), {}).status_code == 403
    login(client, home.members[Role.GOVERNOR])
    assert client.get(reverse("plans:plan", kwargs={"pk": mine.pk})).status_code == 403


def test_ehc_plan_review_flow_and_pdf(client, senco):
    pupil = PupilFactory(school=senco.school, sen_status=SenStatus.EHCP, legal_surname="Okafor")
    login(client, senco)
    response = client.post(
        reverse("plans:ehcp_new", kwargs={"pk": pupil.pk}),
        {
            "plan_date": "2025-01-15",
            "local_authority": "North Northamptonshire",
            "o-TOTAL_FORMS": "2",
            "o-INITIAL_FORMS": "0",
            "o-0-outcome": "Asks an adult for help using a help card",
            "o-0-provision": "Daily social communication group",
        },
    )
    plan = EhcPlan.objects.get(pupil=pupil)
    assert response.status_code == 302 and plan.next_review_due == D(2026, 1, 15)
    outcome = plan.outcomes.get()
    url = reverse("plans:ehcp_review_new", kwargs={"pk": plan.pk})
    response = client.post(url, {"meeting_date": "2026-01-12", "attendees": "Mum; SENCO"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post(
        url,
        {
            "meeting_date": "2026-01-12",
            "attendees": "Mum; SENCO; educational psychologist",
            "pupil_views": "I like the help card",
            "family_views": "Calmer mornings",
            "recommended_changes": "Add a transition outcome for Year 7",
            f"progress_{outcome.pk}": "Uses the card most days",
        },
    )
    review = EhcpReview.objects.get()
    assert response["Location"] == reverse("plans:ehcp_review", kwargs={"pk": review.pk})
    plan.refresh_from_db()
    assert plan.next_review_due == D(2027, 1, 12)
    text = pdf_text(client.get(response["Location"], {"format": "pdf"}).content)
    for expected in (
        "educational psychologist",
        "I like the help card",
        "Uses the card most days",
        "transition outcome",
    ):
        assert expected in text
    text = pdf_text(client.get(reverse("plans:ehcp", kwargs={"pk": plan.pk}), {"format": "pdf"}).content)
    assert "12 January 2027" in text and "Asks an adult for help" in text


def test_index_lists_reviews_due_overdue_and_done(client, senco):
    today = timezone.localdate()
    overdue = EhcPlanFactory(
        pupil__school=senco.school,
        pupil__legal_surname="Overduesurname",
        plan_date=today - datetime.timedelta(days=400),
    )
    overdue.next_review_due = today - datetime.timedelta(days=35)
    overdue.save()
    soon = EhcPlanFactory(
        pupil__school=senco.school,
        pupil__legal_surname="Soonsurname",
        plan_date=today - datetime.timedelta(days=330),
    )
    soon.next_review_due = today + datetime.timedelta(days=30)
    soon.save()
    login(client, senco)
    page = client.get(reverse("plans:index")).content.decode()
    overdue_part, rest = page.split("Annual reviews due in the next eight weeks")
    assert "Overduesurname" in overdue_part and "Soonsurname" not in overdue_part
    assert "Soonsurname" in rest.split("Annual reviews done")[0]


def build_school(membership, n):
    school_class = SchoolClassFactory(school=membership.school)
    for i in range(n):
        pupil = PupilFactory(school=membership.school, school_class=school_class, sen_status=SenStatus.EHCP)
        plan = EhcPlanFactory(pupil=pupil, plan_date=D(2025, 1, 1) + datetime.timedelta(days=i * 7))
        outcome = EhcpOutcomeFactory(plan=plan)
        EhcpReview.objects.create(
            plan=plan, meeting_date=D(2025, 12, 1), attendees="a", pupil_views="b", family_views="c"
        )
        SupportPlanFactory(pupil=pupil, review_date=D(2025, 10, 1) + datetime.timedelta(days=i))
        assert outcome


def test_index_query_count_does_not_grow(client, django_assert_max_num_queries):
    small, large = MembershipFactory(role=Role.SENCO), MembershipFactory(role=Role.SENCO)
    build_school(small, 3)
    build_school(large, 40)
    counts = []
    for membership in (small, large):
        login(client, membership)
        # Writing the access-log entry adds 6 queries whatever the number of pupils read (savepoint,
        # chain head locked and read, entry, its pupil rows in one INSERT, new head hash, release),
        # and 2 more on a school's first entry, which makes the head: each school's first page
        # pays them alike.
        with django_assert_max_num_queries(14 + 8) as captured:
            assert client.get(reverse("plans:index")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["plans:plan_history", "plans:pupil"])
def test_pupil_pages_query_count_does_not_grow_with_versions(
    client, senco, django_assert_max_num_queries, name
):
    few = PupilFactory(school=senco.school, sen_status=SenStatus.SEN_SUPPORT)
    many = PupilFactory(school=senco.school, sen_status=SenStatus.SEN_SUPPORT)
    for pupil, versions in ((few, 2), (many, 8)):
        previous = None
        for number in range(1, versions + 1):
            reviewed = number < versions
            previous = SupportPlanFactory(
                pupil=pupil,
                number=number,
                previous=previous,
                status="reviewed" if reviewed else "open",
                reviewed_on=D(2025, 1, number) if reviewed else None,
            )
            for score in (-1, 2):
                PlanTargetFactory(
                    plan=previous,
                    score=score if reviewed else None,
                    intervention=InterventionFactory(school=senco.school),
                )
    login(client, senco)
    # Writing the access-log entry adds 6 queries whatever the number of pupils read (savepoint,
    # chain head locked and read, entry, its pupil rows in one INSERT, new head hash, release),
    # and 2 more on a school's first entry, which makes the head: so a first page is opened before.
    client.get(reverse("pupils:list"))
    counts = []
    for pupil in (few, many):
        with django_assert_max_num_queries(14 + 6) as captured:
            assert client.get(reverse(name, kwargs={"pk": pupil.pk})).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_plan_page_query_count_does_not_grow_with_targets(client, senco, django_assert_max_num_queries):
    counts = []
    login(client, senco)
    # Writing the access-log entry adds 6 queries whatever the number of pupils read (savepoint,
    # chain head locked and read, entry, its pupil rows in one INSERT, new head hash, release),
    # and 2 more on a school's first entry, which makes the head: so a first page is opened before.
    client.get(reverse("pupils:detail", kwargs={"pk": PupilFactory(school=senco.school).pk}))
    for n in (1, 12):
        plan = SupportPlanFactory(pupil__school=senco.school)
        for _ in range(n):
            PlanTargetFactory(plan=plan, intervention=InterventionFactory(school=senco.school))
        with django_assert_max_num_queries(12 + 6) as captured:
            assert client.get(reverse("plans:plan", kwargs={"pk": plan.pk})).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_pupil_page_has_a_plans_panel_and_the_nav_a_plans_link(client, world):
    home = world["A"]
    plan = SupportPlanFactory(pupil=home.class_pupil)
    login(client, home.members[Role.TEACHER])
    page = client.get(reverse("pupils:detail", kwargs={"pk": home.class_pupil.pk})).content.decode()
    assert reverse("plans:plan", kwargs={"pk": plan.pk}) in page
    assert 'href="/plans/"' not in page  # the nav item is for the SENCO and head
    login(client, home.members[Role.TEACHING_ASSISTANT])
    page = client.get(reverse("pupils:detail", kwargs={"pk": home.group_pupil.pk})).content.decode()
    assert (
        "No pupil passport yet." in page
        and reverse("plans:pupil", kwargs={"pk": home.group_pupil.pk}) not in page
    )
    login(client, home.members[Role.HEAD])
    assert 'href="/plans/"' in client.get(reverse("home")).content.decode()
