from django import forms

from .frameworks import Framework, Safeguarding, grade_choices, sections_for
from .models import CaseStudy, PromptStatus
from .services import EDITABLE_FIELDS


class SefForm(forms.Form):
    """The SENCO's narrative, one box per section of the framework the year's SEF is written
    against, and the school's best-fit grade on that framework's scale (under the renewed
    framework, the grade for inclusion and whether safeguarding is met)."""

    grade = forms.TypedChoiceField(label="Best-fit grade", coerce=int, empty_value=None, required=False)
    grade_rationale = forms.CharField(
        label="Rationale for the grade",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=6000,
    )
    safeguarding = forms.ChoiceField(label="Safeguarding", choices=Safeguarding.choices, required=False)

    def __init__(self, *args, framework=Framework.EIF_2019, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.sections = sections_for(framework)
        self.fields["grade"].choices = [("", "Not chosen yet")] + grade_choices(framework)
        if framework == Framework.RENEWED:
            self.fields["grade"].label = "Best-fit grade for inclusion"
        else:
            del self.fields["safeguarding"]
        for key, title in self.sections:
            self.fields[f"narrative_{key}"] = forms.CharField(
                label=title, widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
            )

    @classmethod
    def initial_from(cls, report):
        initial = {
            f"narrative_{key}": report.narrative.get(key, "")
            for key, _ in sections_for(report.chosen_framework)
        }
        initial.update(
            grade=report.grade, grade_rationale=report.grade_rationale, safeguarding=report.safeguarding
        )
        return initial

    def narrative(self):
        return {key: self.cleaned_data.get(f"narrative_{key}", "") for key, _ in self.sections}

    def safeguarding_value(self):
        return self.cleaned_data.get("safeguarding") if "safeguarding" in self.fields else None

    def section_fields(self):
        return [(key, self[f"narrative_{key}"]) for key, _ in self.sections]


class FrameworkForm(forms.Form):
    framework = forms.ChoiceField(
        label="Write this year's SEF against",
        choices=Framework.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PromptsForm(forms.Form):
    """A response and a status for each of the thirteen prompts."""

    def __init__(self, *args, prompts, **kwargs):
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        for prompt in prompts:
            self.fields[f"response_{prompt.number}"] = forms.CharField(
                label=f"Response to prompt {prompt.number}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=6000,
                initial=prompt.response,
            )
            self.fields[f"status_{prompt.number}"] = forms.ChoiceField(
                label=f"Status of prompt {prompt.number}", choices=PromptStatus.choices, initial=prompt.status
            )

    def rows(self):
        return [(p, self[f"response_{p.number}"], self[f"status_{p.number}"]) for p in self.prompts]

    def entries(self):
        return {
            p.number: (self.cleaned_data[f"response_{p.number}"], self.cleaned_data[f"status_{p.number}"])
            for p in self.prompts
        }


class CaseStudyForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = EDITABLE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in EDITABLE_FIELDS if name != "pupil_label"
        }
