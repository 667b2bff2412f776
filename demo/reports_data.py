"""Demo reports: the main school's SEF narrative and grade, signed off by the demo head so that
the demo governor has a summary to download; responses to the Appendix A prompts; one case study.

Runs after every other app's demo data (it is last in demo/extensions.py), since a sign-off keeps
the figures as they are at that moment. The narrative names no pupil (the governor reads it).
"""

from django.utils import timezone

from core.calendar import academic_year_of
from core.roles import Role
from pupils.models import Pupil, SenStatus
from reports.models import CaseStudy, Grade, PromptResponse, PromptStatus, SefSignOff
from reports.prompts import PROMPTS
from reports.services import sef_report_save, sef_sign_off
from schools.models import Membership

NARRATIVE = {
    "context": (
        "Our SEND cohort is close to the national picture in size. Speech, language and communication "
        "needs and social, emotional and mental health needs are the largest groups, and a higher share "
        "of pupils with SEND are eligible for the pupil premium than their peers, so we track these "
        "pupils closely in every pupil progress meeting."
    ),
    "attainment": (
        "Pupils with SEND attain below their peers in every core subject, as expected for this cohort. "
        "The largest gaps, set out above with their trend, are the priority of this year's improvement "
        "plan: reading fluency groups and a structured writing intervention target them."
    ),
    "attendance": (
        "Attendance of pupils with SEND is below that of their peers and persistent absence is higher. "
        "Our attendance officer now meets every family of a persistently absent pupil with SEND within "
        "two weeks, with the SENCO present where anxiety about school is a factor."
    ),
    "interventions": (
        "The interventions with the most and the least impact for their cost are set out above. We will "
        "review every intervention at the spring provision-map review and stop those that show little "
        "progress for their cost."
    ),
    "strengths": (
        "Pupils with SEND follow the full curriculum with well-planned adaptations. Parents tell us in "
        "structured conversations that they feel listened to, and pupil voice shows growing confidence "
        "in reading. Teaching assistants are well trained in precision teaching and in supporting "
        "speech and language targets."
    ),
    "development": (
        "Writing outcomes for pupils with SEND, especially in upper key stage 2. Attendance of pupils "
        "with social, emotional and mental health needs. Consistency of adaptive teaching across all "
        "classes, checked through learning walks at different times of the day."
    ),
    "actions": (
        "1. Introduce a structured writing intervention for pupils with SEND in Years 4 to 6 (SENCO, "
        "from January; success: the writing gap narrows by 5 points by July).\n"
        "2. Attendance plans for every persistently absent pupil with SEND (attendance officer, half "
        "termly review).\n"
        "3. Training in adaptive teaching for all teachers (deputy head, spring term)."
    ),
}
RATIONALE = (
    "Leaders know pupils with SEND well and act on what the figures show, and the curriculum is "
    "ambitious and adapted for pupils with SEND. Attainment gaps in the core subjects and attendance "
    "are not yet good enough, and the actions for them are under way, so Good is the best fit rather "
    "than Outstanding."
)
PROMPT_RESPONSES = {
    1: (
        "The last inspection asked us to sharpen the tracking of pupils with SEND; termly grids now do this.",
        "evidenced",
    ),
    4: (
        "Reading gaps narrowing over three terms; book looks show adapted tasks in every class.",
        "evidenced",
    ),
    8: (
        "Writing is the widest gap; the action plan targets it with a structured intervention.",
        "in_progress",
    ),
    10: ("Suspensions are tracked termly by need; no pattern by need this year.", "evidenced"),
    13: ("Behaviour incidents are reviewed half termly for pupils with SEND.", "in_progress"),
    2: ("No pupil with SEND is educated off-site this year.", "evidenced"),
    9: ("Preparation for adulthood is not yet mapped across the curriculum.", "action_needed"),
}


def add_reports(builder, demo):
    main = demo["schools"][0].school
    year = builder.year_start
    senco, head = demo["users"]["senco"], demo["users"]["head"]
    sef_report_save(
        school=main,
        academic_year=year,
        narrative=NARRATIVE,
        grade=Grade.GOOD,
        grade_rationale=RATIONALE,
        by=senco,
    )
    PromptResponse.objects.bulk_create(
        PromptResponse(
            school=main,
            academic_year=year,
            number=prompt.number,
            response=PROMPT_RESPONSES.get(prompt.number, ("", PromptStatus.NOT_STARTED))[0],
            status=PROMPT_RESPONSES.get(prompt.number, ("", PromptStatus.NOT_STARTED))[1],
            updated_by=senco,
        )
        for prompt in PROMPTS
    )
    pupil = (
        Pupil.objects.filter(school=main, sen_status=SenStatus.EHCP)
        .exclude(pen_portrait="")
        .order_by("-year_group", "pk")  # a case study with years of history behind it
        .first()
    )
    if pupil:
        CaseStudy.objects.create(
            pupil=pupil,
            pupil_label=pupil.forename,
            pen_portrait=pupil.pen_portrait,
            barriers="Working memory and processing speed; anxiety at transitions between lessons.",
            provision_notes="Daily small-group phonics, a visual timetable, a calm space at lunchtime, and "
            "termly structured conversations with parents.",
            staff_skills="Teaching assistants trained in precision teaching and Makaton; the class teacher "
            "observed the speech and language therapist and now plans vocabulary pre-teaching.",
            other_outcomes="Access wave 2 reading provision alongside peers.",
            independence="Now starts tasks independently using the task board and asks for help when "
            "it is needed.",
            social_skills="Plays cooperatively at lunchtime and has two firm friendships in class.",
            wider_impact="Visual timetables are now used in every classroom; Makaton signs are used in "
            "assemblies.",
            updated_by=senco,
        )
    head_membership = Membership.objects.get(school=main, user=head, role=Role.HEAD)
    sef_sign_off(membership=head_membership, academic_year=year)


def sign_off_every_school(demo, *, year=None):
    """Sign off the SEF of every school of the demo that has none signed off this year, as each
    school's head would (the demo has one head login; the sign-off is made in that head's name
    with the head's role at each school): the trust profile's governor pack then holds every
    school's summary. Returns how many schools were signed off."""
    year = year or academic_year_of(timezone.localdate())
    head = demo["users"]["head"]
    done = set(SefSignOff.objects.filter(academic_year=year).values_list("school_id", flat=True))
    signed = 0
    for built in demo["schools"]:
        school = built.school
        if school.pk in done:
            continue
        sef_report_save(
            school=school,
            academic_year=year,
            narrative=NARRATIVE,
            grade=Grade.GOOD,
            grade_rationale=RATIONALE,
            by=demo["users"]["senco"],
        )
        sef_sign_off(membership=Membership(user=head, school=school, role=Role.HEAD), academic_year=year)
        signed += 1
    return signed
