"""Demo interventions for the main school: a catalogue with costs and evidence, runs over last
year and this autumn, each pupil's entry data, baseline, checkpoints and exit, sessions with
attendance, and an action plan. Everything is written in bulk."""

import datetime
import random
from decimal import Decimal

from django.db.models import Q

from assessment.models import AssessmentPoint, Subject
from interventions.models import (
    Action,
    Checkpoint,
    Intervention,
    InterventionPlace,
    InterventionRun,
    InterventionSession,
    Priority,
    SessionAttendance,
)
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil

EEF = "https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit/"

# name, need, wave, sessions a week, minutes, weeks, group size, £/hour, resources, subject words,
# measure, its highest score (the lowest is 0), baseline range, mean gain a week, entry data, exit
# criteria, group target, evidence
CATALOGUE = [
    ("Reading catch-up (phonics)", "SPLD", 2, 3, 30, 12, 6, "14.50", "60", ("Reading", "English"),
     "words read from the phonics check list", 40, (8, 20), 1.1,
     "can read {n} words from the phonics check list", "reads 32 or more of the 40 words",
     "Every pupil reads at least 10 more words by the end of the programme", "phonics"),
    ("Precision teaching (HFW)", "SPLD", 3, 5, 10, 8, 1, "14.50", "0", ("Reading", "English"),
     "high-frequency words read correctly", 45, (2, 15), 2.0,
     "can read {n} high-frequency words from the Year 1 list", "consistently reads 90% of the Year 1 list",
     "40 of the 45 words read fluently", "individualised-instruction"),
    ("Number sense", "MLD", 2, 2, 45, 10, 4, "16.00", "120", ("Maths",),
     "number-sense assessment score", 50, (10, 25), 0.9,
     "counts reliably to {n}, unsure of bonds to 10", "recalls number bonds to 20 and scores 35+",
     "Each pupil gains 8 points on the assessment", "small-group-tuition"),
    ("Talk Boost", "SLCN", 2, 3, 30, 10, 4, "14.50", "250", ("English", "Writing"),
     "language assessment score", 60, (15, 35), 0.8,
     "uses sentences of about {n} words", "retells a short story in order with linking words",
     "Every pupil moves one band on the language assessment", "oral-language-interventions"),
    ("Social skills group (Lego-based)", "ASD", 2, 1, 45, 12, 3, "14.50", "80", (),
     "social communication checklist", 30, (5, 15), 0.5,
     "takes turns with an adult, not with {n} peers", "takes turns and shares roles with peers unprompted",
     "All pupils take turns in a group of three without adult prompts", "social-and-emotional-learning"),
    ("Emotional literacy (ELSA)", "SEMH", 3, 1, 30, 6, 1, "15.00", "20", (),
     "emotional literacy checklist", 40, (10, 22), 0.7,
     "names {n} feelings and has few calming strategies", "names feelings and uses two calming strategies",
     "Fewer incidents on the behaviour log over the half term", "social-and-emotional-learning"),
    # On the phonics check, like the reading catch-up, so that the two are ranked against each other.
    ("Paired reading (phonics)", "SPLD", 2, 3, 20, 10, 4, "14.50", "40", ("Reading", "English"),
     "words read from the phonics check list", 40, (10, 22), 0.9,
     "reads {n} words from the phonics check list, slowly", "reads 30 or more of the 40 words fluently",
     "Every pupil reads at least 8 more words fluently", "peer-tutoring"),
]  # fmt: skip
TERM_STARTS = ((9, 15), (1, 8), (4, 22))  # autumn, spring, summer


