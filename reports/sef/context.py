"""Section 1 of the SEF, the SEND cohort: pupils by status and need against the national
figures (pupils.selectors), and the vulnerable groups within it (one more query)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models import Count as DbCount
from django.utils import timezone

from core.figures import Count, Share
from pupils.models import SEN_STATUSES_ON_RECORD, Pupil, inclusion_group_q
from pupils.selectors import sen_register_summary

from ..snapshot import register
from .gap import gap_between

# The vulnerable groups set beside the SEND record: the pupil flag, and how it is named.
FLAGS = [
    ("pupil_premium", "Pupil premium", Q(pupil_premium=True)),
    ("fsm", "Free school meals", Q(fsm=True)),
    ("eal", "EAL", Q(eal=True)),
    ("lac", "Looked after", Q(lac=True)),
    ("social_care", "Known to social care", inclusion_group_q("social_care")),
    ("plac", "Previously looked after", inclusion_group_q("plac")),
    ("young_carer", "Pupils who are young carers", inclusion_group_q("young_carer")),
    ("boys", "Boys", Q(gender="M")),
]
# A group this many percentage points more common among SEND pupils is over-represented.
OVER_REPRESENTED = 10


@register
@dataclass
class NeedLine:
    label: str
    sen_support: Count
    ehcp: Count
    total: Count
    share: Share


@register
@dataclass
class GroupLine:
    label: str
    send: Share
    others: Share


@register
@dataclass
class ContextSection:
    as_at: datetime.date
    pupils: int
    sen_support: Count
    ehcp: Count
    on_record: Count
    send_share: Share
    ehcp_share: Share
    national_year: int
    national_send: float
    national_ehcp: float
    needs: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    findings: list = field(default_factory=list)


def context_section(school, *, suppress_below):
    summary = sen_register_summary(school, suppress_below=suppress_below)
    needs = [NeedLine(n.label, n.sen_support, n.ehcp, n.total, n.share_of_register) for n in summary.needs]
    groups = vulnerable_groups(school, suppress_below=suppress_below)
    return ContextSection(
        as_at=timezone.localdate(),
        pupils=summary.total,
        sen_support=summary.sen_support,
        ehcp=summary.ehcp,
        on_record=summary.on_record,
        send_share=summary.send_share,
        ehcp_share=summary.ehcp_share,
        national_year=summary.national_year,
        national_send=summary.national_send,
        national_ehcp=summary.national_ehcp,
        needs=needs,
        groups=groups,
        findings=_findings(summary, needs, groups) if summary.total else [],
    )


def vulnerable_groups(school, *, suppress_below):
    """The share of SEND pupils and of the others in each group, pupils on roll: one query,
    grouped by whether the pupil is on the SEND record (half the columns of a conditional count
    for each group and flag, and about a quarter of the Python calls to build it)."""
    send = ExpressionWrapper(Q(sen_status__in=SEN_STATUSES_ON_RECORD), output_field=BooleanField())
    aggregates = {"n": DbCount("pk")}
    for flag, _, has in FLAGS:
        aggregates[flag] = DbCount("pk", filter=has)
    rows = Pupil.objects.filter(school=school).active().values(send=send).annotate(**aggregates).order_by()
    by_group = {row["send"]: row for row in rows}
    empty = dict.fromkeys(aggregates, 0)
    send_counts, other_counts = by_group.get(True, empty), by_group.get(False, empty)
    return [
        GroupLine(
            label,
            Share.of(send_counts[flag], send_counts["n"], suppress_below=suppress_below),
            Share.of(other_counts[flag], other_counts["n"], suppress_below=suppress_below),
        )
        for flag, label, _ in FLAGS
    ]


def _findings(summary, needs, groups):
    findings = [
        f"{summary.send_share} of pupils are on the SEND record ({summary.sen_support} SEN support, "
        f"{summary.ehcp} with an EHC plan), against {summary.national_send}% nationally in "
        f"{summary.national_year}; {summary.ehcp_share} have an EHC plan, against "
        f"{summary.national_ehcp}% nationally."
    ]
    if needs:
        top = needs[0]
        findings.append(f"The most common primary need is {top.label}: {top.share} of the SEND record.")
    for line in groups:
        difference = gap_between(line.others, line.send)
        if difference is not None and difference >= OVER_REPRESENTED:
            findings.append(
                f"{line.label} pupils are over-represented on the SEND record: {line.send} of SEND "
                f"pupils against {line.others} of the others."
            )
    return findings
