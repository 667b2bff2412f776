"""Writes for a confirmed Common Transfer File: what `ctf_plan` planned, in bulk, with history.

Called by `services.import_batch_confirm` inside its transaction, after the plan was made again
with the pupils locked. New pupils and changed details are written with their history rows; SEN
status changes go through the same bulk path as the SEN status import (which works out each
pupil's current status again from the whole dated history); attendance years and key stage
results are added or corrected. A key stage 1 or 2 teacher assessment in reading, writing or
maths that is a pre-key stage standard or EM (the Engagement Model) is also kept as the pupil's
statutory outcome (assessment.engagement), which the pupil page and the next CTF show.
"""

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment.engagement import outcome_from_ctf
from assessment.models import StatutoryOutcome
from attendance.models import AttendanceYear
from pupils.models import KeyStageResult, Pupil, SenStatus, SenStatusChange

from .plans import CREATE, UPDATE


def store_ctf(plan, *, by, note, check, store_sen_changes):
    """`check(instance, row, exclude=...)` validates a record; `store_sen_changes(changes, by=...)`
    writes dated SEN changes, each (row, pupil, status, date, note). Both are the services
    module's own, passed in so that this module does not import it back."""
    new, updated, fields_written = [], [], set()
    for entry in plan.rows:
        if entry.action == CREATE:
            pupil = Pupil(school=plan.school, sen_status=SenStatus.NONE, **entry.fields)
            check(pupil, entry.row, exclude=("school", "school_class", "archived_by"))
            new.append((entry, pupil))
        elif entry.action == UPDATE and entry.fields:
            for name, value in entry.fields.items():
                setattr(entry.pupil, name, value)
            check(entry.pupil, entry.row, exclude=("school", "school_class", "archived_by"))
            fields_written.update(entry.fields)
            updated.append(entry.pupil)
    if new:
        created = bulk_create_with_history([p for _e, p in new], Pupil, batch_size=500, default_user=by)
        for (entry, _p), pupil in zip(new, created, strict=True):
            entry.pupil = pupil
    if updated:
        bulk_update_with_history(updated, Pupil, sorted(fields_written), batch_size=500, default_user=by)
    removed = [pk for entry in plan.rows for pk in entry.record.sen_removed]
    for change in SenStatusChange.objects.filter(pk__in=removed):
        change._history_user = by
        change.delete()  # one by one, so that each deletion is in the history
    sen = [(e.row, e.pupil, status, day, note) for e in plan.rows for status, day in e.record.sen]
    store_sen_changes(sen, by=by)
    _store_rows(plan, AttendanceYear, "attendance", by=by)
    _store_rows(plan, KeyStageResult, "results", by=by)
    _store_outcomes(plan, by=by)


def _store_rows(plan, model, name, *, by):
    to_create, to_update, fields = [], [], set()
    for entry in plan.rows:
        for record, values in getattr(entry.record, name):
            if record is None:
                to_create.append(model(pupil=entry.pupil, **values))
            else:
                for field_name, value in values.items():
                    setattr(record, field_name, value)
                fields.update(values)
                to_update.append(record)
    if to_create:
        bulk_create_with_history(to_create, model, batch_size=500, default_user=by)
    if to_update:
        bulk_update_with_history(to_update, model, sorted(fields), batch_size=500, default_user=by)


def _store_outcomes(plan, *, by):
    """The statutory outcomes among the results added or corrected: two queries and the writes."""
    found = {}
    for entry in plan.rows:
        for _record, values in entry.record.results:
            outcome = outcome_from_ctf(
                values.get("stage"),
                values.get("subject"),
                values.get("component"),
                values.get("method"),
                values.get("result"),
            )
            if outcome is not None and values.get("year"):
                key_stage, subject, code = outcome
                found[(entry.pupil.pk, int(key_stage), subject)] = (entry.pupil, values["year"] - 1, code)
    if not found:
        return
    stored = {
        (o.pupil_id, o.key_stage, o.subject): o
        for o in StatutoryOutcome.objects.filter(pupil_id__in={k[0] for k in found})
    }
    to_create, to_update = [], []
    for (pupil_id, key_stage, subject), (pupil, year, code) in found.items():
        row = stored.get((pupil_id, key_stage, subject))
        if row is None:
            to_create.append(
                StatutoryOutcome(
                    pupil=pupil,
                    key_stage=key_stage,
                    subject=subject,
                    academic_year=year,
                    outcome=code,
                    updated_by=by,
                )
            )
        elif (row.academic_year, row.outcome) != (year, code):
            row.academic_year, row.outcome, row.updated_by = year, code, by
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, StatutoryOutcome, batch_size=500, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, StatutoryOutcome, ["academic_year", "outcome", "updated_by"], default_user=by
        )
