"""Writing a Common Transfer File for pupils who leave: what the receiving school's information
system imports, and beside it a PDF of what the CTF has no element for (SEN support plans and
their reviews, the pupil passport, the EHC plan and its annual reviews).

The CTF holds, per pupil: UPN, legal names, date of birth, gender, preferred forename, year group,
first language as "believed English" (ENB) or "believed other than English" (OTB) from the EAL
flag, in-care and service-child flags, the SEN history as spells (each change of status a SEN
element with its start date, and its end date the day before the next change), the needs ranked
1 (primary) and 2 (secondary), attendance by academic year (this school's termly sessions summed
in the database, and the years brought from earlier schools), and key stage results: those a CTF
brought, and the statutory outcomes recorded here for a pupil working below the tests at the end
of key stage 1 or 2 (a pre-key stage standard or EM, the Engagement Model), written as teacher
assessments of the key stage as the CTF specification places them (assessment.engagement). Free
school meals are not written: sendtrack holds whether a pupil has FSM now, not the dates a CTF
needs.
"""

import datetime
import hashlib
import io
import zipfile
from xml.etree import ElementTree as ET  # noqa: S405 (writing XML only; files are read by defusedxml)

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.engagement import outcomes_for_ctf
from attendance.models import Attendance, AttendanceYear
from core.documents import pdf_bytes
from plans import selectors as plan_selectors
from pupils.models import SenStatus

from .models import CtfExport, CtfExportPupil

EXPORT_VERSION = "19.0"
SUPPLIER = "sendtrack"


def _add(parent, tag, value=None):
    element = ET.SubElement(parent, tag)
    if value is not None:
        element.text = str(value)
    return element


def ctf_bytes(*, school, pupils, source, dest, now=None):
    """The CTF of `pupils` (with sen_history, attendance and results prefetched or not) as UTF-8
    XML. `source` and `dest` are dicts with la, estab and name."""
    now = now or timezone.localtime()
    root = ET.Element("CTfile")
    head = _add(root, "Header")
    _add(head, "DocumentName", "Common Transfer File")
    _add(head, "CTFversion", EXPORT_VERSION)
    _add(head, "DateTime", now.strftime("%Y-%m-%dT%H:%M:%S"))
    _add(head, "DocumentQualifier", "full")
    _add(head, "SupplierID", SUPPLIER)
    source_el = _add(head, "SourceSchool")
    _add(source_el, "LEA", source["la"])
    _add(source_el, "Estab", source["estab"])
    _add(source_el, "URN", school.urn)
    _add(source_el, "SchoolName", school.name)
    _add(source_el, "AcademicYear", now.year if now.month >= 9 else now.year - 1)
    dest_el = _add(head, "DestSchool")
    _add(dest_el, "LEA", dest["la"])
    _add(dest_el, "Estab", dest["estab"])
    data = _add(root, "CTFpupilData")
    attendance = _attendance_years(pupils, {**source, "urn": school.urn})
    outcomes = outcomes_for_ctf([p.pk for p in pupils])
    for pupil in pupils:
        _pupil(data, pupil, attendance.get(pupil.pk, []), outcomes.get(pupil.pk, []))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _pupil(data, pupil, years, outcomes=()):
    element = _add(data, "Pupil")
    _add(element, "UPN", pupil.upn)
    _add(element, "Surname", pupil.legal_surname)
    _add(element, "Forename", pupil.legal_forename)
    _add(element, "DOB", pupil.date_of_birth.isoformat())
    _add(element, "Gender", pupil.gender)
    details = _add(element, "BasicDetails")
    _add(details, "PreferredSurname", pupil.legal_surname)
    _add(details, "PreferredForename", pupil.forename)
    _add(details, "NCyearActual", "R" if pupil.year_group == 0 else pupil.year_group)
    language = _add(_add(details, "Languages"), "Type")
    _add(language, "LanguageType", "F")
    _add(language, "Language", "OTB" if pupil.eal else "ENB")
    _add(_add(details, "InCare"), "InCare", "true" if pupil.lac else "false")
    _add(details, "ServiceChild", "Y" if pupil.service_child else "N")
    _sen(element, pupil)
    if years:
        attendance = _add(element, "Attendance")
        for year in years:
            _year(attendance, year)
    _results(element, list(pupil.key_stage_results.all()), outcomes)


def _sen(element, pupil):
    changes = sorted(pupil.sen_history.all(), key=lambda c: c.effective_date)
    needs = [(1, pupil.primary_need), (2, pupil.secondary_need)]
    needs = [(rank, need) for rank, need in needs if need]
    if not changes and not needs:
        return
    history = _add(element, "SENhistory")
    for index, change in enumerate(changes):
        spell = _add(history, "SEN")
        _add(spell, "StartDate", change.effective_date.isoformat())
        _add(spell, "SENprovision", change.status)
        if index + 1 < len(changes):
            end = changes[index + 1].effective_date - datetime.timedelta(days=1)
            _add(spell, "EndDate", end.isoformat())
    if needs:
        listed = _add(history, "SENneeds")
        for rank, need in needs:
            item = _add(listed, "SENneed")
            _add(item, "SENtypeRank", rank)
            _add(item, "SENtype", need)


