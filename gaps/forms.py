from django import forms

from .cohort import QuickSelect
from .grids import choose_subjects, subject_choices
from .models import NationalComparator

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class FindingForm(forms.Form):
    academic_year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Finding",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Write the finding before saving it."},
    )


class SubjectForm(forms.Form):
    """Question C's choice of subjects, beside the cohort filter (templates/gaps/_frame.html):
    the core subjects, all of them, or one (gaps.grids.subject_choices). A choice not on offer
    shows the default with a message (`problem`), never an error page."""

    subjects = forms.ChoiceField(label="Subjects", required=False, widget=QuickSelect)

    def __init__(self, data, *, scheme):
        self.choice, self.problem = choose_subjects(scheme, (data or {}).get("subjects", ""))
        # Bound to the choice made, so the form shows what the page shows.
        super().__init__({"subjects": self.choice.key}, auto_id="id_cohort_%s")
        choices = subject_choices(scheme).values()
        self.fields["subjects"].choices = [(c.key, c.name) for c in choices]
        self.fields["subjects"].widget.attrs["class"] = "form-select form-select-sm"


class ComparatorUploadForm(forms.Form):
    file = forms.FileField(
        label="DfE key stage 2 pupil characteristics file (CSV, as downloaded)",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; the DfE file is about 1 MB.")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose the CSV file as published by the DfE (it ends in .csv).")
        return upload


class ComparatorForm(forms.ModelForm):
    class Meta:
        model = NationalComparator
        fields = ["numerator", "denominator", "value"]
        labels = {
            "numerator": "Pupils meeting the standard",
            "denominator": "Eligible pupils",
            "value": "Average (progress score)",
        }
        help_texts = {"numerator": "Leave blank when the figure was not published."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        num, den = data.get("numerator"), data.get("denominator")
        if (num is None) != (den is None):
            raise forms.ValidationError("Give both counts, or neither.")
        if num is not None and den is not None and num > den:
            raise forms.ValidationError("More pupils meet the standard than are eligible.")
        return data
