from core.roles import Role
from tests.url_tables import ALL, LEADERS

SEF_FULL = {Role.SENCO, Role.HEAD, Role.TEACHER}


def sign_off_of(world_school):
    """A signed-off SEF of the school (made directly: the walker needs one per school)."""
    from reports import snapshot
    from reports.models import Grade, SefReport, SefSignOff
    from reports.sef import sef_figures
    from reports.selectors import current_academic_year

    school, year = world_school.school, current_academic_year()
    existing = SefSignOff.objects.filter(school=school).first()
    if existing:
        return existing
    report, _ = SefReport.objects.get_or_create(
        school=school, academic_year=year, defaults={"grade": Grade.GOOD, "grade_rationale": "Because."}
    )
    head = world_school.members[Role.HEAD].user
    return SefSignOff.objects.create(
        report=report,
        school=school,
        academic_year=year,
        figures=snapshot.dump(sef_figures(school, year, anonymised=False)),
        governor_figures=snapshot.dump(sef_figures(school, year, anonymised=True)),
        narrative={},
        grade=Grade.GOOD,
        grade_rationale="Because.",
        signed_off_by=head,
        signed_off_name="The head",
    )


def case_study_of(world_school):
    from reports.models import CaseStudy

    pupil = world_school.other_pupil
    return CaseStudy.objects.get_or_create(pupil=pupil, defaults={"pupil_label": pupil.forename})[0]


PERMISSIONS = {
    "reports:index": ("get", ALL, False),
    "reports:sef": ("get", SEF_FULL, False),
    "reports:sef_governor": ("get", ALL, False),
    "reports:sef_edit": ("get", {Role.SENCO}, False),
    "reports:sef_sign_off": ("get", {Role.HEAD}, False),
    "reports:governor_pack": ("post", {Role.TRUST_LEAD}, False),
    "reports:sef_framework": ("post", {Role.SENCO}, False),
    "reports:inclusion": ("get", SEF_FULL, False),
    "reports:inclusion_governor": ("get", ALL, False),
    "reports:sign_off": ("get", SEF_FULL, "sign_off"),
    "reports:sign_off_governor": ("get", ALL, "sign_off"),
    "reports:prompts": ("get", LEADERS, False),
    "reports:prompts_edit": ("get", {Role.SENCO}, False),
    "reports:case_studies": ("get", LEADERS, False),
    "reports:case_study_create": ("post", {Role.SENCO}, True),
    "reports:case_study": ("get", LEADERS, "case_study"),
    "reports:case_study_edit": ("get", {Role.SENCO}, "case_study"),
    # Inspection: the case sample (head and SENCO), each pupil's journey (leaders only: never a
    # governor, and not teachers: it gathers every record of the pupil), the SEN information
    # report (published, so everyone reads it, suppressed; the SENCO writes it).
    "reports:sample": ("get", LEADERS, False),
    "reports:sample_add": ("post", LEADERS, True),
    "reports:sample_remove": ("post", LEADERS, True),
    "reports:journey": ("get", LEADERS, True),
    "reports:journey_anonymised": ("get", LEADERS, True),
    "reports:information_report": ("get", ALL, False),
    "reports:information_report_edit": ("get", {Role.SENCO}, False),
    "reports:information_report_redraft": ("post", {Role.SENCO}, False),
}
TARGETS = {"sign_off": sign_off_of, "case_study": case_study_of}
