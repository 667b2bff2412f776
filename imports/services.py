"""Writes for imports. A file is stored whole or not at all, in bulk (bulk_create_with_history
and bulk_update_with_history), so every change is in history under the name of the person
who confirmed it, and a file of thousands of rows takes a few queries rather than thousands."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment.frameworks import progress_refresh
from assessment.models import Assessment
from attendance.models import Attendance, BehaviourCount
from pupils.models import Pupil, SenStatusChange
from pupils.services import current_sen
from schools import changes

from .ctf_store import store_ctf
from .errors import RowError
from .models import ImportBatch, ImportKind
from .parsing import rows_to_json
from .plans import CREATE, UNCHANGED, UPDATE
from .selectors import batch_plan

DEFAULT_BATCH_MAX_AGE = datetime.timedelta(days=1)


class ImportRejected(Exception):
    """Nothing was stored: the rows no longer fit the records. `errors` says why."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s): nothing was imported.")
        self.errors = errors


class BatchNotPending(Exception):
    """The batch was already imported, or waited too long to be confirmed."""


def batch_max_age():
    return getattr(settings, "IMPORT_BATCH_MAX_AGE", DEFAULT_BATCH_MAX_AGE)


def batch_is_stale(batch):
    return batch.is_pending and batch.created_at < timezone.now() - batch_max_age()


def import_batch_expire_old(*, school=None):
    """Drop the rows of previews left unconfirmed too long: they hold pupils' data. With no
    school, every school's (the hourly job)."""
    cutoff = timezone.now() - batch_max_age()
    waiting = ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=cutoff)
    if school is not None:
        waiting = waiting.filter(school=school)
    return waiting.update(status=ImportBatch.Status.EXPIRED, payload=[])


@transaction.atomic
def import_batch_create(*, school, by, preview, content):
    """Keep a checked file's rows until the SENCO confirms them; the file itself is not kept."""
    if not preview.ok:
        raise ValueError("Only a file without errors can wait for confirmation.")
    import_batch_expire_old(school=school)
    parsed = preview.parsed
    batch = ImportBatch(
        school=school,
        user=by,
        kind=parsed.kind,
        file_name=parsed.file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        row_count=len(parsed.rows),
        columns=parsed.columns,
        payload=rows_to_json(parsed.rows),
    )
    batch.full_clean()
    batch.save()
    return batch


@transaction.atomic
def import_batch_confirm(*, batch, by, decisions=None, progress=None):
    """Store a waiting batch, checked again against the records as they are now.

    The batch is claimed with a conditional UPDATE, so two confirmations of one batch (a
    double click, two tabs) import it once. Any problem raises ImportRejected and the
    transaction leaves everything, the batch included, as it was.
    """
    if batch_is_stale(batch):
        raise BatchNotPending(
            "This preview is too old to confirm: upload the file again to check it against "
            "the records as they are now."
        )
    now = timezone.now()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.CONFIRMED, confirmed_at=now, confirmed_by=by
    )
    if not claimed:
        batch.refresh_from_db()
        raise BatchNotPending(
            f"This file was already {batch.get_status_display().lower()}; nothing more was done."
        )
    progress = progress or (lambda done, total, step="": None)
    progress(0, batch.row_count, "checking every row against the records as they are now")
    plan = batch_plan(batch, lock=True, decisions=decisions)
    if plan.errors:
        raise ImportRejected(plan.errors)
    progress(batch.row_count // 2, batch.row_count, "storing the rows and their history")
    _apply(plan, by=by, note=imported_note(batch.file_name))
    changes.figures_changed(batch.school_id)
    counts = plan.counts
    batch.status, batch.confirmed_at, batch.confirmed_by = ImportBatch.Status.CONFIRMED, now, by
    batch.created_count = counts[CREATE]
    batch.updated_count = counts[UPDATE]
    batch.unchanged_count = counts[UNCHANGED]
    batch.payload = []
    batch.full_clean()
    batch.save()
    return plan


def imported_note(file_name):
    """The note of a SEN status change whose row gave none."""
    return f"Imported from {file_name}"[:300]


def _apply(plan, *, by, note):
    """Write what the plan says, in bulk: a few queries per kind, not per row. `note` is the
    note of each SEN status change whose row has none of its own."""
    try:
        if plan.kind == ImportKind.PUPILS:
            _store_pupils(plan, by=by, note=note)
        elif plan.kind == ImportKind.SEN_STATUS:
            changes = [
                (entry.row, entry.pupil, *entry.sen, entry.sen_note or note)
                for entry in plan.rows
                if entry.sen
            ]
            _store_sen_changes(changes, by=by)
        elif plan.kind == ImportKind.CTF:
            store_ctf(plan, by=by, note=note, check=_check, store_sen_changes=_store_sen_changes)
        else:
            _store_termly(plan, by=by)
            if plan.kind == ImportKind.ASSESSMENTS:
                _framework_progress(plan)
    except IntegrityError as error:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    "Someone changed these records while the file was being imported. Nothing was "
                    "imported: confirm again, or upload the file again.",
                )
            ]
        ) from error


