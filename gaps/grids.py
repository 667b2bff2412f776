"""Key question C: how groups of pupils with SEND attain and progress this term. The attainment
and progress grids (year group x subject x band), the average gain in points since the previous
point, and the gaps at or above ARE ranked largest first, each beside the gap at the previous
point and a year earlier.

Every pupil assessed at a point counts, including pupils who have left since (assessment.bands);
rows are grouped by the year group stored with each assessment, the pupils' year group at the
point, and the focus group is taken as at each point (gaps.cohort: `assessed_q`), so that the
comparisons with the previous point and last year set each point's own cohort against this one.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, F, Sum

from assessment.bands import Bands, line_shares
from assessment.models import Assessment
from core.disclosure import TOTAL, Table
from core.figures import Count as Figure
from core.figures import Share
from core.gap_direction import gap_direction, standing
from core.words import listed

from . import frameworks as fw
from .shared import (
    GAIN,
    Scheme,
    at_points,
    by_flag,
    focus_flag,
    gap_points,
    mean,
    narrowed,
    small,
    with_before,
    year_label,
)

CORE, ALL = "core", "all"


@dataclass(frozen=True)
class SubjectChoice:
    """The subjects question C shows: the scheme's core subjects, all of them, or one."""

    key: str  # CORE, ALL, or a subject's id as text (the `subjects` parameter)
    name: str  # "Core subjects", "All subjects", "Science": the choice in the filter form
    subjects: tuple

    @property
    def says(self):
        """What the figures cover, in a heading: "core subjects (Reading, Writing and Maths)",
        "all subjects", "Science"."""
        if self.key == ALL:
            return "all subjects"
        names = [s.name for s in self.subjects]
        return f"core subjects ({listed(names)})" if self.key == CORE else listed(names)


def subject_choices(scheme):
    """{key: SubjectChoice} on offer, the default first.

    The default is the core subjects when the school assesses more than the core (a primary
    school with its foundation subjects assesses 15): the core is what the school reports on
    every half term and what key questions B and D read, and its grid fits a screen (four
    columns a subject); the foundation subjects are one choice away, together or one at a time.
    A school that assesses only its core, or has none marked core, sees all its subjects."""
    everything = tuple(scheme.subjects)
    core = tuple(scheme.core_subjects)
    choices = []
    if core and len(core) < len(everything):
        choices.append(SubjectChoice(CORE, "Core subjects", core))
    choices.append(SubjectChoice(ALL, "All subjects", everything))
    choices += [SubjectChoice(str(s.pk), s.name, (s,)) for s in everything]
    return {choice.key: choice for choice in choices}


def choose_subjects(scheme, key):
    """(the SubjectChoice for the `subjects` parameter `key`, a message when it is not on offer).
    "core" where every subject is core is all of them; anything else not on offer falls back to
    the default, with a message that says so."""
    choices = subject_choices(scheme)
    default = next(iter(choices.values()))
    if not key:
        return default, None
    if key == CORE and CORE not in choices and scheme.core_subjects:
        return choices[ALL], None
    if key in choices:
        return choices[key], None
    return default, (
        f"There is no subject choice “{key[:40]}” at this school: showing {default.name.lower()}. "
        "Choose core subjects, all subjects or one subject in the form."
    )


@dataclass
class GridRow:
    year_group: int
    label: str
    cells: list  # per subject: list of (band, figure, initials) per band


@dataclass
class LineRow:
    """One year group and subject of the focus group, on every line of one scale: the lines of
    the school's scheme, each counting its band and every band above it (assessment.bands)."""

    label: str
    subject: object
    figures: list  # (line, Share, or None where it is not shown)
    # The headline progress line by the framework each pupil was judged on (gaps.frameworks),
    # when any pupil of the row was judged on another framework.
    breakdown: object = None
    year_group: int | None = None

    def says(self):
        """The figures as a reader reads them: "55% (6/11) made good or outstanding progress"."""
        return [line.says(f) if f else f"{line.name}: not shown" for line, f in self.figures]


@dataclass
class LineMatrixRow:
    """A year group of the lines table laid out as the grids are: per subject, the row's
    figures ([(line, Share or None)]), or None where the subject was not assessed."""

    label: str
    cells: list


