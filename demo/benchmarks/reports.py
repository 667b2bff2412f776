"""`manage.py benchmark --only reports`: how long the SEF summary and a case study take to
render to PDF (QUALITY.md targets: 3 s and 2 s on the secondary profile)."""

from django.db import connection
from django.urls import reverse

from reports.models import CaseStudy
from reports.selectors import current_academic_year


def measure(bench):
    if connection.vendor == "postgresql":
        # The demo was just bulk-written: give the planner the statistics a live database has.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    year = current_academic_year()
    head, governor = bench.client("head"), bench.client("governor")
    school = bench.main.school

    def sef_pdf():
        response = head.get(reverse("reports:sef"), {"year": year, "format": "pdf"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    def governor_pdf():
        response = governor.get(reverse("reports:sef_governor"), {"year": year, "format": "pdf"})
        assert response.status_code == 200

    def sef_page():
        assert head.get(reverse("reports:sef"), {"year": year}).status_code == 200

    yield ("SEF summary page (HTML), head", bench.timed(sef_page))
    yield ("SEF summary PDF, head (target 3 s)", bench.timed(sef_pdf, repeat=3))
    yield ("SEF governor version PDF (target 3 s)", bench.timed(governor_pdf, repeat=3))
    study = CaseStudy.objects.filter(pupil__school=school).first()
    if study is None:
        yield ("case study PDF", "no case study in the demo")
        return

    def case_study_pdf():
        response = head.get(reverse("reports:case_study", kwargs={"pk": study.pk}), {"format": "pdf"})
        assert response.status_code == 200

    yield ("case study PDF (target 2 s)", bench.timed(case_study_pdf, repeat=3))
