"""Demo data for the evidence app: a year and a bit of evidence log, structured conversations with
the families of the main school's SEND pupils, and two rounds of three surveys.

Everything is dated on or before the demo's `today`, and written with bulk_create. No attachment
is made: the demo writes no file under MEDIA_ROOT.
"""

import datetime
import random

from core.calendar import term_of
from evidence.models import (
    Conversation,
    ConversationTarget,
    EvidenceItem,
    Judgement,
    Lead,
    OfstedPrompt,
    PartTwoConclusion,
    PartTwoQuestion,
    Source,
    Survey,
    SurveyAnswerCount,
    SurveyQuestion,
    SurveyRound,
)
from pupils.models import Pupil

SEED_OFFSET = 606

# (source, judgement, Part Two questions, prompts, summary about one pupil {name} or school-wide)
EVIDENCE = [
    (
        Source.LESSON_OBSERVATION,
        Judgement.STRENGTH,
        [1, 5],
        [7, 11],
        "{name} used the word mat and a number line unprompted and finished the task independently.",
    ),
    (
        Source.LESSON_OBSERVATION,
        Judgement.DEVELOPMENT,
        [3, 8],
        [7],
        "The TA sat beside {name} for the whole lesson; {name} answered no question from the teacher.",
    ),
    (
        Source.PUPIL_VOICE,
        Judgement.STRENGTH,
        [6],
        [12],
        "{name} says there is always an adult to talk to at lunchtime and feels safe in the playground.",
    ),
    (
        Source.PARENT_VOICE,
        Judgement.STRENGTH,
        [12],
        [12],
        "{name}'s mother says reading at home is calmer since the new book band; she feels listened to.",
    ),
    (
        Source.AGENCY_REPORT,
        Judgement.NEUTRAL,
        [7],
        [11],
        "Speech and language therapy report for {name}: targets on sentence building, strategies for class.",
    ),
    (
        Source.WORK_SCRUTINY,
        Judgement.STRENGTH,
        [11],
        [4, 7],
        "{name}'s books show phonics learnt in the intervention applied in independent writing.",
    ),
    (
        Source.WORK_SCRUTINY,
        Judgement.DEVELOPMENT,
        [9, 11],
        [4],
        "Marking in {name}'s maths book is by the TA only; next steps are not planned by the teacher.",
    ),
    (
        Source.TARGET_REVIEW,
        Judgement.STRENGTH,
        [5],
        [12],
        "{name} met both targets of the autumn plan: counts on in tens and asks for help with a card.",
    ),
    (
        Source.PARENT_CORRESPONDENCE,
        Judgement.STRENGTH,
        [12],
        [],
        "Email from {name}'s father thanking the class teacher for the visual timetable at home.",
    ),
    (
        Source.OBSERVATION_NOTES,
        Judgement.DEVELOPMENT,
        [4],
        [5],
        "At lunchtime {name} stays with the midday assistant rather than joining other children.",
    ),
    (
        Source.COMMUNITY,
        Judgement.STRENGTH,
        [1],
        [9],
        "{name} joined the drumming club and performed at the summer fair.",
    ),
    (
        Source.PASTORAL,
        Judgement.DEVELOPMENT,
        [13],
        [13, 10],
        "Three incidents at transition times this half term for {name}; a meet-and-greet is now in place.",
    ),
    (
        Source.SUPPORT_STAFF,
        Judgement.STRENGTH,
        [10],
        [7],
        "TA feedback: {name} now uses the self-scaffolding prompt card before asking for help.",
    ),
    (
        Source.PLAN_REVIEW,
        Judgement.NEUTRAL,
        [5, 12],
        [12],
        "SEN support plan review for {name} with parents: outcomes carried forward, one new target.",
    ),
]
SCHOOL_WIDE = [
    (
        Source.GOVERNOR_VISIT,
        Judgement.STRENGTH,
        [2, 7],
        [3, 6],
        "SEND governor learning walk: adaptations visible in every class; the SEND policy is on the website.",
    ),
    (
        Source.LESSON_OBSERVATION,
        Judgement.DEVELOPMENT,
        [8],
        [7],
        "Learning walk in Key Stage 2: TAs work with the lowest attaining group in five of eight classes.",
    ),
    (
        Source.PUPIL_VOICE,
        Judgement.STRENGTH,
        [1, 6],
        [5],
        "Pupil voice survey of pupils with SEND: most enjoy school and name an adult they trust.",
    ),
    (
        Source.PARENT_VOICE,
        Judgement.NEUTRAL,
        [12],
        [],
        "Parent questionnaire: parents of pupils with SEND ask for workshops on reading and on maths.",
    ),
    (
        Source.WORK_SCRUTINY,
        Judgement.STRENGTH,
        [11],
        [1, 4],
        "Whole-school book look: challenge for pupils with SEND is now comparable with their peers.",
    ),
    (
        Source.SUPPORT_STAFF,
        Judgement.DEVELOPMENT,
        [10],
        [8],
        "TA questionnaire: half would like more subject training in maths before delivering interventions.",
    ),
]
CONCLUSIONS = {
    1: "Pupils with SEND are engaged in most lessons and say they enjoy school; attitudes dip at "
    "unstructured times.",
    8: "TAs still work mostly with the lowest attaining groups in Key Stage 2; redeployment is in the "
    "action plan for the spring term.",
    12: "Relationships with parents are positive and growing: most families of pupils with SEND had a "
    "structured conversation this term.",
}
BARRIERS = [
    "Finds it hard to settle after break; worries about spelling in front of others.",
    "Tiredness in the mornings; homework ends in arguments.",
    "Struggles with noise in the hall and the dining room.",
    "Loses confidence quickly when a task looks long.",
]
WORKED = [
    "Short, timed tasks with a visual timer.",
    "Reading together at bedtime with the decodable books.",
    "A quiet space to go to, agreed in advance.",
    "Praise for effort at home and at school in the same words.",
]
ASPIRATIONS = [
    "To read a chapter book on their own.",
    "To have a good friend in class.",
    "To go on the residential with their class.",
    "To feel proud of their writing.",
]
CURRICULAR = [
    "Read and spell the Year 2 common exception words.",
    "Recall the 2, 5 and 10 times tables.",
    "Write three sentences with capital letters and full stops.",
    "Use a number line to add and subtract within 20.",
]
WIDER = [
    "Join a lunchtime club and attend every week.",
    "Ask an adult for help using the help card.",
    "Play a team game at breaktime.",
    "Take part in the class assembly.",
]


