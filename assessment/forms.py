from decimal import Decimal, InvalidOperation

from django import forms

from schools.models import classes_for

from .models import AssessmentPoint
from .services import CellInput


def cell_name(prefix, pupil_id, subject_id):
    return f"{prefix}-{pupil_id}-{subject_id}"


class GridChooserForm(forms.Form):
    point = forms.ModelChoiceField(queryset=None, label="Assessment point", empty_label=None)
    school_class = forms.ModelChoiceField(
        queryset=None, label="Class", required=False, empty_label="Whole year group"
    )
    year_group = forms.TypedChoiceField(
        label="Year group",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 14)],
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = AssessmentPoint.objects.filter(school=membership.school).order_by(
            "-academic_year", "-order"
        )
        self.fields["school_class"].queryset = classes_for(membership)
        for form_field in self.fields.values():
            form_field.widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("school_class") is None and cleaned.get("year_group") is None:
            raise forms.ValidationError("Choose a class or a year group.")
        return cleaned


def parse_grid(data, grid, scheme):
    """Read the posted grid into CellInputs for the grid's own pupils and subjects.

    Values for pupils or subjects outside the grid are ignored: the grid was built from the
    membership's scoped pupils, so nothing else can be written. Returns (cells, errors) where
    errors maps (pupil_id, subject_id) to a message.
    """
    attainment_ids = {band.pk for band in grid.attainment_bands}
    progress_ids = {band.pk for band in grid.progress_bands}
    cells, errors = [], {}
    for pupil, _row in grid.rows:
        for subject in grid.subjects:
            key = (pupil.pk, subject.pk)
            problems = []
            attainment = _choice(
                data.get(cell_name("a", *key), ""), attainment_ids, problems, "attainment band"
            )
            progress = _choice(data.get(cell_name("g", *key), ""), progress_ids, problems, "progress band")
            points = _points(data.get(cell_name("n", *key), ""), scheme, problems)
            try:
                version = int(data.get(cell_name("v", *key), "0") or 0)
            except ValueError:
                version = -1
            if problems:
                errors[key] = "; ".join(problems)
            cells.append(CellInput(pupil.pk, subject.pk, attainment, progress, points, version))
    return cells, errors


def _choice(raw, allowed, problems, what):
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value not in allowed:
        problems.append(f"choose a {what} from the list")
        return None
    return value


def _points(raw, scheme, problems):
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        problems.append(f"“{raw[:12]}” is not a number")
        return None
    if not value.is_finite():
        problems.append("enter a number")
        return None
    low, high = scheme.measure_min, scheme.measure_max
    if (low is not None and value < low) or (high is not None and value > high):
        problems.append(f"{scheme.measure_name or 'points'} must be between {_plain(low)} and {_plain(high)}")
        return None
    if abs(value) >= 100000:
        problems.append("that number is too large")
        return None
    return value


def _plain(number):
    if number is None:
        return "any"
    return str(int(number)) if number == int(number) else str(number)
