"""Demo plans for the main school: SEN support plans reviewed three times a year (several
versions for pupils long on the record), pupil passports, and EHC plans with their annual
reviews, some done, some due soon and some overdue.

Written in bulk, one version number at a time so that each plan can point at the one before.
"""

import datetime
import random

from django.db.models import Max

from interventions.models import InterventionPlace
from plans.models import (
    EhcPlan,
    EhcpOutcome,
    EhcpOutcomeProgress,
    EhcpReview,
    PlanTarget,
    PupilPassport,
    SupportPlan,
    annual_review_due,
)
from pupils.models import Pupil, SenStatus, SenStatusChange

TERM = datetime.timedelta(weeks=13)
MAX_VERSIONS = 5
SCORES = {-2: 1, -1: 3, 0: 8, 1: 6, 2: 2}

# (outcome sought, specific measurable target, provision) by area of need; OTHER for the rest.
TARGETS = {
    "SLCN": [
        (
            "Understands instructions in class",
            "Follows a 3-step instruction 4 times out of 5",
            "Visual prompts",
        ),
        ("Explains ideas in full sentences", "Uses 'because' in 3 spoken answers a lesson", "Talk partners"),
    ],
    "SEMH": [
        (
            "Manages feelings at unstructured times",
            "Uses the calm card instead of leaving class",
            "Check-ins",
        ),
        ("Builds friendships", "Plays a structured game with 2 peers each week", "Lunch club"),
    ],
    "SPLD": [
        ("Reads with growing fluency", "Reads 60 words a minute from a Year 3 text", "Daily phonics"),
        ("Spells common words", "Spells 40 of the 45 common exception words", "Precision teaching"),
    ],
    "MLD": [
        ("Secure number facts", "Recalls number bonds to 10 in under 2 minutes", "Small-group maths"),
        ("Writes independently", "Writes 5 sentences with full stops unaided", "Writing frame"),
    ],
    "ASD": [
        ("Copes with change", "Moves between activities with a visual timetable", "Now and next board"),
        ("Joins in group work", "Takes 2 turns in a group task", "Social stories"),
    ],
    "OTHER": [
        ("Works independently", "Starts a task within 2 minutes without a prompt", "Task checklist"),
        ("Takes part in class discussion", "Answers a question in 3 lessons a week", "Pre-teaching"),
    ],
}
PASSPORTS = [
    {
        "about_me": "I like {thing} and I have a dog called Biscuit.",
        "good_at": "Drawing, building things and helping younger children.",
        "find_hard": "Lots of talking at once, and copying from the board.",
        "helps_me": "Instructions one at a time, a word mat, and a quiet place to work.",
        "does_not_help": "Being rushed or asked to read aloud without warning.",
        "communicate": "I might go quiet when I am worried. Give me time and I will tell you.",
    },
    {
        "about_me": "I love {thing} and playing outside.",
        "good_at": "Football, remembering facts about animals, making people laugh.",
        "find_hard": "Waiting my turn and starting my writing.",
        "helps_me": "A timer, a movement break and knowing what is coming next.",
        "does_not_help": "Loud corridors and changes I was not told about.",
        "communicate": "I use short sentences. Sometimes I point or show you.",
    },
]
THINGS = ["dinosaurs", "Lego", "music", "swimming", "cooking", "space", "horses", "drawing comics"]
EHCP_OUTCOMES = [
    ("Communicates needs and choices to adults and peers", "Speech and language therapy, 30 minutes weekly"),
    (
        "Reads and writes simple sentences independently",
        "Daily 1:1 literacy with a trained teaching assistant",
    ),
    ("Manages transitions around school calmly", "Visual timetable and a key adult at transitions"),
    ("Takes part in clubs with other children", "Supported place at after-school club"),
]


def _need(pupil):
    return pupil.primary_need if pupil.primary_need in TARGETS else "OTHER"


