"""Storing a checked file: all or nothing, through pupils.services, and idempotent."""

import datetime
import hashlib

import pytest
from django.db import IntegrityError
from django.utils import timezone

from imports import services
from imports.models import ImportBatch, ImportKind
from imports.selectors import import_preview
from pupils import services as pupil_services
from pupils.models import Pupil, SenStatusChange
from tests.factories import PupilFactory, SchoolFactory, valid_upn

from .files import UPN1, UPN2, UPN3, UPN4, pupils_csv, sen_csv

pytestmark = pytest.mark.django_db

D = datetime.date
PUPILS, SEN = ImportKind.PUPILS, ImportKind.SEN_STATUS


def check(school, content, kind=PUPILS, name="pupils.csv"):
    return import_preview(school=school, kind=kind, content=content, file_name=name)


def run(school, user, content, kind=PUPILS, name="pupils.csv"):
    """Check, keep and confirm a file as the browser does; the plan that was stored."""
    preview = check(school, content, kind, name)
    assert preview.errors == []
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user)


def history_rows():
    return Pupil.history.count(), SenStatusChange.history.count()


def test_pupils_import_creates_pupils_with_their_sen_status(school, oak, senco):
    plan = run(school, senco.user, pupils_csv())
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0}
    zoe, ava, dan = (Pupil.objects.get(upn=upn) for upn in (UPN1, UPN2, UPN3))
    assert (zoe.legal_forename, zoe.legal_surname, zoe.school_class) == ("Zoë", "Brontë", oak)
    assert (zoe.sen_status, zoe.sen_placed_on, zoe.primary_need) == ("K", D(2024, 9, 10), "SPLD")
    assert (zoe.pupil_premium, zoe.fsm, zoe.eal, zoe.lac) == (True, False, False, False)
    # No SEN status in the file: no SEN from birth, so a later SEN import can place the pupil.
    assert list(ava.sen_history.values_list("status", "effective_date")) == [("N", D(2016, 5, 4))]
    assert (ava.sen_status, ava.sen_placed_on, ava.eal) == ("N", None, True)
    assert (dan.preferred_forename, dan.school_class, dan.year_group) == ("Dan", None, 5)
    assert (dan.sen_status, dan.sen_placed_on) == ("E", D(2025, 2, 1))
    assert (dan.primary_need, dan.secondary_need, dan.fsm) == ("SEMH", "SLCN", True)
    # The bulk path writes each new pupil once, already with its SEN status: one history row
    # per pupil (3) and one per first SEN status change (3).
    assert history_rows() == (3, 3)
    assert {h.history_user for h in Pupil.history.all()} == {senco.user}
    assert set(SenStatusChange.objects.values_list("recorded_by", flat=True)) == {senco.user.pk}


def test_the_same_file_twice_changes_nothing_the_second_time(school, oak, senco):
    run(school, senco.user, pupils_csv())
    before = history_rows()
    plan = run(school, senco.user, pupils_csv())
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert history_rows() == before
    assert SenStatusChange.objects.count() == 3


def test_an_update_changes_only_what_differs(school, oak, senco):
    ava = PupilFactory(
        school=school,
        upn=UPN2,
        legal_surname="Khan",
        legal_forename="Ava",
        date_of_birth=D(2016, 5, 4),
        year_group=4,
        school_class=oak,
        pupil_premium=True,
        pen_portrait="Loves drawing.",
    )
    before = Pupil.history.count()
    # The file moves Ava to Year 5 with no class, says nothing of pen portraits, and has
    # no Pupil Premium column: those are left alone.
    content = (
        "UPN,Surname,Forename,DOB,Gender,Year,Form,EAL\r\n"
        f"{UPN2},Khan,Ava,04/05/2016,F,5,,Y\r\n"
        f"{UPN4},Smith,Jo,01/01/2016,M,5,,N\r\n"
    ).encode()
    plan = run(school, senco.user, content)
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 0}
    ava.refresh_from_db()
    assert (ava.year_group, ava.school_class, ava.eal) == (5, None, True)
    assert (ava.pupil_premium, ava.pen_portrait) == (True, "Loves drawing.")
    newest = Pupil.history.filter(id=ava.pk).latest("history_date")
    changed = {c.field for c in newest.diff_against(newest.prev_record).changes}
    assert changed == {"year_group", "school_class", "eal"}
    assert newest.history_user == senco.user
    assert Pupil.history.count() == before + 1 + 1  # Ava's update; Jo created (one row)


