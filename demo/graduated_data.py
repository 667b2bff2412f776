"""Demo data for the graduated approach (graduated app): the main school's authority settings and
its authority's checklist, other provision for pupils on SEN support, and one EHCP candidate
whose records are full enough for a request for an EHC needs assessment: three or more
reviewed cycles, costed provision above the element 2 threshold, an educational psychologist
and a speech and language therapist involved with a report in the evidence log (with its file),
a conversation with the family this term, and Pupil Support Scale observations.

Runs after the plans, interventions, attendance and evidence data, which it builds on.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Case, Count, Q, When

from assessment.models import SupportObservation
from core.calendar import academic_year_of, term_of
from evidence.models import Conversation, ConversationTarget, EvidenceItem, Lead, Source
from graduated.models import AuthoritySettings, ChecklistItem, Provision, Requirement
from pupils.models import ExternalAgency, Pupil, SenStatus

SEED_OFFSET = 18
CHECKLIST = [
    ("Evidence of at least two cycles of assess, plan, do, review, with outcomes", Requirement.TWO_CYCLES),
    (
        "A costed provision map showing the school has spent £6,000 from its notional SEN budget",
        Requirement.THRESHOLD,
    ),
    ("Advice from an educational psychologist or another specialist service", Requirement.AGENCY_REPORT),
    ("The views of the parent or carer, gathered this term or last", Requirement.PARENT_VIEW),
    ("The child's views, for example a one-page profile", Requirement.PUPIL_VIEW),
    ("Attendance for the current year", Requirement.ATTENDANCE),
    ("Parental consent to the request, signed", Requirement.MANUAL),
]
# kind, description, hours a week, weeks, £ an hour, other costs, pupils sharing
CANDIDATE_PROVISION = [
    (
        Provision.Kind.IN_CLASS,
        "Teaching assistant support in English and maths lessons",
        "10",
        38,
        "14.50",
        "0",
        1,
    ),
    (
        Provision.Kind.SPECIALIST,
        "Educational psychologist: assessment and two consultations",
        "0",
        0,
        "0",
        "1350",
        1,
    ),
    (Provision.Kind.EQUIPMENT, "Writing slope, pencil grips and a visual timetable", "0", 0, "0", "180", 1),
    (Provision.Kind.IN_CLASS, "Lunchtime key adult", "2.5", 38, "12.00", "0", 3),
]
OTHER_PROVISION = [
    (Provision.Kind.IN_CLASS, "Teaching assistant support in class", "3", 38, "14.50", "0", 2),
    (Provision.Kind.EQUIPMENT, "Reading rulers and coloured overlays", "0", 0, "0", "25", 1),
    (Provision.Kind.SPECIALIST, "Speech and language therapy visits", "0", 0, "0", "240", 4),
]
EP_REPORT = (
    "Educational psychology report (summary)\n\n"
    "{name} was seen in class and individually. Cognitive assessment shows verbal comprehension "
    "well below the average range and working memory at the 5th centile; non-verbal reasoning is "
    "a relative strength. Needs are severe and persistent despite two years of SEN support.\n\n"
    "Recommendations: a request for an EHC needs assessment; daily adult support to pre-teach "
    "vocabulary; instructions given one step at a time with visual support; review in one term.\n"
)


def _candidate(school, year):
    """The SEN-support pupil with the longest graduated approach (the most reviewed plans), among
    those in an intervention run this year if there are any."""
    this_year = Q(intervention_places__run__start_date__gte=datetime.date(year, 9, 1))
    return (
        Pupil.objects.filter(school=school, sen_status=SenStatus.SEN_SUPPORT, archived_at__isnull=True)
        .annotate(
            cycles=Count("support_plans", filter=Q(support_plans__status="reviewed"), distinct=True),
            runs_this_year=Count("intervention_places", filter=this_year, distinct=True),
        )
        .filter(cycles__gte=2)
        .exclude(primary_need="")
        .order_by(Case(When(runs_this_year__gt=0, then=0), default=1), "-cycles", "pk")
        .first()
    )


def _candidate_records(rng, school, pupil, users, today, joined):
    senco = users["senco"]
    agencies = [
        ExternalAgency.objects.get_or_create(name=name)[0]
        for name in ("Educational psychology service", "Speech and language therapy")
    ]
    pupil.agencies.add(*agencies)
    report = EvidenceItem.objects.create(
        school=school,
        source=Source.AGENCY_REPORT,
        date=today - datetime.timedelta(days=40),
        author=senco,
        summary=f"Educational psychologist's assessment of {pupil.forename}: severe and persistent "
        "language and working-memory needs; recommends a request for an EHC needs assessment.",
        judgement="neutral",
        attachment_name="Educational psychology report (summary).txt",
        attachment_type="text/plain",
    )
    report.pupils.add(pupil)
    report.attachment.save("ep-report.txt", ContentFile(EP_REPORT.format(name=pupil.forename).encode()))
    salt = EvidenceItem.objects.create(
        school=school,
        source=Source.AGENCY_REPORT,
        date=today - datetime.timedelta(days=75),
        author=senco,
        summary=f"Speech and language therapist's review: {pupil.forename}'s receptive language is about "
        "two years behind; a language programme delivered three times a week is advised.",
        judgement="neutral",
    )
    salt.pupils.add(pupil)
    _conversation_this_term(pupil, today, senco)
    if not SupportObservation.objects.filter(pupil=pupil).exists():
        SupportObservation.objects.bulk_create(
            SupportObservation(
                pupil=pupil, observed_on=today - datetime.timedelta(days=days), level=level, observer=senco
            )
            for days, level in ((300, 1), (200, 2), (110, 2), (30, 3))
            if today - datetime.timedelta(days=days) >= joined
        )
    pupil.pen_portrait = (
        pupil.pen_portrait or f"{pupil.forename} is cheerful and loves drawing."
    ) + " The school is preparing a request for an EHC needs assessment."
    pupil.save(update_fields=["pen_portrait"])


def _conversation_this_term(pupil, today, senco):
    """A conversation with the family this term, unless the demo's termly round already held one."""
    day = today - datetime.timedelta(days=12)
    if term_of(day) != term_of(today) or academic_year_of(day) != academic_year_of(today):
        day = today
    if Conversation.objects.filter(
        pupil=pupil, academic_year=academic_year_of(day), term=term_of(day)
    ).exists():
        return
    conversation = Conversation.objects.create(
        pupil=pupil,
        date=day,
        academic_year=academic_year_of(day),
        term=term_of(day),
        attended="Mother, class teacher, SENCO",
        led_by=Lead.SENCO,
        barriers="Finds it hard to follow what is said in class and gets upset about homework.",
        what_has_worked="The visual timetable and time with a key adult at lunch.",
        aspirations="To make friends, and to enjoy reading at home.",
        next_steps="The SENCO will prepare a request for an EHC needs assessment with the family's consent.",
        recorded_by=senco,
    )
    ConversationTarget.objects.bulk_create(
        [
            ConversationTarget(
                conversation=conversation,
                kind=ConversationTarget.Kind.CURRICULAR,
                text="Reads the week's six key words at home and in class",
            ),
            ConversationTarget(
                conversation=conversation,
                kind=ConversationTarget.Kind.WIDER,
                text="Joins the lunchtime Lego club with a friend",
            ),
        ]
    )


