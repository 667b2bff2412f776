"""The thirteen Ofsted-style prompts of seeds/002 Appendix A (School Inspection Handbook), with the
question each asks of the SENCO and which SEF sections hold the figures relevant to it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    number: int
    topic: str
    text: str
    question: str
    sections: tuple = ()


PROMPTS = [
    Prompt(
        1,
        "Progress since the last inspection",
        "Inspectors consider the school's context and the progress made since the last inspection, "
        "including areas for improvement identified then.",
        "Were any of these SEND specific?",
        ("context",),
    ),
    Prompt(
        2,
        "Off-site provision",
        "Inspectors may want information on pupils who attend off-site provision.",
        "How do you monitor the progress of SEND pupils educated off-site?",
    ),
    Prompt(
        3,
        "Public information",
        "Inspectors consider publicly available information.",
        "Are all of the school's policies up to date and easy to find on the school website?",
    ),
    Prompt(
        4,
        "Impact of the curriculum",
        "Inspectors evaluate evidence of the impact of the curriculum, including on the most "
        "disadvantaged pupils and pupils with SEND.",
        "What does the evidence of impact show for pupils with SEND?",
        ("attainment",),
    ),
    Prompt(
        5,
        "Pupils outside lessons",
        "Inspectors observe pupils outside lessons, at unstructured times of the day.",
        "Do you conduct learning walks and monitoring at different points of the day? Is behaviour in a "
        "lesson a result of the transition from the one before?",
    ),
    Prompt(
        6,
        "Curriculum intent",
        "The curriculum should have high academic, vocational or technical ambition for all pupils; the "
        "school does not offer pupils with SEND a reduced curriculum.",
        "How do you know pupils with SEND follow the full curriculum?",
        ("interventions",),
    ),
    Prompt(
        7,
        "Curriculum implementation",
        "Inspectors see how teachers check understanding, embed key concepts and build on previous skills "
        "and assessments.",
        "Are you monitoring these? (Part Two's qualitative monitoring tasks.)",
    ),
    Prompt(
        8,
        "Conclusions from internal data",
        "Inspectors do not use internal assessment data as evidence; they look at the conclusions drawn "
        "and the actions taken from it.",
        "What have you concluded from the data, and what specific actions follow for pupils with SEND?",
        ("attainment", "interventions"),
    ),
    Prompt(
        9,
        "Preparation for the next stage",
        "Inspectors collect evidence of how well pupils with SEND are prepared for the next stage of their "
        "education or adult lives.",
        "How is preparation for adulthood part of the curriculum and provision?",
    ),
    Prompt(
        10,
        "Exclusions",
        "Inspectors consider how well the school recognises and acts on any patterns of exclusion.",
        "Are you tracking exclusions and attendance over time? What actions have been taken?",
        ("attendance",),
    ),
    Prompt(
        11,
        "Adapted curriculum",
        "Inspectors consider whether the curriculum is successfully adapted, designed or developed to be "
        "ambitious and meet the needs of pupils with SEND.",
        "As SENCO, what have you done to ensure this?",
        ("interventions",),
    ),
    Prompt(
        12,
        "Best possible outcomes",
        "Inspectors consider whether pupils with SEND achieve the best possible outcomes.",
        "How do you know?",
        ("attainment",),
    ),
    Prompt(
        13,
        "Behaviour and attendance",
        "Inspectors consider whether there is a demonstrable improvement in the behaviour and attendance of "
        "pupils with particular needs.",
        "How do you track the behaviour of pupils with SEND?",
        ("attendance",),
    ),
]
PROMPT_NUMBERS = [p.number for p in PROMPTS]
