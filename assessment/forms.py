import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone

from .frameworks import NotOnFramework, parse, show
from .models import (
    SUPPORT_LEVEL_MEANING,
    AssessmentPoint,
    AssessmentScheme,
    AttainmentBand,
    ProgressBand,
    Subject,
    SupportLevel,
    SupportObservation,
)
from .selectors import current_point
from .services import BAND_PRESETS, POINT_PRESETS, CellInput, SchemeRow, TargetInput

YEAR_GROUP_CHOICES = [("", "—")] + [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 14)]


def cell_name(prefix, pupil_id, subject_id):
    return f"{prefix}-{pupil_id}-{subject_id}"


class GridChooserForm(forms.Form):
    """Which grid: a point (the current one unless another is chosen) and a class or year group.

    Built from lists the view has already read, so validating and rendering cost no query."""

    point = forms.TypedChoiceField(label="Assessment point", coerce=int, required=False)
    school_class = forms.TypedChoiceField(label="Class", coerce=int, required=False, empty_value=None)
    year_group = forms.TypedChoiceField(
        label="Year group", required=False, coerce=int, empty_value=None, choices=YEAR_GROUP_CHOICES
    )
    mode = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Assessments"), ("targets", "End-of-year targets")],
    )

    def __init__(self, *args, points, classes, today, year_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if year_groups is not None:  # the school's phase's own year groups
            self.fields["year_group"].choices = [("", "—"), *year_groups]
        self.points = {p.pk: p for p in points}
        self.classes = {c.pk: c for c in classes}
        self.current = current_point(points, today)
        self.fields["point"].choices = [(p.pk, str(p)) for p in points]
        self.fields["point"].initial = self.current.pk if self.current else None
        self.fields["school_class"].choices = [("", "Whole year group")] + [(c.pk, str(c)) for c in classes]
        if self.is_bound and not self.data.get("point") and self.current:
            # Opened without a point (a link to a class's grid): the list shows the point the
            # grid is at, the current one, rather than the newest.
            self.data = self.data.copy()
            self.data["point"] = str(self.current.pk)
        for form_field in self.fields.values():
            form_field.widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("school_class") is None and cleaned.get("year_group") is None:
            raise forms.ValidationError("Choose a class or a year group.")
        point_id = cleaned.get("point")
        cleaned["point"] = self.points.get(point_id) if point_id else self.current
        if cleaned["point"] is None:
            raise forms.ValidationError("There is no assessment point yet: add one in the scheme.")
        cleaned["school_class"] = (
            self.classes.get(cleaned["school_class"]) if cleaned.get("school_class") else None
        )
        return cleaned


class GridAddressForm(forms.Form):
    """The grid a POST saves, read from its URL without a query; the pupils query scopes it."""

    point = forms.IntegerField()
    school_class = forms.IntegerField(required=False)
    year_group = forms.IntegerField(required=False, min_value=0, max_value=13)
    mode = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("school_class") is None and cleaned.get("year_group") is None:
            raise forms.ValidationError("Choose a class or a year group.")
        return cleaned


def _posted(data, pupil_id, subject_id, prefixes="agnfv"):
    return any(cell_name(p, pupil_id, subject_id) in data for p in prefixes)


# A JSON save holds at most four fields a cell (three boxes and the version); the body itself is
# capped by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), far above a year group of 300 by 6.
FIELDS_PER_CELL = 4


class GridPayloadError(ValueError):
    """A JSON save the grid cannot read; its message says what to do, in plain words."""


def grid_fields_from_json(body, *, cells):
    """The changed cells of a JSON save, {"fields": {"a-12-5": "OT", ...}}, as a dict of the
    grid form's own field names, so that the same parsers read both kinds of save.

    `cells` is the number of cells (pupils by subjects) the grid holds: a save with more fields
    than the whole grid could send is refused, as is anything that is not such an object."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise GridPayloadError("The save could not be read. Reload the grid and try again.") from None
    fields = payload.get("fields") if isinstance(payload, dict) else None
    if not isinstance(fields, dict):
        raise GridPayloadError("The save could not be read. Reload the grid and try again.")
    if len(fields) > FIELDS_PER_CELL * cells:
        raise GridPayloadError(
            f"The save holds {len(fields):,} values, more than this grid of {cells:,} cells has. "
            "Nothing was saved: reload the grid and enter your changes again."
        )
    data = {}
    for name, value in fields.items():
        if value is None:
            value = ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or len(str(value)) > 40:
            raise GridPayloadError("The save could not be read. Reload the grid and try again.")
        data[str(name)] = str(value)
    return data


def with_versions(data):
    """The posted fields with the one `versions` field ("12-5:3 12-6:1") spread into a `v-12-5`
    field per cell, as the parsers read them. A cell with no version was empty when loaded."""
    spread = dict(data.items())
    for item in str(data.get("versions", "")).split():
        key, _sep, version = item.partition(":")
        spread.setdefault(f"v-{key}", version)
    return spread


def parse_grid(data, reference, scheme, pupil_ids):
    """Read the posted grid into CellInputs for the grid's own pupils and subjects.

    Bands are posted as their codes, as typed (any case). A pupil on another framework in a
    subject at the point (`reference.placements`) posts one value, `f-pupil-subject`, read with
    `frameworks.parse` against that framework. Values for pupils or subjects outside the grid
    are ignored: `pupil_ids` come from the membership's scoped pupils, so nothing else can be
    written; cells not posted at all are left alone. Returns (cells, errors) where errors maps
    (pupil_id, subject_id) to a message.
    """
    attainment = _Codes(reference.attainment_bands)
    progress = _Codes(reference.progress_bands)
    cells, errors = [], {}
    for pupil_id in sorted(pupil_ids):
        for subject in reference.subjects:
            key = (pupil_id, subject.pk)
            if not _posted(data, *key):
                continue
            try:
                version = int(data.get(cell_name("v", *key), "0") or 0)
            except ValueError:
                version = -1
            framework = reference.framework_of(*key)
            if framework is not None:
                cell, problem = _framework_cell(data, key, framework, reference, version)
                if problem:
                    errors[key] = problem
                cells.append(cell)
                continue
            problems = []
            if str(data.get(cell_name("f", *key), "")).strip():
                problems.append(
                    "this pupil is on the school's main scheme in this subject at this point, not "
                    "another framework: reload the grid and type a band or a number"
                )
            attainment_id = _band(data.get(cell_name("a", *key), ""), attainment, problems, "an attainment")
            progress_id = _band(data.get(cell_name("g", *key), ""), progress, problems, "a progress")
            points = _points(data.get(cell_name("n", *key), ""), scheme, problems)
            if problems:
                errors[key] = "; ".join(problems)
            cells.append(CellInput(pupil_id, subject.pk, attainment_id, progress_id, points, version))
    return cells, errors


def _framework_cell(data, key, framework, reference, version):
    """The CellInput of a cell on another framework, and a message if its value is not on it."""
    cell = CellInput(*key, None, None, None, version, framework_id=framework.pk)
    if any(str(data.get(cell_name(p, *key), "")).strip() for p in "agn"):
        return cell, (
            f"this pupil is assessed on {framework.name} in this subject at this point, not on the "
            "school's bands: reload the grid and type a value on it"
        )
    text = str(data.get(cell_name("f", *key), "")).strip()
    if not text:
        return cell, ""
    try:
        value = parse(framework, reference.stages.get(framework.pk, []), text[:40])
    except NotOnFramework as refused:
        return cell, f"{refused} (on {framework.name})" if framework.name not in str(refused) else str(
            refused
        )
    cell.stage_id = value.stage.pk if value.stage else None
    cell.step, cell.place, cell.score = value.step, value.place, value.score
    return cell, ""


def parse_grid_targets(data, reference, scheme, pupil_ids, academic_year):
    """The grid's targets mode: an end-of-year attainment band (its code) and points per cell."""
    by_pk = {b.pk: b for b in reference.attainment_bands}
    codes = _Codes(reference.attainment_bands)
    per_pupil, errors = {}, {}
    for pupil_id in sorted(pupil_ids):
        for subject in reference.subjects:
            key = (pupil_id, subject.pk)
            if not _posted(data, *key, prefixes="tp"):
                continue
            problems = []
            band = _band(data.get(cell_name("t", *key), ""), codes, problems, "a target")
            points = _points(data.get(cell_name("p", *key), ""), scheme, problems)
            if problems:
                errors[key] = "; ".join(problems)
            per_pupil.setdefault(pupil_id, []).append(
                TargetInput(subject, "year", academic_year, by_pk.get(band), points)
            )
    return per_pupil, errors


class _Codes:
    """A scale's bands by code, as typed in the grid: "ot" is read as "OT" (a code that differs
    from another only in case is matched exactly first)."""

    def __init__(self, bands):
        self.exact = {band.code: band.pk for band in bands}
        self.upper = {}
        for band in bands:
            self.upper.setdefault(band.code.upper(), band.pk)
        self.listed = ", ".join(band.code for band in bands)

    def get(self, raw):
        return self.exact.get(raw, self.upper.get(raw.upper()))


def _band(raw, codes, problems, what):
    raw = str(raw).strip()
    if not raw:
        return None
    found = codes.get(raw)
    if found is None:
        problems.append(f"“{raw[:12]}” is not {what} band: type one of {codes.listed}")
    return found


def _points(raw, scheme, problems):
    raw = str(raw).strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        problems.append(f"“{raw[:12]}” is not a number")
        return None
    if not value.is_finite():
        problems.append("enter a number")
        return None
    if abs(value) >= 100000:
        problems.append("that number is too large")
        return None
    value = value.quantize(Decimal("0.1"))
    low, high = scheme.measure_min, scheme.measure_max
    if (low is not None and value < low) or (high is not None and value > high):
        problems.append(f"{scheme.measure_name or 'points'} must be between {_plain(low)} and {_plain(high)}")
        return None
    return value


def _plain(number):
    if number is None:
        return "any"
    return str(int(number)) if number == int(number) else str(number)


# -- the scheme editor ----------------------------------------------------------------------


class PointForm(forms.ModelForm):
    class Meta:
        model = AssessmentPoint
        fields = ["name", "starts_on"]
        labels = {"name": "Name", "starts_on": "Starts on"}
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SubjectForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = ["name", "is_core", "retired"]
        labels = {"is_core": "Core subject", "retired": "Retired"}


class BandForm(forms.ModelForm):
    class Meta:
        model = AttainmentBand
        fields = ["code", "label", "line_name"]
        labels = {"code": "Code (typed in the grid)", "label": "Label", "line_name": "Line from this band up"}


class ProgressBandForm(BandForm):
    class Meta(BandForm.Meta):
        model = ProgressBand


def _formset(model, form):
    return modelformset_factory(model, form=form, extra=1, can_delete=True, can_order=True)


PointFormSet = _formset(AssessmentPoint, PointForm)
SubjectFormSet = _formset(Subject, SubjectForm)
AttainmentBandFormSet = _formset(AttainmentBand, BandForm)
ProgressBandFormSet = _formset(ProgressBand, ProgressBandForm)


def formset_rows(formset):
    """The formset as SchemeRows in the order the SENCO numbered them, removals included."""
    deleted = [SchemeRow(form.instance, {}, delete=True) for form in formset.deleted_forms]
    kept = [
        SchemeRow(form.instance, {name: form.cleaned_data[name] for name in form._meta.fields})
        for form in formset.ordered_forms
        if form.instance.pk or form.has_changed()
    ]
    return deleted + kept


class PointPresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Points for the year",
        choices=[
            ("terms", "Three terms (Autumn, Spring, Summer)"),
            ("half-terms", "Six half terms (Autumn 1 to Summer 2)"),
        ],
    )

    def clean_preset(self):
        value = self.cleaned_data["preset"]
        assert value in POINT_PRESETS
        return value


class BandPresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Preset scale", choices=[(key, preset.label) for key, preset in BAND_PRESETS.items()]
    )


class SchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["measure_name", "measure_min", "measure_max", "expected_progress_per_year"]
        labels = {
            "measure_name": "Numeric measure",
            "measure_min": "Lowest value",
            "measure_max": "Highest value",
            "expected_progress_per_year": "Expected progress in a year",
        }
        help_texts = {
            "measure_name": "For example “APS points”, “Scaled score” (80 to 120) or “Steps”. "
            "Leave blank to record bands only."
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("measure_min"), cleaned.get("measure_max")
        if low is not None and high is not None and low >= high:
            self.add_error("measure_max", "The highest value must be above the lowest.")
        if (
            cleaned.get("expected_progress_per_year") is not None
            and cleaned["expected_progress_per_year"] < 0
        ):
            self.add_error("expected_progress_per_year", "Expected progress cannot be negative.")
        return cleaned


# -- targets and the support scale ----------------------------------------------------------


class TargetsForm(forms.Form):
    """End-of-year and end-of-key-stage targets for every active subject of one pupil: a band
    and/or points on the school's scale, or, in a subject where the pupil is assessed on another
    framework (`frameworks`: {subject id: Framework with its stages}), a value on it typed as in
    the grid ("PK5", "S2.3", "96", "8y 6m")."""

    KINDS = (("year", "end of year"), ("ks", "end of key stage"))

    def __init__(self, *args, subjects, bands, scheme, stored, years, frameworks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects, self.scheme, self.years = subjects, scheme, years
        self.frameworks = frameworks or {}
        self.stored = stored
        self.bands = {b.pk: b for b in bands}
        measure = scheme.measure_name or "Points"
        for subject in subjects:
            framework = self.frameworks.get(subject.pk)
            for kind, words in self.KINDS:
                target = stored.get((subject.pk, kind))
                if framework is not None:
                    if framework.kind != framework.Kind.ENGAGEMENT:
                        self.fields[f"{kind}-{subject.pk}-value"] = self._value_field(
                            subject, words, framework, target
                        )
                    continue
                on_scale = target if target and target.framework_id is None else None
                self.fields[f"{kind}-{subject.pk}-band"] = forms.TypedChoiceField(
                    label=f"{subject.name} {words} target band",
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")] + [(b.pk, f"{b.code} {b.label}") for b in bands],
                    initial=on_scale.attainment_id if on_scale else None,
                )
                self.fields[f"{kind}-{subject.pk}-points"] = forms.CharField(
                    label=f"{subject.name} {words} target {measure}",
                    required=False,
                    initial="" if not on_scale or on_scale.points is None else on_scale.points,
                )
        for name, form_field in self.fields.items():
            form_field.widget.attrs["class"] = (
                "form-select form-select-sm" if name.endswith("band") else ("form-control form-control-sm")
            )

    @staticmethod
    def _value_field(subject, words, framework, target):
        here = target is not None and target.framework_id == framework.pk
        field = forms.CharField(
            label=f"{subject.name} {words} target on {framework.name}",
            required=False,
            max_length=20,
            initial=show(framework, target.stage, target.step, target.score) if here else "",
        )
        if target is not None and not here:
            field.help_text = (
                f"The target set before ({_target_words(target)}) stays until a value is typed here."
            )
        return field

    def clean(self):
        cleaned = super().clean()
        for subject in self.subjects:
            framework = self.frameworks.get(subject.pk)
            for kind, _words in self.KINDS:
                if framework is not None:
                    name = f"{kind}-{subject.pk}-value"
                    if name not in self.fields:
                        continue
                    text = (cleaned.get(name) or "").strip()
                    try:
                        cleaned[name] = parse(framework, framework.stages.all(), text) if text else None
                    except NotOnFramework as problem:
                        cleaned[name] = None
                        self.add_error(name, f"{subject.name}: {problem}")
                    continue
                name = f"{kind}-{subject.pk}-points"
                problems = []
                cleaned[name] = _points(cleaned.get(name, ""), self.scheme, problems)
                if problems:
                    self.add_error(name, "; ".join(problems))
        return cleaned

    def rows(self):
        """(subject, framework or None, [(kind words, band field, points field, value field)])
        for the template; the fields a subject does not offer are None."""
        rows = []
        for subject in self.subjects:
            kinds = []
            for kind, words in self.KINDS:
                found = [
                    self[f"{kind}-{subject.pk}-{part}"]
                    if f"{kind}-{subject.pk}-{part}" in self.fields
                    else None
                    for part in ("band", "points", "value")
                ]
                kinds.append((words, *found))
            rows.append((subject, self.frameworks.get(subject.pk), kinds))
        return rows

    def targets(self):
        data = self.cleaned_data
        wanted = []
        for subject in self.subjects:
            framework = self.frameworks.get(subject.pk)
            for kind, _words in self.KINDS:
                if framework is None:
                    wanted.append(
                        TargetInput(
                            subject,
                            kind,
                            self.years[kind],
                            self.bands.get(data.get(f"{kind}-{subject.pk}-band")),
                            data.get(f"{kind}-{subject.pk}-points"),
                        )
                    )
                    continue
                if f"{kind}-{subject.pk}-value" not in self.fields:
                    continue  # the Engagement Model: no target value
                value = data.get(f"{kind}-{subject.pk}-value")
                stored = self.stored.get((subject.pk, kind))
                if value is None and (stored is None or stored.framework_id != framework.pk):
                    continue  # blank, and no target on this framework to remove: left as it is
                wanted.append(
                    TargetInput(subject, kind, self.years[kind], None, None, framework=framework, value=value)
                )
        return wanted


def _target_words(target):
    """A stored target as a reader sees it: "EX 24.0", "PK5 on Pre-key stage 2 standards"."""
    if target.framework_id:
        return f"{show(target.framework, target.stage, target.step, target.score)} on {target.framework.name}"
    parts = [target.attainment.code if target.attainment_id else "", str(target.points or "")]
    return " ".join(p for p in parts if p) + " on the school's scale"


class SupportObservationForm(forms.ModelForm):
    class Meta:
        model = SupportObservation
        fields = ["observed_on", "level", "subject", "context", "note"]
        labels = {"observed_on": "Date", "level": "Support scale", "subject": "Subject", "note": "Note"}
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "level": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects
        self.fields["subject"].empty_label = "— (a context instead)"
        self.fields["level"].choices = [
            (value, f"{label}: {SUPPORT_LEVEL_MEANING[value]}") for value, label in SupportLevel.choices
        ]
        self.fields["observed_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("subject") and not cleaned.get("context", "").strip():
            self.add_error("context", "Choose a subject or say where the pupil was observed.")
        day = cleaned.get("observed_on")
        if day and day > timezone.localdate():
            self.add_error("observed_on", "An observation cannot be dated in the future.")
        return cleaned