def _dates_of_year(rng, year_start, today):
    """A conversation date in each term of the academic year starting in `year_start`, up to today."""
    windows = [
        (datetime.date(year_start, 9, 22), 55),
        (datetime.date(year_start + 1, 1, 12), 55),
        (datetime.date(year_start + 1, 4, 20), 60),
    ]
    return [
        start + datetime.timedelta(days=rng.randrange(min(span, (today - start).days + 1)))
        for start, span in windows
        if start <= today
    ]


def add_evidence(builder, demo):
    rng = random.Random(builder.seed + SEED_OFFSET)
    main = demo["schools"][0]
    school = main.school
    users = demo["users"]
    today, year = builder.today, builder.year_start
    send = list(Pupil.objects.filter(school=school).active().on_sen_record().order_by("pk"))
    if not send:
        return
    teacher_pupils = [p for p in send if p.school_class_id == demo["teacher_class"].pk]
    ta_pupils = list(
        Pupil.objects.filter(school=school, intervention_places__run__staff=users["ta"]).distinct()
    )
    questions = {q.number: q for q in PartTwoQuestion.objects.all()}
    prompts = {p.number: p for p in OfstedPrompt.objects.all()}

    # -- the evidence log: last year and this year up to today --
    first = datetime.date(year - 1, 9, 8)
    planned = []
    focus = teacher_pupils[:4] + ta_pupils[:3]
    for n in range(48):
        source, judgement, qs, ps, text = EVIDENCE[n % len(EVIDENCE)]
        pupil = focus[n % len(focus)] if focus and n % 3 == 0 else rng.choice(send)
        author = (
            users["teacher"]
            if pupil in teacher_pupils
            else (users["ta"] if pupil in ta_pupils else users["senco"])
        )
        planned.append((source, judgement, qs, ps, text.format(name=pupil.forename), [pupil], "", author))
    for source, judgement, qs, ps, text in SCHOOL_WIDE * 2:
        planned.append((source, judgement, qs, ps, text, [], "Pupils with SEND", users["senco"]))

    def when(pupils):
        """A day since `first` (for a pupil, since they joined the school), up to today."""
        start = max([first, *(builder.joined(p.pk) for p in pupils)])
        return start + datetime.timedelta(days=rng.randrange(max(1, (today - start).days + 1)))

    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            school=school,
            source=source,
            date=when(pupils),
            author=author,
            summary=summary,
            judgement=judgement,
            group=group,
        )
        for source, judgement, _qs, _ps, summary, pupils, group, author in planned
    )
    through_pupils, through_questions, through_prompts = [], [], []
    for item, (_s, _j, qs, ps, _t, pupils, _g, _a) in zip(items, planned, strict=True):
        through_pupils += [EvidenceItem.pupils.through(evidenceitem=item, pupil=p) for p in pupils]
        through_questions += [
            EvidenceItem.questions.through(evidenceitem=item, parttwoquestion=questions[q]) for q in qs
        ]
        through_prompts += [
            EvidenceItem.prompts.through(evidenceitem=item, ofstedprompt=prompts[p]) for p in ps
        ]
    EvidenceItem.pupils.through.objects.bulk_create(through_pupils)
    EvidenceItem.questions.through.objects.bulk_create(through_questions)
    EvidenceItem.prompts.through.objects.bulk_create(through_prompts)
    PartTwoConclusion.objects.bulk_create(
        PartTwoConclusion(
            school=school, academic_year=year, question=questions[n], text=text, updated_by=users["senco"]
        )
        for n, text in CONCLUSIONS.items()
    )

    # -- structured conversations, last year and this year --
    conversations, targets_for = [], []
    leads = [Lead.HEAD] * 2 + [Lead.SENCO] * 3 + [Lead.TEACHER] * 5
    for pupil in send:
        lead = rng.choice(leads)
        # Head-led families keep up all three more often (seeds/003: 55% against 32% and 30%).
        keep_up = {Lead.HEAD: 0.6, Lead.SENCO: 0.35, Lead.TEACHER: 0.3}[lead]
        for academic_year in (year - 1, year):
            # Only while the pupil is on the SEND record at this school.
            since = pupil.sen_placed_on or builder.joined(pupil.pk)
            dates = [d for d in _dates_of_year(rng, academic_year, today) if d >= since]
            if rng.random() > 0.85:
                continue  # no conversation at all this year
            if rng.random() > keep_up:
                dates = dates[: rng.randrange(1, 3)]
            for n, day in enumerate(dates):
                led = lead if n == 0 else rng.choice([lead, Lead.TEACHER])
                review = day + datetime.timedelta(weeks=12)
                conversations.append(
                    Conversation(
                        pupil=pupil,
                        date=day,
                        academic_year=academic_year,
                        term=term_of(day),
                        attended=rng.choice(["Mother", "Father", "Mother and father", "Grandmother", "Carer"])
                        + ", class teacher"
                        + (", SENCO" if led == Lead.SENCO else "")
                        + (", head" if led == Lead.HEAD else ""),
                        led_by=led,
                        barriers=rng.choice(BARRIERS),
                        what_has_worked=rng.choice(WORKED),
                        aspirations=rng.choice(ASPIRATIONS),
                        next_steps="Share the targets with the class team; send home the word cards.",
                        review_date=review,
                        recorded_by=users["teacher"] if pupil in teacher_pupils else users["senco"],
                    )
                )
                targets_for.append(review <= today)
    created = Conversation.objects.bulk_create(conversations, batch_size=2000)
    outcomes = [
        ConversationTarget.Outcome.ACHIEVED,
        ConversationTarget.Outcome.PARTLY,
        ConversationTarget.Outcome.NOT_ACHIEVED,
    ]
    targets = []
    for conversation, reviewed in zip(created, targets_for, strict=True):
        for kind, texts in (
            (ConversationTarget.Kind.CURRICULAR, CURRICULAR),
            (ConversationTarget.Kind.WIDER, WIDER),
        ):
            outcome = rng.choices(outcomes, weights=[5, 3, 2])[0] if reviewed else ""
            targets.append(
                ConversationTarget(
                    conversation=conversation,
                    kind=kind,
                    text=rng.choice(texts),
                    outcome=outcome,
                    reviewed_on=conversation.review_date if reviewed else None,
                )
            )
    ConversationTarget.objects.bulk_create(targets, batch_size=4000)

    # -- surveys: baseline in the autumn of last year, follow-up in the spring --
    surveys = [
        (
            Survey.Kind.STAFF_CONFIDENCE,
            "Teaching assistants: supporting independence",
            "The ten teaching assistants, before and after the scaffolding training.",
            [
                (
                    "How confident are you in taking steps to support a pupil's increasing independence?",
                    (0, 2, 6, 2),
                    (0, 0, 4, 6),
                ),
                (
                    "How confident are you in choosing the right point on the Pupil Support Scale?",
                    (2, 5, 3, 0),
                    (0, 2, 5, 3),
                ),
            ],
        ),
        (
            Survey.Kind.PUPIL_VOICE,
            "Pupils with SEND: how school feels",
            "Pupils with SEND in Years 3 to 6, asked by an adult they know.",
            [
                ("Do you feel safe in school?", (1, 4, 12, 19), (0, 3, 11, 22)),
                ("Do you enjoy your lessons?", (3, 8, 15, 10), (2, 6, 15, 13)),
                ("Do you get to work with other children?", (4, 9, 14, 9), (2, 6, 16, 12)),
            ],
        ),
        (
            Survey.Kind.PARENT_VOICE,
            "Parents of pupils with SEND",
            "Paper and online questionnaire after the structured conversations.",
            [
                ("Do you feel listened to by the school?", (2, 6, 14, 9), (1, 3, 13, 16)),
                ("Do you know what your child is working on?", (4, 9, 11, 7), (1, 6, 14, 12)),
            ],
        ),
    ]
    rounds = [(datetime.date(year - 1, 10, 10), "Baseline"), (datetime.date(year, 3, 20), "Follow-up")]
    for kind, title, description, items_ in surveys:
        survey = Survey.objects.create(school=school, kind=kind, title=title, description=description)
        qs = SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=survey, order=n, text=text)
            for n, (text, _b, _a) in enumerate(items_, start=1)
        )
        made = SurveyRound.objects.bulk_create(
            SurveyRound(survey=survey, date=d, label=label) for d, label in rounds
        )
        SurveyAnswerCount.objects.bulk_create(
            SurveyAnswerCount(round=made[r], question=q, answer=answer, count=counts[answer - 1])
            for q, (_t, before, after) in zip(qs, items_, strict=True)
            for r, counts in enumerate((before, after))
            for answer in (1, 2, 3, 4)
        )
