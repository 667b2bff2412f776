import datetime

import pytest

from core.roles import Role
from demo.generator import build_demo
from evidence import selectors
from evidence.models import Conversation, ConversationTarget, EvidenceItem, Survey, SurveyAnswerCount

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 2, 23)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_demo(pupils=420, seed=7, today=TODAY)


def test_evidence_conversations_and_surveys_for_the_main_school(demo):
    main = demo["schools"][0].school
    items = EvidenceItem.objects.filter(school=main)
    assert items.count() >= 50
    assert items.filter(date__gt=TODAY).count() == 0
    assert set(items.values_list("source", flat=True)) >= {
        "lesson_observation",
        "governor_visit",
        "plan_review",
    }
    assert items.filter(pupils__isnull=True).exists() and items.filter(questions__number=12).exists()
    # The demo teacher and TA each see some evidence, and only about their own pupils.
    teacher = demo["users"]["teacher"].memberships.get(school=main)
    visible = EvidenceItem.objects.for_membership(teacher)
    assert visible.exists()
    assert not visible.exclude(pupils__school_class=demo["teacher_class"]).exists()
    ta = demo["users"]["ta"].memberships.get(school=main, role=Role.TEACHING_ASSISTANT)
    assert EvidenceItem.objects.for_membership(ta).exists()

    conversations = Conversation.objects.filter(pupil__school=main)
    assert conversations.filter(date__gt=TODAY).count() == 0
    assert (
        ConversationTarget.objects.filter(conversation__pupil__school=main).count()
        == 2 * conversations.count()
    )
    figures = selectors.conversation_participation(main, 2025)
    assert figures.send_pupils == 77
    # By 23 February 2026 a family can have had two conversations at most (autumn and spring).
    assert figures.three.numerator == 0 and figures.two.numerator > 0 and figures.none.numerator > 0
    last_year = selectors.conversation_participation(main, 2024)
    assert last_year.three.numerator > 0

    surveys = Survey.objects.filter(school=main)
    assert set(surveys.values_list("kind", flat=True)) == {"staff", "pupil", "parent"}
    staff = surveys.get(kind="staff")
    results = selectors.survey_results(staff)
    assert len(results.rounds) == 2
    # Ten TAs: Fairly or Very 8/10 before, 10/10 after.
    assert str(results.questions[0].rounds[1].positive) == "100% (10/10)"
    assert results.questions[0].change_points == 20
    assert SurveyAnswerCount.objects.filter(round__survey__school=main).count() == (2 + 3 + 2) * 2 * 4