def line_matrix(rows, subjects):
    """The `LineRow`s as a row per year group and, per subject, a column per line: the lines of
    15 subjects in 7 rows rather than 105."""
    by_year = {}
    for row in rows:
        by_year.setdefault((row.year_group, row.label), {})[row.subject.pk] = row.figures
    return [
        LineMatrixRow(label, [figures.get(s.pk) for s in subjects])
        for (_year, label), figures in sorted(by_year.items(), key=lambda item: item[0][0])
    ]


@dataclass
class Gap:
    year_group: int
    label: str
    subject: object
    focus: Share
    rest: Share
    points: int | None
    # The gap of the same year group at the previous point, and at the same point a year
    # earlier, each of the pupils assessed then.
    since_last_point: int | None = None
    since_last_year: int | None = None
    # The gap over the true figures, for ranking every reader alike; `points` is None and
    # `withheld` True when disclosure control hides either side from this reader.
    true_points: int | None = None
    withheld: bool = False
    # Pupils outside the group assessed, from the truth: 0 in a special school, where every pupil
    # is in the group (a count of zero is no small group: gaps.drafts.nobody_else says so).
    rest_assessed: int | None = None

    @property
    def narrowed_since_last_point(self):
        return narrowed(self.points, self.since_last_point)

    @property
    def narrowed_since_last_year(self):
        return narrowed(self.points, self.since_last_year)

    # Which way the gap moved, worded (core.gap_direction): the table shows `standing`, and
    # each change's direction and `since` ("down from 20", "from 3 points behind").
    @property
    def change_since_last_point(self):
        return gap_direction("", self.points, self.since_last_point, others="everyone else")

    @property
    def change_since_last_year(self):
        return gap_direction("", self.points, self.since_last_year, others="everyone else")

    @property
    def standing(self):
        return standing(self.points, others="everyone else")


@dataclass
class ProgressRow:
    label: str
    focus_avg: Decimal | None
    focus_n: int
    rest_avg: Decimal | None
    rest_n: int
    suppressed: bool = False  # the focus group's average and count are hidden
    rest_suppressed: bool = False  # everyone else's are

    @property
    def difference(self):
        if self.focus_avg is None or self.rest_avg is None or self.suppressed or self.rest_suppressed:
            return None
        return self.focus_avg - self.rest_avg


@dataclass
class GridReport:
    cohort: object
    scheme: Scheme
    mode: str
    attainment: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    average_progress: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    attainment_lines: list = field(default_factory=list)  # LineRow
    progress_lines: list = field(default_factory=list)
    # The grids' columns: the scale's bands, then the columns of pupils on another framework
    # (gaps.frameworks) when any pupil at the point is on one.
    attainment_columns: list = field(default_factory=list)
    progress_columns: list = field(default_factory=list)
    choice: SubjectChoice | None = None  # the subjects shown (`subject_choices`)

    @property
    def attainment_matrix(self):
        return line_matrix(self.attainment_lines, self.scheme.subjects)

    @property
    def progress_matrix(self):
        return line_matrix(self.progress_lines, self.scheme.subjects)

    @property
    def breakdowns(self):
        """The progress line rows with pupils judged on another framework."""
        return [row for row in self.progress_lines if row.breakdown is not None and row.breakdown.mixed]


def grid_report(membership, cohort, scheme, *, mode="percent", choice=None):
    """The C screen: both grids, average progress and the ranked gaps. `mode` is "percent",
    "counts" or "initials" (initials only for staff who see pupils); `choice` the subjects shown
    (`subject_choices`; all of them by default).

    The figures and disclosure control are worked out over every subject, then the chosen
    subjects are kept (`_only`): the same queries whatever the choice, and each figure reads the
    same whichever subjects are chosen and as on the dashboard, so one choice cannot be played
    against another."""
    if mode == "initials" and not membership.sees_pupils:
        mode = "percent"
    choice = choice or subject_choices(scheme)[ALL]
    report = _all_subjects(membership, cohort, scheme, mode, choice)
    return _only(report, choice)


