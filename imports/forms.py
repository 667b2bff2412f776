from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.validators import RegexValidator

from pupils.models import YEAR_GROUPS, year_groups_of

from . import ctf, reading
from .models import ImportKind

ACCEPT = (
    ".csv,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/xml,text/xml"
)


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
            f"A .csv or .xlsx file of at most {reading.size_text(reading.max_bytes())}, or a Common "
            f"Transfer File (.xml) of at most {reading.size_text(ctf.max_bytes())}. "
            "Nothing is stored until you have seen the preview and confirmed it."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("kind", "file", Submit("check", "Check the file"))

    def clean(self):
        """An .xml file is a Common Transfer File whichever kind is ticked; the other kinds are
        CSV or Excel, and a CTF is an .xml file."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if PurePath(upload.name or "").suffix.lower() == ".xml":
            cleaned["kind"] = ImportKind.CTF
        if cleaned.get("kind") == ImportKind.CTF:
            problem = ctf.ctf_file_problem(upload.name, upload.size)
        else:
            problem = reading.file_problem(upload.name, upload.size)
        if problem:
            self.add_error("file", problem)
        return cleaned


LA_CODE = RegexValidator(r"^([0-9]{3}|MMM|XXX)$", "Three digits (MMM if not known, XXX if abroad).")
ESTAB = RegexValidator(r"^([0-9]{4}|MMMM|XXXX)$", "Four digits (MMMM if not known, XXXX if abroad).")


class CtfExportForm(forms.Form):
    """Which pupils leave, and where to. The source is this school's DfE number (LA and
    establishment), which sendtrack does not otherwise hold: it is filled in from the last export."""

    pupils = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Pupils who are leaving",
    )
    year_group = forms.TypedChoiceField(
        label="Or a whole year group (a move to secondary school)",
        choices=[("", "—")] + YEAR_GROUPS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    source_la = forms.CharField(label="This school's LA number", max_length=3, validators=[LA_CODE])
    source_estab = forms.CharField(
        label="This school's establishment number", max_length=4, validators=[ESTAB]
    )
    dest_la = forms.CharField(label="Destination LA number", max_length=3, validators=[LA_CODE])
    dest_estab = forms.CharField(label="Destination establishment number", max_length=4, validators=[ESTAB])
    dest_name = forms.CharField(label="Destination school's name", max_length=200, required=False)

    def __init__(self, *args, pupils, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_pupils = pupils
        self.fields["year_group"].choices = [("", "—"), *year_groups_of(school)]
        self.fields["pupils"].queryset = pupils
        self.fields["pupils"].label_from_instance = lambda p: (
            f"{p.legal_surname}, {p.forename} ({p.get_year_group_display()}, {p.upn})"
        )

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("pupils") or [])
        if cleaned.get("year_group") is not None:
            chosen += list(self.all_pupils.filter(year_group=cleaned["year_group"]))
        unique = {p.pk: p for p in chosen}
        if not unique and not self.errors:
            raise forms.ValidationError("Choose the pupils who are leaving, or a year group.")
        cleaned["chosen"] = sorted(unique.values(), key=lambda p: (p.legal_surname, p.legal_forename))
        return cleaned
