"""Writes of the trust comparison: the rollup of each school's figures (trusts.models), refreshed
from the live calculation (trusts.figures) by one function, `rollup_refresh`.

It runs after every committed change to the figures (schools.changes: the termly grid, imports,
SEN status, attendance and exclusions, interventions, the scheme), from `manage.py
refresh_rollups` for every school, and when the demo is built. It is a plain function of a
school's id, idempotent and safe to run twice, so a task queue can call it as it is.
"""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction

from schools.models import School

from .figures import school_year_figures
from .models import SchoolYearFigures


@transaction.atomic
def rollup_refresh(*, school_id, today=None):
    """Recompute the school's rollup for the years the comparison shows and drop older years."""
    school = School.objects.select_for_update().get(pk=school_id)
    figures = school_year_figures(school, today=today)
    SchoolYearFigures.objects.filter(school=school).exclude(academic_year__in=figures).delete()
    for year, values in figures.items():
        SchoolYearFigures.objects.update_or_create(school=school, academic_year=year, defaults=values)


logger = logging.getLogger(__name__)
# Schools whose background refresh is waiting to start: a burst of changes (a class's grid saved
# cell by cell, thirty teachers saving at once) starts one refresh per school, not one each.
_waiting = set()
_waiting_lock = threading.Lock()


def rollup_refresh_changed(*, school_id):
    """The listener of schools.changes, once a change to a school's figures is committed.

    A refresh reads every figure of the school for three years (about 0.4 s for a school of 800
    pupils), too long to add to a grid save. With a task queue (REDIS_URL set: jobs, Celery) it
    is queued as the task `trusts.rollup_refresh`. With none (`make run`, where Celery would run
    it in the request), it runs in a thread of its own and the request returns at once
    (settings.ROLLUP_REFRESH = "background"); "inline" runs it in the request, and "off" leaves
    it to `manage.py refresh_rollups` (the tests of other apps, whose query counts are their own). Should
    a refresh fail, or the process end first, `manage.py refresh_rollups` puts it right, and the
    page says when the figures were last worked out."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        from .tasks import rollup_refresh_task  # tasks imports this module: imported when used

        rollup_refresh_task.delay(school_id)
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
    thread = threading.Thread(target=_refresh_in_background, args=(school_id,), name="rollup-refresh")
    thread.daemon = True
    thread.start()


def _refresh_in_background(school_id):
    # Leave the waiting set before reading: a change committed from now on starts a refresh of
    # its own, so none is missed.
    with _waiting_lock:
        _waiting.discard(school_id)
    try:
        rollup_refresh(school_id=school_id)
    except Exception:
        logger.exception("Refreshing the trust comparison's figures of school %s failed.", school_id)
    finally:
        connections.close_all()  # the thread's own connection, never the request's


def rollup_refresh_all(*, today=None):
    """Every school's rollup (after a bulk load, or when the academic year turns)."""
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        rollup_refresh(school_id=school_id, today=today)