def _all_subjects(membership, cohort, scheme, mode, choice):
    """Every subject's figures, hidden as disclosure control requires; pupils named (initials)
    only in the chosen subjects, so that no pupil is read who is not shown."""
    report = GridReport(cohort, scheme, mode)
    if cohort.point is None:
        return report
    suppress = membership.suppress_below
    attainment = _band_counts(membership, cohort, "attainment_id")
    progress, by_framework = _progress_counts(membership, cohort, scheme.bands.progress)
    report.attainment_columns = _columns(scheme.attainment_bands, attainment, [fw.BELOW_ARE], first=True)
    report.progress_columns = _columns(scheme.progress_bands, progress, [fw.OWN_MET, fw.OWN_NOT])
    # The grids are built from the truth; disclosure control (`withhold`) hides what it must below.
    named = [s.pk for s in choice.subjects]
    report.attainment = _grid(
        membership, cohort, scheme, "attainment_id", report.attainment_columns, mode, 0, attainment, named
    )
    report.progress = _grid(
        membership, cohort, scheme, "progress_id", report.progress_columns, mode, 0, progress, named
    )
    report.attainment_lines = _line_rows(
        attainment, cohort, scheme, scheme.bands.attainment, suppress, report.attainment_columns
    )
    report.progress_lines = _line_rows(
        progress, cohort, scheme, scheme.bands.progress, suppress, report.progress_columns
    )
    report.average_progress = average_progress(membership, cohort, suppress)
    report.gaps = ranked_gaps(membership, cohort, scheme, suppress, protect=False)
    if suppress:
        withhold(
            report.gaps,
            suppress,
            grid=report.attainment,
            subjects=scheme.subjects,
            scale=scheme.bands.attainment,
        )
    _progress_breakdowns(report, by_framework, suppress)
    return report


def _only(report, choice):
    """The report over the subjects of `choice`: their columns of the grids (a year group with
    none of them assessed is left out), their lines and their gaps, still ranked over the true
    figures. The grids' framework columns stay those of every subject, so the layout does not
    depend on the choice. Average progress is over every subject, as on the dashboard."""
    keep = {s.pk for s in choice.subjects}
    chosen = [i for i, s in enumerate(report.scheme.subjects) if s.pk in keep]
    for name in ("attainment", "progress"):
        rows = [replace(row, cells=[row.cells[i] for i in chosen]) for row in getattr(report, name)]
        has_figures = [r for r in rows if any(f is not None for cells in r.cells for _b, f, _i in cells)]
        setattr(report, name, has_figures)
    report.attainment_lines = [r for r in report.attainment_lines if r.subject.pk in keep]
    report.progress_lines = [r for r in report.progress_lines if r.subject.pk in keep]
    report.gaps = [g for g in report.gaps if g.subject.pk in keep]
    report.scheme = replace(report.scheme, subjects=list(choice.subjects))
    report.choice = choice
    return report


def _columns(bands, counts, extra, *, first=False):
    """The scale's bands with the framework columns in which any cell counts: after the bands,
    or `first` (pupils below ARE on another framework, left of the lowest band)."""
    used = {key[2] for key, n in counts.items() if n}
    extra = [column for column in extra if column.pk in used]
    return extra + list(bands) if first else list(bands) + extra


def _band_counts(membership, cohort, band_field):
    """{(year group then, subject, band): focus pupils assessed in it} at the cohort's point. On
    the attainment grid a pupil on a framework below the main scheme counts in the column
    `frameworks.BELOW_ARE` ("fw"), as assessment.bands counts them: below ARE."""
    if band_field == "progress_id":
        return _progress_counts(membership, cohort, None)[0]
    rows = (
        at_points(membership, [cohort.point.pk])
        .filter(cohort.assessed_q([cohort.point]), Bands.has_attainment)
        .values("year_group", "subject_id", band_field)
        .annotate(n=Count("id"))
    )
    counts = {}
    for r in rows:
        key = (r["year_group"], r["subject_id"], r[band_field] or fw.BELOW_ARE.pk)
        counts[key] = counts.get(key, 0) + r["n"]
    return counts


def _progress_key(progress_id, expected_met):
    """The progress grid's column of a cell: its band, or whether the pupil made their own
    framework's expected progress."""
    if progress_id is not None:
        return progress_id
    return fw.OWN_MET.pk if expected_met else fw.OWN_NOT.pk


