"""Forms of the framework editor and of pupils' placements on frameworks (issue 22)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone

from . import frameworks
from .forms import YEAR_GROUP_CHOICES
from .models import Framework, FrameworkStage
from .services import FRAMEWORK_DEFAULT_RATES as DEFAULT_RATES

Kind = Framework.Kind
MAIN = "main"
MAIN_LABEL = "The school's scale (main scheme)"

# What each kind's form asks, and how its expected rate reads there.
KIND_FIELDS = {
    Kind.STANDARDS: ["name", "expected_per_year", "below_main"],
    Kind.STEPS: ["name", "expected_per_year", "below_main"],
    Kind.SCORE: ["name", "test_name", "value_min", "value_max", "expected_per_year", "below_main"],
    Kind.AGE: ["name", "test_name", "expected_per_year", "below_main"],
    Kind.ENGAGEMENT: ["name"],
}
RATE_LABELS = {
    Kind.STANDARDS: ("Standards expected a year", "One a year unless you change it."),
    Kind.STEPS: ("Steps expected a year", "How many steps a pupil is expected to gain in a year."),
    Kind.SCORE: (
        "Allowance (points a year)",
        "How far a score may fall in a year and still count as steady: a standardised score that "
        "holds steady shows progress at the typical rate for the pupil's age. 0 unless you change it.",
    ),
    Kind.AGE: ("Months expected a year", "12 is a month of age gained for each month that passes."),
}
TEST_HELP = "The test's name, as reports should give it (“NGRT”, “York Assessment of Reading”)."
_AGE_TEXT = re.compile(r"^\s*(\d{1,2})\s*(?:y\w*|[:.\-\s])?\s*(?:(\d{1,2})\s*m?\w*)?\s*$", re.I)


def _age_months(text, label):
    found = _AGE_TEXT.match(text or "")
    if not found or (found.group(2) and int(found.group(2)) > 11):
        raise forms.ValidationError(f"{label}: type years and months, such as 7y 6m.")
    return Decimal(int(found.group(1)) * 12 + int(found.group(2) or 0))


class FrameworkForm(forms.ModelForm):
    """A framework's name, test, expected rate and range: the fields its kind has."""

    lowest_age = forms.CharField(label="Lowest age", required=False, help_text="Such as 3y 0m.")
    highest_age = forms.CharField(label="Highest age", required=False, help_text="Such as 17y 0m.")
    bands = forms.CharField(
        label="Ratio-gain impact bands",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One band a line, lowest first: the lowest ratio gain of the band, then its words "
        "(“1.4 useful impact”). The ratio gain is months of age gained divided by months passed.",
    )

    class Meta:
        model = Framework
        fields = ["name", "test_name", "value_min", "value_max", "expected_per_year", "below_main"]
        labels = {"value_min": "Lowest score", "value_max": "Highest score"}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = KIND_FIELDS[kind] + (["lowest_age", "highest_age", "bands"] if kind == Kind.AGE else [])
        for name in [n for n in self.fields if n not in wanted]:
            del self.fields[name]
        if "expected_per_year" in self.fields:
            if self.instance.expected_per_year is None:
                self.initial["expected_per_year"] = DEFAULT_RATES[kind]
            label, help_text = RATE_LABELS[kind]
            self.fields["expected_per_year"].label = label
            self.fields["expected_per_year"].help_text = help_text
        if "test_name" in self.fields:
            self.fields["test_name"].help_text = TEST_HELP
        if kind == Kind.SCORE:
            low, high = frameworks.DEFAULT_RANGES[Kind.SCORE]
            self.fields["value_min"].help_text = f"{low} unless you change it."
            self.fields["value_max"].help_text = f"{high} unless you change it."
        if kind == Kind.AGE:
            self._ages()

    def _ages(self):
        """An age framework's range as ages, and its impact bands a line each."""
        self.order_fields(["name", "test_name", "lowest_age", "highest_age", "expected_per_year", "bands"])
        low, high = frameworks.value_range(self.instance if self.instance.pk else Framework(kind=self.kind))
        self.initial.setdefault("lowest_age", frameworks.show_age(low))
        self.initial.setdefault("highest_age", frameworks.show_age(high))
        bands = (self.instance.impact_bands if self.instance.pk else None) or frameworks.DEFAULT_IMPACT_BANDS
        self.initial.setdefault("bands", "\n".join(f"{lower} {words}" for lower, words in bands))

    def clean_bands(self):
        text = self.cleaned_data.get("bands", "")
        bands, previous = [], None
        for number, line in enumerate((text or "").splitlines(), 1):
            if not line.strip():
                continue
            lower, _sep, words = line.strip().partition(" ")
            try:
                value = Decimal(lower)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value < 0 or not words.strip():
                raise forms.ValidationError(
                    f"Line {number}, “{line.strip()}”: start with the band's lowest ratio gain, then its "
                    "words, such as “1.4 useful impact”."
                )
            if previous is not None and value <= previous:
                raise forms.ValidationError(
                    f"Line {number}: the bands go lowest first, each starting above the one before."
                )
            previous = value
            bands.append([float(value) if value != value.to_integral() else int(value), words.strip()])
        if not bands:
            raise forms.ValidationError("Give at least one band, such as “0 modest impact”.")
        return bands

    def clean(self):
        cleaned = super().clean()
        if self.kind == Kind.AGE:
            try:
                low = _age_months(cleaned.get("lowest_age"), "Lowest age")
                high = _age_months(cleaned.get("highest_age"), "Highest age")
            except forms.ValidationError as error:
                raise error from None
            cleaned["value_min"], cleaned["value_max"] = low, high
        low, high = cleaned.get("value_min"), cleaned.get("value_max")
        if low is not None and high is not None and low >= high:
            raise forms.ValidationError("The lowest value must be below the highest.")
        rate = cleaned.get("expected_per_year")
        if rate is not None and rate < 0:
            self.add_error("expected_per_year", "Give a number of 0 or more.")
        return cleaned

    def values(self):
        """The framework's fields to save, as the service takes them."""
        names = [n for n in KIND_FIELDS[self.kind]]
        values = {n: self.cleaned_data[n] for n in names}
        if self.kind == Kind.AGE:
            values["value_min"] = self.cleaned_data["value_min"]
            values["value_max"] = self.cleaned_data["value_max"]
            values["impact_bands"] = self.cleaned_data["bands"]
        return values