def _check(instance, row, *, exclude=()):
    """full_clean without the checks that need a query per row (foreign keys, uniqueness,
    constraints): the plan has made those against records loaded once, and the database
    enforces them as the rows are written."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ImportRejected([RowError(row, "", " ".join(error.messages))]) from error


PUPIL_FOREIGN_KEYS = ("school", "school_class", "archived_by")


def _store_pupils(plan, *, by, note):
    """New pupils and changed ones in bulk, with history, then their SEN status changes.

    A new pupil gets its first SEN status as one dated change, and is written once with that
    status, so its history holds one row (pupils.services.pupil_create writes two).
    """
    new, updated, fields_written, sen_changes = [], [], set(), []
    for entry in plan.rows:
        if entry.action == CREATE:
            status, when = entry.sen
            pupil = Pupil(school=plan.school, **entry.fields)
            pupil.sen_status, pupil.sen_placed_on = current_sen([(status, when)])
            _check(pupil, entry.row, exclude=PUPIL_FOREIGN_KEYS)
            new.append((entry, pupil))
        elif entry.action == UPDATE:
            if entry.fields:
                for name, value in entry.fields.items():
                    setattr(entry.pupil, name, value)
                _check(entry.pupil, entry.row, exclude=PUPIL_FOREIGN_KEYS)
                fields_written.update(entry.fields)
                updated.append(entry.pupil)
            if entry.sen:
                sen_changes.append((entry.row, entry.pupil, *entry.sen, note))
    if new:
        created = bulk_create_with_history([p for _e, p in new], Pupil, batch_size=500, default_user=by)
        first = [
            SenStatusChange(
                pupil=pupil,
                status=entry.sen[0],
                effective_date=entry.sen[1],
                note="Status when the record was created",
                recorded_by=by,
            )
            for (entry, _p), pupil in zip(new, created, strict=True)
        ]
        bulk_create_with_history(first, SenStatusChange, batch_size=500, default_user=by)
    if updated:
        bulk_update_with_history(updated, Pupil, sorted(fields_written), batch_size=500, default_user=by)
    if sen_changes:
        _store_sen_changes(sen_changes, by=by)


def _store_sen_changes(changes, *, by):
    """Dated SEN status changes (row, pupil, status, date, note) in bulk, then each touched
    pupil's current status worked out again from its whole history, as pupils.services does."""
    if not changes:
        return
    pupils = {pupil.pk: pupil for _row, pupil, *_rest in changes}
    stored = {
        (c.pupil_id, c.effective_date): c for c in SenStatusChange.objects.filter(pupil_id__in=list(pupils))
    }
    to_create, to_update = _sen_change_records(changes, stored, by=by)
    if to_create:
        bulk_create_with_history(to_create, SenStatusChange, batch_size=500, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, SenStatusChange, ["status", "note", "recorded_by"], batch_size=500, default_user=by
        )
    _store_current_sen(pupils, stored, by=by)


def _sen_change_records(changes, stored, *, by):
    """The changes as SenStatusChange records, new or stored (`stored` gains the new ones),
    each checked; a date in the future or before birth rejects the whole file."""
    today = timezone.localdate()
    to_create, to_update = [], []
    for row, pupil, status, when, note in changes:
        if when > today:
            raise ImportRejected([RowError(row, "", "The date of a change cannot be in the future.")])
        if pupil.date_of_birth and when < pupil.date_of_birth:
            raise ImportRejected(
                [RowError(row, "", "The date of a change cannot be before the pupil was born.")]
            )
        change = stored.get((pupil.pk, when))
        if change is None:
            change = SenStatusChange(pupil=pupil, effective_date=when)
            to_create.append(change)
            stored[(pupil.pk, when)] = change
        else:
            to_update.append(change)
        change.status, change.note, change.recorded_by = status, note, by
        _check(change, row, exclude=("pupil", "recorded_by"))
    return to_create, to_update


def _store_current_sen(pupils, stored, *, by):
    """Each pupil's current status and its start from the whole history `stored` now holds."""
    histories = {}
    for (pupil_id, when), change in sorted(stored.items(), key=lambda item: item[0][1]):
        histories.setdefault(pupil_id, []).append((change.status, when))
    moved = []
    for pupil_id, pupil in pupils.items():
        current = current_sen(histories.get(pupil_id, []))
        if (pupil.sen_status, pupil.sen_placed_on) != current:
            pupil.sen_status, pupil.sen_placed_on = current
            moved.append(pupil)
    if moved:
        bulk_update_with_history(
            moved, Pupil, ["sen_status", "sen_placed_on"], batch_size=500, default_user=by
        )


TERMLY_MODELS = {
    ImportKind.ASSESSMENTS: Assessment,
    ImportKind.ATTENDANCE: Attendance,
    ImportKind.BEHAVIOUR: BehaviourCount,
}


