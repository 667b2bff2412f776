"""Deleting records at the end of their retention period, with their files and their history,
and leaving a record of the purge that holds no data.

A pupil's record is every row that hangs off the pupil, however far (a target of a plan of the
pupil), found by following the database's own relations: Django's deletion collector walks them,
and where a relation is protected (a pupil's rows protect the pupil) the protected rows are
deleted first, so no kind of record is left behind or needs listing here. The history of every
deleted row goes too, or the purge would keep the data it deletes. An evidence item about other
pupils as well loses this pupil only. Uploaded files are deleted from storage once the deletion
is committed. The access log keeps its entries for their own period: they name pupils by number
only, and the chain of hashes must stay whole.
"""

from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

from evidence.models import EvidenceItem
from pupils.models import AccessLogCheckpoint, AccessLogEntry, Pupil

from . import selectors
from .models import Kind, LegalHold, PurgeRecord


class PurgeRefused(ValidationError):
    pass


def _group(objects):
    grouped = defaultdict(list)
    for obj in objects:
        grouped[type(obj)].append(obj)
    return grouped


def _delete_tree(objects, deleted):
    """Delete `objects` and everything that goes with them. Where a protected relation stops the
    deletion (a pupil's rows protect the pupil), the rows that protect them are deleted first, and
    so on down. `deleted` gathers the primary keys deleted, by model, and the files."""
    while True:
        collector = Collector(using=router.db_for_write(Pupil))
        try:
            for group in _group(objects).values():
                collector.collect(group)
        except ProtectedError as error:
            _delete_tree(list(error.protected_objects), deleted)
            continue
        for model, instances in collector.data.items():
            deleted["rows"][model].update(obj.pk for obj in instances)
            if model is EvidenceItem:
                deleted["files"].extend(obj.attachment.name for obj in instances if obj.attachment)
        collector.delete()  # simple-history adds a "deleted" history row for each: removed after
        return


def _history_models():
    return [model for model in apps.get_models() if model.__name__.startswith("Historical")]


def _delete_with_history(objects, pupil_ids=()):
    """Delete `objects` and everything that goes with them, with the history of every deleted row
    and every history row naming the pupils; returns the names of the files to delete."""
    deleted = {"rows": defaultdict(set), "files": []}
    _delete_tree(objects, deleted)
    for model, pks in deleted["rows"].items():
        history = getattr(model, "history", None)
        if history is not None and pks:
            history.model.objects.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
    for history_model in _history_models():
        for field in history_model._meta.fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Pupil and pupil_ids:
                history_model.objects.filter(**{f"{field.attname}__in": pupil_ids}).delete()
    return deleted["files"]


def _delete_files(storage, names):
    for name in names:
        if storage.exists(name):
            storage.delete(name)


def _purge_pupils(school, today):
    held = set(selectors.active_holds(school).exclude(pupil=None).values_list("pupil_id", flat=True))
    due = list(selectors.due_pupils(school, today))
    kept = [pupil for pupil in due if pupil.pk in held]
    due = [pupil for pupil in due if pupil.pk not in held]
    if not due:
        return 0, [], len(kept)
    ids = [pupil.pk for pupil in due]
    # Evidence about these pupils only goes with them; about others too, it loses them only.
    about_others = EvidenceItem.pupils.through.objects.exclude(pupil_id__in=ids).values("evidenceitem_id")
    only_theirs = EvidenceItem.objects.filter(pupils__in=ids).exclude(pk__in=about_others).distinct()
    files = _delete_with_history([*only_theirs, *due], pupil_ids=ids)
    return len(due), files, len(kept)


def _purge_school_evidence(school, today):
    items = list(selectors.due_school_evidence(school, today))
    if not items:
        return 0, [], 0
    return len(items), _delete_with_history(items), 0


def _purge_access_log(school, today):
    """Delete the school's oldest entries, up to the newest one past the period, and keep the
    number and hash of the last one deleted: the rest of the chain verifies from there."""
    last = selectors.due_access_log(school, today).order_by("-sequence").first()
    if last is None:
        return 0, [], 0
    doomed = AccessLogEntry.objects.filter(school=school, sequence__lte=last.sequence)
    count = doomed.count()
    AccessLogCheckpoint.objects.create(
        school=school, up_to_sequence=last.sequence, last_hash=last.hash, purged=count
    )
    doomed.delete()
    return count, [], 0


PURGES = {
    Kind.PUPIL_RECORDS: _purge_pupils,
    Kind.SCHOOL_EVIDENCE: _purge_school_evidence,
    Kind.ACCESS_LOG: _purge_access_log,
}


def purge(*, school, kind, by=None, today=None):
    """Delete what is due of one kind of record at a school, with its files, and record the purge.
    Refused while the school has a hold on every record; a pupil under a hold is held back."""
    from django.core.files.storage import default_storage  # the storage the uploads use

    today = today or timezone.localdate()
    hold = selectors.whole_school_hold(school)
    if hold is not None:
        raise PurgeRefused(
            f"Nothing can be deleted while every record is on legal hold ({hold.reason}, set by "
            f"{hold.set_by} on {hold.set_at:%d/%m/%Y})."
        )
    with transaction.atomic():
        count, files, held = PURGES[kind](school, today)
        record = PurgeRecord.objects.create(
            school=school,
            kind=kind,
            count=count,
            files=len(files),
            held_back=held,
            purged_by=by,
            purged_by_name=by.get_username() if by else "a scheduled command",
        )
        transaction.on_commit(lambda: _delete_files(default_storage, files))
    return record


# -- settings and holds


@transaction.atomic
def policy_save(*, school, by, **periods):
    policy = selectors.policy_of(school)
    for name, value in periods.items():
        setattr(policy, name, value)
    policy.updated_by = by
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def hold_set(*, school, pupil=None, reason, by):
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"pupil": "Choose a pupil of this school."})
    hold = LegalHold(school=school, pupil=pupil, reason=reason.strip(), set_by=by)
    hold.full_clean()
    hold.save()
    return hold


@transaction.atomic
def hold_lift(*, hold, by):
    hold.lifted_at, hold.lifted_by = timezone.now(), by
    hold.save()
    return hold
