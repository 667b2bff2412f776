"""Forms of the inspection pages: the scoped search that chooses the sampled pupils, and the SEN
information report's sections."""

from django import forms

from pupils.models import YEAR_GROUPS, SenStatus

from .information_report import SECTIONS

SECTION_MAX = 8000


class SampleSearchForm(forms.Form):
    """Search the pupils the reader may see, to add them to the sample. Every field is optional;
    anything unexpected is reported on the form, never an error page."""

    q = forms.CharField(label="Name or UPN", max_length=100, required=False)
    year_group = forms.TypedChoiceField(
        label="Year group",
        choices=[("", "Any year")] + list(YEAR_GROUPS),
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label="SEN status",
        choices=[("", "Any"), ("send", "On the SEND record")] + list(SenStatus.choices),
        required=False,
    )


class InformationReportForm(forms.Form):
    """One box per section of the SEN information report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.heading,
                help_text=f"Required by the SEND Regulations 2014, {section.source}."
                if section.source.startswith("Schedule")
                else f"Required by the {section.source}.",
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                max_length=SECTION_MAX,
            )

    def texts(self):
        return {section.key: self.cleaned_data.get(section.key, "") for section in SECTIONS}
