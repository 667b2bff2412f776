import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pupils import services
from pupils.models import Pupil, SenStatus
from tests.factories import PupilFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def by():
    return UserFactory(username="sam.senco")


def make_pupil(by, **extra):
    fields = dict(
        school=SchoolFactory(),
        by=by,
        upn="p207 000016049",
        legal_forename="Ava",
        legal_surname="Khan",
        date_of_birth=D(2016, 5, 4),
        gender="F",
        year_group=4,
    )
    fields.update(extra)
    return services.pupil_create(**fields)


def test_create_normalises_upn_and_starts_sen_history(by):
    pupil = make_pupil(by, sen_status=SenStatus.SEN_SUPPORT, sen_status_date=D(2023, 1, 9))
    assert pupil.upn == "P207000016049"
    assert pupil.sen_status == SenStatus.SEN_SUPPORT
    assert pupil.sen_placed_on == D(2023, 1, 9)
    assert list(pupil.sen_history.values_list("status", "effective_date")) == [("K", D(2023, 1, 9))]


def test_create_rejects_bad_upn_and_stores_nothing(by):
    with pytest.raises(ValidationError) as error:
        make_pupil(by, upn="A207000016049")
    assert "check letter" in str(error.value)
    assert Pupil.objects.count() == 0


def test_sen_history_keeps_every_movement_and_placement_date(by):
    pupil = make_pupil(by, sen_status_date=D(2021, 9, 6))  # N on entry
    services.pupil_set_sen_status(pupil=pupil, status="K", effective_date=D(2022, 3, 1), by=by)
    services.pupil_set_sen_status(pupil=pupil, status="E", effective_date=D(2023, 6, 12), by=by)
    pupil.refresh_from_db()
    # K to E keeps the date first placed on the record.
    assert (pupil.sen_status, pupil.sen_placed_on) == ("E", D(2022, 3, 1))
    services.pupil_set_sen_status(pupil=pupil, status="N", effective_date=D(2024, 7, 19), by=by)
    services.pupil_set_sen_status(pupil=pupil, status="K", effective_date=D(2025, 1, 6), by=by)
    pupil.refresh_from_db()
    # Off the record and back on: a new spell starts.
    assert (pupil.sen_status, pupil.sen_placed_on) == ("K", D(2025, 1, 6))
    assert list(pupil.sen_history.order_by("effective_date").values_list("status", flat=True)) == [
        "N",
        "K",
        "E",
        "N",
        "K",
    ]


def test_backdated_change_is_placed_in_order(by):
    pupil = make_pupil(by, sen_status="K", sen_status_date=D(2024, 1, 8))
    # Recorded late: an earlier removal does not become the current status.
    services.pupil_set_sen_status(pupil=pupil, status="N", effective_date=D(2023, 1, 8), by=by)
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.sen_placed_on) == ("K", D(2024, 1, 8))


def test_future_dated_change_is_refused(by):
    pupil = make_pupil(by)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.pupil_set_sen_status(pupil=pupil, status="K", effective_date=tomorrow, by=by)
    pupil.refresh_from_db()
    assert pupil.sen_status == "N"


def test_archive_keeps_the_record_and_hides_it(by):
    pupil = make_pupil(by)
    services.pupil_archive(pupil=pupil, by=by, reason="Left for secondary school")
    assert Pupil.objects.filter(pk=pupil.pk).exists()
    assert not Pupil.objects.active().filter(pk=pupil.pk).exists()
    pupil.refresh_from_db()
    assert pupil.archived_by == by and pupil.archive_reason == "Left for secondary school"
    services.pupil_restore(pupil=pupil, by=by)
    assert Pupil.objects.active().filter(pk=pupil.pk).exists()


def test_archive_needs_a_reason(by):
    pupil = make_pupil(by)
    with pytest.raises(ValidationError):
        services.pupil_archive(pupil=pupil, by=by, reason="  ")


def test_pupils_cannot_be_deleted_while_they_have_history():
    from django.db.models import ProtectedError

    pupil = PupilFactory()
    services.pupil_set_sen_status(pupil=pupil, status="K", effective_date=D(2024, 1, 8), by=None)
    with pytest.raises(ProtectedError):
        pupil.delete()


def test_every_change_is_kept_with_who_when_before_after(by):
    pupil = make_pupil(by)
    other = UserFactory(username="hana.head")
    services.pupil_update(pupil=pupil, by=other, legal_surname="Khan-Smith", eal=True)
    latest = pupil.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == other
    delta = latest.diff_against(latest.prev_record)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert changed["legal_surname"] == ("Khan", "Khan-Smith")
    assert changed["eal"] == (False, True)


def test_concern_is_recorded_with_its_date_and_who_raised_it(by):
    pupil = make_pupil(by)
    concern = services.concern_record(
        pupil=pupil, by=by, raised_on=D(2024, 10, 3), raised_by="parent", summary="  Slow to start reading.  "
    )
    assert (concern.raised_on, concern.raised_by, concern.summary) == (
        D(2024, 10, 3),
        "parent",
        "Slow to start reading.",
    )
    assert concern.recorded_by == by
    assert concern.history.first().history_user == by
    assert list(pupil.concerns.all()) == [concern]


def test_concern_cannot_be_in_the_future_or_before_birth(by):
    pupil = make_pupil(by)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for day, message in ((tomorrow, "future"), (D(2015, 1, 1), "born")):
        with pytest.raises(ValidationError, match=message):
            services.concern_record(pupil=pupil, by=by, raised_on=day, raised_by="teacher", summary="x")
    assert not pupil.concerns.exists()


def test_concern_needs_a_summary_and_a_known_source(by):
    pupil = make_pupil(by)
    with pytest.raises(ValidationError) as error:
        services.concern_record(pupil=pupil, by=by, raised_on=D(2024, 1, 8), raised_by="nobody", summary="  ")
    assert set(error.value.message_dict) == {"raised_by", "summary"}