def _progress_counts(membership, cohort, scale):
    """({(year group then, subject, column): focus pupils}, {(year group, subject): {framework
    id: [judged, met the headline line]}}) at the cohort's point, from one query grouped by
    framework as well: the grid's counts and the headline progress line by framework."""
    rows = (
        at_points(membership, [cohort.point.pk])
        .filter(cohort.assessed_q([cohort.point]), Bands.has_progress)
        .values("year_group", "subject_id", "progress_id", "framework_id", "expected_met")
        .annotate(n=Count("id"))
        .order_by()
    )
    meeting = set(scale.headline.band_ids) if scale is not None and scale.headline else set()
    counts, by_framework = {}, {}
    for r in rows:
        year, subject, n = r["year_group"], r["subject_id"], r["n"]
        key = (year, subject, _progress_key(r["progress_id"], r["expected_met"]))
        counts[key] = counts.get(key, 0) + n
        on_scale = r["progress_id"] is not None
        met = r["progress_id"] in meeting if on_scale else bool(r["expected_met"])
        framework = fw.MAIN if on_scale else r["framework_id"]
        fw.add(by_framework.setdefault((year, subject), {}), framework, n, n if met else 0)
    return counts, by_framework


def _grid(membership, cohort, scheme, band_field, bands, mode, suppress_below, counts, named=()):
    """year group x subject x band, as shares of the pupils assessed (or counts, or initials of
    the pupils of the subjects `named`)."""
    initials = {}
    if mode == "initials" and membership.sees_pupils:
        initials = _initials(membership, cohort, band_field, named)
    grid = []
    for year in sorted({key[0] for key in counts}):
        cells = []
        for subject in scheme.subjects:
            total = sum(counts.get((year, subject.pk, b.pk), 0) for b in bands)
            per_band = []
            for band in bands:
                key = (year, subject.pk, band.pk)
                figure = _cell(counts.get(key, 0), total, mode, suppress_below)
                per_band.append((band, figure, ", ".join(initials.get(key, []))))
            cells.append(per_band)
        grid.append(GridRow(year, year_label(year), cells))
    return grid


def _line_rows(counts, cohort, scheme, scale, suppress_below, columns=None):
    """Each year group and subject of the grid on every line of `scale`, from the grid's own
    counts (a line is a sum of its columns, so no query). For a reader with a threshold a line
    is not shown where the grid hides one of its columns, since the line would give it away.

    Pupils on another framework are in every line's denominator (assessment.bands: the grid's
    framework columns); on the headline progress line those who made their framework's
    expected progress count too (the column `frameworks.OWN_MET`)."""
    columns = list(scale.bands) if columns is None else columns
    rows = []
    for year in sorted({key[0] for key in counts}):
        label = year_label(year)
        for subject in scheme.subjects:
            per_band = {b.pk: counts.get((year, subject.pk, b.pk), 0) for b in columns}
            total = sum(per_band.values())
            if not total:
                continue
            met = [sum(per_band.get(pk, 0) for pk in _line_columns(line)) for line in scale.lines]
            figures = line_shares(met, total, suppress_below)
            if any(small(n, suppress_below) for n in per_band.values()):
                figures = [None] * len(met)
            figures = list(zip(scale.lines, figures, strict=True))
            rows.append(LineRow(label, subject, figures, year_group=year))
    return rows


def _line_columns(line):
    """The grid columns a line adds up: its bands, and on the headline progress line the pupils
    who made their own framework's expected progress."""
    if line.field == "progress" and line.headline:
        return (*line.band_ids, fw.OWN_MET.pk)
    return line.band_ids