def _support_plans(rng, pupils, today, senco, intervention_of):
    """Plans 1..n per pupil: each reviewed after a term, the last one open."""
    chains = []
    for pupil in pupils:
        placed = pupil.sen_placed_on or today
        months = (today - placed).days // 30
        versions = max(1, min(MAX_VERSIONS, 1 + months // 4 - rng.randrange(2)))
        # The first plan starts on or after the pupil was placed on SEN support, never before.
        last_start = max(placed, today - datetime.timedelta(days=rng.randrange(10, 110)))
        versions = min(versions, 1 + (last_start - placed) // TERM)
        starts = [last_start - TERM * (versions - 1 - i) for i in range(versions)]
        targets = rng.sample(TARGETS[_need(pupil)], 2) + (
            [rng.choice(TARGETS["OTHER"])] if rng.random() < 0.4 else []
        )
        chains.append((pupil, starts, targets))
    previous = {}
    for number in range(1, MAX_VERSIONS + 1):
        rows, row_targets = [], []
        for pupil, starts, targets in chains:
            if number > len(starts):
                continue
            start = starts[number - 1]
            reviewed = number < len(starts)
            rows.append(
                SupportPlan(
                    pupil=pupil,
                    number=number,
                    previous=previous.get(pupil.pk),
                    status=SupportPlan.Status.REVIEWED if reviewed else SupportPlan.Status.OPEN,
                    starts_on=start,
                    review_date=start + TERM,
                    reviewed_on=starts[number] if reviewed else None,
                    reviewed_by=senco if reviewed else None,
                    review_summary="Reviewed with the pupil and parents; targets carried forward."
                    if reviewed
                    else "",
                    strengths=f"{pupil.forename} is kind, curious and keen to help.",
                    needs=pupil.pen_portrait or "Needs support to work independently.",
                    pupil_voice="I want to get better at reading so I can read to my little brother.",
                    parent_voice="We would like more ideas for helping at home.",
                    strategies="Seat near the front; check understanding after instructions; chunk tasks.",
                    created_by=senco,
                )
            )
            row_targets.append((reviewed, targets, intervention_of.get(pupil.pk)))
        created = SupportPlan.objects.bulk_create(rows, batch_size=1000)
        PlanTarget.objects.bulk_create(
            (
                PlanTarget(
                    plan=plan,
                    order=order,
                    outcome=outcome,
                    target=target,
                    provision=provision,
                    intervention_id=intervention if order == 1 else None,
                    score=rng.choices(list(SCORES), weights=list(SCORES.values()))[0] if reviewed else None,
                    score_comment="Discussed at the review meeting." if reviewed else "",
                )
                for plan, (reviewed, targets, intervention) in zip(created, row_targets, strict=True)
                for order, (outcome, target, provision) in enumerate(targets, start=1)
            ),
            batch_size=2000,
        )
        previous.update({plan.pupil_id: plan for plan in created})
    return sum(len(starts) for _p, starts, _t in chains)


def _passports(rng, pupils, today, senco):
    PupilPassport.objects.bulk_create(
        (
            PupilPassport(
                pupil=pupil,
                updated_on=max(
                    pupil.sen_placed_on or today, today - datetime.timedelta(days=rng.randrange(5, 200))
                ),
                updated_by=senco,
                **{k: v.format(thing=rng.choice(THINGS)) for k, v in rng.choice(PASSPORTS).items()},
            )
            for pupil in pupils
            if rng.random() < 0.85
        ),
        batch_size=2000,
    )


def _review_dates(rng, plan_date, today, last=None):
    """Annual review meetings since the plan: each held up to four weeks before it fell due, the
    latest sometimes not held yet (overdue). With `last`, the meetings end on that date."""
    held, base = [], plan_date
    while True:
        due = annual_review_due(base)
        if last is not None and due > last - datetime.timedelta(days=30):
            return [*held, last]
        if due > today or (last is None and today - due < datetime.timedelta(days=60) and rng.random() < 0.5):
            return held
        base = due - datetime.timedelta(days=rng.randrange(0, 28))
        held.append(base)


def _ehc_plans(rng, pupils, today, senco):
    """EHC plans dated when each pupil's plan began; annual reviews held on time, late or not
    yet. The two pupils with the oldest plans are left one overdue and one due soon, so the
    SENCO's list always shows both."""
    began = dict(
        SenStatusChange.objects.filter(pupil__in=pupils, status=SenStatus.EHCP)
        .values("pupil_id")
        .annotate(since=Max("effective_date"))
        .values_list("pupil_id", "since")
    )
    ordered = sorted(pupils, key=lambda p: (began.get(p.pk, today), p.pk))
    # The two oldest plans: last reviewed 12 months and 20 days ago (overdue), and 11 months ago
    # (due in about 30 days, so "due soon").
    showcase = [today - datetime.timedelta(days=385), today - datetime.timedelta(days=335)]
    plans, reviews = [], []
    for index, pupil in enumerate(ordered):
        plan_date = min(began.get(pupil.pk, today), today)
        last = showcase[index] if index < len(showcase) and showcase[index] > plan_date else None
        held = _review_dates(rng, plan_date, today, last)
        plans.append(
            EhcPlan(
                pupil=pupil,
                plan_date=plan_date,
                local_authority="North Northamptonshire",
                next_review_due=annual_review_due(held[-1] if held else plan_date),
                updated_by=senco,
            )
        )
        reviews.append(held)
    created = EhcPlan.objects.bulk_create(plans)
    outcomes = EhcpOutcome.objects.bulk_create(
        EhcpOutcome(plan=plan, order=order, outcome=outcome, provision=provision)
        for plan in created
        for order, (outcome, provision) in enumerate(rng.sample(EHCP_OUTCOMES, 3), start=1)
    )
    by_plan = {}
    for outcome in outcomes:
        by_plan.setdefault(outcome.plan_id, []).append(outcome)
    review_rows = EhcpReview.objects.bulk_create(
        EhcpReview(
            plan=plan,
            meeting_date=meeting,
            attendees="Parent or carer\nSENCO\nClass teacher\nLocal authority caseworker",
            pupil_views="I like my key adult and the quiet room. I want to stay in my class.",
            family_views="Home has seen real progress in confidence; mornings are calmer.",
            recommended_changes="Keep the outcomes; add a transition outcome before the next key stage."
            if rng.random() < 0.3
            else "",
            recorded_by=senco,
        )
        for plan, held in zip(created, reviews, strict=True)
        for meeting in held
    )
    EhcpOutcomeProgress.objects.bulk_create(
        EhcpOutcomeProgress(
            review=review,
            outcome=outcome,
            progress=rng.choice(["Achieved", "Good progress; continue", "Some progress; adjust provision"]),
        )
        for review in review_rows
        for outcome in by_plan[review.plan_id]
    )
    return len(created), len(review_rows)


def add_plans(builder, demo):
    rng = random.Random(builder.seed + 8)
    main = demo["schools"][0]
    senco = demo["users"]["senco"]
    today = builder.today
    on_record = list(
        Pupil.objects.filter(school=main.school)
        .on_sen_record()
        .order_by("pk")
        .only(
            "pk",
            "sen_status",
            "sen_placed_on",
            "primary_need",
            "pen_portrait",
            "legal_forename",
            "preferred_forename",
        )
    )
    intervention_of = dict(
        InterventionPlace.objects.filter(pupil__in=on_record).values_list("pupil_id", "run__intervention_id")
    )
    sen_support = [p for p in on_record if p.sen_status == SenStatus.SEN_SUPPORT]
    ehcp = [p for p in on_record if p.sen_status == SenStatus.EHCP]
    _support_plans(rng, sen_support, today, senco, intervention_of)
    _passports(rng, on_record, today, senco)
    _ehc_plans(rng, ehcp, today, senco)
