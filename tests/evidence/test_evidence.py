"""The evidence log: who reads and records what, the Part Two pages, and their query counts."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from evidence import selectors
from evidence.models import EvidenceItem, OfstedPrompt, PartTwoConclusion, PartTwoQuestion
from tests.factories import EvidenceItemFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_part_two_questions_and_prompts_are_loaded_as_data():
    assert PartTwoQuestion.objects.count() == 13
    # The thirteen Appendix A prompts and the five inclusion tags of the renewed framework (14 to 18).
    assert OfstedPrompt.objects.count() == 18
    assert OfstedPrompt.objects.get(number=10).short == "Exclusions"
    assert OfstedPrompt.objects.get(number=14).short == "Inclusion: identifying needs"
    assert "feel safe" in PartTwoQuestion.objects.get(number=6).text


def item_about(world_school, *pupils, summary, judgement="strength", question=1, day=None):
    item = EvidenceItemFactory(
        school=world_school.school,
        author=world_school.members[Role.SENCO].user,
        summary=summary,
        judgement=judgement,
        date=day or selectors.today(),
    )
    item.pupils.set(pupils)
    item.questions.set(PartTwoQuestion.objects.filter(number=question))
    return item


@pytest.fixture
def log(world):
    home = world["A"]
    return {
        "class": item_about(home, home.class_pupil, summary="Class pupil asked a question unprompted"),
        "group": item_about(
            home, home.group_pupil, summary="Group pupil read aloud", judgement="development"
        ),
        "other": item_about(home, home.other_pupil, summary="Other pupil settled quickly"),
        "school": item_about(home, summary="Learning walk across Key Stage 2", judgement="neutral"),
        "away": item_about(world["B"], world["B"].class_pupil, summary="Another school's observation"),
    }


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.SENCO, {"class", "group", "other", "school"}),
        (Role.HEAD, {"class", "group", "other", "school"}),
        (Role.TEACHER, {"class"}),
        (Role.TEACHING_ASSISTANT, {"group"}),
    ],
)
def test_each_role_reads_the_evidence_it_may(client, world, log, role, expected):
    client.force_login(world["A"].members[role].user)
    page = client.get(reverse("evidence:list")).content.decode()
    shown = {key for key, item in log.items() if item.summary in page}
    assert shown == expected


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.TRUST_LEAD])
def test_governors_get_no_pupil_level_evidence(client, world, log, role):
    client.force_login(world["A"].members[role].user)
    assert client.get(reverse("evidence:list")).status_code == 403
    assert client.get(reverse("evidence:detail", kwargs={"pk": log["class"].pk})).status_code == 403
    # The Part Two page of question 1: counts of strengths and areas, no summary, no pupil.
    response = client.get(reverse("evidence:question", kwargs={"number": 1}))
    assert response.status_code == 200
    page = response.content.decode()
    for item in log.values():
        assert item.summary not in page
    for pupil in world["A"].pupils:
        assert pupil.legal_surname not in page
    # Two strengths (class, other), one area for development (group), one neutral (school-wide).
    counts = selectors.part_two_question(
        world["A"].members[role], PartTwoQuestion.objects.get(number=1), selectors.current_academic_year()
    ).counts
    assert (counts.strengths.value, counts.developments.value, counts.neutral.value) == (2, 1, 1)
    assert 'Strengths found</dt><dd class="col-sm-8">2<' in page


def test_teacher_sees_only_their_pupil_on_an_item_about_two(client, world):
    home = world["A"]
    item = item_about(home, home.class_pupil, home.other_pupil, summary="Paired reading")
    client.force_login(home.members[Role.TEACHER].user)
    page = client.get(reverse("evidence:detail", kwargs={"pk": item.pk})).content.decode()
    assert home.class_pupil.legal_surname in page
    assert home.other_pupil.legal_surname not in page


def evidence_post(pupils, **extra):
    return {
        "source": "lesson_observation",
        "date": "2025-11-03",
        "summary": "Used a word mat without prompting.",
        "judgement": "strength",
        "pupils": [p.pk for p in pupils],
        "questions": [PartTwoQuestion.objects.get(number=5).pk],
        "prompts": [OfstedPrompt.objects.get(number=11).pk],
        **extra,
    }


def test_teacher_records_evidence_about_their_own_pupil(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    assert client.post(reverse("evidence:create"), evidence_post([home.class_pupil])).status_code == 302
    item = EvidenceItem.objects.get()
    assert item.school == home.school and item.author == home.members[Role.TEACHER].user
    assert list(item.pupils.all()) == [home.class_pupil]
    assert list(item.prompts.values_list("number", flat=True)) == [11]


@pytest.mark.parametrize("pupil_key", ["other_pupil", "away"])
def test_teacher_cannot_record_evidence_about_other_pupils(client, world, pupil_key):
    home = world["A"]
    pupil = world["B"].class_pupil if pupil_key == "away" else home.other_pupil
    client.force_login(home.members[Role.TEACHER].user)
    response = client.post(reverse("evidence:create"), evidence_post([pupil]))
    assert response.status_code == 400
    assert "Used a word mat without prompting." in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_only_the_senco_records_school_wide_evidence(client, world):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    response = client.post(reverse("evidence:create"), evidence_post([]))
    assert response.status_code == 400
    assert "Choose at least one of your pupils" in response.content.decode()
    client.force_login(home.members[Role.SENCO].user)
    assert (
        client.post(reverse("evidence:create"), evidence_post([], group="All of Year 4")).status_code == 302
    )
    assert EvidenceItem.objects.get().group == "All of Year 4"


@pytest.mark.parametrize("role", [Role.HEAD, Role.GOVERNOR])
def test_head_and_governor_cannot_record_evidence(client, world, role):
    client.force_login(world["A"].members[role].user)
    assert client.post(reverse("evidence:create"), evidence_post([world["A"].class_pupil])).status_code == 403
    assert not EvidenceItem.objects.exists()


def test_nonsense_input_is_a_400_not_a_500(client, world):
    client.force_login(world["A"].members[Role.SENCO].user)
    response = client.post(
        reverse("evidence:create"),
        {
            "source": "gossip",
            "date": "31/02/2025",
            "judgement": "great",
            "pupils": ["x"],
            "questions": ["999"],
        },
    )
    assert response.status_code == 400
    assert client.get(reverse("evidence:list"), {"year": "abc", "question": "zz"}).status_code == 200
    assert client.get(reverse("evidence:question", kwargs={"number": 99})).status_code == 404


def test_senco_keeps_a_conclusion_per_year(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    year = selectors.current_academic_year()
    url = reverse("evidence:conclusion", kwargs={"number": 6})
    assert client.post(url, {"year": year, "text": "Pupils say they feel safe."}).status_code == 302
    assert client.post(url, {"year": year - 1, "text": "Bullying was an issue."}).status_code == 302
    assert (
        client.post(url, {"year": year, "text": "Pupils feel safe; two reports resolved."}).status_code == 302
    )
    assert dict(PartTwoConclusion.objects.values_list("academic_year", "text")) == {
        year: "Pupils feel safe; two reports resolved.",
        year - 1: "Bullying was an issue.",
    }
    client.force_login(home.members[Role.HEAD].user)
    assert client.post(url, {"year": year, "text": "Head edits"}).status_code == 403
    page = client.get(reverse("evidence:question", kwargs={"number": 6})).content.decode()
    assert "two reports resolved" in page


def test_senco_edits_and_removes_an_attachment(client, world):
    from tests.evidence.url_table import evidence_of

    home = world["A"]
    item = evidence_of(home)
    client.force_login(home.members[Role.SENCO].user)
    data = evidence_post([home.class_pupil], summary="Corrected summary", remove_attachment="on")
    assert client.post(reverse("evidence:edit", kwargs={"pk": item.pk}), data).status_code == 302
    item.refresh_from_db()
    assert item.summary == "Corrected summary" and not item.attachment
    assert list(item.pupils.all()) == [home.class_pupil]


def add_items(world_school, n):
    for i in range(n):
        extra = PupilFactory(school=world_school.school, school_class=world_school.school_class)
        item = item_about(
            world_school, world_school.class_pupil, extra, summary=f"Item {i}", question=(i % 3) + 1
        )
        item.prompts.set(OfstedPrompt.objects.filter(number__in=[1, 2]))


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("role", [Role.SENCO, Role.TEACHER])
def test_pages_do_the_same_number_of_queries_at_two_sizes(
    client, world, django_assert_max_num_queries, size, role
):
    home = world["A"]
    add_items(home, size)
    client.force_login(home.members[role].user)
    # Session, user, membership, then: count, page of items, authors joined, pupils, questions, prompts.
    # The access log adds 9 to the first page, whatever the number of items: the items' pupils
    # (one query), the savepoint, the school's chain head made and locked and read (UPDATE ...
    # RETURNING), the entry, its pupil rows in one INSERT, the head's new hash, the savepoint
    # released; and 7 to the next page that reads pupils (the head is made).
    with django_assert_max_num_queries(12 + 9):
        assert client.get(reverse("evidence:list")).status_code == 200
    with django_assert_max_num_queries(13 + 7):
        assert client.get(reverse("evidence:question", kwargs={"number": 1})).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("evidence:part_two")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("evidence:prompts")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("evidence:conversations")).status_code == 200


def test_part_two_pdf(client, world, log):
    from tests.pdf import pdf_text

    client.force_login(world["A"].members[Role.GOVERNOR].user)
    response = client.get(reverse("evidence:part_two"), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Engagement and attitude" in text
    assert "Class pupil asked" not in text


def test_evidence_counts_by_prompt_for_the_reports(world):
    home = world["A"]
    add_items(home, 3)
    rows = {
        row.tag.number: row
        for row in selectors.prompt_overview(home.school, selectors.current_academic_year())
    }
    assert rows[1].counts.total.value == 3 and rows[2].counts.strengths.value == 3
    assert rows[3].counts.total.value == 0
    assert datetime.date.today().year >= 2025