def _progress_breakdowns(report, by_framework, threshold):
    """Each progress line row's headline line by framework, and disclosure control over the
    progress grid: one table of the grid's columns, their total and the breakdown's parts (the
    pupils on the school's scale add up to its bands, those on other frameworks to the
    framework columns), so a part under the threshold cannot be worked out from the grid or
    from the total less the others."""
    headline = report.scheme.bands.progress.headline
    mixed = any(f is not fw.MAIN for counts in by_framework.values() for f in counts)
    # The frameworks' names: one query, only when a pupil was judged on one.
    names = fw.framework_names(report.cohort.school.pk) if mixed else {fw.MAIN: fw.MAIN_NAME}
    line_name = headline.name if headline else "expected progress or better"
    index_of = {s.pk: i for i, s in enumerate(report.scheme.subjects)}
    table = _progress_table(report, by_framework, index_of, threshold)
    if threshold:
        for row in report.progress:
            for index, cells in enumerate(row.cells):
                row.cells[index] = [
                    (band, _withheld(table, (row.year_group, index, "band", band.pk), figure), initials)
                    for band, figure, initials in cells
                ]
    for line_row in report.progress_lines:
        counts = by_framework.get((line_row.year_group, line_row.subject.pk))
        if not counts or line_row.subject.pk not in index_of:
            continue
        if line_row.figures and line_row.figures[0][1] is None:
            continue  # the line itself is not shown: nor is what it is made of
        prefix = (line_row.year_group, index_of[line_row.subject.pk], "by framework")
        line_row.breakdown = fw.table_read(table, prefix, counts, names, line_name)


def _progress_table(report, by_framework, index_of, threshold):
    """The disclosure table of the progress grid and the lines by framework (see above)."""
    scale = report.scheme.bands.progress
    table = Table(threshold)
    for row in report.progress:
        for index, cells in enumerate(row.cells):
            _grid_cells(table, row, index, cells, None, None)
    shown = {c.pk for c in report.progress_columns}
    for (year, subject_id), counts in by_framework.items():
        if subject_id not in index_of:
            continue
        prefix = (year, index_of[subject_id], "by framework")
        band = (year, index_of[subject_id], "band")
        fw.table_add(table, prefix, counts)
        table.line((*band, TOTAL), [(*prefix, TOTAL, "n")])
        others = [f for f in counts if f is not fw.MAIN]
        for column, part in ((fw.OWN_MET, "k"), (fw.OWN_NOT, "below")):
            if column.pk in shown:
                table.line((*band, column.pk), [(*prefix, f, part) for f in others])
        if fw.MAIN in counts and scale.headline is not None:
            meets = scale.headline.band_ids
            table.line((*prefix, fw.MAIN, "k"), [(*band, pk) for pk in meets])
            below = [(*band, b.pk) for b in scale.bands if b.pk not in meets]
            table.line((*prefix, fw.MAIN, "below"), below)
    return table


def _cell(n, total, mode, suppress_below):
    """A grid cell: the count, or its share of the pupils assessed; None when none were."""
    if not total:
        return None
    if mode == "counts":
        return Figure.of(n, suppress_below=suppress_below)
    return Share.of(n, total, suppress_below=suppress_below)


