from django import forms
from django.core.exceptions import ValidationError

from pupils.models import Pupil
from pupils.picker import PupilPickerChoiceField, PupilPickerField

from .models import (
    Conversation,
    ConversationTarget,
    EvidenceItem,
    Judgement,
    OfstedPrompt,
    PartTwoQuestion,
    Scale,
    Source,
    Survey,
)
from .uploads import ALLOWED_TEXT, max_bytes, size_text

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvidenceForm(forms.ModelForm):
    pupils = PupilPickerField(
        required=False,
        help_text="Leave none chosen for a school-wide item (SENCO only).",
    )
    questions = forms.ModelMultipleChoiceField(
        queryset=PartTwoQuestion.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Part Two questions it speaks to",
    )
    prompts = forms.ModelMultipleChoiceField(
        queryset=OfstedPrompt.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Ofsted prompts (Appendix A) it speaks to",
    )

    class Meta:
        model = EvidenceItem
        fields = [
            "source",
            "date",
            "summary",
            "judgement",
            "pupils",
            "group",
            "questions",
            "prompts",
            "attachment",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "judgement": forms.RadioSelect,
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = Pupil.objects.for_membership(membership)
        self.fields[
            "attachment"
        ].help_text = f"Optional. A {ALLOWED_TEXT} file of at most {size_text(max_bytes())}."
        self.fields["attachment"].widget = forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.txt"}
        )
        if self.instance.pk:
            self.fields["remove_attachment"] = forms.BooleanField(
                required=False, label="Remove the attached file"
            )


class EvidenceFilterForm(forms.Form):
    source = forms.ChoiceField(choices=[("", "Any source"), *Source.choices], required=False)
    judgement = forms.ChoiceField(choices=[("", "Any judgement"), *Judgement.choices], required=False)
    question = forms.ModelChoiceField(
        queryset=PartTwoQuestion.objects.all(), required=False, empty_label="Any question"
    )
    prompt = forms.ModelChoiceField(
        queryset=OfstedPrompt.objects.all(), required=False, empty_label="Any prompt"
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Academic year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *years]
        for name in ("question", "prompt"):
            # The choices as a list read with one plain query: a ModelChoiceField iterates its
            # queryset with iterator(), a server-side cursor on PostgreSQL (three statements),
            # for a list of a few dozen. The options' values and labels are the same.
            field = self.fields[name]
            field.choices = [
                ("", field.empty_label),
                *((obj.pk, field.label_from_instance(obj)) for obj in field.queryset),
            ]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Academic year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years


class ConclusionForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Academic year", widget=forms.HiddenInput)
    text = forms.CharField(
        label="The SENCO's conclusion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Governors read this conclusion: name no pupil in it.",
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years


class ConversationForm(forms.ModelForm):
    curricular_target = forms.CharField(
        max_length=300, label="Agreed curricular target", help_text="For example: read 100 Year 2 words."
    )
    wider_target = forms.CharField(
        max_length=300,
        label="Agreed personal (wider outcome) target",
        help_text="For example: join the drumming club and attend every week.",
    )

    class Meta:
        model = Conversation
        fields = [
            "date",
            "attended",
            "led_by",
            "barriers",
            "what_has_worked",
            "aspirations",
            "curricular_target",
            "wider_target",
            "next_steps",
            "review_date",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "review_date": DATE_WIDGET,
            "barriers": forms.Textarea(attrs={"rows": 3}),
            "what_has_worked": forms.Textarea(attrs={"rows": 3}),
            "aspirations": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pupils=None, **kwargs):
        """`pupils`: the pupils the user may record a conversation about, when the pupil is chosen
        on the form (the picker comes first); None when the page is already about one pupil."""
        super().__init__(*args, **kwargs)
        if pupils is not None:
            self.fields = {
                "pupil": PupilPickerChoiceField(
                    queryset=pupils,
                    label="Pupil",
                    help_text="The pupil whose family the conversation was with.",
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("review_date") and data["review_date"] < data["date"]:
            self.add_error("review_date", "The review date cannot be before the conversation.")
        return data


class ConversationReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DATE_WIDGET)

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self.targets = list(conversation.targets.all())
        for target in self.targets:
            self.fields[f"outcome_{target.pk}"] = forms.ChoiceField(
                choices=ConversationTarget.Outcome.choices,
                required=False,
                label=f"{target.get_kind_display()}: {target.text}",
                initial=target.outcome,
            )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                max_length=300, required=False, label="What happened", initial=target.outcome_note
            )

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day < self.conversation.date:
            raise ValidationError("The review cannot be before the conversation.")
        return day

    def outcomes(self):
        return {
            t.pk: (self.cleaned_data[f"outcome_{t.pk}"], self.cleaned_data[f"note_{t.pk}"].strip())
            for t in self.targets
        }


class SurveyForm(forms.ModelForm):
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One question a line, for example: How confident are you in taking steps to support "
        "a pupil's increasing independence?",
    )

    class Meta:
        model = Survey
        fields = ["kind", "title", "description", "questions"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_questions(self):
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError("Write at least one question.")
        too_long = [n for n, line in enumerate(lines, 1) if len(line) > 300]
        if too_long:
            raise ValidationError(f"Question {too_long[0]} is longer than 300 characters.")
        return lines


class SurveyRoundForm(forms.Form):
    date = forms.DateField(widget=DATE_WIDGET)
    label = forms.CharField(max_length=60, help_text="For example: Baseline, or After training.")

    def __init__(self, *args, survey, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.grid = []
        for question in questions:
            names = []
            for answer, label in Scale.choices:
                name = f"q{question.pk}_a{answer}"
                self.fields[name] = forms.IntegerField(
                    min_value=0, max_value=100000, required=False, label=f"{label}: {question.text}"
                )
                names.append(name)
            self.grid.append((question, names))

    def counts(self):
        return {
            (q.pk, answer): self.cleaned_data.get(f"q{q.pk}_a{answer}") or 0
            for q in self.questions
            for answer in Scale.values
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not any(self.counts().values()):
            raise ValidationError("Enter how many people gave each answer.")
        return data

    def grid_rows(self):
        return [(q, [self[name] for name in names]) for q, names in self.grid]