def _provision(rows, pupil, year, senco):
    return [
        Provision(
            pupil=pupil,
            academic_year=year,
            kind=kind,
            description=description,
            hours_per_week=Decimal(hours),
            weeks=weeks,
            hourly_rate=Decimal(rate),
            other_cost=Decimal(other),
            shared_by=shared,
            recorded_by=senco,
        )
        for kind, description, hours, weeks, rate, other, shared in rows
    ]


def add_graduated(builder, demo):
    rng = random.Random(builder.seed + SEED_OFFSET)
    school = demo["schools"][0].school
    users = demo["users"]
    year = builder.year_start
    AuthoritySettings.objects.update_or_create(
        school=school,
        defaults={"local_authority": "North Northamptonshire", "element_2_threshold": Decimal("6000")},
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(school=school, order=n, wording=wording, requirement=requirement)
        for n, (wording, requirement) in enumerate(CHECKLIST, start=1)
    )
    rows = []
    candidate = _candidate(school, year)
    if candidate is not None:
        rows += _provision(CANDIDATE_PROVISION, candidate, year, users["senco"])
        _candidate_records(rng, school, candidate, users, builder.today, builder.joined(candidate.pk))
    others = list(
        Pupil.objects.filter(school=school, archived_at__isnull=True)
        .on_sen_record()
        .exclude(pk=getattr(candidate, "pk", None))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in others:
        if rng.random() < 0.5:
            picked = rng.sample(OTHER_PROVISION, rng.randrange(1, 3))
            rows += _provision(picked, Pupil(pk=pk), year, users["senco"])
    Provision.objects.bulk_create(rows, batch_size=2000)
