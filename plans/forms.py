import datetime

from django import forms
from django.utils import timezone

from .models import EhcPlan, EhcpReview, PupilPassport, SupportPlan, TargetScore
from .selectors import school_interventions
from .services import OutcomeInput, ScoreInput, TargetInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 3}
TERM = datetime.timedelta(weeks=13)  # plans are reviewed three times a year


class SupportPlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = [
            "starts_on",
            "review_date",
            "strengths",
            "needs",
            "pupil_voice",
            "parent_voice",
            "strategies",
        ]
        widgets = {
            "starts_on": DATE,
            "review_date": DATE,
            **{name: forms.Textarea(attrs=TEXT) for name in ("strengths", "needs", "pupil_voice")},
            "parent_voice": forms.Textarea(attrs=TEXT),
            "strategies": forms.Textarea(attrs=TEXT),
        }


class TargetForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.CharField(
        label="Outcome sought", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target = forms.CharField(
        label="Specific, measurable target", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    provision = forms.CharField(
        label="Provision that delivers it", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    intervention = forms.ModelChoiceField(queryset=None, required=False, label="Intervention")

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = school_interventions(school)

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        outcome, target = cleaned.get("outcome", "").strip(), cleaned.get("target", "").strip()
        if (outcome or cleaned.get("provision") or cleaned.get("intervention")) and not target:
            self.add_error("target", "Give each outcome a specific, measurable target.")
        if target and not outcome:
            self.add_error("outcome", "Say which outcome this target works towards.")
        return cleaned

    def as_input(self):
        data = self.cleaned_data
        if not data or not (data.get("outcome") or data.get("target")):
            if data.get("pk"):
                return TargetInput(outcome="", target="", pk=data["pk"], remove=True)
            return None
        return TargetInput(
            outcome=data["outcome"],
            target=data["target"],
            provision=data.get("provision", ""),
            intervention=data.get("intervention"),
            pk=data.get("pk"),
            remove=bool(data.get("DELETE")),
        )


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, school, **kwargs):
        self.school = school
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"school": self.school}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), school=self.school)
        self.add_fields(form, None)
        return form

    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data.get("target") and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError("A plan needs at least one target.")

    def inputs(self):
        return [row for row in (f.as_input() for f in self.forms) if row is not None]


TargetFormSet = forms.formset_factory(TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True)


def target_initial(plan):
    return [
        {
            "pk": t.pk,
            "outcome": t.outcome,
            "target": t.target,
            "provision": t.provision,
            "intervention": t.intervention_id,
        }
        for t in plan.targets.all()
    ]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of the review", widget=DATE)
    review_summary = forms.CharField(
        label="Review summary and next steps", widget=forms.Textarea(attrs=TEXT), required=False
    )
    next_review_date = forms.DateField(label="Review date of the next plan", widget=DATE)

    def __init__(self, *args, plan, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"reviewed_on": today, "next_review_date": today + TERM})
        super().__init__(*args, **kwargs)
        self.targets = list(plan.targets.all())
        for n, t in enumerate(self.targets, start=1):
            self.fields[f"score_{t.pk}"] = forms.TypedChoiceField(
                label=f"Score for target {n}",
                choices=[("", "Choose a score")] + TargetScore.choices,
                coerce=int,
            )
            self.fields[f"comment_{t.pk}"] = forms.CharField(
                label=f"Comment on target {n}", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def rows(self):
        return [(t, self[f"score_{t.pk}"], self[f"comment_{t.pk}"]) for t in self.targets]

    def scores(self):
        return {
            t.pk: ScoreInput(self.cleaned_data[f"score_{t.pk}"], self.cleaned_data[f"comment_{t.pk}"])
            for t in self.targets
        }


class PassportForm(forms.ModelForm):
    class Meta:
        model = PupilPassport
        fields = list(PupilPassport.SECTIONS)
        widgets = {name: forms.Textarea(attrs=TEXT) for name in PupilPassport.SECTIONS}
        help_texts = {
            "about_me": "In the pupil's own words, written with them.",
            "communicate": "For example: I use short sentences; I may point or use my symbol cards.",
        }

    def clean(self):
        cleaned = super().clean()
        if not any(str(cleaned.get(name, "")).strip() for name in PupilPassport.SECTIONS):
            raise forms.ValidationError("Write at least one section of the passport.")
        return cleaned


class EhcPlanForm(forms.ModelForm):
    class Meta:
        model = EhcPlan
        fields = ["plan_date", "local_authority"]
        widgets = {"plan_date": DATE}
        help_texts = {
            "plan_date": "The annual review falls due twelve months after this date or the last review."
        }


class OutcomeForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    provision = forms.CharField(label="Provision", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("provision", "").strip() and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", "Say which outcome this provision is for.")
        return cleaned

    def as_input(self):
        data = self.cleaned_data
        if not data.get("outcome", "").strip():
            return OutcomeInput(outcome="", pk=data["pk"], remove=True) if data.get("pk") else None
        return OutcomeInput(
            outcome=data["outcome"],
            provision=data.get("provision", ""),
            pk=data.get("pk"),
            remove=bool(data.get("DELETE")),
        )


class BaseOutcomeFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("outcome") and not f.cleaned_data.get("DELETE") for f in self.forms):
            raise forms.ValidationError("An EHC plan needs at least one outcome.")

    def inputs(self):
        return [row for row in (f.as_input() for f in self.forms) if row is not None]


OutcomeFormSet = forms.formset_factory(OutcomeForm, formset=BaseOutcomeFormSet, extra=2, can_delete=True)


def outcome_initial(plan):
    return [{"pk": o.pk, "outcome": o.outcome, "provision": o.provision} for o in plan.outcomes.all()]


class EhcpReviewForm(forms.ModelForm):
    class Meta:
        model = EhcpReview
        fields = ["meeting_date", "attendees", "pupil_views", "family_views", "recommended_changes"]
        widgets = {
            "meeting_date": DATE,
            **{
                name: forms.Textarea(attrs=TEXT)
                for name in ("attendees", "pupil_views", "family_views", "recommended_changes")
            },
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(plan.outcomes.all())
        for n, o in enumerate(self.outcomes, start=1):
            self.fields[f"progress_{o.pk}"] = forms.CharField(
                label=f"Progress towards outcome {n}", widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        return [(o, self[f"progress_{o.pk}"]) for o in self.outcomes]

    def progress(self):
        return {o.pk: self.cleaned_data[f"progress_{o.pk}"] for o in self.outcomes}

    def review_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