def test_one_bad_row_among_good_ones_stores_nothing(school, oak, senco):
    content = pupils_csv().replace(b"2015-11-30", b"31/02/2016")
    preview = check(school, content)
    assert [(e.row, e.column) for e in preview.errors] == [(4, "Date of Birth")]
    assert preview.errors[0].message == "31/02/2016 is not a real date: check the day and the month."
    assert not Pupil.objects.exists()
    with pytest.raises(ValueError):
        services.import_batch_create(school=school, by=senco.user, preview=preview, content=content)
    assert not ImportBatch.objects.exists()


def test_a_failure_while_storing_rolls_back_the_rows_already_stored(school, oak, senco, monkeypatch):
    preview = check(school, pupils_csv())
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=pupils_csv())
    real_create = services.bulk_create_with_history

    def fail_on_sen_changes(objs, model, **kwargs):
        # The pupils are already inserted when their SEN status changes are written.
        if model is SenStatusChange:
            raise IntegrityError("duplicate key")
        return real_create(objs, model, **kwargs)

    monkeypatch.setattr(services, "bulk_create_with_history", fail_on_sen_changes)
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_batch_confirm(batch=batch, by=senco.user)
    assert [str(e) for e in rejected.value.errors] == [
        "Someone changed these records while the file was being imported. Nothing was imported: "
        "confirm again, or upload the file again."
    ]
    assert not Pupil.objects.exists()
    assert history_rows() == (0, 0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_confirm_checks_again_against_the_records(school, oak, senco):
    run(school, senco.user, pupils_csv())
    preview = check(school, sen_csv(), SEN, "sen.csv")
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=sen_csv())
    ava = Pupil.objects.get(upn=UPN2)
    pupil_services.pupil_archive(pupil=ava, by=senco.user, reason="Left")
    changes_before = SenStatusChange.objects.count()
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_batch_confirm(batch=batch, by=senco.user)
    assert [str(e) for e in rejected.value.errors] == [
        "Row 2, UPN: This UPN belongs to Ava Khan, whose record is archived. Restore the "
        "record first if the pupil has come back, or take the row out of the file."
    ]
    assert SenStatusChange.objects.count() == changes_before
    batch.refresh_from_db()
    assert batch.is_pending


def test_batch_keeps_rows_until_confirmed_then_only_the_record(school, oak, senco):
    content = pupils_csv()
    preview = check(school, content)
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=content)
    assert (batch.kind, batch.file_name, batch.row_count) == (PUPILS, "pupils.csv", 3)
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert batch.payload[0]["date_of_birth"] == "2016-03-01"
    services.import_batch_confirm(batch=batch, by=senco.user)
    batch.refresh_from_db()
    assert (batch.status, batch.payload, batch.confirmed_by) == ("confirmed", [], senco.user)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)


def test_a_batch_is_imported_once(school, oak, senco):
    preview = check(school, pupils_csv())
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=pupils_csv())
    stale_copy = ImportBatch.objects.get(pk=batch.pk)
    services.import_batch_confirm(batch=batch, by=senco.user)
    with pytest.raises(services.BatchNotPending, match="already imported"):
        services.import_batch_confirm(batch=stale_copy, by=senco.user)
    assert Pupil.objects.count() == 3


def test_an_old_preview_cannot_be_confirmed_and_is_cleared(school, oak, senco):
    preview = check(school, pupils_csv())
    batch = services.import_batch_create(school=school, by=senco.user, preview=preview, content=pupils_csv())
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    batch.refresh_from_db()
    with pytest.raises(services.BatchNotPending, match="too old"):
        services.import_batch_confirm(batch=batch, by=senco.user)
    assert not Pupil.objects.exists()
    # The next upload in the school drops the old rows, which hold pupils' data.
    services.import_batch_create(school=school, by=senco.user, preview=preview, content=b"x")
    batch.refresh_from_db()
    assert (batch.status, batch.payload) == ("expired", [])


# --- SEN status imports -------------------------------------------------------------------


def test_sen_status_import_and_its_repeat(school, oak, senco):
    run(school, senco.user, pupils_csv())
    before = history_rows()
    plan = run(school, senco.user, sen_csv(), SEN, "sen.csv")
    # Ava: K from 15/01/2025 is new. Zoë: E from 03/03/2025 is new; K from 10/09/2024 is
    # already on record.
    assert plan.counts == {"create": 2, "update": 0, "unchanged": 1}
    zoe, ava = Pupil.objects.get(upn=UPN1), Pupil.objects.get(upn=UPN2)
    assert (ava.sen_status, ava.sen_placed_on) == ("K", D(2025, 1, 15))
    assert (zoe.sen_status, zoe.sen_placed_on) == ("E", D(2024, 9, 10))  # K to E keeps it
    assert SenStatusChange.objects.get(pupil=ava, status="K").note == "Imported from sen.csv"
    assert history_rows() == (before[0] + 2, before[1] + 2)
    after = history_rows()
    plan = run(school, senco.user, sen_csv(), SEN, "sen.csv")
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert history_rows() == after


