from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms

from . import reading
from .models import ImportKind

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportKind.choices,
        initial=ImportKind.PUPILS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File to check",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file is empty: there is nothing to import.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A .csv or .xlsx file of at most {reading.size_text(reading.max_bytes())}. "
            "Nothing is stored until you have seen the preview and confirmed it."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("kind", "file", Submit("check", "Check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = reading.file_problem(upload.name, upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload
