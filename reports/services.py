"""Writes to the reports: the SEF narrative and grade, its sign-off snapshot, the Appendix A
responses and the case studies."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from core import policy
from pupils.models import Pupil

from . import snapshot
from .frameworks import ALL_SECTION_KEYS, Framework, Safeguarding, grade_choices
from .models import CaseStudy, PromptResponse, SefReport, SefSignOff
from .prompts import prompt_numbers
from .sef import sef_figures


def pupil_names_in(school, texts):
    """Full names (forename and surname) of the school's pupils found in any of the texts.

    Narrative printed in the governor version must name no pupil; a surname alone is not
    checked, since many surnames are ordinary words (Green, Hall, Young)."""
    text = " ".join(t for t in texts if t)
    if not text.strip():
        return []
    found = set()
    rows = Pupil.objects.filter(school=school).values_list(
        "legal_forename", "preferred_forename", "legal_surname"
    )
    for legal, preferred, surname in rows:
        for forename in {legal, preferred} - {""}:
            name = f"{forename} {surname}"
            if re.search(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE):
                found.add(name)
    return sorted(found)


@transaction.atomic
def sef_report_save(*, school, academic_year, narrative, grade, grade_rationale, by, safeguarding=None):
    """Save the SENCO's narrative per section and the best-fit grade for the year, on the scale of
    the framework the year's SEF is written against (and, under the renewed framework, whether
    safeguarding is met). A narrative kept for a section of the other framework is kept too."""
    report, _ = SefReport.objects.get_or_create(school=school, academic_year=academic_year)
    clean = {key: (narrative.get(key) or "").strip() for key in ALL_SECTION_KEYS if key in narrative}
    named = pupil_names_in(school, [*clean.values(), grade_rationale])
    if named:
        raise ValidationError(
            f"The narrative names a pupil ({', '.join(named)}). Governors read this report: describe "
            "pupils without naming them."
        )
    framework = report.chosen_framework
    if grade and grade not in dict(grade_choices(framework)):
        raise ValidationError(
            {"grade": "Choose a grade of the framework this year's SEF is written against."}
        )
    report.narrative = {**report.narrative, **clean}
    report.grade = grade or None
    report.grade_rationale = (grade_rationale or "").strip()
    if safeguarding is not None:
        report.safeguarding = safeguarding if framework == Framework.RENEWED else Safeguarding.NOT_RECORDED
    report.updated_by = by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def sef_framework_set(*, school, academic_year, framework, by):
    """Write the year's SEF against `framework`. The grades of the two frameworks are on different
    scales, so a change clears the best-fit grade (and the safeguarding judgement) for the SENCO to
    choose again; the narrative stays. Signed-off snapshots keep the framework they were written
    against and do not change."""
    if framework not in Framework.values:
        raise ValidationError({"framework": "Choose one of the two frameworks."})
    report, _ = SefReport.objects.select_for_update().get_or_create(
        school=school, academic_year=academic_year
    )
    if report.chosen_framework != framework:
        report.grade, report.safeguarding = None, Safeguarding.NOT_RECORDED
    report.framework = framework
    report.updated_by = by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def sef_sign_off(*, membership, academic_year):
    """The head signs off the year's SEF: its figures (full and governor versions), narrative and
    grade are kept as they are now, and every later download of this sign-off shows them."""
    if not policy.can(membership, "sef.sign_off"):
        raise ValidationError("Only the head signs off the SEF summary.")
    school = membership.school
    report = SefReport.objects.select_for_update().filter(school=school, academic_year=academic_year).first()
    if report is None or not report.grade or not report.grade_rationale:
        raise ValidationError("Choose a best-fit grade and write its rationale before the SEF is signed off.")
    user = membership.user
    sign_off = SefSignOff(
        report=report,
        school=school,
        academic_year=academic_year,
        figures=snapshot.dump(sef_figures(school, academic_year, anonymised=False)),
        governor_figures=snapshot.dump(sef_figures(school, academic_year, anonymised=True)),
        narrative=dict(report.narrative),
        grade=report.grade,
        grade_rationale=report.grade_rationale,
        safeguarding=report.safeguarding,
        signed_off_by=user,
        signed_off_name=user.get_full_name() or user.get_username(),
    )
    sign_off.full_clean()
    sign_off.save()
    return sign_off


@transaction.atomic
def prompt_responses_save(*, school, academic_year, entries, by, framework=Framework.EIF_2019):
    """Save the responses to the judgement prompts of a framework: entries maps a prompt number to
    (response, status)."""
    saved = []
    numbers = prompt_numbers(framework)
    for number, (response, status) in entries.items():
        if number not in numbers:
            raise ValidationError(f"There is no prompt {number}.")
        row, _ = PromptResponse.objects.get_or_create(
            school=school, academic_year=academic_year, framework=framework, number=number
        )
        row.response = (response or "").strip()
        row.status = status
        row.updated_by = by
        row.full_clean()
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def case_study_create(*, pupil, by):
    """A case study of the pupil, shown by first name, with the pen portrait from the record. An
    existing case study is returned as it is."""
    existing = CaseStudy.objects.filter(pupil=pupil).first()
    if existing:
        return existing
    case_study = CaseStudy(
        pupil=pupil, pupil_label=pupil.forename, pen_portrait=pupil.pen_portrait, updated_by=by
    )
    case_study.full_clean()
    case_study.save()
    return case_study


EDITABLE_FIELDS = [
    "pupil_label",
    "pen_portrait",
    "barriers",
    "provision_notes",
    "staff_skills",
    "progress_summary",
    "other_outcomes",
    "independence",
    "social_skills",
    "wider_impact",
]


@transaction.atomic
def case_study_update(*, case_study, data, by):
    pupil = case_study.pupil
    label = (data.get("pupil_label") or "").strip()
    if pupil.legal_surname.lower() in label.lower().split():
        raise ValidationError({"pupil_label": "Use the first name only, or \u201cPupil A\u201d: no surname."})
    for name in EDITABLE_FIELDS:
        setattr(case_study, name, (data.get(name) or "").strip())
    case_study.updated_by = by
    case_study.full_clean()
    case_study.save()
    return case_study
