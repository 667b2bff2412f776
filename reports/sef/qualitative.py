"""Sections 5 and 6 of the SEF, strengths and areas for development: evidence counted by Part
Two question, and the SENCO's conclusions, from the evidence log (evidence.selectors). These are
counts of items and name no pupil, so the governor version shows them too."""

from dataclasses import dataclass, field

from core.calendar import academic_year_label as year_label
from core.figures import Count
from evidence.selectors import part_two_overview

from ..snapshot import register


@register
@dataclass
class QuestionLine:
    question: str
    strengths: Count
    developments: Count
    conclusion: str = ""


@register
@dataclass
class QualitativeSection:
    available: bool
    note: str = ""
    questions: list = field(default_factory=list)
    strengths: int = 0
    developments: int = 0
    findings: list = field(default_factory=list)


def qualitative_section(school, academic_year):
    lines = [
        QuestionLine(str(row.tag), row.counts.strengths, row.counts.developments, row.conclusion)
        for row in part_two_overview(school, academic_year)
        if row.counts.total.value or row.conclusion
    ]
    if not lines:
        return QualitativeSection(
            False,
            f"No evidence (lesson observations, pupil and parent voice, work scrutiny) is logged for "
            f"{year_label(academic_year)} yet; the SENCO's narrative below stands alone.",
        )
    strengths = sum(line.strengths.value for line in lines)
    developments = sum(line.developments.value for line in lines)
    findings = [
        f"Evidence logged this year: {strengths} item{'s' if strengths != 1 else ''} judged "
        f"{'strengths' if strengths != 1 else 'a strength'} and {developments} "
        f"area{'s' if developments != 1 else ''} for development, across {len(lines)} of the "
        "Part Two questions."
    ]
    return QualitativeSection(
        True, questions=lines, strengths=strengths, developments=developments, findings=findings
    )
