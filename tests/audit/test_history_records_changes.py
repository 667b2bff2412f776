"""The changes the audit found unrecorded now leave history rows, through the services that make
them (finding 2): a place's baseline, exit score and notes; session attendance (made in bulk);
evidence tags (the link tables); a class's teachers and a membership's role."""

from decimal import Decimal

import pytest

from core.roles import Role
from evidence.models import PartTwoQuestion
from interventions import services as intervention_services
from interventions.models import SessionAttendance
from tests.factories import EvidenceItemFactory, InterventionPlaceFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_places_baseline_exit_score_and_notes_keep_their_history(world):
    place = world["A"].run.places.get()
    intervention_services.place_update(place=place, baseline=Decimal("12"), progress_details="Reads words")
    intervention_services.place_update(place=place, exit_score=Decimal("19"))
    versions = list(
        place.history.order_by("history_date").values_list("baseline", "exit_score", "progress_details")
    )
    # Made (by the factory), then two updates.
    assert versions == [
        (None, None, ""),
        (Decimal("12.0"), None, "Reads words"),
        (Decimal("12.0"), Decimal("19.0"), "Reads words"),
    ]


def test_places_and_session_attendance_made_in_bulk_keep_their_history(world):
    home = world["A"]
    run = home.run
    InterventionPlaceFactory(run=run, pupil=home.other_pupil)
    ta = home.members[Role.TEACHING_ASSISTANT].user
    places = list(run.places.order_by("pk"))
    intervention_services.session_record(run=run, date=run.start_date, minutes=30, present=[places[0]], by=ta)
    # Two places, two attendance rows, each with one "created" history row by the assistant.
    history = SessionAttendance.history.order_by("place_id")
    assert list(history.values_list("place_id", "present", "history_type", "history_user")) == [
        (places[0].pk, True, "+", ta.pk),
        (places[1].pk, False, "+", ta.pk),
    ]
    # A pupil added to the run by its form (a bulk create) has a history row too.
    newcomer = PupilFactory(school=home.school)
    intervention_services.run_save(
        intervention=run.intervention,
        run=run,
        staff=[ta],
        pupils=[home.group_pupil, home.other_pupil, newcomer],
        **{name: getattr(run, name) for name in intervention_services.RUN_FIELDS},
    )
    added = run.places.get(pupil=newcomer)
    assert list(added.history.values_list("history_type", flat=True)) == ["+"]


def test_evidence_tags_keep_their_history(world):
    item = EvidenceItemFactory(school=world["A"].school)
    question = PartTwoQuestion.objects.order_by("pk").first()
    item.questions.add(question)
    item.pupils.add(world["A"].class_pupil)
    latest = item.history.order_by("-history_id").first()
    assert [row.parttwoquestion_id for row in latest.questions.all()] == [question.pk]
    assert [row.pupil_id for row in latest.pupils.all()] == [world["A"].class_pupil.pk]
    item.questions.remove(question)
    assert item.history.order_by("-history_id").first().questions.count() == 0


def test_class_teachers_and_memberships_keep_their_history(world):
    home = world["A"]
    newcomer = UserFactory()
    home.school_class.teachers.add(newcomer)
    latest = home.school_class.history.order_by("-history_id").first()
    assert sorted(row.user_id for row in latest.teachers.all()) == sorted(
        [home.members[Role.TEACHER].user.pk, newcomer.pk]
    )
    membership = home.members[Role.GOVERNOR]
    membership.role = Role.HEAD
    membership.save()
    assert list(membership.history.order_by("history_id").values_list("role", flat=True))[-1] == Role.HEAD


def test_a_case_study_edit_keeps_its_history(world):
    from reports.models import CaseStudy

    study = CaseStudy.objects.create(pupil=world["A"].class_pupil, pupil_label="Pupil A")
    study.pupil_label = "Pupil B"
    study.save()
    assert list(study.history.order_by("history_id").values_list("pupil_label", flat=True)) == [
        "Pupil A",
        "Pupil B",
    ]
