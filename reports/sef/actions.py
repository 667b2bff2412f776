"""Section 7 of the SEF, actions planned: the SEND action plan (the interventions app's
priorities and their actions), stopped ones left out."""

import datetime
from dataclasses import dataclass, field

from interventions.models import Action

from ..snapshot import register


@register
@dataclass
class ActionLine:
    priority: str
    description: str
    owner: str
    success_criteria: str
    review_date: datetime.date
    phase: str
    status: str


@register
@dataclass
class ActionsSection:
    available: bool
    note: str = ""
    lines: list = field(default_factory=list)
    findings: list = field(default_factory=list)


def actions_section(school, academic_year):
    rows = (
        Action.objects.filter(priority__school=school)
        .exclude(status=Action.Status.DROPPED)
        .select_related("priority")
        .order_by("review_date", "pk")
    )
    lines = [
        ActionLine(
            priority=a.priority.title,
            description=a.description,
            owner=a.owner,
            success_criteria=a.success_criteria,
            review_date=a.review_date,
            phase=a.get_phase_display(),
            status=a.get_status_display(),
        )
        for a in rows
    ]
    if not lines:
        return ActionsSection(
            False,
            "No action is recorded in the SEND action plan yet; the SENCO's narrative below stands alone.",
        )
    done = sum(line.status == Action.Status.DONE.label for line in lines)
    return ActionsSection(
        True, lines=lines, findings=[f"{done} of {len(lines)} actions in the plan are done."]
    )
