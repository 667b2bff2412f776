"""Each assessment keeps the pupil's year group in its point's academic year.

The column is added empty, filled by one UPDATE per table with the rule the app used until now
to work it out (assessment.models.year_group_in): the recorded year group moved back by the
academic years between the point and this year, or, for a pupil who has left, the year they
left; and made required by the next migration (a migration of its own, so that on PostgreSQL
the table is altered in another transaction than the one that updated it). The rule is written
out here rather than imported, so that the migration keeps doing what it did when the app
changes.
"""

from django.db import migrations, models
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone


def _academic_year(day):
    return day.year if day.month >= 9 else day.year - 1


def _year_group_sql(apps, pupil_ref, point_ref):
    """The pupil's year group in the point's academic year, as one expression of the row's
    pupil and point ids."""
    Pupil = apps.get_model("pupils", "Pupil")
    AssessmentPoint = apps.get_model("assessment", "AssessmentPoint")
    this_year = _academic_year(timezone.localdate())
    left_in = Case(
        When(archived_at__month__gte=9, then=ExtractYear("archived_at")),
        default=ExtractYear("archived_at") - 1,
        output_field=IntegerField(),
    )
    recorded_in = Case(
        When(archived_at__isnull=True, then=Value(this_year)),
        default=left_in,
        output_field=IntegerField(),
    )
    moved_back = (
        Pupil.objects.filter(pk=OuterRef(pupil_ref))
        .annotate(back=F("year_group") - recorded_in)
        .values("back")[:1]
    )
    point_year = AssessmentPoint.objects.filter(pk=OuterRef(point_ref)).values("academic_year")[:1]
    return models.ExpressionWrapper(
        Subquery(moved_back, output_field=IntegerField())
        + Subquery(point_year, output_field=IntegerField()),
        output_field=IntegerField(),
    )


def fill_year_groups(apps, schema_editor):
    for name in ("Assessment", "HistoricalAssessment"):
        model = apps.get_model("assessment", name)
        model.objects.filter(year_group__isnull=True).update(
            year_group=_year_group_sql(apps, "pupil_id", "point_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_band_line_names"),
        ("pupils", "0002_default_external_agencies"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="year_group",
            field=models.SmallIntegerField(
                help_text="The pupil's year group in the point's academic year.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="year_group",
            field=models.SmallIntegerField(
                help_text="The pupil's year group in the point's academic year.", null=True
            ),
        ),
        migrations.RunPython(fill_year_groups, migrations.RunPython.noop),
    ]
