"""The inclusion evaluation area of the renewed framework (School inspection toolkit, November
2025, "Inclusion"): what the school's own records say for each strand of it.

This section holds only the figures no other section has: identification (gaps.identification:
concern to SEN support, plan reviews, no plan or review overdue, with their trends), movement on
and off the SEN record (gaps.vulnerable_groups), SEND pupils in two or more vulnerable groups,
conversations with families (evidence.selectors.conversation_participation), agencies involved,
and the evidence logged against the inclusion tags. The page and the SEF set beside them what the
other sections already hold (the gaps in attainment, attendance and suspensions of SEND pupils
against the others, the vulnerable groups, intervention impact): nothing is worked out twice.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count as DbCount
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.figures import Count, Share
from evidence.models import OfstedPrompt
from evidence.reference import INCLUSION_PROMPT_NUMBERS
from evidence.selectors import LeadRow, Participation, conversation_participation, prompt_overview
from gaps.identification import ConcernYear, ReviewTerm, identification
from gaps.vulnerable_groups import GROUP_COUNT, Movement, school_sen_movement
from pupils.models import Pupil

from ..snapshot import register

for cls in (ConcernYear, ReviewTerm, Movement, Participation, LeadRow):
    register(cls)


@register
@dataclass
class EvidenceLine:
    tag: str
    strengths: Count
    developments: Count
    total: Count


@register
@dataclass
class InclusionSection:
    available: bool
    as_at: datetime.date
    concerns: list = field(default_factory=list)  # ConcernYear, oldest first
    reviews: list = field(default_factory=list)  # ReviewTerm, oldest first; the last is the last term
    movement: list = field(default_factory=list)  # Movement by year
    movement_total: Movement | None = None
    several_groups: Count | None = None  # SEND pupils in two or more vulnerable groups
    send_pupils: Count | None = None
    with_agency: Share | None = None  # SEND pupils with an external agency involved
    families: Participation | None = None
    evidence: list = field(default_factory=list)  # EvidenceLine per inclusion tag
    findings: list = field(default_factory=list)
    note: str = ""


def as_at_for(academic_year, today=None):
    """The day a year's figures are taken at: today, or the last day of a year that has ended."""
    today = today or timezone.localdate()
    return min(today, datetime.date(academic_year + 1, 8, 31))


def inclusion_section(school, academic_year, *, suppress_below=0, today=None):
    as_at = as_at_for(academic_year, today)
    found = identification(school.pk, today=as_at, suppress_below=suppress_below)
    movement, movement_total = school_sen_movement(school.pk, suppress_below=suppress_below, today=as_at)
    send, agency, several = _send_pupils(school)
    families = conversation_participation(school, academic_year, suppress_below=suppress_below)
    evidence = _evidence(school, academic_year, suppress_below)
    section = InclusionSection(
        available=True,
        as_at=as_at,
        concerns=found.concerns,
        reviews=found.reviews,
        movement=movement,
        movement_total=movement_total,
        several_groups=Count.of(several, suppress_below=suppress_below),
        send_pupils=Count.of(send, suppress_below=suppress_below),
        with_agency=Share.of(agency, send, suppress_below=suppress_below),
        families=families,
        evidence=evidence,
    )
    section.findings = _findings(section)
    return section


def _send_pupils(school):
    """SEND pupils on roll now, those with an external agency involved, and those in two or more
    vulnerable groups (gaps.vulnerable_groups): one query."""
    agencies = Pupil.agencies.through.objects.filter(pupil_id=OuterRef("pk"))
    counts = (
        Pupil.objects.filter(school=school)
        .active()
        .on_sen_record()
        .annotate(groups=GROUP_COUNT, has_agency=Exists(agencies))
        .aggregate(
            n=DbCount("pk"),
            agency=DbCount("pk", filter=Q(has_agency=True)),
            several=DbCount("pk", filter=Q(groups__gte=2)),
        )
    )
    return counts["n"], counts["agency"], counts["several"]


def _evidence(school, academic_year, suppress_below):
    """Evidence items of the year tagged to each inclusion strand: counts of items, which name no
    pupil (evidence.selectors.prompt_overview)."""
    del suppress_below  # counts of evidence items, not of pupils: shown as they are
    lines = []
    for row in prompt_overview(school, academic_year):
        if row.tag.number in INCLUSION_PROMPT_NUMBERS:
            short = row.tag.short.removeprefix("Inclusion: ")
            short = short[:1].upper() + short[1:]
            lines.append(EvidenceLine(short, row.counts.strengths, row.counts.developments, row.counts.total))
    return lines


def _findings(section):
    findings = []
    concern = section.concerns[-2] if len(section.concerns) > 1 else None
    if concern and concern.median_days is not None:
        findings.append(
            f"Pupils placed on the SEND record in {concern.label} waited a median of "
            f"{concern.median_days} days from the first concern recorded; {concern.with_concern} of them "
            "had a concern recorded first."
        )
    review = section.reviews[-1] if section.reviews else None
    if review and review.sen_support.value:
        findings.append(
            f"{review.label}: {review.reviewed} of pupils on SEN support had their plan reviewed in the "
            f"term; {review.no_plan} had no plan and {review.overdue} a review overdue."
        )
    if section.families and section.families.send_pupils:
        findings.append(
            f"{section.families.three} of families of pupils with SEND had all three structured "
            "conversations this year."
        )
    return findings


def inclusion_tags():
    """The evidence tags of the inclusion strands, for the evidence log's filter."""
    return OfstedPrompt.objects.filter(number__in=INCLUSION_PROMPT_NUMBERS)
