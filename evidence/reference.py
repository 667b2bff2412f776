"""The questions of Part Two and the Appendix A prompts of "Good to Great for SEND" (seeds/002),
as loaded by migration 0002. Kept here too so that tests and the demo can refer to them."""

PART_TWO_KEY_QUESTION = (
    "What does our qualitative evidence tell us about how successful we are in achieving a culture "
    "of high expectations and success for pupils with SEND?"
)

PART_TWO_QUESTIONS = [
    (
        1,
        "Engagement and attitude",
        "Are pupils engaged in learning and do they have a positive attitude towards school?",
    ),
    (
        2,
        "High expectations",
        "Do class teachers and support staff have high expectations for pupils with SEND? Is this evident "
        "in day-to-day teaching?",
    ),
    (
        3,
        "Adult talk and pupil contribution",
        "Evaluate the amount of teacher/adult talk versus the contribution from pupils. What interaction "
        "does the teacher have with the pupils with SEN? Do pupils have opportunities to work independently "
        "or with their peers?",
    ),
    (
        4,
        "Support staff and social interaction",
        "Does working with support staff prevent social interaction with other pupils?",
    ),
    (
        5,
        "Independence and initiative",
        "Are pupils making good progress in acquiring attitudes and skills, which lead to greater "
        "independence? Are pupils with SEND encouraged to use their initiative?",
    ),
    (6, "Feeling safe", "Do pupils with SEND feel safe in school (particularly from bullying)?"),
    (
        7,
        "Reasonable adjustments",
        "Are 'reasonable adjustments' made to help pupils with SEND to be fully included in school?",
    ),
    (
        8,
        "Deployment of teaching assistants",
        "Additional adult support does not always improve progress; are we ensuring that teaching "
        "assistants don't always work with the lowest attaining group?",
    ),
    (
        9,
        "Teacher monitoring of work",
        "Is the work of pupils with SEND monitored closely by the class teacher to ensure that next steps "
        "in learning are carefully planned, rather than always relying on information from the TA?",
    ),
    (
        10,
        "Support staff knowledge and skills",
        "Do support staff have sufficient subject knowledge and skills to ensure their input promotes "
        "thinking and not simply task completion?",
    ),
    (
        11,
        "Work scrutiny and transfer of skills",
        "From work scrutiny, is there evidence of challenge, motivation, independence, presentation and "
        "appropriate support and marking? What evidence is there that skills learnt in interventions are "
        "applied in other lessons?",
    ),
    (
        12,
        "Relationship with parents",
        "Does the school have a positive and meaningful relationship with parents of pupils on the SEND "
        "record?",
    ),
    (
        13,
        "Behaviour and choices",
        "Is behaviour generally positive and do pupils have an ability to make well-informed choices?",
    ),
]