TERMLY_KEYS = frozenset({"point_id", "subject_id", "academic_year", "term"})


def _store_termly(plan, *, by):
    """Assessments, attendance or behaviour counts: new records in one bulk insert, changed ones
    in one bulk update, each with its history row naming the person who confirmed."""
    model = TERMLY_MODELS[ImportKind(plan.kind)]
    now = timezone.now()
    to_create, to_update, fields_written = [], [], {"updated_at"}
    # Every value was checked by the parser and against the records by the plan, so the rows
    # skip full_clean (a tenth of the time of a 10,000-row file); the database's constraints
    # (sessions add up, one record per pupil and term or cell) still refuse anything else.
    for entry in plan.rows:
        if entry.action == CREATE:
            record = model(pupil=entry.pupil, **entry.fields)
            if model is Assessment:
                record.updated_by = by
            to_create.append(record)
        elif entry.action == UPDATE:
            record = model(**vars(entry.record))  # the stored values, as the plan read them
            changed = {n: v for n, v in entry.fields.items() if n not in TERMLY_KEYS}
            for name, value in changed.items():
                setattr(record, name, value)
            fields_written.update(changed)
            record.updated_at = now
            if model is Assessment:
                record.version += 1
                record.updated_by = by
            to_update.append(record)
    if to_create:
        created = model.objects.bulk_create(to_create, batch_size=1000)
        _history_from_rows(model, created, "+", by=by, when=now)
    if to_update:
        if model is Assessment:
            fields_written.update({"version", "updated_by"})
        _upsert_with_history(to_update, model, sorted(n.removesuffix("_id") for n in fields_written), by=by)


def _framework_progress(plan):
    """After assessments were stored: progress on their frameworks worked out again for every
    pupil and subject whose values on a framework were written or replaced (three queries), and
    none kept on a cell now on the school's scheme."""
    pairs = {
        (entry.pupil.pk, entry.fields["subject_id"])
        for entry in plan.rows
        if entry.action in (CREATE, UPDATE)
        and ("framework_id" in entry.fields or getattr(entry.record, "framework_id", None))
    }
    if not pairs:
        return
    school_id = plan.rows[0].pupil.school_id
    cleared = Assessment.objects.filter(
        pupil_id__in={p for p, _s in pairs}, framework__isnull=True, months__isnull=False
    )
    cleared.update(gained=None, months=None, expected_met=None)
    progress_refresh(school_id, pairs)


def _history_from_rows(model, records, history_type, *, by, when):
    """simple_history's rows for records just written, copied by the database itself with
    INSERT ... SELECT: the same rows bulk_history_create makes, without building thousands of
    historical instances in Python. Falls back to bulk_history_create if the records have no
    primary keys (a database that does not return them)."""
    ids = [record.pk for record in records]
    if not ids or None in ids:
        model.history.bulk_history_create(
            records, update=history_type == "~", default_user=by, default_date=when, batch_size=1000
        )
        return
    historical = model.history.model
    own = {f.attname for f in model._meta.concrete_fields}
    copied = [f.column for f in historical._meta.concrete_fields if f.attname in own]
    target = ", ".join(
        connection.ops.quote_name(c) for c in [*copied, "history_date", "history_type", "history_user_id"]
    )
    source = ", ".join(connection.ops.quote_name(c) for c in copied)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            # Only names from the models' metadata are formatted in; every value is a parameter.
            sql = (
                f"INSERT INTO {connection.ops.quote_name(historical._meta.db_table)} ({target}) "  # noqa: S608
                f"SELECT {source}, %s, %s, %s FROM {connection.ops.quote_name(model._meta.db_table)} "
                f"WHERE {connection.ops.quote_name(model._meta.pk.column)} IN ({marks})"
            )
            cursor.execute(
                sql,
                [when, history_type, by.pk if by else None, *chunk],
            )


UNIQUE_FIELDS = {
    Assessment: ["pupil", "point", "subject"],
    Attendance: ["pupil", "academic_year", "term"],
    BehaviourCount: ["pupil", "academic_year", "term"],
}


def _upsert_with_history(records, model, fields, *, by):
    """Rewrite stored records in one INSERT ... ON CONFLICT DO UPDATE per thousand rows.

    Django's bulk_update builds a CASE WHEN per field and row, which takes over a minute for
    10,000 assessments; an upsert on the model's unique fields takes a fraction of a second.
    The records were locked by the plan, so each one conflicts and is updated, never inserted.
    """
    pks = [record.pk for record in records]
    for record in records:
        record.pk = None
    try:
        model.objects.bulk_create(
            records,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=UNIQUE_FIELDS[model],
            update_fields=fields,
        )
    finally:
        for record, pk in zip(records, pks, strict=True):
            record.pk = pk
    _history_from_rows(model, records, "~", by=by, when=timezone.now())
