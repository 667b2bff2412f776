"""Telling whatever keeps figures about a school (the trust comparison's rollup, trusts.services)
that the school's figures changed.

The services that write figures (the termly grid, imports, SEN status, attendance and
exclusions, interventions, the scheme) call `figures_changed(school_id)` inside their
transaction; the listeners run once it commits, so a write that is rolled back refreshes
nothing, and a listener that fails is logged and never undoes the write (`robust=True`). The
apps that keep rollups sit above the services, so they register here (`listen`, from their
AppConfig.ready) rather than being imported by them. A task queue can take the work later by
registering a listener that enqueues it.
"""

from django.db import transaction

from .models import School

_listeners = []


def listen(listener):
    """Register `listener(school_id=...)`, called after each committed change (once, however
    often the app registry is readied)."""
    if listener not in _listeners:
        _listeners.append(listener)


def figures_changed(school_id=None, *, pupil_id=None, run_id=None):
    """The school's figures changed in the current transaction: refresh them once it commits.
    A service that holds only a pupil's or an intervention run's id passes that instead; the
    school is then looked up after the commit, so the write itself makes no extra query."""

    def notify():
        school = school_id
        if school is None:
            found = School.objects.filter(
                **({"pupils__pk": pupil_id} if pupil_id is not None else {"interventions__runs__pk": run_id})
            )
            school = found.values_list("pk", flat=True).first()
        if school is None:
            return
        for listener in _listeners:
            listener(school_id=school)

    transaction.on_commit(notify, robust=True)
