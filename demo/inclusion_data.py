"""Demo data for the inclusion evaluation area: pupils in the groups it names (known to children's
social care, previously looked after, young carers), the concerns raised before pupils were placed
on the SEND record (and a few recent ones not yet followed by SEN support), evidence tagged to the
inclusion strands, and the SENCO's evaluation of inclusion for the renewed framework.

Shares are near the national picture: about 3% of pupils with a social worker now or in the last
six years, 1% previously looked after, 1 to 2% recorded as young carers (DfE, Schools, pupils and
their characteristics, and Children in need, 2024).
"""

import datetime
import random

from evidence.models import EvidenceItem, OfstedPrompt
from evidence.reference import INCLUSION_PROMPT_NUMBERS
from pupils.models import (
    SEN_STATUSES_ON_RECORD,
    Concern,
    PostLookedAfter,
    Pupil,
    SenStatus,
    SenStatusChange,
    SocialCare,
    YoungCarer,
)
from reports.models import Framework, PromptResponse, PromptStatus
from reports.services import sef_report_save

SHARE_SOCIAL_CARE = 0.03
SHARE_PREVIOUSLY_LOOKED_AFTER = 0.01
SHARE_YOUNG_CARER = 0.015
SHARE_PLACED_AFTER_A_CONCERN = 0.8
RECENT_CONCERNS = 0.01  # pupils with a concern raised this term, not (yet) on the SEND record

SUMMARIES = [
    "Class teacher noticed slow progress in phonics despite quality-first teaching.",
    "Parent raised worries about speech at home and frustration at bedtime.",
    "Difficulty following multi-step instructions; often copies peers.",
    "Withdrawn at playtimes and anxious at transitions between lessons.",
    "Handwriting and fine motor skills well below peers.",
    "Previous school shared concerns about attention and working memory.",
]
RAISED_BY = [r.value for r in Concern.RaisedBy]

EVALUATION = (
    "Needs are identified early: most pupils placed on SEN support this year had a concern logged first, "
    "and the median wait from concern to support is set out above. Every pupil on SEN support has a plan, "
    "though a few reviews slipped past their date in the summer term; these are now booked. Families "
    "take part in structured conversations, and agencies are involved where needs are complex. Pupils "
    "with SEND attend less well than their peers and are suspended more often: this is the priority."
)
PROMPT_RESPONSES = {
    1: (
        "Concerns are logged within the week and reviewed at the half-termly pupil progress meeting.",
        "evidenced",
    ),
    3: (
        "Plans are reviewed each term with the family; overdue reviews are on the SENCO's list.",
        "in_progress",
    ),
    5: (
        "Attendance and suspensions of pupils with SEND are the priority of the action plan.",
        "action_needed",
    ),
}


def add_inclusion(builder, demo):
    rng = random.Random(builder.seed + 14)
    for entry in demo["schools"]:
        _groups(rng, entry.school)
        _concerns(rng, entry.school, builder.today)
    main = demo["schools"][0].school
    _evidence_tags(rng, main)
    senco = demo["users"]["senco"]
    sef_report_save(
        school=main,
        academic_year=builder.year_start,
        narrative={"inclusion": EVALUATION},
        grade=None,
        grade_rationale="",
        by=senco,
    )
    PromptResponse.objects.bulk_create(
        PromptResponse(
            school=main,
            academic_year=builder.year_start,
            framework=Framework.RENEWED,
            number=number,
            response=text,
            status=PromptStatus(status),
            updated_by=senco,
        )
        for number, (text, status) in PROMPT_RESPONSES.items()
    )


def _groups(rng, school):
    pupils = list(Pupil.objects.filter(school=school).order_by("pk"))
    changed = []
    for pupil in pupils:
        # Pupils on the SEND record are more often known to social care (DfE: about twice as often).
        weight = 2 if pupil.sen_status in SEN_STATUSES_ON_RECORD else 1
        if rng.random() < SHARE_SOCIAL_CARE * weight:
            pupil.social_care = rng.choice(
                [SocialCare.CHILD_IN_NEED, SocialCare.CHILD_PROTECTION, SocialCare.PREVIOUSLY]
            )
        if not pupil.lac and rng.random() < SHARE_PREVIOUSLY_LOOKED_AFTER * weight:
            pupil.post_looked_after = rng.choice(
                [PostLookedAfter.ADOPTED, PostLookedAfter.SPECIAL_GUARDIANSHIP]
            )
            pupil.pupil_premium = True  # previously looked-after pupils attract the pupil premium
        if rng.random() < SHARE_YOUNG_CARER:
            pupil.young_carer = rng.choice([YoungCarer.BY_PARENT, YoungCarer.BY_SCHOOL])
        if pupil.social_care or pupil.post_looked_after or pupil.young_carer != YoungCarer.NOT_DECLARED:
            changed.append(pupil)
    Pupil.objects.bulk_update(changed, ["social_care", "post_looked_after", "young_carer", "pupil_premium"])


def _concerns(rng, school, today):
    first_placed = {}
    for pupil_id, status, day in (
        SenStatusChange.objects.filter(pupil__school=school)
        .order_by("effective_date")
        .values_list("pupil_id", "status", "effective_date")
    ):
        if status in SEN_STATUSES_ON_RECORD:
            first_placed.setdefault(pupil_id, day)
    births = dict(Pupil.objects.filter(school=school).values_list("pk", "date_of_birth"))
    concerns = []
    for pupil_id, placed in first_placed.items():
        if rng.random() >= SHARE_PLACED_AFTER_A_CONCERN:
            continue
        raised = placed - datetime.timedelta(days=rng.randint(14, 200))
        if raised <= births[pupil_id]:
            continue
        concerns.append(_concern(rng, pupil_id, raised))
        if rng.random() < 0.3:  # a second concern before the placement
            concerns.append(_concern(rng, pupil_id, raised + datetime.timedelta(days=rng.randint(5, 13))))
    never = (
        Pupil.objects.filter(school=school).exclude(pk__in=first_placed).exclude(sen_status=SenStatus.EHCP)
    )
    for pupil_id in never.values_list("pk", flat=True):
        if rng.random() < RECENT_CONCERNS:
            concerns.append(_concern(rng, pupil_id, today - datetime.timedelta(days=rng.randint(3, 60))))
    Concern.objects.bulk_create(concerns)


def _concern(rng, pupil_id, raised):
    return Concern(
        pupil_id=pupil_id, raised_on=raised, raised_by=rng.choice(RAISED_BY), summary=rng.choice(SUMMARIES)
    )


def _evidence_tags(rng, school):
    """Tag some of the year's evidence to the inclusion strands, beside its Appendix A prompts."""
    tags = list(OfstedPrompt.objects.filter(number__in=INCLUSION_PROMPT_NUMBERS))
    through = EvidenceItem.prompts.through
    rows = [
        through(evidenceitem_id=item_id, ofstedprompt_id=rng.choice(tags).pk)
        for item_id in EvidenceItem.objects.filter(school=school).values_list("pk", flat=True)
        if rng.random() < 0.4
    ]
    through.objects.bulk_create(rows, ignore_conflicts=True)
