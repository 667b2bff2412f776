"""`manage.py benchmark --only imports`: a 10,000-row assessment CSV and a 2,000-pupil file,
each read, checked and stored as the browser's confirmation stores it (QUALITY.md: at most 3 s
for the assessment file on PostgreSQL)."""

import itertools

from stdnum.gb.upn import calc_check_digit

from assessment.models import Assessment, AssessmentPoint, Subject
from imports import selectors, services
from imports.models import ImportKind
from pupils.models import Pupil, SenStatusChange

ASSESSMENT_ROWS = 10_000
NEW_PUPILS = 2_000


def _csv(rows):
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode("utf-8-sig")


def _import(school, user, kind, content, name):
    preview = selectors.import_preview(school=school, kind=kind, content=content, file_name=name)
    assert preview.ok, preview.errors[:5]
    batch = services.import_batch_create(school=school, by=user, preview=preview, content=content)
    return services.import_batch_confirm(batch=batch, by=user)


def assessment_file(school, rows=ASSESSMENT_ROWS):
    """Pupils x subjects x points of the newest year, cut at `rows`, bands as labels and codes."""
    pupils = Pupil.objects.filter(school=school, archived_at__isnull=True).order_by("pk")
    subjects = list(Subject.objects.filter(school=school))
    year = AssessmentPoint.objects.filter(school=school).order_by("-academic_year").first().academic_year
    points = list(AssessmentPoint.objects.filter(school=school, academic_year=year).order_by("order"))
    bands = itertools.cycle(["OT", "b", "Exceeded ARE", "ot"])
    progress = itertools.cycle(["E", "Below expected", "x"])
    body = [
        [upn, subject.name, str(point), next(bands), next(progress), f"{18 + (n % 9)}.5"]
        for n, (point, upn, subject) in enumerate(
            itertools.product(points, pupils.values_list("upn", flat=True), subjects)
        )
    ][:rows]
    headings = ["UPN", "Subject", "Assessment Point", "Attainment", "Progress", "Points"]
    return _csv([headings, *body]), [p.pk for p in points]


def pupil_file(count=NEW_PUPILS):
    upns = []
    for n in range(count):
        body = f"999{4000 + n // 1000:04d}25{n % 1000:03d}"
        upns.append(calc_check_digit(body) + body)
    body = [
        [
            upn,
            f"Bench{n}",
            "Sam",
            "15/01/2014",
            "F" if n % 2 else "M",
            "7",
            "K" if n % 5 == 0 else "",
            "09/09/2024" if n % 5 == 0 else "",
        ]
        for n, upn in enumerate(upns)
    ]
    headings = [
        "UPN",
        "Legal Surname",
        "Legal Forename",
        "DOB",
        "Gender",
        "Year",
        "SEN Provision",
        "SEN Start Date",
    ]
    return _csv([headings, *body]), upns


def measure(bench):
    school, user = bench.main.school, bench.demo["users"]["senco"]
    content, point_ids = assessment_file(school)

    def clear_assessments():
        stored = Assessment.objects.filter(pupil__school=school, point_id__in=point_ids)
        Assessment.history.filter(point_id__in=point_ids, pupil__school=school).delete()
        stored.delete()

    def import_assessments():
        return _import(school, user, ImportKind.ASSESSMENTS, content, "assessments.csv")

    repeat = min(bench.repeat, 3)
    timing = bench.timed(import_assessments, repeat=repeat, setup=clear_assessments)
    yield (
        f"assessment CSV, {ASSESSMENT_ROWS:,} new rows ({len(content) // 1024} KB): parse, check, store",
        timing,
    )
    import_assessments()
    yield (
        f"the same {ASSESSMENT_ROWS:,} rows again (nothing changes)",
        bench.timed(import_assessments, repeat=repeat),
    )
    preview_only = bench.timed(
        lambda: selectors.import_preview(
            school=school, kind=ImportKind.ASSESSMENTS, content=content, file_name="assessments.csv"
        ),
        repeat=repeat,
    )
    yield f"preview only of the {ASSESSMENT_ROWS:,} rows (parse and check)", preview_only

    pupils_content, upns = pupil_file()

    def clear_pupils():
        ids = list(Pupil.objects.filter(school=school, upn__in=upns).values_list("pk", flat=True))
        SenStatusChange.history.filter(pupil_id__in=ids).delete()
        SenStatusChange.objects.filter(pupil_id__in=ids).delete()
        Pupil.history.filter(id__in=ids).delete()
        Pupil.objects.filter(pk__in=ids).delete()

    def import_pupils():
        plan = _import(school, user, ImportKind.PUPILS, pupils_content, "pupils.csv")
        assert plan.counts["create"] == NEW_PUPILS
        return plan

    yield (
        f"pupil import, {NEW_PUPILS:,} new pupils with SEN status and history",
        bench.timed(import_pupils, repeat=repeat, setup=clear_pupils),
    )
    clear_pupils()