def add_interventions(builder, demo):
    rng = random.Random(builder.seed + 5)
    built = demo["schools"][0]
    school = built.school
    users = demo["users"]
    deliverers = [users["senco"], users["teacher"]]
    subjects = {s.name: s for s in Subject.objects.filter(school=school)}
    points = {}
    for point in AssessmentPoint.objects.filter(school=school).order_by("academic_year", "order"):
        points.setdefault(point.academic_year, []).append(point)
    years = sorted({c.year_group for c in built.classes})
    on_record = {}
    for pk, year, need in (
        Pupil.objects.filter(school=school, sen_status__in=SEN_STATUSES_ON_RECORD, archived_at__isnull=True)
        .values_list("pk", "year_group", "primary_need")
        .order_by("pk")
    ):
        on_record.setdefault(year, []).append((pk, need))

    existing = {i.name: i for i in Intervention.objects.filter(school=school)}
    interventions = []
    for row in CATALOGUE:
        name, need, wave, per_week, minutes, weeks, size, rate, resources, subject_names = row[:10]
        fields = {
            "area_of_need": need,
            "wave": wave,
            "sessions_per_week": per_week,
            "session_minutes": minutes,
            "weeks": weeks,
            "group_size": size,
            "staff_hourly_rate": Decimal(rate),
            "resources_cost": Decimal(resources),
            "measure_name": row[10],
            "measure_min": Decimal(0),
            "measure_max": Decimal(row[11]),
            "entry_criteria": row[14].format(n="a few").capitalize() + ".",
            "exit_criteria": row[15].capitalize() + ".",
            "group_target": row[16] + ".",
            "evidence_url": EEF + row[17],
            "evidence_summary": "EEF Teaching and Learning Toolkit",
            "lead": users["senco"],
            "deliverers": "Trained teaching assistant" if wave == 2 else "HLTA, one to one",
            "subject": next((subjects[s] for s in subject_names if s in subjects), None),
            "description": f"{'Small-group' if size > 1 else 'One-to-one'} sessions, {per_week} a week of "
            f"{minutes} minutes for {weeks} weeks.",
        }
        intervention = existing.get(name)
        if intervention:
            for key, value in fields.items():
                setattr(intervention, key, value)
            intervention.save()
        else:
            intervention = Intervention.objects.create(school=school, name=name, **fields)
        interventions.append((intervention, row))

    per_term = 2 if built.pupils > 800 else 1
    runs, run_rows, run_pupils = [], [], []
    taken = set()
    # The generator's run, delivered by the demo teaching assistant, gets its scores too.
    ta_run = InterventionRun.objects.filter(intervention__school=school, staff=users["ta"]).first()
    for intervention, row in interventions:
        for academic_year, term in [(builder.year_start - 1, t) for t in range(3)] + [
            (builder.year_start, 0)
        ]:
            month, day = TERM_STARTS[term]
            start = datetime.date(academic_year + (0 if month >= 9 else 1), month, day)
            if start > builder.today:
                continue
            for _ in range(per_term):
                year = rng.choice(years)
                # Only pupils already at the school when the run starts.
                pool = [
                    pk
                    for pk, need in on_record.get(year, [])
                    if (pk, intervention.pk) not in taken and builder.joined(pk) <= start
                ]
                matching = [pk for pk, need in on_record.get(year, []) if need == intervention.area_of_need]
                pool = [pk for pk in pool if pk in matching] + [pk for pk in pool if pk not in matching]
                chosen = pool[: intervention.group_size]
                if not chosen:
                    continue
                taken.update((pk, intervention.pk) for pk in chosen)
                year_points = points.get(academic_year, [])
                n = len(year_points)
                review = year_points[min(n - 1, (term + 1) * n // 3 - 1)] if n else None
                before_index = term * n // 3 - 1
                baseline = (
                    year_points[before_index]
                    if n and before_index >= 0
                    else (points.get(academic_year - 1) or [None])[-1]
                )
                runs.append(
                    InterventionRun(
                        intervention=intervention,
                        label=f"Group {len(runs) + 1}",
                        start_date=start,
                        end_date=start + datetime.timedelta(days=intervention.weeks * 7 - 3),
                        baseline_point=baseline,
                        review_point=review,
                        evaluation=(
                            "Most pupils met the exit criteria; gains held at the six-week check."
                            if start < builder.today - datetime.timedelta(days=intervention.weeks * 7)
                            else ""
                        ),
                        next_steps="Share the strategies with class teachers at pupil progress meetings.",
                    )
                )
                run_rows.append(row)
                run_pupils.append(chosen)
    runs = InterventionRun.objects.bulk_create(runs)
    InterventionRun.staff.through.objects.bulk_create(
        InterventionRun.staff.through(interventionrun_id=run.pk, user_id=deliverers[i % 2].pk)
        for i, run in enumerate(runs)
    )
    places = InterventionPlace.objects.bulk_create(
        InterventionPlace(run=run, pupil_id=pk)
        for run, chosen in zip(runs, run_pupils, strict=True)
        for pk in chosen
    )
    by_run = {}
    for place in places:
        by_run.setdefault(place.run_id, []).append(place)
    work = [
        (run, row, by_run.get(run.pk, []), deliverers[i % 2])
        for i, (run, row) in enumerate(zip(runs, run_rows, strict=True))
    ]
    if ta_run:
        ta_row = next(r for i, r in interventions if i.pk == ta_run.intervention_id)
        work.append((ta_run, ta_row, list(ta_run.places.all()), users["ta"]))
    _add_tracking(builder, rng, work, users)
    _add_action_plan(school, builder)


def _add_tracking(builder, rng, work, users):
    """Baselines, checkpoints, exits, sessions and attendance for every run in `work`."""
    checkpoints, sessions, session_places, updated = [], [], [], []
    for run, row, places, recorder in work:
        intervention = run.intervention
        top = row[11]
        low, high = row[12]
        per_week_gain = row[13]
        finished = run.end_date and run.end_date < builder.today
        # Exit scores of a run that ended in the last three weeks are in, but the exit criteria
        # wait for the review meeting: those pupils are "not yet judged".
        judged = finished and run.end_date < builder.today - datetime.timedelta(days=21)
        weeks_done = min(intervention.weeks, max(0, (builder.today - run.start_date).days // 7))
        for place in places:
            base = rng.randint(low, high)
            effect = per_week_gain * rng.uniform(0.3, 1.7)
            place.entry_data = row[14].format(n=base).capitalize() + "."
            place.baseline = Decimal(base)
            for week in sorted({max(1, intervention.weeks // 2), intervention.weeks}):
                if week <= weeks_done and not (finished and week == intervention.weeks):
                    checkpoints.append(
                        Checkpoint(
                            place=place,
                            week=week,
                            score=Decimal(min(top, round(base + effect * week))),
                            recorded_by=recorder,
                        )
                    )
            if finished:
                gain = min(top, round(base + effect * intervention.weeks)) - base
                place.exit_score = Decimal(base + gain)
                place.exit_criteria_met = (effect >= per_week_gain * 0.8) if judged else None
                place.progress_details = (
                    f"Gained {gain} on the {intervention.measure_name}; applying the strategies in class."
                )
            updated.append(place)
        # Sessions: the first days of each week, up to today.
        days = [0, 2, 4, 1, 3][: intervention.sessions_per_week]
        monday = run.start_date - datetime.timedelta(days=run.start_date.weekday())
        for week in range(intervention.weeks):
            for offset in sorted(days):
                day = monday + datetime.timedelta(days=7 * week + offset)
                if day < run.start_date or day > min(run.end_date, builder.today):
                    continue
                sessions.append(
                    InterventionSession(
                        run=run,
                        date=day,
                        minutes=intervention.session_minutes,
                        delivered_by=recorder,
                    )
                )
                session_places.append(places)
    InterventionPlace.objects.bulk_update(
        updated,
        ["entry_data", "baseline", "exit_score", "exit_criteria_met", "progress_details"],
        batch_size=500,
    )
    Checkpoint.objects.bulk_create(checkpoints, batch_size=2000)
    sessions = InterventionSession.objects.bulk_create(sessions, batch_size=2000)
    SessionAttendance.objects.bulk_create(
        (
            SessionAttendance(session=session, place=place, present=rng.random() < 0.9)
            for session, places in zip(sessions, session_places, strict=True)
            for place in places
        ),
        batch_size=5000,
    )


def _add_action_plan(school, builder):
    if Priority.objects.filter(Q(school=school)).exists():
        return
    first = Priority.objects.create(
        school=school,
        title="Narrow the reading gap for pupils with SEND in lower key stage 2",
        source=Priority.Source.GAP,
        detail="The termly grid shows the largest in-school gap in reading.",
    )
    second = Priority.objects.create(
        school=school,
        title="Slim the provision map to the interventions with the greatest impact",
        detail="Rank interventions by gain a week and cost per unit of gain; stop the weakest.",
    )
    review = datetime.date(builder.year_start + 1, 2, 1)
    Action.objects.bulk_create(
        [
            Action(priority=first, description="Train two teaching assistants in precision teaching",
                   owner="SENCO", success_criteria="Both deliver sessions by half term",
                   review_date=review, phase=Action.Phase.PREPARE, status=Action.Status.DONE,
                   review="Both trained; sessions started in week 3."),
            Action(priority=first, description="Daily reading catch-up for Year 3 and 4 pupils below ARE",
                   owner="Year 3/4 phase leader", success_criteria="80% of the group meet the exit criteria",
                   review_date=review, phase=Action.Phase.DELIVER, status=Action.Status.IN_PROGRESS),
            Action(priority=second, description="Review the impact ranking with the head and SEND governor",
                   owner="SENCO and head", success_criteria="The two weakest interventions stopped",
                   review_date=review, phase=Action.Phase.EXPLORE, status=Action.Status.NOT_STARTED),
        ]
    )  # fmt: skip
