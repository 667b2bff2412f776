"""The lines of a school's scheme, "at or above ARE", "good or outstanding progress", defined once
for every figure.

A school's attainment bands and its progress bands are each an ordered scale (`Scale`). The
scheme marks lines on each scale: a band with a `line_name` is the lowest band of that line, which
counts it and every band above it (cumulative). With Inadequate / Satisfactory / Good /
Outstanding progress and lines marked at Satisfactory ("at least satisfactory progress") and Good
("good or outstanding progress"), an assessment of Good meets both lines.

**The headline line** of a scale is its line with the lowest threshold band: the widest line,
"at or above ARE" rather than "exceeding ARE". Gaps, rankings, trends and every figure that
names one line use it (`Bands.at_or_above_are`, `Bands.expected_progress`); the summaries show
every line beside it. A scale with no line marked (bands written before issue 13 without the
migration, or a SENCO who cleared every name) keeps the rule that came before lines: every band
above the lowest meets one line, named "at or above ARE" or "expected progress or better".

    bands = Bands.of_school(school.pk)  # two queries: the attainment bands, the progress bands
    Assessment.objects.filter(...).aggregate(
        assessed=Count("pk", filter=bands.has_attainment),
        at_or_above=Count("pk", filter=bands.at_or_above_are),
        **bands.line_counts(),  # every line of both scales, in the same query
    )

The `Q` objects test the band's id against a list, so no join to the band table is needed.

**Archived pupils.** A figure about an assessment point counts every pupil assessed at that
point, including pupils who have left (been archived) since. They were on the school's roll at
that point and part of its cohort; a school's figure for last summer must not change because
some of those pupils have moved on, and the trend over three years is only fair if each point
keeps its own cohort. `assessments_at(point_ids)` is that set of assessments.

**As at the point.** Each assessment stores the pupil's year group in its point's academic year
(Assessment.year_group, written when it is created: assessment.models.year_group_in), and
figures by year group at a point read it; a pupil's SEN status at a point is taken from the dated
SEN history as at the point's date (AssessmentPoint.as_at and pupils.models.status_at_q),
unless a reader chooses the current cohort (gaps.cohort).
`year_group_now()` remains for figures about pupils rather than assessments: the year group the
pupil is in now or, for a leaver, would be in had they stayed.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from core.calendar import current_academic_year
from core.figures import Share

from .models import Assessment, AttainmentBand, ProgressBand

# The one line of a scale with no line marked, by the field of the scale.
UNMARKED_LINE = {"attainment": "at or above ARE", "progress": "expected progress or better"}
# Assessments on another of the school's frameworks (assessment.frameworks) in the figures of
# the main scheme: on a framework below it they count as below ARE, in the attainment
# denominator and on no attainment line; their progress is judged on their own framework's
# expected rate, and counts on the headline progress line. Unlike measures are never averaged.
ON_FRAMEWORK = {
    "attainment": Q(framework__below_main=True),
    "progress": Q(expected_met__isnull=False),
}
ON_FRAMEWORK_EXPECTED = Q(expected_met=True)
# What a line's name follows in a sentence: "55% (6/11) made good or outstanding progress".
VERBS = {"attainment": "", "progress": "made"}


@dataclass(frozen=True)
class Line:
    """One cumulative line of a scale: its name, the order of its lowest band, the bands that
    meet it, and the field of `Assessment` it reads ("attainment" or "progress")."""

    name: str
    threshold: int
    band_ids: tuple
    field: str
    key: str  # a name for its count in a query: "a1", "p2"
    headline: bool = False  # the scale's widest line (`Scale.headline`)

    @property
    def meets(self):
        """`Q` for assessments that meet the line. On the headline progress line, pupils assessed
        on another framework count when they made that framework's expected progress or
        better (assessment.frameworks); on an attainment line they never count."""
        meets = Q(**{f"{self.field}_id__in": list(self.band_ids)})
        if self.field == "progress" and self.headline:
            return meets | ON_FRAMEWORK_EXPECTED
        return meets

    @property
    def assessed(self):
        """`Q` for assessments with a value on the line's scale, its denominator: a band, or for
        attainment a value on a framework below the main scheme (below ARE), for progress a
        judgement on the pupil's framework."""
        return Q(**{f"{self.field}__isnull": False}) | ON_FRAMEWORK[self.field]

    @property
    def title(self):
        """The name as a heading: "Good or outstanding progress"."""
        return self.name[:1].upper() + self.name[1:]

    @property
    def heading(self):
        """The line as a row heading: "Made good or outstanding progress", "At or above ARE"."""
        words = " ".join(part for part in (VERBS.get(self.field, ""), self.name) if part)
        return words[:1].upper() + words[1:]

    def says(self, figure):
        """The figure with the line's words after it, as a reader sees them:
        "55% (6/11) made good or outstanding progress", "73% (8/11) at or above ARE"."""
        return " ".join(part for part in (str(figure), VERBS.get(self.field, ""), self.name) if part)


