"""Retention (finding 3 of the data-protection audit): nothing was ever deleted. Now each school
sets how long it keeps each kind of record; the review lists what is due; a purge deletes the
records with their history and files and leaves a record of the purge that holds no data; a legal
hold stops it; a removed attachment's file goes from storage; orphan files are cleaned; and the
access log is purged from its oldest entry with a checkpoint, so its chain still verifies.

The cohort (today 1 March 2027, the default period: until the 25th birthday after leaving):
- Ada, left in 2020, born 1 March 2002: 25 today, due.
- Ben, left in 2020, born 2 March 2002: 25 tomorrow, not due.
- Cal, on roll, born 1990 (a data-entry slip): not due, a pupil on roll is never due.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from evidence.models import Conversation, EvidenceItem
from interventions import services as intervention_services
from interventions.models import Checkpoint, InterventionPlace, SessionAttendance
from plans.models import PlanTarget, SupportPlan
from pupils.access_log import AccessLogCheckpoint, AccessLogEntry, append, broken_links
from pupils.models import Pupil, SenStatusChange
from retention import services
from retention.models import Kind, LegalHold, PurgeRecord
from retention.selectors import due_pupils
from tests.factories import (
    ConversationFactory,
    EvidenceItemFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    PlanTargetFactory,
    PupilFactory,
    SenStatusChangeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)
LEFT = timezone.make_aware(datetime.datetime(2020, 7, 20, 12))


@pytest.fixture
def senco(db):
    return MembershipFactory(role=Role.SENCO)


@pytest.fixture
def cohort(senco):
    school = senco.school
    ada = PupilFactory(
        school=school, legal_forename="Ada", date_of_birth=datetime.date(2002, 3, 1), archived_at=LEFT
    )
    ben = PupilFactory(
        school=school, legal_forename="Ben", date_of_birth=datetime.date(2002, 3, 2), archived_at=LEFT
    )
    cal = PupilFactory(school=school, legal_forename="Cal", date_of_birth=datetime.date(1990, 1, 1))
    return ada, ben, cal


def test_due_follows_the_birthday_and_leaving(senco, cohort):
    ada, ben, cal = cohort
    assert list(due_pupils(senco.school, TODAY)) == [ada]
    # A school that keeps records until the 30th birthday: none due.
    services.policy_save(school=senco.school, by=senco.user, pupil_records_until_age=30)
    assert list(due_pupils(senco.school, TODAY)) == []


def give_a_full_record(pupil, other, senco):
    """A record across the apps: SEN history, a plan with a target, an intervention place with a
    checkpoint and session attendance, a conversation, evidence about the pupil alone (with a file)
    and evidence about the pupil and another pupil."""
    SenStatusChangeFactory(pupil=pupil)
    PlanTargetFactory(plan__pupil=pupil)
    run = InterventionRunFactory(intervention__school=pupil.school, start_date=datetime.date(2019, 9, 2))
    place = InterventionPlaceFactory(run=run, pupil=pupil)
    InterventionPlaceFactory(run=run, pupil=other)
    intervention_services.checkpoint_record(place=place, week=1, score=4, by=senco.user)
    intervention_services.session_record(
        run=run, date=run.start_date, minutes=20, present=[place], by=senco.user
    )
    ConversationFactory(pupil=pupil)
    alone = EvidenceItemFactory(school=pupil.school)
    alone.pupils.add(pupil)
    alone.attachment.save("reading-sample.pdf", ContentFile(b"%PDF-1.4 reading"))
    shared = EvidenceItemFactory(school=pupil.school)
    shared.pupils.add(pupil, other)
    return alone, shared


def test_a_purge_deletes_the_record_its_history_and_files_and_records_only_counts(
    senco, cohort, django_capture_on_commit_callbacks
):
    ada, ben, cal = cohort
    alone, shared = give_a_full_record(ada, ben, senco)
    stored = alone.attachment.name
    assert default_storage.exists(stored)
    # The file goes once the deletion is committed.
    with django_capture_on_commit_callbacks(execute=True):
        record = services.purge(school=senco.school, kind=Kind.PUPIL_RECORDS, by=senco.user, today=TODAY)

    assert not Pupil.objects.filter(pk=ada.pk).exists()
    for model in (SenStatusChange, SupportPlan, Conversation, InterventionPlace):
        assert not model.objects.filter(pupil=ada).exists(), model
    assert not PlanTarget.objects.filter(plan__pupil_id=ada.pk).exists()
    assert not Checkpoint.objects.filter(place__pupil_id=ada.pk).exists()
    assert not SessionAttendance.objects.filter(place__pupil_id=ada.pk).exists()
    # Evidence about Ada alone went, with its file; evidence about Ada and Ben stays, about Ben.
    assert not EvidenceItem.objects.filter(pk=alone.pk).exists()
    assert not default_storage.exists(stored)
    assert list(EvidenceItem.objects.get(pk=shared.pk).pupils.all()) == [ben]
    # No history row keeps Ada's data.
    assert not Pupil.history.filter(id=ada.pk).exists()
    assert not SenStatusChange.history.filter(pupil_id=ada.pk).exists()
    assert not InterventionPlace.history.filter(pupil_id=ada.pk).exists()
    assert not EvidenceItem.history.filter(id=alone.pk).exists()
    assert not EvidenceItem.pupils.through.objects.filter(pupil_id=ada.pk).exists()
    tag_history = apps.get_model("evidence", "HistoricalEvidenceItem_pupils")
    assert tag_history.objects.filter(pupil_id=ben.pk).exists()  # Ben's links are kept
    assert not tag_history.objects.filter(pupil_id=ada.pk).exists()
    # Ben and Cal are untouched.
    assert set(Pupil.objects.values_list("pk", flat=True)) == {ben.pk, cal.pk}
    # The record of the purge: kind, how many, files, when, by whom, and no name.
    assert (record.kind, record.count, record.files, record.held_back, record.purged_by_name) == (
        "pupils",
        1,
        1,
        0,
        senco.user.username,
    )
    assert "Ada" not in str(PurgeRecord.objects.values().get())


def test_a_legal_hold_on_a_pupil_holds_their_record_back(senco, cohort):
    ada = cohort[0]
    services.hold_set(school=senco.school, pupil=ada, reason="Tribunal appeal", by=senco.user)
    record = services.purge(school=senco.school, kind=Kind.PUPIL_RECORDS, by=senco.user, today=TODAY)
    assert (record.count, record.held_back) == (0, 1)
    assert Pupil.objects.filter(pk=ada.pk).exists()
    # Lifted, the record goes at the next purge.
    services.hold_lift(hold=LegalHold.objects.get(), by=senco.user)
    assert services.purge(school=senco.school, kind=Kind.PUPIL_RECORDS, by=senco.user, today=TODAY).count == 1


def test_a_hold_on_every_record_refuses_the_purge(client, senco, cohort):
    services.hold_set(school=senco.school, reason="Local authority inquiry", by=senco.user)
    with pytest.raises(services.PurgeRefused):
        services.purge(school=senco.school, kind=Kind.PUPIL_RECORDS, by=senco.user, today=TODAY)
    client.force_login(senco.user)
    response = client.post(reverse("retention:purge"), {"kind": "pupils", "confirm": "on"})
    assert response.status_code == 400
    assert "on legal hold (Local authority inquiry" in response.content.decode()
    assert not PurgeRecord.objects.exists()
    assert Pupil.objects.count() == 3


def test_the_page_asks_for_confirmation(client, senco, cohort):
    client.force_login(senco.user)
    response = client.post(reverse("retention:purge"), {"kind": "pupils"})
    assert response.status_code == 400
    assert "Tick the box to confirm the deletion." in response.content.decode()
    assert Pupil.objects.count() == 3


def test_the_review_lists_what_is_due_and_the_purge_from_the_page(client, senco, cohort, monkeypatch):
    monkeypatch.setattr("retention.views.timezone.localdate", lambda: TODAY)
    monkeypatch.setattr("retention.services.timezone.localdate", lambda: TODAY)
    client.force_login(senco.user)
    page = client.get(reverse("retention:review")).content.decode()
    due = page.split("Leavers whose records are due")[1].split("Legal holds")[0]
    assert "Ada" in due and "Ben" not in due and "Cal" not in due
    response = client.post(reverse("retention:purge"), {"kind": "pupils", "confirm": "on"}, follow=True)
    assert "Deleted 1 records of pupils who have left." in response.content.decode()
    assert PurgeRecord.objects.get().purged_by == senco.user


def test_the_head_reviews_but_cannot_purge(client, senco, cohort):
    head = MembershipFactory(role=Role.HEAD, school=senco.school)
    client.force_login(head.user)
    page = client.get(reverse("retention:review"))
    assert page.status_code == 200 and "Delete these" not in page.content.decode()
    assert client.post(reverse("retention:purge"), {"kind": "pupils", "confirm": "on"}).status_code == 403


def test_the_command_purges_every_school(senco, cohort, capsys, monkeypatch):
    monkeypatch.setattr("retention.management.commands.purge_due.timezone.localdate", lambda: TODAY)
    call_command("purge_due", "--kind", "pupils", "--dry-run")
    assert "1 records of pupils who have left due" in capsys.readouterr().out
    call_command("purge_due", "--kind", "pupils")
    assert "deleted 1 records of pupils who have left, 0 file(s)" in capsys.readouterr().out
    assert PurgeRecord.objects.get().purged_by_name == "a scheduled command"


# -- files


def test_removing_an_attachment_deletes_its_file(senco, django_capture_on_commit_callbacks):
    from evidence import services as evidence_services

    item = EvidenceItemFactory(school=senco.school)
    item.attachment.save("note.pdf", ContentFile(b"%PDF-1.4 note"))
    name = item.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_update(item=item, membership=senco, remove_attachment=True)
    assert not default_storage.exists(name)


def test_orphan_files_are_cleaned_and_referenced_ones_kept(senco, capsys):
    import os

    item = EvidenceItemFactory(school=senco.school)
    item.attachment.save("kept.pdf", ContentFile(b"%PDF-1.4 kept"))
    orphan = default_storage.save("evidence/lost.pdf", ContentFile(b"%PDF-1.4 lost"))
    fresh = default_storage.save("evidence/uploading.pdf", ContentFile(b"%PDF-1.4 now"))
    two_hours_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    for name in (orphan, item.attachment.name):
        os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))
    call_command("clean_orphan_files")
    assert f"Deleted {orphan}" in capsys.readouterr().out
    assert not default_storage.exists(orphan)
    assert default_storage.exists(item.attachment.name)
    assert default_storage.exists(fresh)  # too new: an upload may be under way


# -- the access log


def entry_at(school, when, n):
    return append(
        school.pk,
        [1],
        at=when,
        user=None,
        username=f"u{n}",
        role="senco",
        how="page",
        what="pupil",
        path="/",
        detail="",
    )


def test_the_access_log_is_purged_from_its_oldest_entry_and_still_verifies(senco):
    school = senco.school
    old = timezone.make_aware(datetime.datetime(2020, 1, 1))
    recent = timezone.make_aware(datetime.datetime(2026, 6, 1))
    for n in range(3):
        entry_at(school, old, n)
    for n in range(2):
        entry_at(school, recent, n + 3)
    # Default: 6 years. Before 1 March 2021: the three entries of 2020.
    record = services.purge(school=school, kind=Kind.ACCESS_LOG, by=senco.user, today=TODAY)
    assert record.count == 3
    assert list(AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [4, 5]
    checkpoint = AccessLogCheckpoint.objects.get()
    assert (checkpoint.up_to_sequence, checkpoint.purged) == (3, 3)
    assert list(broken_links(school)) == []
    call_command("verify_access_log", school=school.urn)
    # And a new entry still chains on.
    entry_at(school, timezone.now(), 6)
    assert list(broken_links(school)) == []
