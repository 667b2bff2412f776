"""The cohort filter every gap screen shares: academic year, assessment point, and a group of
pupils (or two groups combined, such as SEND and pupil premium) to set against the rest.

A group is a short code, for example "send", "E", "need:ASD", "int:12", "pp", "gender:M",
"year:4"; `group_q(code, prefix, status=..., year_group=...)` turns it into a Q over the pupil's
fields, so that the same group can filter pupils (prefix "") or their assessments or attendance
(prefix "pupil__"), with the test of SEN status and the year group chosen by the caller.

**Basis.** By default (AS_AT) the SEN groups ("send", "K", "E", "N") are taken from the dated
SEN history as at each assessment point (AssessmentPoint.as_at, pupils.models.status_at_q): a
pupil placed on SEN support in spring is not SEND in the autumn grid, and a pupil who left the
register last year is SEND in last year's figures. The CURRENT basis follows today's SEND pupils
back through earlier points (Pupil.sen_status). Either way a year group at a point is the one
stored with the assessment (Assessment.year_group), and the other groups (pupil premium, FSM,
EAL, looked after, gender, need) are as recorded today: they have no dated history.

The Cohort gives three conditions, one per kind of row:
- `assessed_q(points)` over assessments at those points, each row as at its own point (the
  grids, key question B, comparisons with the previous point and last year);
- `focus_q(prefix)` over pupils (or rows reached through `prefix`) as at the chosen point;
- `now_q(prefix)` over pupils on roll now, by current status and year group (key question A's
  groups; attendance, exclusions and participation, E to H, which count the pupils on roll).

`cohort_form(membership, data)` reads the school's points and interventions and builds the form.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from assessment.bands import year_group_now
from assessment.models import Assessment, AssessmentPoint
from core.calendar import academic_year_label, current_academic_year
from interventions.models import Intervention, InterventionPlace
from pupils.models import (
    INCLUSION_GROUPS,
    SEN_STATUSES_ON_RECORD,
    YEAR_GROUPS,
    AreaOfNeed,
    SenStatus,
    inclusion_group_q,
    status_at_q,
    year_groups_of,
)

DEFAULT_GROUP = "send"
AS_AT, CURRENT = "as-at", "current"
BASES = [
    (AS_AT, "As at each point (SEN history)"),
    (CURRENT, "Current cohort (today's SEND pupils followed back)"),
]
# What each basis means, said on every gap page (templates/gaps/_frame.html).
BASIS_LABELS = {
    AS_AT: "SEN status and year group as at each assessment point",
    CURRENT: "Current cohort: pupils on the SEND record today, followed back through earlier points",
}
BASIS_NOTES = {
    AS_AT: (
        "SEN status is taken from the dated SEN history on the last day of each point's period (a pupil "
        "with no entry by then counts as no SEN); year group is the one recorded with each assessment."
    ),
    CURRENT: "Year group is the one recorded with each assessment.",
}
OTHER_GROUPS_NOTE = (
    "Pupil premium, free school meals, EAL, looked-after, social care, previously looked-after, young "
    "carer, gender and area of need are as recorded today."
)

BASE_GROUPS = [
    ("send", "All SEND (SEN support and EHCP)"),
    ("K", "SEN support"),
    ("E", "EHC plan"),
    ("N", "No SEN"),
    ("pp", "Pupil premium"),
    ("fsm", "Free school meals"),
    ("eal", "EAL"),
    ("lac", "Looked-after children"),
    *INCLUSION_GROUPS,
    ("gender:F", "Girls"),
    ("gender:M", "Boys"),
]
NEED_GROUPS = [(f"need:{code}", f"Need: {label}") for code, label in AreaOfNeed.choices]
YEAR_LABELS = dict(YEAR_GROUPS)


def current_status(prefix=""):
    """`statuses -> Q` of pupils whose current SEN status is one of `statuses`."""
    return lambda statuses: Q(**{f"{prefix}sen_status__in": statuses})


def group_q(code, prefix="", *, status=None, year_group=None):
    """The Q of pupils in group `code`, over fields reached through `prefix`. None if unknown.

    `status(statuses)` gives the Q of pupils with one of those SEN statuses, which the SEN groups
    use (by default the current status, `current_status`); `year_group` is the expression of the
    year group the "year:N" groups test (by default the year group now,
    assessment.bands.year_group_now)."""
    p = prefix
    status = current_status(p) if status is None else status
    simple = {
        "send": status(SEN_STATUSES_ON_RECORD),
        "K": status([SenStatus.SEN_SUPPORT]),
        "E": status([SenStatus.EHCP]),
        "N": status([SenStatus.NONE]),
        "pp": Q(**{f"{p}pupil_premium": True}),
        "fsm": Q(**{f"{p}fsm": True}),
        "eal": Q(**{f"{p}eal": True}),
        "lac": Q(**{f"{p}lac": True}),
    }
    if code in simple:
        return simple[code]
    if (q := inclusion_group_q(code, p)) is not None:
        return q
    kind, _, value = (code or "").partition(":")
    if kind == "gender" and value in ("F", "M"):
        return Q(**{f"{p}gender": value})
    if kind == "need" and value in AreaOfNeed.values:
        return Q(**{f"{p}primary_need": value}) | Q(**{f"{p}secondary_need": value})
    if kind == "year" and value.isdigit() and int(value) in YEAR_LABELS:
        return Q(Exact(year_group_now(p) if year_group is None else year_group, int(value)))
    if kind == "int" and value.isdigit():
        # A subquery, not a join: a pupil in two runs must still count once.
        places = InterventionPlace.objects.filter(run__intervention_id=int(value)).values("pupil_id")
        return Q(**{f"{p}pk__in": places})
    return None


@dataclass
class Cohort:
    """What the filter chose: the point, the points it is compared with, and the focus group."""

    school: object
    points: list  # every point of the school, oldest first
    point: object  # None when the school has no assessment point yet
    group: str
    and_group: str
    label: str
    basis: str = AS_AT

    @property
    def basis_label(self):
        return BASIS_LABELS[self.basis]

    @property
    def basis_note(self):
        return f"{BASIS_NOTES[self.basis]} {OTHER_GROUPS_NOTE}"

    @property
    def academic_year(self):
        return self.point.academic_year if self.point else None

    @property
    def year_label(self):
        return academic_year_label(self.point.academic_year) if self.point else ""

    @property
    def previous_point(self):
        """The point just before this one (possibly last year's last point)."""
        if not self.point:
            return None
        index = self.points.index(self.point)
        return self.points[index - 1] if index > 0 else None

    @property
    def last_year_point(self):
        """The same point a year earlier."""
        return self.same_point_in(self.academic_year - 1) if self.point else None

    def same_point_in(self, year):
        for p in self.points:
            if p.academic_year == year and p.order == self.point.order:
                return p
        return None

    def _q(self, prefix, status, year_group):
        q = group_q(self.group, prefix, status=status, year_group=year_group)
        if self.and_group:
            q &= group_q(self.and_group, prefix, status=status, year_group=year_group)
        return q

    def _status_at(self, when, prefix):
        """`statuses -> Q`: the SEN status as at `when` (AS_AT basis) or the current one."""
        if self.basis == CURRENT or when is None:
            return current_status(prefix)
        pupil = f"{prefix[:-2]}_id" if prefix else "pk"
        return lambda statuses: status_at_q(when, statuses, pupil, school_id=self.school.pk)

    def focus_q(self, prefix=""):
        """The focus group among pupils (or rows reached through `prefix`, such as a pupil's
        targets), as at the chosen point: SEN status as at its date (AS_AT basis) and year group
        in its academic year."""
        if self.point is None:
            return self.now_q(prefix)
        back = current_academic_year() - self.point.academic_year
        return self._q(prefix, self._status_at(self.point.as_at, prefix), year_group_now(prefix) - back)

    def now_q(self, prefix=""):
        """The focus group among pupils on roll now, by current SEN status and year group,
        whatever the basis: for figures about pupils today."""
        return self._q(prefix, None, None)

    def assessed_q(self, points):
        """The focus group among assessments at `points` (the points the rows are at), each as at
        its own point: SEN status as at the point's date (AS_AT basis) and the year group stored
        with the assessment."""
        return self._q("pupil__", self._assessed_status(points), F("year_group"))

    def _assessed_status(self, points):
        """`statuses -> Q` over assessments at `points`: as at each row's point, or now."""
        if self.basis == CURRENT:
            return current_status("pupil__")

        def status(statuses):
            # One condition per point: at that point, and the pupil's status then.
            if not points:
                return Q(pk__in=[])
            return reduce(
                operator.or_,
                (
                    Q(point_id=p.pk) & status_at_q(p.as_at, statuses, "pupil_id", school_id=self.school.pk)
                    for p in points
                ),
            )

        return status

    def assessed_status(self, points):
        """The SEN status code ("N", "K", "E") of an assessment's pupil at its point (one of
        `points`), as at the point (AS_AT basis) or now, as an expression to GROUP BY."""
        if self.basis == CURRENT:
            return F("pupil__sen_status")
        status = self._assessed_status(points)
        return Case(
            When(status([SenStatus.EHCP]), then=Value(SenStatus.EHCP.value)),
            When(status([SenStatus.SEN_SUPPORT]), then=Value(SenStatus.SEN_SUPPORT.value)),
            default=Value(SenStatus.NONE.value),
            output_field=CharField(),
        )

    def querystring(self):
        parts = [f"point={self.point.pk}"] if self.point else []
        parts.append(f"group={self.group}")
        if self.and_group:
            parts.append(f"and_group={self.and_group}")
        if self.basis != AS_AT:
            parts.append(f"basis={self.basis}")
        return "&".join(parts)


class QuickSelect(forms.Select):
    """A <select> written directly in Python: the same markup as Django's Select, without a
    template per option (the group lists run to a hundred options and are on every gap page)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class CohortForm(forms.Form):
    """Validated like any form; a choice that is not on offer is ignored, never an error page."""

    year = forms.TypedChoiceField(label="Academic year", coerce=int, required=False, widget=QuickSelect)
    point = forms.TypedChoiceField(label="Assessment point", coerce=int, required=False, widget=QuickSelect)
    group = forms.ChoiceField(label="Group", required=False, widget=QuickSelect)
    and_group = forms.ChoiceField(label="Combined with", required=False, widget=QuickSelect)
    basis = forms.ChoiceField(label="SEN status", choices=BASES, required=False, widget=QuickSelect)

    def __init__(self, data, *, school, points, interventions):
        # Keep only the fields this form knows, and drop values that are not on offer, so a
        # bad link falls back to the defaults instead of failing.
        super().__init__(data, auto_id="id_cohort_%s")
        self.school = school
        self.points = points
        years = sorted({p.academic_year for p in points}, reverse=True)
        self.fields["year"].choices = [("", "Latest")] + [(y, academic_year_label(y)) for y in years]
        self.fields["point"].choices = [("", "Latest with data")] + [
            (p.pk, f"{p.name} {academic_year_label(p.academic_year)}") for p in reversed(points)
        ]
        groups = (
            BASE_GROUPS
            + NEED_GROUPS
            + [(f"year:{n}", label) for n, label in year_groups_of(school)]
            + [(f"int:{i.pk}", f"Intervention: {i.name}") for i in interventions]
        )
        self.fields["group"].choices = groups
        self.fields["and_group"].choices = [("", "Nothing else")] + groups
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def cohort(self):
        """The chosen cohort, falling back field by field to the defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        if not self.is_valid():
            # Keep whichever fields are valid on their own.
            data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        point = self._point(data.get("point"), data.get("year"))
        group = data.get("group") or DEFAULT_GROUP
        and_group = data.get("and_group") or ""
        if and_group == group:
            and_group = ""
        labels = dict(self.fields["group"].choices)
        label = labels[group] + (f" and {labels[and_group]}" if and_group else "")
        basis = data.get("basis") or AS_AT
        return Cohort(self.school, self.points, point, group, and_group, label, basis)

    def _point(self, point_pk, year):
        by_pk = {p.pk: p for p in self.points}
        if point_pk in by_pk and (not year or by_pk[point_pk].academic_year == year):
            return by_pk[point_pk]
        candidates = [p for p in self.points if not year or p.academic_year == year]
        with_data = [p for p in candidates if getattr(p, "has_data", True)]
        chosen = with_data or candidates
        return chosen[-1] if chosen else None


def cohort_form(membership, data):
    """The cohort filter, with the school's points (each marked has_data) and interventions."""
    # The first assessment of each point in the order of the (point, subject) index: one index
    # probe per point, where an EXISTS could be planned as a scan of the table for an empty point.
    first = Subquery(
        Assessment.objects.filter(point_id=OuterRef("pk")).order_by("point_id", "subject_id").values("pk")[:1]
    )
    points = list(
        AssessmentPoint.objects.filter(school_id=membership.school_id).with_next_start().annotate(first=first)
    )
    for point in points:
        point.has_data = point.first is not None
    interventions = list(Intervention.objects.filter(school_id=membership.school_id).only("pk", "name"))
    return CohortForm(data, school=membership.school, points=points, interventions=interventions)