OFSTED_PROMPTS = [
    (
        1,
        "Progress since the last inspection",
        "When discussing progress since the last inspection, inspectors will consider the school's context "
        "and the progress it has made since last inspection, including any progress on areas for "
        "improvement identified at previous inspections.",
        "Were any of these SEND specific?",
    ),
    (
        2,
        "Off-site provision",
        "The inspector may want information on whether pupils attend off-site provision and will request "
        "further information about this.",
        "How do you monitor progress of SEND pupils educated off-site?",
    ),
    (
        3,
        "Publicly available information",
        "The inspector will consider publicly available information.",
        "Are all of the school's policies up to date and easy to find on the school website?",
    ),
    (
        4,
        "Impact of the curriculum",
        "Inspectors will evaluate evidence of the impact of the curriculum, including on the most "
        "disadvantaged pupils. This includes pupils with SEND.",
        "",
    ),
    (
        5,
        "Pupils outside lessons",
        "Inspectors will observe pupils outside of lessons; at unstructured times of the day.",
        "Do you conduct learning walks and monitoring tasks at different points of the day? Is a pupil's "
        "behaviour in a lesson a result of the transition between the previous lesson and this one?",
    ),
    (
        6,
        "Curriculum intent",
        "The quality of education will be judged upon a rounded view: the curriculum intent should have "
        "high academic, vocational/technical ambition for all pupils, and the school does not offer "
        "disadvantaged pupils or pupils with SEND a reduced curriculum.",
        "",
    ),
    (
        7,
        "Curriculum implementation",
        "Inspectors will consider the curriculum implementation, primarily evaluated at classroom level: "
        "how teachers check pupil understanding, ensure key concepts are embedded and build on previous "
        "skills and assessments.",
        "Are you monitoring these? Use the qualitative quality assurance monitoring tasks in Part Two.",
    ),
    (
        8,
        "Conclusions from internal data",
        "Inspectors will not use schools' internal assessment data as evidence; they will be interested in "
        "the conclusions drawn and actions taken from the internal assessment information.",
        "See the key questions in Part One: use the data to plan specific actions to improve outcomes for "
        "SEND pupils.",
    ),
    (
        9,
        "Preparation for the next stage",
        "Inspectors will collect evidence on how well pupils with SEND are prepared for the next stage of "
        "their education or adult lives.",
        "How do you incorporate preparation for adulthood into the curriculum? Provision?",
    ),
    (
        10,
        "Exclusions",
        "Inspectors will consider how well the school is recognising and acting to address any patterns "
        "of exclusions that exist.",
        "Are you tracking exclusions and attendance over time? What actions have previously been taken?",
    ),
    (
        11,
        "Adapted, ambitious curriculum",
        "Inspectors will consider whether the curriculum is successfully adapted, designed or developed to "
        "be ambitious and meet the needs of SEND pupils.",
        "As SENCO, what have you done to ensure this?",
    ),
    (
        12,
        "Best possible outcomes",
        "Inspectors will consider whether pupils with SEND achieve the best possible outcomes.",
        "How do you know?",
    ),
    (
        13,
        "Behaviour and attendance",
        "For behaviour and attitudes, inspectors will consider if there is a demonstrable improvement in "
        "the behaviour and attendance of pupils who have particular needs.",
        "How do you track behaviour of pupils with SEND?",
    ),
]

# Evidence tags for the renewed framework's inclusion evaluation area (School inspection toolkit,
# November 2025, "Inclusion"): one per strand of what inspectors evaluate, numbered after the
# thirteen Appendix A prompts so that an item can carry both. Loaded by migration 0003.
INCLUSION_PROMPTS = [
    (
        14,
        "Inclusion: identifying needs",
        "Leaders and staff identify pupils' needs and barriers early and accurately, including for pupils "
        "known to children's social care and young carers.",
        "How quickly, and how accurately, are needs identified after a concern is raised?",
    ),
    (
        15,
        "Inclusion: high expectations",
        "Staff have high expectations of disadvantaged pupils and pupils with SEND, who follow an ambitious "
        "curriculum.",
        "Where do disadvantaged pupils and pupils with SEND fall behind, and what is done about it?",
    ),
    (
        16,
        "Inclusion: adaptations and support",
        "Adaptations and support are planned, put in place and reviewed, and changed when they do not work.",
        "Are plans reviewed on time, and does the support they set out make a difference?",
    ),
    (
        17,
        "Inclusion: specialists and families",
        "The school works with specialists and other agencies, and with parents and carers, so that support "
        "meets pupils' needs.",
        "Which agencies are involved, and how often do families take part in planning and review?",
    ),
    (
        18,
        "Inclusion: achieve, belong, thrive",
        "Disadvantaged pupils and pupils with SEND achieve well, attend, belong to the school community and "
        "thrive, and are not removed from it.",
        "How do their attainment, attendance and suspensions compare with those of other pupils?",
    ),
]
INCLUSION_PROMPT_NUMBERS = [number for number, *_ in INCLUSION_PROMPTS]
