"""Lines on the bands of a school's scheme (issue 13): a band with a `line_name` is the lowest band
of a cumulative line. Existing schools keep today's figures: the band above the lowest becomes
the headline line, named as a preset names it when the scale is a preset's bands, otherwise
"at or above ARE" or "expected progress or better"; a scale that is a preset's bands also gets
the preset's line above it ("good or outstanding progress" on the four Ofsted-style bands)."""

from django.db import migrations, models

HELP = (
    "Name a line that counts this band and every band above it, as it reads after a figure: "
    "“at or above ARE”, “good or outstanding progress”. Leave blank for no line."
)

# The presets of assessment.services as they were when lines came in, frozen here so that the
# migration does not change if the presets do: (bands, attainment lines, progress lines).
PRESETS = [
    (
        [("B", "Below ARE"), ("OT", "On track to achieve ARE"), ("EX", "Exceeded ARE")],
        {"OT": "at or above ARE", "EX": "exceeding ARE"},
        {"OT": "progress on track for ARE or better", "EX": "progress to exceed ARE"},
    ),
    (
        [
            ("WTS", "Working towards the expected standard"),
            ("EXS", "Working at the expected standard"),
            ("GDS", "Working at greater depth"),
        ],
        {"EXS": "at the expected standard or above", "GDS": "at greater depth"},
        {"EXS": "progress to the expected standard or above", "GDS": "progress to greater depth"},
    ),
    (
        [("B", "Below expected"), ("E", "Expected"), ("X", "Exceeded expected")],
        {"E": "expected or better", "X": "exceeding expected"},
        {"E": "expected progress or better", "X": "more than expected progress"},
    ),
    (
        [("I", "Inadequate"), ("S", "Satisfactory"), ("G", "Good"), ("O", "Outstanding")],
        {"S": "at least satisfactory", "G": "good or outstanding"},
        {"S": "at least satisfactory progress", "G": "good or outstanding progress"},
    ),
]
UNMARKED = {"attainment": "at or above ARE", "progress": "expected progress or better"}


def lines_for(bands, kind):
    """{band pk: line name} for one school's scale, lowest band first."""
    if len(bands) < 2:
        return {}
    shape = [(b.code, b.label) for b in bands]
    for preset_bands, attainment, progress in PRESETS:
        if shape == preset_bands:
            names = attainment if kind == "attainment" else progress
            return {b.pk: names[b.code] for b in bands if b.code in names}
    return {bands[1].pk: UNMARKED[kind]}


def mark_lines(apps, schema_editor):
    for model_name, kind in (("AttainmentBand", "attainment"), ("ProgressBand", "progress")):
        model = apps.get_model("assessment", model_name)
        by_school = {}
        for band in model.objects.order_by("school_id", "order"):
            by_school.setdefault(band.school_id, []).append(band)
        changed = []
        for bands in by_school.values():
            if any(b.line_name for b in bands):
                continue
            names = lines_for(bands, kind)
            for band in bands:
                band.line_name = names.get(band.pk, "")
                changed.append(band)
        model.objects.bulk_update(changed, ["line_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_scheme_editor_targets_support_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="attainmentband",
            name="line_name",
            field=models.CharField(
                blank=True, help_text=HELP, max_length=60, verbose_name="line from this band up"
            ),
        ),
        migrations.AddField(
            model_name="progressband",
            name="line_name",
            field=models.CharField(
                blank=True, help_text=HELP, max_length=60, verbose_name="line from this band up"
            ),
        ),
        migrations.RunPython(mark_lines, migrations.RunPython.noop),
    ]