def _attendance_years(pupils, source):
    """{pupil id: [year dicts]}: this school's termly sessions summed per academic year in the
    database, then the years brought from other schools."""
    ids = [p.pk for p in pupils]
    years = {}
    sums = (
        Attendance.objects.filter(pupil_id__in=ids)
        .values("pupil_id", "academic_year")
        .annotate(
            possible=Sum("possible_sessions"),
            attended=Sum("attended_sessions"),
            authorised=Sum("authorised_absence"),
            unauthorised=Sum("unauthorised_absence"),
        )
        .order_by("pupil_id", "academic_year")
    )
    own = set()
    for row in sums:
        years.setdefault(row["pupil_id"], []).append(
            {
                "year": row["academic_year"],
                "la": source["la"],
                "estab": source["estab"],
                "name": source["name"],
                "urn": source.get("urn", ""),
                "possible": row["possible"],
                "attended": row["attended"],
                "authorised": row["authorised"],
                "unauthorised": row["unauthorised"],
            }
        )
        own.add((row["pupil_id"], row["academic_year"], source["la"], source["estab"]))
    for year in AttendanceYear.objects.filter(pupil_id__in=ids).order_by("pupil_id", "academic_year"):
        if (year.pupil_id, year.academic_year, year.la_code, year.estab) in own:
            continue
        years.setdefault(year.pupil_id, []).append(
            {
                "year": year.academic_year,
                "la": year.la_code,
                "estab": year.estab,
                "name": year.school_name,
                "urn": "",
                "possible": year.possible_sessions,
                "attended": year.attended_sessions,
                "authorised": year.authorised_absence,
                "unauthorised": year.unauthorised_absence,
            }
        )
    for rows in years.values():
        rows.sort(key=lambda r: (r["year"], r["la"], r["estab"]))
    return years


def _year(attendance, year):
    data = _add(attendance, "YearData")
    _add(data, "Year", year["year"])
    if year["la"]:
        _add(data, "LEA", year["la"])
    if year["estab"]:
        _add(data, "Estab", year["estab"])
    if year["urn"]:
        _add(data, "URN", year["urn"])
    if year["name"]:
        _add(data, "SchoolName", year["name"])
    _add(data, "SessionsPossible", year["possible"])
    _add(data, "SessionsAuthorised", year["authorised"])
    _add(data, "SessionsAttended", year["attended"])
    _add(data, "SessionsUnauthorised", year["unauthorised"])


def _results(element, results, outcomes=()):
    """StageAssessments: the results a CTF brought, and each statutory outcome recorded here as
    the key stage's teacher assessment (Method TA) in its subject, in the calendar year the key
    stage ended. An outcome recorded here replaces a brought result of the same key stage, year,
    subject and component."""
    items = {}
    for r in results:
        key = (r.stage, r.year, r.subject, r.method, r.component)
        items[key] = (r.result_qualifier, r.result, r.result_date)
    for stage, year, subject, component, code in outcomes:
        items[(stage, year, subject, "TA", component)] = ("", code, None)
    if not items:
        return
    assessments = _add(element, "StageAssessments")
    stages = {}
    for key, value in items.items():
        stages.setdefault(key[0], []).append((key, value))
    for stage, rows in stages.items():
        key_stage = _add(assessments, "KeyStage")
        _add(key_stage, "Stage", stage)
        for (_stage, year, subject, method, component), (qualifier, result, when) in rows:
            item = _add(key_stage, "StageAssessment")
            _add(item, "Locale", "ENG")
            _add(item, "Year", year)
            _add(item, "Subject", subject)
            _add(item, "Method", method)
            if component:
                _add(item, "Component", component)
            if qualifier:
                _add(item, "ResultQualifier", qualifier)
            _add(item, "Result", result)
            if when:
                _add(item, "ResultDate", when.isoformat())


# --- The PDF bundle and the zip ---------------------------------------------------------------


def bundle_html(*, school, pupils, request=None):
    """One document: for each pupil, the SEN record the CTF cannot carry."""
    today = timezone.localdate()
    sections = []
    for pupil in pupils:
        plans = plan_selectors.pupil_plans(pupil, today)
        ehc_reviews = plan_selectors.reviews_of(plans.ehc_plan) if plans.ehc_plan else []
        sections.append(
            {
                "pupil": pupil,
                "plans": plans,
                "ehc_reviews": ehc_reviews,
                "history": sorted(pupil.sen_history.all(), key=lambda c: c.effective_date),
            }
        )
    context = {
        "layout": "documents/layout_print.html",
        "as_pdf": True,
        "document_title": "SEN record sent with the Common Transfer File",
        "school": school,
        "printed_on": today,
        "sections": sections,
        "sen_none": SenStatus.NONE,
    }
    return render_to_string("imports/ctf_bundle.html", context, request=request)


@transaction.atomic
def export_zip(*, school, by, pupils, source, dest, request=None):
    """The zip of the CTF and the PDF, and the log entry saying who sent which pupils where."""
    now = timezone.localtime()
    xml = ctf_bytes(school=school, pupils=pupils, source=source, dest=dest, now=now)
    pdf = pdf_bytes(bundle_html(school=school, pupils=pupils, request=request))
    stem = f"{source['la']}{source['estab']}_CTF_{dest['la']}{dest['estab']}_{now:%Y%m%d%H%M}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.xml", xml)
        archive.writestr(f"{stem}_SEN_record.pdf", pdf)
    log = CtfExport.objects.create(
        school=school,
        user=by,
        source_la=source["la"],
        source_estab=source["estab"],
        dest_la=dest["la"],
        dest_estab=dest["estab"],
        dest_name=dest.get("name", ""),
        file_name=f"{stem}.xml",
        sha256=hashlib.sha256(xml).hexdigest(),
    )
    CtfExportPupil.objects.bulk_create(
        [CtfExportPupil(export=log, pupil=p, upn=p.upn, name=p.full_name) for p in pupils]
    )
    return f"{stem}.zip", buffer.getvalue(), log
