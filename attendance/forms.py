import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from core.calendar import Term

from .models import Attendance, BehaviourCount, Exclusion, Participation
from .selectors import GRID_FIELDS, academic_year_choices

SESSION_HELP = "Two sessions a day: morning and afternoon."


class _Form(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", self.submit_label))


class _TermForm(_Form):
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = academic_year_choices()
        if self.instance.pk and self.instance.academic_year not in dict(choices):
            choices.append((self.instance.academic_year, str(self.instance.academic_year)))
        self.fields["academic_year"].choices = choices


class AttendanceForm(_TermForm):
    class Meta:
        model = Attendance
        fields = [
            "academic_year",
            "term",
            "possible_sessions",
            "attended_sessions",
            "authorised_absence",
            "unauthorised_absence",
        ]
        labels = {
            "possible_sessions": "Possible sessions",
            "attended_sessions": "Sessions attended",
            "authorised_absence": "Authorised absence (sessions)",
            "unauthorised_absence": "Unauthorised absence (sessions)",
        }
        help_texts = {"possible_sessions": SESSION_HELP}


class BehaviourForm(_TermForm):
    class Meta:
        model = BehaviourCount
        fields = ["academic_year", "term", "incidents"]
        labels = {"incidents": "Behaviour incidents in the term"}


class ExclusionForm(_Form):
    class Meta:
        model = Exclusion
        fields = ["kind", "start_date", "days", "reason"]
        labels = {"kind": "Kind", "start_date": "First day", "days": "School days"}
        help_texts = {"days": "Half days are allowed, for example 0.5 for a lunchtime suspension."}
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ParticipationForm(_Form):
    class Meta:
        model = Participation
        fields = ["kind", "activity", "date"]
        labels = {"kind": "Kind", "activity": "Club, trip or visit"}
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class GridChoiceForm(forms.Form):
    """Which term, and which class or year group, the entry grid shows. Bad values fall back to
    the defaults rather than failing."""

    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int, choices=())
    term = forms.TypedChoiceField(label="Term", coerce=int, choices=Term.choices)
    group = forms.ChoiceField(label="Class or year group", choices=())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = academic_year_choices()
        self.fields["group"].choices = groups


class GridRowForm(forms.Form):
    """One pupil's row of the grid; a row left wholly blank is skipped."""

    possible_sessions = forms.IntegerField(label="Possible", min_value=1, max_value=999, required=False)
    attended_sessions = forms.IntegerField(label="Attended", min_value=0, max_value=999, required=False)
    authorised_absence = forms.IntegerField(label="Authorised", min_value=0, max_value=999, required=False)
    unauthorised_absence = forms.IntegerField(
        label="Unauthorised", min_value=0, max_value=999, required=False
    )
    loaded_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_loaded_at(self):
        value = self.cleaned_data["loaded_at"]
        if not value:
            return None
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("The page was changed: reload it.") from None

    def clean(self):
        data = super().clean()
        filled = [data.get(name) for name in GRID_FIELDS]
        if all(value is None for value in filled):
            data["blank"] = True
            return data
        data["blank"] = False
        if data.get("possible_sessions") is None:
            self.add_error("possible_sessions", "Give the possible sessions.")
        if data.get("attended_sessions") is None:
            self.add_error("attended_sessions", "Give the sessions attended.")
        for name in ("authorised_absence", "unauthorised_absence"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        if not self.errors:
            counted = data["attended_sessions"] + data["authorised_absence"] + data["unauthorised_absence"]
            if counted > data["possible_sessions"]:
                raise forms.ValidationError(
                    f"Attended and absent sessions add up to {counted}, more than the "
                    f"{data['possible_sessions']} possible."
                )
        return data
