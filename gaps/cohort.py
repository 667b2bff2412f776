"""The cohort filter every gap screen shares: academic year, assessment point, and a group of
pupils (or two groups combined, such as SEND and pupil premium) to set against the rest.

A group is a short code, for example "send", "E", "need:ASD", "int:12", "pp", "gender:M",
"year:4"; `group_q(code, prefix)` turns it into a Q over the pupil's fields, so that the same
group can filter pupils (prefix "") or their assessments or attendance (prefix "pupil__").

SEN status is the pupil's current status, also when an earlier year is chosen: the dated history
is used for movement on the record (key question A), not for the cohort. A year group is the
pupil's year group now (for a pupil who has left, the one they would be in: assessment.bands).

`cohort_form(membership, data)` reads the school's points and interventions and builds the form.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from assessment.bands import year_group_now
from assessment.models import Assessment, AssessmentPoint
from core.calendar import academic_year_label
from interventions.models import Intervention, InterventionPlace
from pupils.models import SEN_STATUSES_ON_RECORD, YEAR_GROUPS, AreaOfNeed, SenStatus

DEFAULT_GROUP = "send"

BASE_GROUPS = [
    ("send", "All SEND (SEN support and EHCP)"),
    ("K", "SEN support"),
    ("E", "EHC plan"),
    ("N", "No SEN"),
    ("pp", "Pupil premium"),
    ("fsm", "Free school meals"),
    ("eal", "EAL"),
    ("lac", "Looked-after children"),
    ("gender:F", "Girls"),
    ("gender:M", "Boys"),
]
NEED_GROUPS = [(f"need:{code}", f"Need: {label}") for code, label in AreaOfNeed.choices]
YEAR_LABELS = dict(YEAR_GROUPS)


def group_q(code, prefix=""):
    """The Q of pupils in group `code`, over fields reached through `prefix`. None if unknown."""
    p = prefix
    simple = {
        "send": Q(**{f"{p}sen_status__in": SEN_STATUSES_ON_RECORD}),
        "K": Q(**{f"{p}sen_status": SenStatus.SEN_SUPPORT}),
        "E": Q(**{f"{p}sen_status": SenStatus.EHCP}),
        "N": Q(**{f"{p}sen_status": SenStatus.NONE}),
        "pp": Q(**{f"{p}pupil_premium": True}),
        "fsm": Q(**{f"{p}fsm": True}),
        "eal": Q(**{f"{p}eal": True}),
        "lac": Q(**{f"{p}lac": True}),
    }
    if code in simple:
        return simple[code]
    kind, _, value = (code or "").partition(":")
    if kind == "gender" and value in ("F", "M"):
        return Q(**{f"{p}gender": value})
    if kind == "need" and value in AreaOfNeed.values:
        return Q(**{f"{p}primary_need": value}) | Q(**{f"{p}secondary_need": value})
    if kind == "year" and value.isdigit() and int(value) in YEAR_LABELS:
        # The year group now, so that a pupil who has left counts with the year group they left.
        return Q(Exact(year_group_now(p), int(value)))
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

    def focus_q(self, prefix=""):
        q = group_q(self.group, prefix)
        if self.and_group:
            q &= group_q(self.and_group, prefix)
        return q

    def querystring(self):
        parts = [f"point={self.point.pk}"] if self.point else []
        parts.append(f"group={self.group}")
        if self.and_group:
            parts.append(f"and_group={self.and_group}")
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
            + [(f"year:{n}", label) for n, label in YEAR_GROUPS]
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
        return Cohort(self.school, self.points, point, group, and_group, label)

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
    points = list(AssessmentPoint.objects.filter(school_id=membership.school_id).annotate(first=first))
    for point in points:
        point.has_data = point.first is not None
    interventions = list(Intervention.objects.filter(school_id=membership.school_id).only("pk", "name"))
    return CohortForm(data, school=membership.school, points=points, interventions=interventions)