@dataclass(frozen=True)
class Scale:
    """One ordered scale of a school's scheme: its bands, lowest first, its threshold (the order
    of the lowest band that meets its headline line, None when no band does) and its lines,
    lowest threshold first."""

    bands: tuple
    threshold: int | None
    lines: tuple = ()

    @classmethod
    def of(cls, bands, field="attainment"):
        """The scale of `bands` (in any order) with the lines the scheme marks on them; with no
        line marked, one line of every band above the lowest."""
        ordered = tuple(sorted(bands, key=lambda b: b.order))
        marked = [(b.line_name.strip(), b.order) for b in ordered if b.line_name.strip()]
        if not marked and len(ordered) > 1:
            marked = [(UNMARKED_LINE[field], ordered[1].order)]
        prefix = field[0]
        lines = tuple(
            Line(
                name=name,
                threshold=order,
                band_ids=tuple(b.pk for b in ordered if b.order >= order),
                field=field,
                key=f"{prefix}{i}",
                headline=i == 1,
            )
            for i, (name, order) in enumerate(marked, start=1)
        )
        return cls(ordered, lines[0].threshold if lines else None, lines)

    @property
    def lowest(self):
        return self.bands[0] if self.bands else None

    @property
    def headline(self):
        """The line gaps are worked out on: the lowest threshold, or None with no line."""
        return self.lines[0] if self.lines else None

    @property
    def marked(self):
        """(line, its lowest band) for each line, for the scheme pages."""
        by_order = {b.order: b for b in self.bands}
        return [(line, by_order.get(line.threshold)) for line in self.lines]

    @property
    def meeting(self):
        """The bands at or above the threshold of the headline line."""
        if self.threshold is None:
            return ()
        return tuple(b for b in self.bands if b.order >= self.threshold)

    def meets(self, field):
        """`Q` for rows whose `field` (a foreign key to this scale's bands) meets the headline
        line."""
        ids = [b.pk for b in self.meeting]
        # With no band over the line nothing meets it: a condition no saved row satisfies.
        meets = Q(**{f"{field}_id__in": ids}) if ids else Q(pk__isnull=True)
        return meets | ON_FRAMEWORK_EXPECTED if field == "progress" else meets


@dataclass(frozen=True)
class Bands:
    """A school's two scales, with the conditions every figure of attainment and progress uses.
    The conditions apply to `Assessment` rows."""

    attainment: Scale
    progress: Scale

    @classmethod
    def of_school(cls, school_id):
        """The school's bands, in two queries."""
        return cls(
            Scale.of(AttainmentBand.objects.filter(school_id=school_id), "attainment"),
            Scale.of(ProgressBand.objects.filter(school_id=school_id), "progress"),
        )

    @property
    def at_or_above_are(self):
        """Attainment at or above the headline line ("at or above ARE")."""
        return self.attainment.meets("attainment")

    @property
    def expected_progress(self):
        """Progress at or above the headline line ("expected progress or better")."""
        return self.progress.meets("progress")

    @property
    def lines(self):
        """Every line of both scales: the attainment lines, then the progress lines."""
        return self.attainment.lines + self.progress.lines

    def line_counts(self, within=None, suffix=""):
        """{line key + suffix: conditional Count} for every line, to spread into one
        `.aggregate()` or `.annotate()`: each line costs a column, not a query. `within` narrows
        every count to a group (the SEND pupils)."""
        return {
            f"{line.key}{suffix}": Count("pk", filter=line.meets & within if within else line.meets)
            for line in self.lines
        }

    # The denominators: assessments with a band recorded on that scale, or a value on another
    # framework (see `Line.assessed`).
    has_attainment = Q(attainment__isnull=False) | ON_FRAMEWORK["attainment"]
    has_progress = Q(progress__isnull=False) | ON_FRAMEWORK["progress"]


def line_shares(met, assessed, suppress_below=0):
    """The shares of one group meeting each line of one scale: `met` are the counts of the
    scale's lines, headline first, out of `assessed`.

    A line counts a sum of bands, so two lines shown side by side give away the pupils between
    them (the difference) and a line beside the band grid gives away a hidden band. For a
    reader with a suppression threshold the lines after the headline are therefore hidden
    together (None, shown as "not shown") when any of them is under the threshold or the
    difference between neighbouring lines is; the headline line is suppressed as every single
    figure is (core.figures)."""
    shares = [Share.of(k, assessed, suppress_below=suppress_below) for k in met]
    if not suppress_below or len(met) < 2:
        return shares
    between = [a - b for a, b in zip(met, met[1:], strict=False)]
    if any(s.suppressed for s in shares[1:]) or any(0 < n < suppress_below for n in between):
        return shares[:1] + [None] * (len(met) - 1)
    return shares


def assessments_at(point_ids):
    """The assessments recorded at these points (a school's own points, so the pupils are that
    school's), archived pupils included: the cohort of each point as it was."""
    return Assessment.objects.filter(point_id__in=point_ids)


def year_group_now(prefix="pupil__"):
    """The pupil's year group now, as an expression: the recorded year group for a pupil on roll;
    for a leaver, the year group recorded when they left moved on by the academic years since
    (a pupil who left Year 6 in July 2025 counts as Year 7 in 2025/26), so that at any earlier
    point they fall in the year group they were in then."""
    left = F(f"{prefix}archived_at")
    left_in = Case(
        When(**{f"{prefix}archived_at__month__gte": 9}, then=ExtractYear(left)),
        default=ExtractYear(left) - 1,
        output_field=IntegerField(),
    )
    return Case(
        When(
            **{f"{prefix}archived_at__isnull": False},
            then=F(f"{prefix}year_group") + Value(current_academic_year()) - left_in,
        ),
        default=F(f"{prefix}year_group"),
        output_field=IntegerField(),
    )
