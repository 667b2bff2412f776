"""Writes for imports. A file is stored whole or not at all, through pupils.services, so
every change is in the pupils' history under the name of the person who confirmed it."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pupils import services as pupil_services

from .models import ImportBatch, ImportKind
from .parsers import RowError, rows_to_json
from .selectors import CREATE, UNCHANGED, UPDATE, batch_plan

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


def import_batch_expire_old(*, school):
    """Drop the rows of previews left unconfirmed too long: they hold pupils' data."""
    cutoff = timezone.now() - batch_max_age()
    return ImportBatch.objects.filter(
        school=school, status=ImportBatch.Status.PENDING, created_at__lt=cutoff
    ).update(status=ImportBatch.Status.EXPIRED, payload=[])


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
def import_batch_confirm(*, batch, by):
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
    plan = batch_plan(batch, lock=True)
    if plan.errors:
        raise ImportRejected(plan.errors)
    _apply(plan, by=by, note=f"Imported from {batch.file_name}"[:300])
    counts = plan.counts
    batch.status, batch.confirmed_at, batch.confirmed_by = ImportBatch.Status.CONFIRMED, now, by
    batch.created_count = counts[CREATE]
    batch.updated_count = counts[UPDATE]
    batch.unchanged_count = counts[UNCHANGED]
    batch.payload = []
    batch.full_clean()
    batch.save()
    return plan


def _apply(plan, *, by, note):
    for entry in plan.rows:
        if entry.action == UNCHANGED:
            continue
        try:
            if plan.kind == ImportKind.PUPILS and entry.action == CREATE:
                status, when = entry.sen
                pupil_services.pupil_create(
                    school=plan.school,
                    by=by,
                    sen_status=status,
                    sen_status_date=when,
                    **entry.fields,
                )
                continue
            if entry.fields:
                pupil_services.pupil_update(pupil=entry.pupil, by=by, **entry.fields)
            if entry.sen:
                status, when = entry.sen
                pupil_services.pupil_set_sen_status(
                    pupil=entry.pupil, status=status, effective_date=when, by=by, note=note
                )
        except ValidationError as error:
            raise ImportRejected([RowError(entry.row, "", " ".join(error.messages))]) from error
        except IntegrityError as error:
            raise ImportRejected(
                [
                    RowError(
                        entry.row,
                        "",
                        "Someone changed this pupil's record while the file was being imported. "
                        "Nothing was imported: confirm again, or upload the file again.",
                    )
                ]
            ) from error
