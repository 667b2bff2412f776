from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from assessment.models import AssessmentPoint, Subject
from core.calendar import academic_year_label
from pupils.picker import PupilPickerField

from .models import Action, Intervention, InterventionPlace, InterventionRun, Priority
from .selectors import pupil_choices, staff_choices
from .services import INTERVENTION_FIELDS, PLACE_FIELDS, RUN_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label):
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("save", label))
    return helper


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class InterventionForm(forms.ModelForm):
    evidence_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="Evidence base link",
        help_text=Intervention.evidence_url.field.help_text,
    )

    class Meta:
        model = Intervention
        fields = INTERVENTION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "entry_criteria": forms.Textarea(attrs={"rows": 2}),
            "exit_criteria": forms.Textarea(attrs={"rows": 2}),
            "group_target": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("measure_min", "measure_max"):
            self.fields[name].widget.attrs["step"] = "0.1"
        self.fields["lead"] = UserChoiceField(
            queryset=staff_choices(school),
            required=False,
            label="Lead",
            help_text=Intervention.lead.field.help_text,
        )
        self.fields["subject"].queryset = Subject.objects.filter(school=school)
        self.helper = _helper("Save intervention")


class RunForm(forms.ModelForm):
    staff = UsersChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label="Staff who deliver it")
    pupils = PupilPickerField(required=False, label="Pupils in the group")

    class Meta:
        model = InterventionRun
        fields = RUN_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        school = membership.school
        self.fields["staff"].queryset = staff_choices(school)
        self.fields["pupils"].queryset = pupil_choices(membership)
        points = AssessmentPoint.objects.filter(school=school)
        self.fields["baseline_point"].queryset = points
        self.fields["review_point"].queryset = points
        if self.instance.pk:
            self.initial.setdefault("staff", list(self.instance.staff.all()))
            self.initial.setdefault("pupils", list(self.instance.pupils.all()))
        self.helper = _helper("Save run")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The run must end on or after the day it starts.")
        return cleaned


class PlaceForm(forms.ModelForm):
    exit_criteria_met = forms.NullBooleanField(
        required=False,
        widget=forms.NullBooleanSelect,
        label="Exit criteria met",
    )

    class Meta:
        model = InterventionPlace
        fields = PLACE_FIELDS
        widgets = {
            "entry_data": forms.Textarea(attrs={"rows": 2}),
            "progress_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        intervention = self.instance.run.intervention
        for name in ("baseline", "exit_score"):
            _score_field(self.fields[name], intervention)
        self.helper = _helper("Save")


def _score_field(field, intervention):
    """Say the measure's range beside a score field, and let the browser hint at it too. The
    range itself is checked by the form and by the model (Intervention.score_problem)."""
    if intervention.score_range:
        field.help_text = f"A score from {intervention.score_range}."
    if intervention.measure_min is not None:
        field.widget.attrs["min"] = str(intervention.measure_min)
    if intervention.measure_max is not None:
        field.widget.attrs["max"] = str(intervention.measure_max)


class CheckpointForm(forms.Form):
    week = forms.IntegerField(min_value=1, max_value=52, label="End of week")
    score = forms.DecimalField(max_digits=7, decimal_places=1, label="Score")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, intervention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        if intervention is not None:
            _score_field(self.fields["score"], intervention)

    def clean_score(self):
        score = self.cleaned_data["score"]
        problem = self.intervention.score_problem(score) if self.intervention else ""
        if problem:
            raise forms.ValidationError(problem)
        return score


class SessionForm(forms.Form):
    date = forms.DateField(widget=DATE_WIDGET)
    minutes = forms.IntegerField(min_value=1, max_value=300, label="Length (minutes)")
    present = forms.ModelMultipleChoiceField(
        queryset=InterventionPlace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Pupils present",
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = places
        self.fields["present"].label_from_instance = lambda place: place.pupil.full_name


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["title", "detail", "source"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 2}), "source": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        self.helper = _helper("Add priority")

    def clean_source(self):
        return self.cleaned_data.get("source") or Priority.Source.TYPED


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "success_criteria", "review_date", "phase", "status", "review"]
        widgets = {
            "review_date": DATE_WIDGET,
            "success_criteria": forms.Textarea(attrs={"rows": 2}),
            "review": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save action")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        coerce=int, label="Academic year", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, academic_year_label(y)) for y in years]
