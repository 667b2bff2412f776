"""Forms of the Engagement Model observations and the statutory outcomes (assessment.engagement)."""

from django import forms
from django.utils import timezone

from core.calendar import academic_year_label, current_academic_year

from .engagement import KS1, KS2, SUBJECTS, WrongOutcome, outcome_check
from .models import EngagementObservation, Established


class ObservationForm(forms.ModelForm):
    class Meta:
        model = EngagementObservation
        fields = ["observed_on", "area", "established", "note", "outcome"]
        labels = {"observed_on": "Date observed", "established": "How established"}
        help_texts = {
            "area": "One of the model's five areas. They are not steps: "
            "a pupil may show more in one than another.",
            "established": "How established the pupil's engagement in this area was, for this pupil.",
        }
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "established": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pupil, **kwargs):
        self.pupil = pupil
        super().__init__(*args, **kwargs)
        self.fields["established"].choices = Established.choices  # no blank radio button
        if not self.initial.get("observed_on"):
            self.initial["observed_on"] = timezone.localdate()

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("An observation cannot be dated in the future.")
        if self.pupil.date_of_birth and day < self.pupil.date_of_birth:
            raise forms.ValidationError("That date is before the pupil was born.")
        return day


def _years():
    now = current_academic_year()
    return [("", "—")] + [(str(y), academic_year_label(y)) for y in range(now, now - 9, -1)]


class OutcomesForm(forms.Form):
    """The outcome reported in each statutory subject at the end of each key stage, for a pupil
    working below the tests. Fields `ks1_year`, `ks1_reading`... `ks2_maths`."""

    def __init__(self, *args, stored=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = []
        for key_stage in (KS1, KS2):
            prefix = f"ks{int(key_stage)}"
            self.fields[f"{prefix}_year"] = forms.TypedChoiceField(
                label="Academic year", choices=_years(), coerce=int, empty_value=None, required=False
            )
            for subject, label in SUBJECTS.items():
                self.fields[f"{prefix}_{subject}"] = forms.CharField(
                    label=label, max_length=12, required=False, widget=forms.TextInput(attrs={"size": 5})
                )
            self.stages.append((key_stage, prefix))
        for row in stored:
            prefix = f"ks{row.key_stage}"
            self.initial[f"{prefix}_year"] = str(row.academic_year)
            self.initial[f"{prefix}_{row.subject}"] = row.outcome
            year_choices = dict(self.fields[f"{prefix}_year"].choices)
            if str(row.academic_year) not in year_choices:
                self.fields[f"{prefix}_year"].choices += [
                    (str(row.academic_year), academic_year_label(row.academic_year))
                ]

    def sections(self):
        """(heading, year field, subject fields) per key stage, for the template."""
        return [
            (
                f"End of key stage {int(ks)}",
                self[f"{prefix}_year"],
                [self[f"{prefix}_{s}"] for s in SUBJECTS],
            )
            for ks, prefix in self.stages
        ]

    def clean(self):
        data = super().clean()
        outcomes = {}
        for key_stage, prefix in self.stages:
            year = data.get(f"{prefix}_year")
            any_code = False
            for subject in SUBJECTS:
                name = f"{prefix}_{subject}"
                text = (data.get(name) or "").strip()
                code = ""
                if text:
                    any_code = True
                    try:
                        code = outcome_check(key_stage, subject, text)
                    except WrongOutcome as wrong:
                        self.add_error(name, str(wrong))
                        continue
                outcomes[(int(key_stage), subject)] = code
            if any_code and year is None:
                self.add_error(
                    f"{prefix}_year", f"Say in which academic year key stage {int(key_stage)} ended."
                )
            for subject in SUBJECTS:
                key = (int(key_stage), subject)
                if key in outcomes:
                    outcomes[key] = (year, outcomes[key])
        data["outcomes"] = outcomes
        return data
