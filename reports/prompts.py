"""The judgement prompts of each framework (reports.frameworks), with the question each asks of
the SENCO and which SEF sections hold the figures relevant to it:

- PROMPTS: the thirteen Ofsted-style prompts of seeds/002 Appendix A (School Inspection Handbook,
  2019 framework);
- RENEWED_PROMPTS: the renewed framework's, from the School inspection toolkit and the School
  inspection operating guide (Ofsted, November 2025), each citing the part it comes from. They
  are written in sendtrack's words; the documents are the reference.

`tags` are the evidence tags (evidence.OfstedPrompt numbers) whose items a prompt shows: an
Appendix A prompt its own number; a renewed prompt the inclusion tags (14 to 18) and the Appendix A
prompts that ask the same thing, so evidence logged before the switch still counts.
"""

from dataclasses import dataclass

from .models import Framework

TOOLKIT = "School inspection toolkit (Ofsted, November 2025)"
OPERATING_GUIDE = "School inspection operating guide (Ofsted, November 2025)"


@dataclass(frozen=True)
class Prompt:
    number: int
    topic: str
    text: str
    question: str
    sections: tuple = ()
    source: str = ""
    tags: tuple = ()

    @property
    def evidence_tags(self):
        return self.tags or (self.number,)


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

RENEWED_PROMPTS = [
    Prompt(
        1,
        "Inclusion: identifying needs early and accurately",
        "Inspectors evaluate how well leaders and staff identify the needs of pupils with SEND, "
        "disadvantaged pupils and those facing other barriers (pupils known to children's social care, "
        "young carers), early and accurately.",
        "How long does it take from a first concern to SEN support, and who is identified late?",
        ("inclusion",),
        f"{TOOLKIT}, evaluation area: Inclusion",
        (14,),
    ),
    Prompt(
        2,
        "Inclusion: high expectations",
        "Inspectors look for high expectations of these pupils, who follow the same ambitious curriculum.",
        "Where do pupils with SEND and disadvantaged pupils fall behind the others, and what follows?",
        ("attainment",),
        f"{TOOLKIT}, evaluation area: Inclusion",
        (15, 6),
    ),
    Prompt(
        3,
        "Inclusion: adaptations and support, reviewed",
        "Inspectors evaluate whether adaptations and support are put in place, monitored and reviewed, and "
        "changed when they are not working.",
        "Are plans reviewed each term, and which interventions make a difference?",
        ("inclusion", "interventions"),
        f"{TOOLKIT}, evaluation area: Inclusion",
        (16, 11),
    ),
    Prompt(
        4,
        "Inclusion: specialists and families",
        "Inspectors consider how the school works with specialists, other agencies and families.",
        "How often do families take part in planning and reviewing support, and which agencies are involved?",
        ("inclusion",),
        f"{TOOLKIT}, evaluation area: Inclusion",
        (17,),
    ),
    Prompt(
        5,
        "Inclusion: achieve, belong and thrive",
        "Inspectors evaluate the outcomes and experience of disadvantaged pupils and pupils with SEND: how "
        "well they achieve, attend and take part, and whether any are removed from school.",
        "How do their attainment, attendance and suspensions compare with those of other pupils?",
        ("attainment", "attendance"),
        f"{TOOLKIT}, evaluation area: Inclusion",
        (18, 12, 10),
    ),
    Prompt(
        6,
        "Curriculum and teaching: adapted for pupils with SEND",
        "Inspectors consider how teaching is adapted so that pupils with SEND learn the full curriculum.",
        "How do you know adaptations in class and in interventions help pupils learn the curriculum?",
        ("interventions",),
        f"{TOOLKIT}, evaluation area: Curriculum and teaching",
        (7, 11),
    ),
    Prompt(
        7,
        "Achievement",
        "Inspectors evaluate what pupils, including pupils with SEND, achieve over time, from published "
        "outcomes and from pupils' work.",
        "What have you concluded from the data about pupils with SEND, and what actions follow?",
        ("attainment",),
        f"{TOOLKIT}, evaluation area: Achievement",
        (4, 8, 12),
    ),
    Prompt(
        8,
        "Attendance and behaviour",
        "Inspectors evaluate attendance and behaviour, and how the school acts on patterns of absence and "
        "suspension for particular groups.",
        "Are you tracking attendance and suspensions of pupils with SEND over time? What has changed?",
        ("attendance",),
        f"{TOOLKIT}, evaluation area: Attendance and behaviour",
        (10, 13),
    ),
    Prompt(
        9,
        "Personal development and well-being",
        "Inspectors consider how pupils with SEND are helped to grow in independence and prepared for the "
        "next stage of education and adult life.",
        "How do pupils with SEND become more independent, and how are they prepared for what comes next?",
        ("support",),
        f"{TOOLKIT}, evaluation area: Personal development and well-being",
        (5, 9),
    ),
    Prompt(
        10,
        "Leadership and governance",
        "Inspectors consider whether the SENCO has the status and time to lead improvement for pupils with "
        "SEND, whether the SEN information report is accurate, and how governors hold leaders to account.",
        "What do governors know of provision for pupils with SEND, and how does leadership act on it?",
        ("actions",),
        f"{TOOLKIT}, evaluation area: Leadership and governance",
        (1, 3),
    ),
    Prompt(
        11,
        "Case sampling: following pupils through their records",
        "Inspectors follow a sample of pupils, including pupils with SEND, through their records and "
        "conversations with staff, to test what leaders say.",
        "Could you show any pupil's journey: concern, identification, plans, reviews, provision, outcomes?",
        (),
        f"{OPERATING_GUIDE}: gathering evidence, case sampling",
        (2,),
    ),
]


def prompts_for(framework):
    return RENEWED_PROMPTS if framework == Framework.RENEWED else PROMPTS


def prompt_numbers(framework):
    return [p.number for p in prompts_for(framework)]
