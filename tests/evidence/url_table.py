"""Who may open each page of the evidence app (walked by tests/schools/test_permissions.py)."""

from django.core.files.base import ContentFile

from core.roles import Role
from tests.url_tables import ALL, LEADERS, STAFF

SENCO = {Role.SENCO}
RECORDERS = {Role.SENCO, Role.TEACHER, Role.TEACHING_ASSISTANT}


def evidence_of(world_school):
    """An item about the teacher's class pupil and the assistant's group pupil, with a file, so
    every staff role can open it and each sees only the pupil they may see."""
    from evidence.models import EvidenceItem

    item = EvidenceItem.objects.create(
        school=world_school.school,
        source="lesson_observation",
        date="2025-10-07",
        author=world_school.members[Role.SENCO].user,
        summary="Both pupils worked independently for ten minutes.",
        judgement="strength",
        attachment_name="notes.txt",
        attachment_type="text/plain",
    )
    item.attachment.save("notes.txt", ContentFile(b"Observation notes\n"), save=True)
    item.pupils.set([world_school.class_pupil, world_school.group_pupil])
    return item


def conversation_of(world_school):
    """A conversation with the class pupil's family: the teaching assistant does not teach that
    pupil, so it answers 404 for them (the table lists the roles that reach it)."""
    from tests.factories import ConversationFactory

    return ConversationFactory(
        pupil=world_school.class_pupil, recorded_by=world_school.members[Role.SENCO].user
    )


def survey_of(world_school):
    from tests.factories import SurveyFactory

    survey = SurveyFactory(school=world_school.school)
    survey.questions.create(order=1, text="How confident are you?")
    return survey


PERMISSIONS = {
    "evidence:list": ("get", STAFF, False),
    "evidence:create": ("get", RECORDERS, False),
    "evidence:detail": ("get", STAFF, "evidence"),
    "evidence:edit": ("get", SENCO, "evidence"),
    "evidence:attachment": ("get", STAFF, "evidence"),
    "evidence:part_two": ("get", ALL, False),
    "evidence:question": ("get", ALL, False),
    "evidence:conclusion": ("post", SENCO, False),
    "evidence:prompts": ("get", ALL, False),
    "evidence:conversations": ("get", ALL, False),
    "evidence:conversation_create": ("get", {Role.SENCO, Role.TEACHER}, True),
    "evidence:conversation_new": ("get", {Role.SENCO, Role.TEACHER}, False),
    "evidence:conversation": ("get", LEADERS | {Role.TEACHER}, "conversation"),
    "evidence:conversation_review": ("get", {Role.SENCO, Role.TEACHER}, "conversation"),
    "evidence:surveys": ("get", ALL, False),
    "evidence:survey_create": ("get", SENCO, False),
    "evidence:survey": ("get", ALL, "survey"),
    "evidence:survey_round": ("get", SENCO, "survey"),
}
TARGETS = {"evidence": evidence_of, "conversation": conversation_of, "survey": survey_of}
EXTRA_KWARGS = {"evidence:question": {"number": 1}, "evidence:conclusion": {"number": 1}}
