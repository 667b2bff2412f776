"""Writes for attendance, exclusions, behaviour and participation. Each is one transaction,
checks the record with full_clean() and is kept in history under the user's name."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.calendar import academic_year_of
from schools import changes

from .models import Attendance, BehaviourCount, Exclusion, Participation
from .selectors import GRID_FIELDS


def _save(instance, *, by):
    instance._history_user = by
    instance.full_clean()
    instance.save()
    return instance


def _set(instance, fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _not_after_today(day, what):
    if day > timezone.localdate():
        raise ValidationError({what: "This date is in the future: record it once it has happened."})


@transaction.atomic
def attendance_record(*, pupil, by, academic_year, term, **sessions):
    """Record one term's sessions for a pupil, replacing what that term held."""
    record = Attendance.objects.filter(pupil=pupil, academic_year=academic_year, term=term).first()
    record = record or Attendance(pupil=pupil, academic_year=academic_year, term=term)
    changes.figures_changed(pupil.school_id)
    return _save(_set(record, sessions), by=by)


@transaction.atomic
def attendance_update(*, attendance, by, **fields):
    clash = (
        Attendance.objects.filter(
            pupil_id=attendance.pupil_id,
            academic_year=fields.get("academic_year", attendance.academic_year),
            term=fields.get("term", attendance.term),
        )
        .exclude(pk=attendance.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"term": "This pupil already has attendance for that term: edit that one."})
    changes.figures_changed(pupil_id=attendance.pupil_id)
    return _save(_set(attendance, fields), by=by)


@transaction.atomic
def exclusion_record(*, pupil, by, **fields):
    _not_after_today(fields["start_date"], "start_date")
    exclusion = Exclusion(pupil=pupil, recorded_by=by, academic_year=academic_year_of(fields["start_date"]))
    changes.figures_changed(pupil.school_id)
    return _save(_set(exclusion, fields), by=by)


@transaction.atomic
def exclusion_update(*, exclusion, by, **fields):
    if "start_date" in fields:
        _not_after_today(fields["start_date"], "start_date")
        fields["academic_year"] = academic_year_of(fields["start_date"])
    changes.figures_changed(pupil_id=exclusion.pupil_id)
    return _save(_set(exclusion, fields), by=by)


@transaction.atomic
def behaviour_count_record(*, pupil, by, academic_year, term, incidents):
    record = BehaviourCount.objects.filter(pupil=pupil, academic_year=academic_year, term=term).first()
    record = record or BehaviourCount(pupil=pupil, academic_year=academic_year, term=term)
    record.incidents = incidents
    return _save(record, by=by)


@transaction.atomic
def behaviour_count_update(*, behaviour, by, **fields):
    clash = (
        BehaviourCount.objects.filter(
            pupil_id=behaviour.pupil_id,
            academic_year=fields.get("academic_year", behaviour.academic_year),
            term=fields.get("term", behaviour.term),
        )
        .exclude(pk=behaviour.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {"term": "This pupil already has a behaviour count for that term: edit that one."}
        )
    return _save(_set(behaviour, fields), by=by)


@transaction.atomic
def participation_record(*, pupil, by, **fields):
    _not_after_today(fields["date"], "date")
    entry = Participation(pupil=pupil, academic_year=academic_year_of(fields["date"]))
    return _save(_set(entry, fields), by=by)


@transaction.atomic
def participation_update(*, participation, by, **fields):
    if "date" in fields:
        _not_after_today(fields["date"], "date")
        fields["academic_year"] = academic_year_of(fields["date"])
    return _save(_set(participation, fields), by=by)


# --- The termly grid ------------------------------------------------------------------------


@dataclass
class GridEntry:
    """What the SENCO typed for one pupil, and when the record they loaded was last saved."""

    pupil_id: int
    values: dict  # GRID_FIELDS -> int
    loaded_at: datetime.datetime | None  # updated_at of the record shown, None if there was none


@dataclass
class AttendanceGridResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: dict = field(default_factory=dict)  # pupil_id -> the record someone else saved
    errors: dict = field(default_factory=dict)  # pupil_id -> [messages]

    @property
    def saved(self):
        return not self.conflicts and not self.errors


@transaction.atomic
def attendance_grid_save(*, academic_year, term, entries, by):
    """Save a class's or year group's term in one bulk write, all or nothing.

    A row whose record was saved by someone else after the page was loaded, with different
    figures, is a conflict; any conflict or invalid row stores nothing, so the SENCO sees every
    problem at once and loses nothing typed.
    """
    existing = {
        record.pupil_id: record
        for record in Attendance.objects.select_for_update().filter(
            pupil_id__in=[e.pupil_id for e in entries], academic_year=academic_year, term=term
        )
    }
    result = AttendanceGridResult()
    to_create, to_update, now = [], [], timezone.now()
    for entry in entries:
        current = existing.get(entry.pupil_id)
        if current is not None:
            stored = {name: getattr(current, name) for name in GRID_FIELDS}
            if stored == entry.values:
                result.unchanged += 1
                continue
            if entry.loaded_at is None or current.updated_at != entry.loaded_at:
                result.conflicts[entry.pupil_id] = current
                continue
            record = _set(current, entry.values)
            record.updated_at = now
        else:
            record = Attendance(
                pupil_id=entry.pupil_id, academic_year=academic_year, term=term, **entry.values
            )
        try:
            record.full_clean(exclude=["pupil"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            result.errors[entry.pupil_id] = error.messages
            continue
        (to_update if current is not None else to_create).append(record)
    if not result.saved:
        transaction.set_rollback(True)
        return result
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=by)
        result.created = len(to_create)
    if to_update:
        bulk_update_with_history(to_update, Attendance, [*GRID_FIELDS, "updated_at"], default_user=by)
        result.updated = len(to_update)
    if to_create or to_update:
        changes.figures_changed(pupil_id=(to_create or to_update)[0].pupil_id)
    return result
