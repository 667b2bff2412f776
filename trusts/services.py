"""Writes of the trust comparison: the rollup of each school's figures (trusts.models), refreshed
from the live calculation (trusts.figures) by one function, `rollup_refresh`.

It runs after every committed change to the figures (schools.changes: the termly grid, imports,
SEN status, attendance and exclusions, interventions, the scheme), from `manage.py
refresh_rollups` for every school, and when the demo is built. It is a plain function of a
school's id, idempotent and safe to run twice, so a task queue can call it as it is.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from schools.models import School

from .figures import school_year_figures
from .models import SchoolYearFigures


@transaction.atomic
def rollup_refresh(*, school_id, today=None, changed_at=None):
    """Recompute the school's rollup for the years the comparison shows and drop older years.

    Two refreshes of one school take turns on its row, with the lock that leaves the row's key
    alone (FOR NO KEY UPDATE): a FOR UPDATE lock would also hold up, for the whole refresh, every
    insert of a row that refers to the school (each request's access-log entry among them).
    Each row keeps when its refresh began reading; given `changed_at` (when the change that asks
    for this refresh was committed), a refresh that finds the rows read since does nothing, as
    they hold the change already (another web process's refresh of the same burst)."""
    school = School.objects.select_for_update(no_key=True).get(pk=school_id)
    began = timezone.now()
    stored = SchoolYearFigures.objects.filter(school=school)
    if changed_at is not None and stored.filter(refreshed_at__gte=changed_at).exists():
        return
    figures = school_year_figures(school, today=today)
    stored.exclude(academic_year__in=figures).delete()
    for year, values in figures.items():
        SchoolYearFigures.objects.update_or_create(
            school=school, academic_year=year, defaults={**values, "refreshed_at": began}
        )


logger = logging.getLogger(__name__)
# Schools whose background refresh is waiting to start: a burst of changes (a class's grid saved
# cell by cell, thirty teachers saving at once) starts one refresh per school, not one each.
_waiting = set()
_waiting_lock = threading.Lock()


def _queued_key(school_id):
    return f"trusts:rollup-queued:{school_id}"


def rollup_refresh_changed(*, school_id):
    """The listener of schools.changes, once a change to a school's figures is committed.

    A refresh reads every figure of the school for three years (about 0.1 s of the database and
    as much of Python for a school of 420 pupils), too long to add to a grid save, and too much
    to repeat for each save of a busy assessment week. So a change waits
    settings.ROLLUP_REFRESH_DELAY seconds (5) before its refresh starts, and every change of the
    same school in that time joins it: the comparison is at most a few seconds behind, and a
    school costs at most one refresh every few seconds however many people save.

    With a task queue (REDIS_URL set: jobs, Celery) the refresh is queued as the task
    `trusts.rollup_refresh`, to start after the delay; a marker in the shared cache keeps one
    waiting task per school. With none (`make run`, where Celery would run it in the request),
    it runs in a thread of its own after the delay, and the request returns at once
    (settings.ROLLUP_REFRESH = "background"); "inline" runs it in the request, and "off" leaves
    it to `manage.py refresh_rollups` (the tests of other apps, whose query counts are their own).
    Should a refresh fail, or the process end first, `manage.py refresh_rollups` puts it right,
    and the page says when the figures were last worked out."""
    delay = settings.ROLLUP_REFRESH_DELAY
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        from .tasks import rollup_refresh_task  # tasks imports this module: imported when used

        # The marker outlives the delay by a margin, so a worker that is down for a while does
        # not stop later changes from queueing a refresh of their own.
        if cache.add(_queued_key(school_id), True, timeout=delay + 300):
            rollup_refresh_task.apply_async((school_id,), countdown=delay)
        return
    mode = getattr(settings, "ROLLUP_REFRESH", "background")
    if mode == "off":
        return
    if mode == "inline":
        rollup_refresh(school_id=school_id)
        return
    with _waiting_lock:
        if school_id in _waiting:
            return
        _waiting.add(school_id)
    thread = threading.Thread(
        target=_refresh_in_background, args=(school_id, delay, timezone.now()), name="rollup-refresh"
    )
    thread.daemon = True
    thread.start()


def rollup_refresh_queued(school_id):
    """The queued task's work: clear the school's marker first, so a change committed from now
    on queues a refresh of its own and none is missed, then refresh."""
    cache.delete(_queued_key(school_id))
    rollup_refresh(school_id=school_id)


def _refresh_in_background(school_id, delay, changed_at):
    time.sleep(delay)
    # Leave the waiting set before reading: a change committed from now on starts a refresh of
    # its own, so none is missed.
    with _waiting_lock:
        _waiting.discard(school_id)
    try:
        # The other web processes of this machine (one clock) wait on the same burst: the first
        # to read refreshes, and the rest find its rows newer than the change.
        rollup_refresh(school_id=school_id, changed_at=changed_at)
    except Exception:
        logger.exception("Refreshing the trust comparison's figures of school %s failed.", school_id)
    finally:
        connections.close_all()  # the thread's own connection, never the request's


def rollup_refresh_all(*, today=None):
    """Every school's rollup (after a bulk load, or when the academic year turns)."""
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        rollup_refresh(school_id=school_id, today=today)