def _initials(membership, cohort, band_field, subject_ids):
    """{(year group at the point, subject, band): initials} of the focus pupils this reader may
    see, in the subjects `subject_ids`."""
    progress = band_field == "progress_id"
    named = (
        Assessment.objects.for_membership(membership)
        .filter(cohort.assessed_q([cohort.point]), point_id=cohort.point.pk, subject_id__in=subject_ids)
        .filter(Bands.has_progress if progress else Bands.has_attainment)
        .values_list(
            "year_group",
            "subject_id",
            band_field,
            "expected_met",
            "pupil__preferred_forename",
            "pupil__legal_forename",
            "pupil__legal_surname",
        )
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    initials = {}
    for year, subject, band, met, preferred, forename, surname in named:
        # A pupil on another framework is named in its column (gaps.frameworks).
        band = _progress_key(band, met) if progress else band or fw.BELOW_ARE.pk
        initials.setdefault((year, subject, band), []).append(
            f"{(preferred or forename)[:1]}{surname[:1]}".upper()
        )
    return initials


def average_progress(membership, cohort, suppress_below):
    """Average gain in points since the previous point, focus group against the rest, by year."""
    before = cohort.previous_point
    if before is None:
        return []
    rows = (
        with_before(at_points(membership, [cohort.point.pk]), before)
        .annotate(in_focus=focus_flag(cohort.assessed_q([cohort.point])), year=F("year_group"))
        .values("year", "in_focus")
        .annotate(gain=Sum(GAIN), pairs=Count("id"), pupils=Count("pupil_id", distinct=True))
        .order_by()
    )
    return progress_rows(by_flag(rows, lambda r: r["year"], ("gain", "pairs", "pupils")), suppress_below)


def progress_rows(totals, threshold):
    """The rows of the average progress table from {year: {"gain"|"pairs"|"pupils": (focus, rest)}}.

    Disclosure control over one table: per year group, the focus group's pupils and the rest's add
    up to the year group's pupils, and each column to the whole school's (totals a reader can know
    from elsewhere), so a small count is hidden with its complement; an average over a hidden
    count is hidden too."""
    years = sorted(totals)
    counts = {}
    for year in years:
        counts[(year, "focus")], counts[(year, "rest")] = totals[year]["pupils"]
    table = Table.crosstab(counts, years, ["focus", "rest"], threshold=threshold)
    result = []
    for year in years:
        t = totals[year]
        focus_hidden, rest_hidden = table.is_hidden((year, "focus")), table.is_hidden((year, "rest"))
        result.append(
            ProgressRow(
                year_label(year),
                None if focus_hidden else mean(t["gain"][0], t["pairs"][0]),
                t["pupils"][0],
                None if rest_hidden else mean(t["gain"][1], t["pairs"][1]),
                t["pupils"][1],
                suppressed=focus_hidden,
                rest_suppressed=rest_hidden,
            )
        )
    return result


def ranked_gaps(membership, cohort, scheme, suppress_below=0, *, protect=True):
    """Gaps at or above ARE, focus group against the rest, per year group and subject, largest
    first, each with the gap of the same pupils' year group at the previous point (the same year
    group, or the one below at last year's last point) and at the same point a year earlier (the
    year group below), each point's focus group taken as at that point.

    Ranked over the true figures for every reader, so a governor and a head read the same
    largest gap; then, for a reader under the threshold, the figures disclosure control hides
    are withheld (`withhold`) where they stand in the ranking; `protect=False` leaves that to the
    caller, which withholds them together with the grid beside them."""
    point, before, last_year = cohort.point, cohort.previous_point, cohort.last_year_point
    truth = _shares_at_or_above(membership, cohort, scheme, [p for p in (point, before, last_year) if p])
    # Earlier points: each side under the threshold hides that gap ("then" is a difference of
    # two shares of small groups otherwise).
    by_key = {
        key: tuple(Share.of(ok, n, suppress_below=suppress_below) for ok, n in sides)
        for key, sides in truth.items()
    }
    subjects = {s.pk: s for s in scheme.subjects}
    gaps = []
    for (point_id, year, subject_id), (focus_share, rest_share) in by_key.items():
        if point_id != point.pk or subject_id not in subjects:
            continue
        focus_share, rest_share = (Share(ok, n) for ok, n in truth[(point_id, year, subject_id)])
        gap = Gap(
            year_group=year,
            label=year_label(year),
            subject=subjects[subject_id],
            focus=focus_share,
            rest=rest_share,
            points=gap_points(focus_share, rest_share),
            rest_assessed=rest_share.denominator,
        )
        gap.true_points = gap.points
        for earlier, name in ((before, "since_last_point"), (last_year, "since_last_year")):
            # The same pupils then: their year group moved back by the academic years between.
            then = earlier and (earlier.pk, year - (point.academic_year - earlier.academic_year), subject_id)
            if then in by_key:
                setattr(gap, name, gap_points(*by_key[then]))
        gaps.append(gap)
    gaps.sort(key=lambda g: (g.true_points is None, -(g.true_points or 0), g.year_group, g.subject.order))
    if suppress_below and protect and gaps:
        # Withheld as on the C page, with the attainment grid beside them (one more query, for
        # governors only): the same table gives the same hidden figures on every page.
        counts = _band_counts(membership, cohort, "attainment_id")
        columns = _columns(scheme.attainment_bands, counts, [fw.BELOW_ARE], first=True)
        grid = _grid(membership, cohort, scheme, "attainment_id", columns, "percent", 0, counts)
        withhold(gaps, suppress_below, grid=grid, subjects=scheme.subjects, scale=scheme.bands.attainment)
    return gaps


def withhold(gaps, threshold, *, grid=(), subjects=(), scale=None):
    """Disclosure control over question C as a reader sees it, applied to the figures built from
    the truth: per year group and subject, the grid's bands and the pupils assessed (its shares'
    denominator), the focus group's pupils at or above the line (the sum of the bands that meet
    it) and the rest's. One table (core.disclosure), so a band, the gap table and the totals
    cannot be played against each other; hidden figures are replaced where they stand."""
    table = Table(threshold)
    for gap in gaps:
        _gap_cells(table, gap)
    by_key = {(g.year_group, g.subject.pk): g for g in gaps}
    for row in grid:
        for index, cells in enumerate(row.cells):
            gap = by_key.get((row.year_group, subjects[index].pk)) if subjects else None
            _grid_cells(table, row, index, cells, gap, scale)
    for gap in gaps:
        key = (gap.year_group, gap.subject.pk)
        gap.focus = table.share((*key, "focus", "ok"), (*key, "focus", TOTAL))
        gap.rest = table.share((*key, "rest", "ok"), (*key, "rest", TOTAL))
        if gap.focus.suppressed or gap.rest.suppressed:
            gap.points, gap.withheld = None, True
    for row in grid:
        for index, cells in enumerate(row.cells):
            row.cells[index] = [
                (band, _withheld(table, (row.year_group, index, "band", band.pk), figure), initials)
                for band, figure, initials in cells
            ]


def _gap_cells(table, gap):
    key = (gap.year_group, gap.subject.pk)
    for side, share in (("focus", gap.focus), ("rest", gap.rest)):
        table.add((*key, side, "ok"), share.numerator)
        table.add((*key, side, "below"), share.denominator - share.numerator, shown=False)
        table.add((*key, side, TOTAL), share.denominator)
        table.line((*key, side, TOTAL), [(*key, side, "ok"), (*key, side, "below")])


def _grid_cells(table, row, index, cells, gap, scale):
    """A grid row's bands of one subject, their total (the shares' denominator), and when the
    gap table shows the same pupils, the bands that meet the line adding up to its count.

    In a row of fewer pupils than the threshold the bands are cells the reader never sees as
    counts: all of them print "c", so a row of four pupils one in each of four bands gives
    nothing away (were the reader told which bands hold a pupil, it would)."""
    bands = [(band, _count(figure)) for band, figure, _initials in cells]
    if all(n is None for _band, n in bands):
        return
    n_total = sum(n or 0 for _band, n in bands)
    # A row of fewer pupils than the threshold prints every band "c", zeros too (`_withheld`):
    # the reader cannot tell which bands hold a pupil, so none is known to be small.
    shown = not 0 < n_total < table.threshold
    members = [table.add((row.year_group, index, "band", band.pk), n or 0, shown=shown) for band, n in bands]
    total = table.add((row.year_group, index, "band", TOTAL), n_total)
    table.line(total, members)
    if gap is None or scale is None or scale.threshold is None:
        return
    key = (gap.year_group, gap.subject.pk, "focus")
    meets = [m for (band, _n), m in zip(bands, members, strict=True) if band.order >= scale.threshold]
    below = [m for (band, _n), m in zip(bands, members, strict=True) if band.order < scale.threshold]
    table.line((*key, "ok"), meets)
    table.line((*key, "below"), below)
    table.line((*key, TOTAL), [total])


def _count(figure):
    if figure is None:
        return None
    return figure.value if isinstance(figure, Figure) else figure.numerator


def _withheld(table, key, figure):
    """The figure of a grid cell, withheld when its count or its row's total is hidden."""
    if figure is None or not (table.is_hidden(key) or table.is_hidden((*key[:3], TOTAL))):
        return figure
    return Figure.withheld(table.threshold) if isinstance(figure, Figure) else Share.withheld(table.threshold)


def _shares_at_or_above(membership, cohort, scheme, points):
    """{(point, year group then, subject): ((focus at or above, focus assessed), (rest ...))}
    from one query grouped by point, year group, subject and focus flag."""
    rows = (
        at_points(membership, [p.pk for p in points])
        .filter(scheme.bands.has_attainment)
        .annotate(in_focus=focus_flag(cohort.assessed_q(points)), year=F("year_group"))
        .values("point_id", "year", "subject_id", "in_focus")
        .annotate(n=Count("id"), ok=Count("id", filter=scheme.at_or_above))
        .order_by()
    )
    totals = by_flag(rows, lambda r: (r["point_id"], r["year"], r["subject_id"]), ("n", "ok"))
    return {key: ((t["ok"][0], t["n"][0]), (t["ok"][1], t["n"][1])) for key, t in totals.items()}
