"""Writes to interventions, runs, pupils' tracking, sessions and the action plan.

Each service is keyword-only and atomic, and validates with full_clean() before saving, so a
bad value is a ValidationError the view shows beside the field, never a server error.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from simple_history.utils import bulk_create_with_history

from schools import changes

from .models import (
    Action,
    Checkpoint,
    Intervention,
    InterventionPlace,
    InterventionRun,
    InterventionSession,
    Priority,
    SessionAttendance,
)

INTERVENTION_FIELDS = [
    "name",
    "area_of_need",
    "wave",
    "description",
    "evidence_url",
    "evidence_summary",
    "lead",
    "deliverers",
    "subject",
    "measure_name",
    "measure_min",
    "measure_max",
    "sessions_per_week",
    "session_minutes",
    "weeks",
    "group_size",
    "staff_hourly_rate",
    "resources_cost",
    "entry_criteria",
    "exit_criteria",
    "group_target",
]
RUN_FIELDS = ["label", "start_date", "end_date", "baseline_point", "review_point", "evaluation", "next_steps"]
PLACE_FIELDS = ["entry_data", "baseline", "exit_score", "exit_criteria_met", "progress_details"]


def _check_school(school, **objects):
    for name, obj in objects.items():
        if obj is not None and getattr(obj, "school_id", school.pk) != school.pk:
            raise ValidationError({name: "Choose one of this school's own."})


@transaction.atomic
def intervention_create(*, school, **data):
    _check_school(school, subject=data.get("subject"))
    intervention = Intervention(school=school, **data)
    intervention.full_clean()
    intervention.save()
    return intervention


@transaction.atomic
def intervention_update(*, intervention, **data):
    """Change an intervention. Its measure's range cannot be narrowed past scores already
    recorded on it."""
    _check_school(intervention.school, subject=data.get("subject"))
    for name, value in data.items():
        setattr(intervention, name, value)
    intervention.full_clean()
    _check_recorded_scores(intervention)
    intervention.save()
    changes.figures_changed(intervention.school_id)
    return intervention


def _outside(field, low, high):
    """Scores in `field` below `low` or above `high` (one of them at least is given)."""
    below = Q(**{f"{field}__lt": low}) if low is not None else None
    above = Q(**{f"{field}__gt": high}) if high is not None else None
    if below is not None and above is not None:
        return below | above
    return below if below is not None else above


def _check_recorded_scores(intervention):
    """Refuse a range that leaves out baselines, exit scores or checkpoints already recorded
    (two queries)."""
    low, high = intervention.measure_min, intervention.measure_max
    if low is None and high is None:
        return
    places = InterventionPlace.objects.filter(run__intervention=intervention).aggregate(
        baselines=Count("pk", filter=_outside("baseline", low, high)),
        exits=Count("pk", filter=_outside("exit_score", low, high)),
    )
    checkpoints = Checkpoint.objects.filter(place__run__intervention=intervention, score__isnull=False)
    n = places["baselines"] + places["exits"] + checkpoints.filter(_outside("score", low, high)).count()
    if n:
        scores = "1 score already recorded falls" if n == 1 else f"{n} scores already recorded fall"
        raise ValidationError(
            {
                "measure_max" if high is not None else "measure_min": (
                    f"{scores} outside {intervention.score_range}: correct "
                    f"{'it' if n == 1 else 'them'} on the monitoring sheets first, or widen the range."
                )
            }
        )


@transaction.atomic
def run_save(*, intervention, run=None, staff, pupils, **data):
    """Create or update a run with its staff and group. A pupil can be taken out of the group
    only while nothing has been recorded for them in this run."""
    school = intervention.school
    _check_school(school, baseline_point=data.get("baseline_point"), review_point=data.get("review_point"))
    if any(p.school_id != school.pk for p in pupils):
        raise ValidationError({"pupils": "Choose pupils of this school."})
    run = run or InterventionRun(intervention=intervention)
    for name, value in data.items():
        setattr(run, name, value)
    run.full_clean()
    run.save()
    run.staff.set(staff)
    wanted = {p.pk for p in pupils}
    current = dict(run.places.values_list("pupil_id", "pk"))
    leaving = [pk for pupil_id, pk in current.items() if pupil_id not in wanted]
    if leaving:
        kept = (
            InterventionPlace.objects.filter(pk__in=leaving)
            .filter(
                Q(baseline__isnull=False)
                | Q(exit_score__isnull=False)
                | Q(checkpoints__isnull=False)
                | Q(attendance__isnull=False)
            )
            .select_related("pupil")
            .distinct()
        )
        if kept:
            names = ", ".join(sorted(p.pupil.full_name for p in kept))
            raise ValidationError(
                {"pupils": f"These pupils already have scores or sessions recorded in this run: {names}."}
            )
        InterventionPlace.objects.filter(pk__in=leaving).delete()
    # With their history rows (a bulk create sends no save signal for simple-history to see).
    bulk_create_with_history(
        [InterventionPlace(run=run, pupil_id=pk) for pk in sorted(wanted - set(current))], InterventionPlace
    )
    changes.figures_changed(school.pk)
    return run


@transaction.atomic
def place_update(*, place, **data):
    for name, value in data.items():
        setattr(place, name, value)
    place.full_clean()
    place.save()
    changes.figures_changed(pupil_id=place.pupil_id)
    return place


@transaction.atomic
def checkpoint_record(*, place, week, score, note="", by):
    """Record (or correct) a pupil's score at the end of a week of the run."""
    weeks = place.run.intervention.weeks
    if week > weeks:
        raise ValidationError({"week": f"This intervention runs for {weeks} weeks."})
    checkpoint = Checkpoint.objects.filter(place=place, week=week).first() or Checkpoint(
        place=place, week=week
    )
    checkpoint.score, checkpoint.note, checkpoint.recorded_by = score, note, by
    checkpoint.full_clean()
    checkpoint.save()
    return checkpoint


@transaction.atomic
def session_record(*, run, date, minutes, present, note="", by):
    """Record a session of a run and who was there. `present` is the places that attended;
    every other place of the run is marked absent."""
    if date < run.start_date or (run.end_date and date > run.end_date):
        raise ValidationError({"date": "The session must fall between the run's start and end dates."})
    if InterventionSession.objects.filter(run=run, date=date).exists():
        raise ValidationError({"date": "A session is already recorded for this group on that day."})
    session = InterventionSession(run=run, date=date, minutes=minutes, note=note, delivered_by=by)
    session.full_clean()
    session.save()
    present_ids = {p.pk for p in present}
    bulk_create_with_history(
        [
            SessionAttendance(session=session, place_id=pk, present=pk in present_ids)
            for pk in run.places.values_list("pk", flat=True)
        ],
        SessionAttendance,
        default_user=by,
    )
    changes.figures_changed(run_id=run.pk)
    return session


@transaction.atomic
def priority_create(*, school, title, detail="", source=Priority.Source.TYPED):
    priority = Priority(school=school, title=title, detail=detail, source=source)
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def action_save(*, priority, action=None, **data):
    action = action or Action(priority=priority)
    for name, value in data.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    return action
