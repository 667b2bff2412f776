"""Writes to pupil data. Each is one transaction and leaves a history record naming the user."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools import changes

from .models import SEN_STATUSES_ON_RECORD, Concern, Pupil, SenStatus, SenStatusChange
from .upn import normalise_upn


def _normalise(fields):
    if "upn" in fields:
        fields["upn"] = normalise_upn(fields["upn"])
    return fields


def _save(instance, *, by):
    instance._history_user = by
    instance.full_clean()
    instance.save()


def current_sen(changes):
    """The current status and placement date from (status, date) pairs in date order.

    The placement date is the start of the current unbroken spell on the record: the
    earliest change after the most recent return to N (a move from K to E keeps it).
    """
    status, placed_on = SenStatus.NONE, None
    for change_status, when in changes:
        on_record = change_status in SEN_STATUSES_ON_RECORD
        placed_on = (placed_on or when) if on_record else None
        status = change_status
    return status, placed_on


def _refresh_current_sen(pupil):
    changes = pupil.sen_history.order_by("effective_date").values_list("status", "effective_date")
    pupil.sen_status, pupil.sen_placed_on = current_sen(changes)


@transaction.atomic
def pupil_create(*, school, by, sen_status=SenStatus.NONE, sen_status_date=None, agencies=(), **fields):
    pupil = Pupil(school=school, **_normalise(fields))
    _save(pupil, by=by)
    if agencies:
        pupil.agencies.set(agencies)
    pupil_set_sen_status(
        pupil=pupil,
        status=sen_status,
        effective_date=sen_status_date or timezone.localdate(),
        by=by,
        note="Status when the record was created",
    )
    return pupil


@transaction.atomic
def pupil_update(*, pupil, by, agencies=None, **fields):
    for name, value in _normalise(fields).items():
        setattr(pupil, name, value)
    _save(pupil, by=by)
    if agencies is not None:
        pupil.agencies.set(agencies)
    changes.figures_changed(pupil.school_id)  # year group, need, on roll: the figures' groups
    return pupil


@transaction.atomic
def pupil_set_sen_status(*, pupil, status, effective_date, by, note="", primary_need=""):
    """Record a movement on the SEN record (placed, removed, K to E, E to K) from a date, with
    the pupil's primary need when one is given (the form asks for it when a pupil joins)."""
    if effective_date > timezone.localdate():
        raise ValidationError({"effective_date": "The date of a change cannot be in the future."})
    if pupil.date_of_birth and effective_date < pupil.date_of_birth:
        raise ValidationError({"effective_date": "The date of a change cannot be before the pupil was born."})
    existing = pupil.sen_history.filter(effective_date=effective_date).first()
    change = existing or SenStatusChange(pupil=pupil, effective_date=effective_date)
    change.status, change.note, change.recorded_by = status, note, by
    _save(change, by=by)
    _refresh_current_sen(pupil)
    if primary_need:
        pupil.primary_need = primary_need
    _save(pupil, by=by)
    changes.figures_changed(pupil.school_id)
    return change


@transaction.atomic
def pupil_archive(*, pupil, by, reason):
    """Archive instead of delete: the record leaves every list but is kept, with its history."""
    if pupil.is_archived:
        raise ValidationError("This pupil is already archived.")
    if not reason.strip():
        raise ValidationError(
            {"archive_reason": "Say why the record is archived (for example, left the school)."}
        )
    pupil.archived_at, pupil.archived_by, pupil.archive_reason = timezone.now(), by, reason.strip()
    _save(pupil, by=by)
    changes.figures_changed(pupil.school_id)
    return pupil


@transaction.atomic
def pupil_restore(*, pupil, by):
    pupil.archived_at, pupil.archived_by, pupil.archive_reason = None, None, ""
    _save(pupil, by=by)
    changes.figures_changed(pupil.school_id)
    return pupil


@transaction.atomic
def concern_record(*, pupil, by, raised_on, raised_by, summary, concern=None):
    """Record (or correct) a concern raised about a pupil on a date."""
    if raised_on > timezone.localdate():
        raise ValidationError({"raised_on": "A concern cannot be raised in the future."})
    if pupil.date_of_birth and raised_on < pupil.date_of_birth:
        raise ValidationError({"raised_on": "A concern cannot be raised before the pupil was born."})
    concern = concern or Concern(pupil=pupil, recorded_by=by)
    concern.raised_on, concern.raised_by, concern.summary = raised_on, raised_by, summary.strip()
    _save(concern, by=by)
    return concern