def test_sen_import_keeps_each_rows_note(school, oak, senco):
    run(school, senco.user, pupils_csv())  # Zoë: K from 10/09/2024, Ava: no SEN
    headings = ["UPN", "SEN Status", "SEN Start Date", "Note"]
    rows = [
        [UPN2, "K", "15/01/2025", "Placed on SEN support after the  January review"],
        [UPN1, "E", "03/03/2025", ""],
    ]
    preview = check(school, sen_csv(rows, headings), SEN, "sen.csv")
    shown = {entry.upn: entry.changes for entry in preview.plan.rows}
    assert ("Note", "—", "Placed on SEN support after the January review") in shown[UPN2]
    run(school, senco.user, sen_csv(rows, headings), SEN, "sen.csv")
    ava, zoe = Pupil.objects.get(upn=UPN2), Pupil.objects.get(upn=UPN1)
    # The note as typed (spaces tidied), read back from the stored history; a row without a
    # note says where the change came from.
    assert ava.sen_history.get(effective_date=D(2025, 1, 15)).note == (
        "Placed on SEN support after the January review"
    )
    assert zoe.sen_history.get(effective_date=D(2025, 3, 3)).note == "Imported from sen.csv"
    assert ava.sen_history.get(effective_date=D(2025, 1, 15)).history.latest().note == (
        "Placed on SEN support after the January review"
    )


def test_a_new_note_for_a_change_on_record_corrects_the_note_only(school, oak, senco):
    run(school, senco.user, pupils_csv())
    run(school, senco.user, sen_csv(), SEN, "sen.csv")  # Ava: K from 15/01/2025, no note
    headings = ["UPN", "SEN Status", "SEN Start Date", "Notes"]
    rows = [[UPN2, "K", "15/01/2025", "Review with parents, speech and language referral"]]
    plan = run(school, senco.user, sen_csv(rows, headings), SEN, "notes.csv")
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 0}
    assert plan.rows[0].changes == [
        ("Note", "Imported from sen.csv", "Review with parents, speech and language referral")
    ]
    change = Pupil.objects.get(upn=UPN2).sen_history.get(effective_date=D(2025, 1, 15))
    assert (change.status, change.note) == ("K", "Review with parents, speech and language referral")
    # The same file again changes nothing.
    plan = run(school, senco.user, sen_csv(rows, headings), SEN, "notes.csv")
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_sen_row_already_in_force_changes_nothing_and_same_day_is_corrected(school, oak, senco):
    run(school, senco.user, pupils_csv())  # Zoë: K from 10/09/2024
    rows = [[UPN1, "K", "01/01/2025"], [UPN1, "E", "10/09/2024"]]
    plan = run(school, senco.user, sen_csv(rows), SEN, "sen.csv")
    # Both rows are read in date order: E from 10/09/2024 corrects the change of that day;
    # K from 01/01/2025 is then a move from E back to K, and new.
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 0}
    zoe = Pupil.objects.get(upn=UPN1)
    assert list(zoe.sen_history.order_by("effective_date").values_list("status", flat=True)) == [
        "E",
        "K",
    ]
    assert (zoe.sen_status, zoe.sen_placed_on) == ("K", D(2024, 9, 10))


def test_sen_rows_for_unknown_archived_or_unborn_pupils(school, senco):
    PupilFactory(
        school=school,
        upn=UPN1,
        legal_forename="Zoë",
        legal_surname="Brontë",
        date_of_birth=D(2016, 3, 1),
    )
    archived = PupilFactory(school=school, upn=UPN2, legal_forename="Ava", legal_surname="Khan")
    pupil_services.pupil_archive(pupil=archived, by=senco.user, reason="Left")
    PupilFactory(school=SchoolFactory(), upn=UPN3)  # another school's pupil is not found
    rows = [[UPN1, "K", "29/02/2016"], [UPN2, "K", "10/09/2024"], [UPN3, "K", "10/09/2024"]]
    preview = check(school, sen_csv(rows), SEN, "sen.csv")
    assert [str(e) for e in preview.errors] == [
        "Row 2, SEN Start Date: 29/02/2016 is before Zoë Brontë's date of birth (01/03/2016).",
        "Row 3, UPN: This UPN belongs to Ava Khan, whose record is archived. Restore the record "
        "first if the pupil has come back, or take the row out of the file.",
        f"Row 4, UPN: No pupil in this school has the UPN {UPN3}. Import the pupil first (a "
        "pupils import), or check the UPN.",
    ]