class StageForm(forms.ModelForm):
    class Meta:
        model = FrameworkStage
        fields = ["code", "name", "steps"]
        labels = {"code": "Code (typed in the grid)", "name": "Name", "steps": "Steps"}
        widgets = {
            "code": forms.TextInput(attrs={"class": "form-control form-control-sm w-auto", "size": 6}),
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm w-auto", "size": 22}),
            "steps": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        }


class StandardForm(StageForm):
    class Meta(StageForm.Meta):
        fields = ["code", "name"]


StageFormSet = modelformset_factory(FrameworkStage, form=StageForm, extra=1, can_delete=True, can_order=True)
StandardFormSet = modelformset_factory(
    FrameworkStage, form=StandardForm, extra=1, can_delete=True, can_order=True
)


class KitForm(forms.Form):
    kit = forms.ChoiceField(label="Framework", choices=[(name, name) for name in frameworks.PRE_KEY_STAGE])


def _framework_choices(choosable):
    return [(MAIN, MAIN_LABEL)] + [(str(f.pk), f"{f.name} ({f.get_kind_display()})") for f in choosable]


class _PlacementFields(forms.Form):
    framework = forms.ChoiceField(label="Assessed on")
    starts_on = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label="Note", required=False, max_length=200, help_text="Why, in a few words (optional)."
    )

    def __init__(self, *args, frameworks_in_use, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(f.pk): f for f in frameworks_in_use}
        self.fields["framework"].choices = _framework_choices(frameworks_in_use)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean_framework(self):
        value = self.cleaned_data["framework"]
        return None if value == MAIN else self.frameworks[value]

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        today = timezone.localdate()
        if day.year < today.year - 10 or day.year > today.year + 1:
            raise forms.ValidationError("Give a date within the last ten years or the next.")
        return day


class PlacementForm(_PlacementFields):
    """One pupil's framework in the subjects ticked from a date (a pupil working on pre-key stage
    standards is often placed on them in reading, writing and maths together)."""

    subject = forms.TypedMultipleChoiceField(
        label="Subjects", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    field_order = ["subject", "framework", "starts_on", "note"]

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = {s.pk: s for s in subjects}
        self.fields["subject"].choices = [(s.pk, s.name) for s in subjects]
        self.fields["subject"].error_messages["required"] = "Tick at least one subject."

    def clean_subject(self):
        """The subjects ticked, in the school's order."""
        ticked = set(self.cleaned_data["subject"])
        return [subject for pk, subject in self.subjects.items() if pk in ticked]


class PlaceChooserForm(forms.Form):
    """Whose placements to set: a class or a year group (as the grid chooses), and a subject."""

    school_class = forms.TypedChoiceField(label="Class", coerce=int, required=False, empty_value=None)
    year_group = forms.TypedChoiceField(
        label="Year group", required=False, coerce=int, empty_value=None, choices=YEAR_GROUP_CHOICES
    )
    subject = forms.TypedChoiceField(label="Subject", coerce=int)

    def __init__(self, *args, classes, subjects, year_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = {c.pk: c for c in classes}
        self.subjects = {s.pk: s for s in subjects}
        self.fields["school_class"].choices = [("", "Whole year group")] + [(c.pk, str(c)) for c in classes]
        self.fields["year_group"].choices = [("", "—"), *year_groups]
        self.fields["subject"].choices = [(s.pk, s.name) for s in subjects]
        for form_field in self.fields.values():
            form_field.widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("school_class") is None and cleaned.get("year_group") is None:
            raise forms.ValidationError("Choose a class or a year group.")
        cleaned["school_class"] = self.classes.get(cleaned.get("school_class"))
        cleaned["subject"] = self.subjects.get(cleaned.get("subject"))
        return cleaned


class BulkPlacementForm(_PlacementFields):
    """The pupils ticked, placed on one framework in the chooser's subject from a date."""

    pupils = forms.TypedMultipleChoiceField(label="Pupils", coerce=int)
    field_order = ["pupils", "framework", "starts_on", "note"]

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = {p.pk: p for p in pupils}
        self.fields["pupils"].choices = [(p.pk, p.full_name) for p in pupils]
        self.fields["pupils"].error_messages["required"] = "Tick at least one pupil to place."

    def clean_pupils(self):
        return [self.pupils[pk] for pk in self.cleaned_data["pupils"]]
