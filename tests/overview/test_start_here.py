"""Each role starts where their work is (issue 16, item 4): the overview lists only what the role
can open, with their next tasks first, and a teacher with one class goes straight to its grid."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from interventions.models import Checkpoint, InterventionRun
from overview.selectors import checkpoints_due, next_tasks
from reports.models import Grade, SefReport
from reports.selectors import current_academic_year
from tests.factories import InterventionPlaceFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="(/[^"#]*)')


def overview_links(client):
    """Every link inside the page's main content (the menu is tested by the permission walker)."""
    page = client.get(reverse("home")).content.decode()
    main = page[page.index('<main id="main"') : page.index("</main>")]
    return sorted({href.replace("&amp;", "&") for href in LINK.findall(main)})


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_each_roles_overview_opens_for_that_role(client, world, role):
    school = world["A"]
    # Something for every task to point at: a run going on today, a ready SEF for the head.
    today = datetime.date.today()
    InterventionRun.objects.filter(pk=school.run.pk).update(start_date=today - datetime.timedelta(days=50))
    SefReport.objects.get_or_create(
        school=school.school,
        academic_year=current_academic_year(),
        defaults={"grade": Grade.GOOD, "grade_rationale": "Because."},
    )
    client.force_login(school.members[role].user)
    links = overview_links(client)
    assert links, "the overview offers nowhere to go"
    refused = {}
    for url in links:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            refused[url] = response.status_code
    assert not refused, f"{role}: links on the overview that do not open: {refused}"


def test_the_teaching_assistant_is_offered_todays_sessions_and_not_what_they_cannot_open(client, world):
    school = world["A"]
    today = datetime.date.today()
    InterventionRun.objects.filter(pk=school.run.pk).update(start_date=today - datetime.timedelta(days=50))
    client.force_login(school.members[Role.TEACHING_ASSISTANT].user)
    page = client.get(reverse("home")).content.decode()
    tasks = page[page.index("Your next tasks") : page.index("Where to go")]
    assert "Record today&#x27;s session of" in tasks
    assert reverse("interventions:run", kwargs={"pk": school.run.pk}) in tasks
    for closed in (
        "reports:sef",
        "reports:prompts",
        "reports:case_studies",
        "assessment:grid",
        "plans:index",
    ):
        assert f'href="{reverse(closed)}"' not in page, closed


def test_checkpoints_are_due_every_sixth_week_for_pupils_without_one(world):
    school = world["A"]
    run = school.run
    today = datetime.date(2026, 11, 23)
    InterventionRun.objects.filter(pk=run.pk).update(start_date=datetime.date(2026, 10, 5))
    run.refresh_from_db()
    # 23 November is 49 days, 7 whole weeks, after 5 October: the week 6 checkpoint is due.
    seen = InterventionPlaceFactory(run=run, pupil=PupilFactory(school=school.school))
    late = InterventionPlaceFactory(run=run, pupil=PupilFactory(school=school.school))
    ta = school.members[Role.TEACHING_ASSISTANT].user
    Checkpoint.objects.create(place=seen, week=6, score=10, recorded_by=ta)
    Checkpoint.objects.create(place=late, week=3, score=8, recorded_by=ta)
    # Three places: the world's group pupil (no checkpoint), `late` (week 3 only), `seen` (week 6).
    assert checkpoints_due([run], today) == {run.pk: (6, 2)}
    # Five weeks in (2 November is 28 days, 4 weeks): no checkpoint is due yet.
    assert checkpoints_due([run], datetime.date(2026, 11, 2)) == {}
    tasks = next_tasks(school.members[Role.TEACHING_ASSISTANT], today)
    assert [(t.count, t.text.split(" in ")[0]) for t in tasks if t.count] == [(2, "week 6 checkpoints due")]


def test_a_teacher_with_one_class_goes_straight_to_its_grid(client, world):
    school = world["A"]
    teacher = school.members[Role.TEACHER]
    client.force_login(teacher.user)
    response = client.get(reverse("my_grid"))
    assert response["Location"] == f"{reverse('assessment:grid')}?school_class={school.school_class.pk}"
    # With a second class the teacher chooses, as the SENCO does among every class.
    SchoolClassFactory(school=school.school, name="5 Elm", year_group=5).teachers.add(teacher.user)
    assert client.get(reverse("my_grid"))["Location"] == reverse("assessment:grid")


def test_the_head_sees_the_sign_off_waiting_and_the_governor_the_governor_sef(client, world):
    school = world["A"]
    client.force_login(school.members[Role.HEAD].user)
    assert "ready for your sign-off" not in client.get(reverse("home")).content.decode()
    SefReport.objects.create(
        school=school.school,
        academic_year=current_academic_year(),
        grade=Grade.GOOD,
        grade_rationale="Because.",
    )
    page = client.get(reverse("home")).content.decode()
    assert "ready for your sign-off" in page and reverse("reports:sef_sign_off") in page
    client.force_login(school.members[Role.GOVERNOR].user)
    page = client.get(reverse("home")).content.decode()
    assert "Read the draft SEF summary" in page and reverse("reports:sef_governor") in page
    assert f'href="{reverse("pupils:list")}"' not in page


@pytest.mark.parametrize("role", [Role.TEACHER, Role.TEACHING_ASSISTANT, Role.HEAD])
def test_the_overview_makes_the_same_queries_for_more_pupils(client, world, role, django_assert_num_queries):
    school = world["A"]
    today = datetime.date.today()
    InterventionRun.objects.filter(pk=school.run.pk).update(start_date=today - datetime.timedelta(days=50))
    client.force_login(school.members[role].user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for pupil in PupilFactory.create_batch(
        30, school=school.school, school_class=school.school_class, sen_status="K"
    ):
        InterventionPlaceFactory(run=school.run, pupil=pupil)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))
