"""The two inspection frameworks a school's SEF for a year can be written against, and what
follows from the choice: the grades, their descriptors, the SEF's sections and the judgement
prompts.

- The renewed framework (report card): Ofsted inspects schools under it from 10 November 2025
  (School inspection toolkit and School inspection operating guide, November 2025). Each
  evaluation area is graded on a five-point scale; safeguarding is met or not met; inclusion is
  an evaluation area of its own. It is the default from the academic year 2025/26.
- The 2019 education inspection framework, with the Appendix A prompts of "Good to Great for
  SEND": kept for earlier years, and for schools that still use it.

A signed-off snapshot keeps the framework it was written against (reports.sef.SefFigures
.framework; snapshots kept before there was a choice load as the 2019 framework, which is what
they were), so switching a year's framework never changes a signed-off SEF.
"""

from django.db import models

from .models import GRADE_DESCRIPTORS, Framework, Grade, Safeguarding, default_framework

__all__ = ["Framework", "Safeguarding", "default_framework"]


class ReportCardGrade(models.IntegerChoices):
    """The five-point scale of the report card (School inspection toolkit, "Grading")."""

    EXCEPTIONAL = 1, "Exceptional"
    STRONG = 2, "Strong standard"
    EXPECTED = 3, "Expected standard"
    NEEDS_ATTENTION = 4, "Needs attention"
    URGENT_IMPROVEMENT = 5, "Urgent improvement"


# What each point of the scale means for the inclusion evaluation area, in sendtrack's words
# after the toolkit's "Inclusion" section and its grading scale.
REPORT_CARD_DESCRIPTORS = {
    ReportCardGrade.EXCEPTIONAL: (
        "Strong standard met securely and consistently, with inclusive practice that is exemplary and "
        "that others can learn from."
    ),
    ReportCardGrade.STRONG: (
        "Above the expected standard: needs are identified early and accurately for every group, support "
        "is consistently reviewed and adapted, and disadvantaged pupils and pupils with SEND achieve, "
        "belong and thrive."
    ),
    ReportCardGrade.EXPECTED: (
        "Leaders identify needs, have high expectations, make and review adaptations and support with "
        "specialists and families, so that disadvantaged pupils and pupils with SEND achieve well."
    ),
    ReportCardGrade.NEEDS_ATTENTION: (
        "The expected standard is not met in some respects: for example needs identified late, support "
        "not reviewed, or some groups falling behind."
    ),
    ReportCardGrade.URGENT_IMPROVEMENT: (
        "Significant weaknesses: pupils' needs are not identified or met, and disadvantaged pupils and "
        "pupils with SEND do not achieve or are not included."
    ),
}


def grade_choices(framework):
    return ReportCardGrade.choices if framework == Framework.RENEWED else Grade.choices


def grade_label(framework, grade):
    """The label of a stored grade under the framework, or "" when there is none."""
    if not grade:
        return ""
    return dict(grade_choices(framework)).get(grade, "")


def grade_descriptors(framework):
    """(label, descriptor) for each grade of the framework, best first."""
    if framework == Framework.RENEWED:
        return [(ReportCardGrade(v).label, REPORT_CARD_DESCRIPTORS[v]) for v in ReportCardGrade.values]
    return [(Grade(v).label, GRADE_DESCRIPTORS[v]) for v in Grade.values]


def descriptors_caption(framework):
    if framework == Framework.RENEWED:
        return (
            "The report card's five-point scale for the inclusion evaluation area (School inspection toolkit)"
        )
    return "Grade descriptors relevant to pupils with SEND (School Inspection Handbook)"


def judgement_words(framework):
    """How the SEF names its best-fit judgement under the framework."""
    if framework == Framework.RENEWED:
        return "The school's best-fit grade for inclusion on the report card's five-point scale"
    return "The school's best-fit judgement for the effectiveness of SEND provision"


# -- the SEF's sections ------------------------------------------------------------------------
SECTIONS_2019 = [
    ("context", "Context: the SEND cohort"),
    ("attainment", "Attainment and progress"),
    ("attendance", "Attendance, exclusions and behaviour"),
    ("interventions", "Interventions: impact and cost"),
    ("strengths", "Strengths"),
    ("development", "Areas for development"),
    ("actions", "Actions planned"),
]
# The renewed framework's evaluation areas that concern pupils with SEND, in the report card's
# order (School inspection toolkit), with the SEND cohort first and the plan last. A narrative
# kept under a key of the 2019 list keeps its place where the area holds the same figures.
SECTIONS_RENEWED = [
    ("context", "Context: the SEND cohort"),
    ("inclusion", "Inclusion"),
    ("interventions", "Curriculum and teaching: adaptations and interventions"),
    ("attainment", "Achievement"),
    ("attendance", "Attendance and behaviour"),
    ("wellbeing", "Personal development and well-being"),
    ("strengths", "Leadership and governance: strengths"),
    ("development", "Areas for development"),
    ("actions", "Actions planned"),
]
ALL_SECTION_KEYS = list(dict.fromkeys(key for key, _ in SECTIONS_RENEWED + SECTIONS_2019))


def sections_for(framework):
    return SECTIONS_RENEWED if framework == Framework.RENEWED else SECTIONS_2019
