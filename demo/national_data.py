"""Demo national comparators: the DfE key stage 2 national pupil characteristics file shipped in
the repository (gaps/data, Crown copyright under the Open Government Licence v3.0; see
gaps/data/SOURCE.md), stored for every demo school as `manage.py import_national_figures`
stores it, so that key question B shows national figures out of the box.

The file's last year is 2021/22 and the demo's assessments run up to today. For each demo year
the file does not cover, the latest year it publishes stands in, and each such figure's source
says so (the national comparators page shows it); a school replaces them by importing the
DfE's newer file.
"""

import dataclasses

from assessment.models import AssessmentPoint
from core.calendar import academic_year_label
from gaps.dfe import KS2_FILE, read_ks2_characteristics
from gaps.models import NationalComparator
from gaps.services import KS2_SOURCE

SOURCE_LENGTH = NationalComparator._meta.get_field("source").max_length


def add_national_figures(builder, demo):
    """Every figure of the file, and the latest year's figures again for each demo year after it,
    for every demo school, in one bulk insert."""
    rows = read_ks2_characteristics(KS2_FILE)
    published = {row.academic_year for row in rows if row.numerator is not None or row.value is not None}
    latest = max(published)
    file_source = f"{KS2_SOURCE} ({KS2_FILE.name})"
    figures = [(row, file_source) for row in rows]
    file_years = {row.academic_year for row in rows}
    demo_years = set(AssessmentPoint.objects.values_list("academic_year", flat=True).distinct())
    for year in sorted(demo_years - file_years):
        stand_in = (
            f"{KS2_SOURCE}, {academic_year_label(latest)}: the latest year in the demo's copy of "
            f"the file, standing in for {academic_year_label(year)}"
        )[:SOURCE_LENGTH]
        figures += [
            (dataclasses.replace(row, academic_year=year), stand_in)
            for row in rows
            if row.academic_year == latest
        ]
    NationalComparator.objects.bulk_create(
        (
            NationalComparator(
                school=built.school,
                academic_year=row.academic_year,
                measure=row.measure,
                group=row.group,
                numerator=row.numerator,
                denominator=row.denominator,
                value=row.value,
                source=source,
            )
            for built in demo["schools"]
            for row, source in figures
        ),
        batch_size=2000,
    )
