from django import forms

from .models import CaseStudy, Grade, PromptStatus
from .sef import SECTIONS
from .services import EDITABLE_FIELDS


class SefForm(forms.Form):
    """The SENCO's narrative, one box per section, and the school's best-fit grade."""

    grade = forms.TypedChoiceField(
        label="Best-fit grade",
        choices=[("", "Not chosen yet")] + Grade.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    grade_rationale = forms.CharField(
        label="Rationale for the grade",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=6000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in SECTIONS:
            self.fields[f"narrative_{key}"] = forms.CharField(
                label=title, widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
            )

    @classmethod
    def initial_from(cls, report):
        initial = {f"narrative_{key}": report.narrative.get(key, "") for key, _ in SECTIONS}
        initial.update(grade=report.grade, grade_rationale=report.grade_rationale)
        return initial

    def narrative(self):
        return {key: self.cleaned_data.get(f"narrative_{key}", "") for key, _ in SECTIONS}

    def section_fields(self):
        return [self[f"narrative_{key}"] for key, _ in SECTIONS]


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