def test_a_later_change_on_record_is_pointed_out(school, senco):
    today = timezone.localdate()
    pupil_services.pupil_create(
        school=school,
        by=senco.user,
        upn=UPN1,
        legal_surname="Brontë",
        legal_forename="Zoë",
        date_of_birth=D(2016, 3, 1),
        gender="F",
        year_group=4,
    )  # N from today, as a pupil added in the browser
    preview = check(school, sen_csv([[UPN1, "K", "10/09/2024"]]), SEN, "sen.csv")
    assert preview.errors == []
    assert [str(w) for w in preview.plan.warnings] == [
        f"Row 2, SEN Start Date: The record has a later change (N from {today:%d/%m/%Y}), so "
        "after the import the current status is N, not K."
    ]


def test_pupil_file_sen_provision_needs_a_date_when_it_changes_anything(school, senco):
    headings = "UPN,Surname,Forename,DOB,Gender,Year,SEN Provision\r\n"
    new_with_k = f"{UPN4},Smith,Jo,01/01/2016,M,5,K\r\n"
    preview = check(school, (headings + new_with_k).encode())
    assert [str(e) for e in preview.errors] == [
        "Row 2, SEN Provision: Give the date this pupil's SEN provision (K) began, in a column "
        "headed “SEN Start Date”."
    ]
    PupilFactory(
        school=school,
        upn=UPN1,
        legal_surname="Brontë",
        legal_forename="Zoë",
        date_of_birth=D(2016, 3, 1),
        gender="F",
        year_group=4,
        sen_status="N",
    )
    same = f"{UPN1},Brontë,Zoë,01/03/2016,F,4,N\r\n"
    assert check(school, (headings + same).encode()).plan.counts["unchanged"] == 1
    changed = same.replace(",N\r\n", ",E\r\n")
    assert [str(e) for e in check(school, (headings + changed).encode()).errors] == [
        "Row 2, SEN Provision: The record has SEN status N and the file E: give the date of the "
        "change in a column headed “SEN Start Date”."
    ]


# --- Queries do not grow with the file ------------------------------------------------------


def pupil_rows(n, start=100):
    return [
        [valid_upn(start + i), f"Surname{i}", f"Forename{i}", "", "01/03/2016", "F", "4", "4 Oak"]
        + ["N", "N", "N", "N", "SPLD", "", "K", "10/09/2024"]
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [3, 60])
def test_preview_reads_in_a_fixed_number_of_queries(school, oak, senco, n, django_assert_max_num_queries):
    run(school, senco.user, pupils_csv(pupil_rows(n)))  # on record, so the file updates
    content = pupils_csv(pupil_rows(n)).replace(b",4,4 Oak,", b",4,,")
    # Classes for the parser; pupils, classes and SEN histories for the plan.
    with django_assert_max_num_queries(4):
        preview = check(school, content)
    assert preview.plan.counts == {"create": 0, "update": n, "unchanged": 0}
    sen = sen_csv([[valid_upn(100 + i), "K", "10/09/2024"] for i in range(n)])
    with django_assert_max_num_queries(2):  # pupils and SEN histories
        assert check(school, sen, SEN, "sen.csv").plan.counts["unchanged"] == n


def test_pupils_import_takes_social_care_post_looked_after_and_young_carer(school, oak, senco):
    headings = ["UPN", "Surname", "Forename", "DOB", "Gender", "Year", "Social Care", "PLAA", "Young Carer"]
    rows = [
        [UPN1, "Brontë", "Zoë", "04/05/2016", "F", "4", "CIN", "A", "S"],
        [UPN2, "Khan", "Ava", "04/05/2016", "F", "4", "Known before (a plan that has closed)", "", ""],
        [
            UPN3,
            "Okafor",
            "Dan",
            "04/05/2016",
            "M",
            "4",
            "",
            "Ceased to be looked after through a child arrangements order",
            "N",
        ],
    ]
    run(school, senco.user, pupils_csv(rows, headings))
    found = {p.upn: (p.social_care, p.post_looked_after, p.young_carer) for p in Pupil.objects.all()}
    assert found == {UPN1: ("CIN", "A", "S"), UPN2: ("PREV", "", "N"), UPN3: ("", "C", "N")}


def test_an_unknown_young_carer_code_is_reported_and_nothing_stored(school, oak):
    headings = ["UPN", "Surname", "Forename", "DOB", "Gender", "Year", "Young Carer"]
    preview = check(school, pupils_csv([[UPN1, "Brontë", "Zoë", "04/05/2016", "F", "4", "maybe"]], headings))
    assert any("is not a young carer code" in str(e) for e in preview.errors)
    assert not Pupil.objects.exists()
