"""Report pages. Each parses its input, calls one selector or service, and renders a document
through reports.documents.render_document (HTML, or the PDF with ?format=pdf)."""

from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import policy
from core.documents import render_document
from jobs import runner
from pupils.access import access_pupil
from schools.access import membership_required

from . import selectors, services, tasks
from .forms import CaseStudyForm, FrameworkForm, PromptsForm, SefForm
from .frameworks import Framework, descriptors_caption, grade_label, judgement_words
from .models import Safeguarding
from .sef import sef_charts, sef_figures


def _year(request):
    return selectors.parse_academic_year(request.GET.get("year") or request.POST.get("year"))


@membership_required("school.view")
def index(request):
    membership = request.membership
    year = _year(request)
    context = {
        "year": year,
        "years": selectors.academic_year_choices(),
        "year_label": selectors.academic_year_label(year),
        "sign_offs": selectors.sign_offs_for(membership),
        "state": selectors.sign_off_state(membership, year),
        "sees_full": policy.can(membership, "sef.view_full"),
        "can_edit": policy.can(membership, "sef.edit"),
        "can_sign_off": policy.can(membership, "sef.sign_off"),
        "report": selectors.sef_report_for(membership.school, year),
    }
    context["framework"] = Framework(context["report"].chosen_framework)
    context["framework_form"] = FrameworkForm(initial={"framework": context["framework"]})
    return render(request, "reports/index.html", context)


@require_POST
@membership_required("sef.edit")
def sef_framework(request):
    year = _year(request)
    form = FrameworkForm(request.POST)
    if form.is_valid():
        services.sef_framework_set(
            school=request.membership.school,
            academic_year=year,
            framework=form.cleaned_data["framework"],
            by=request.user,
        )
        label = Framework(form.cleaned_data["framework"]).label
        messages.success(
            request, f"This year's SEF is now written against the {label[0].lower()}{label[1:]}."
        )
    else:
        messages.error(request, "Choose one of the two frameworks.")
    return redirect(f"{reverse('reports:index')}?year={year}")


def _sef_document(
    request, *, figures, narrative, grade, rationale, sign_off=None, state=None, title, safeguarding=""
):
    charts = sef_charts(figures)
    context = {
        "figures": figures,
        "charts": charts,
        "measure_charts": [(m, charts.get(m.key)) for m in figures.attainment.measures],
        "sections": [(key, label, (narrative or {}).get(key, "")) for key, label in figures.sections],
        "numbers": {key: n for n, (key, _) in enumerate(figures.sections, start=1)},
        "narrative": narrative or {},
        "grade": grade_label(figures.framework, grade),
        "grade_rationale": rationale,
        "safeguarding": Safeguarding(safeguarding or "").label if figures.renewed else "",
        "judgement_words": judgement_words(figures.framework),
        "descriptors_caption": descriptors_caption(figures.framework),
        "descriptors": selectors.grade_descriptors(figures.framework),
        "sign_off": sign_off,
        "state": state,
        # The version whose signature the document prints: the copy shown, or the year's current one.
        "signed": sign_off or (state.current if state else None),
        "sees_full": policy.can(request.membership, "sef.view_full"),
        "can_sign_off": policy.can(request.membership, "sef.sign_off"),
        "can_edit": policy.can(request.membership, "sef.edit") and sign_off is None,
        "year": figures.academic_year,
    }
    return render_document(request, "reports/sef.html", context, title=title, anonymised=figures.anonymised)


def _live_sef(request, *, anonymised):
    school, year = request.membership.school, _year(request)
    state = selectors.sign_off_state(request.membership, year)
    report = state.report
    # The framework from the report just read, as sef_figures would read it again (one query less).
    figures = sef_figures(school, year, anonymised=anonymised, framework=report.chosen_framework)
    title = f"SEND self-evaluation summary {figures.year_label}"
    return _sef_document(
        request,
        figures=figures,
        narrative=report.narrative,
        grade=report.grade,
        rationale=report.grade_rationale,
        state=state,
        safeguarding=report.safeguarding,
        title=title + (" (governor version)" if anonymised else ""),
    )


@membership_required("sef.view_full")
def sef(request):
    return _live_sef(request, anonymised=False)


@membership_required("sef.view")
def sef_governor(request):
    return _live_sef(request, anonymised=True)


@membership_required("sef.edit")
def sef_edit(request):
    school, year = request.membership.school, _year(request)
    report = selectors.sef_report_for(school, year)
    framework = report.chosen_framework
    form = SefForm(request.POST or None, initial=SefForm.initial_from(report), framework=framework)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sef_report_save(
                    school=school,
                    academic_year=year,
                    narrative=form.narrative(),
                    grade=form.cleaned_data["grade"],
                    grade_rationale=form.cleaned_data["grade_rationale"],
                    safeguarding=form.safeguarding_value(),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The SEF narrative was saved.")
                return redirect(f"{reverse('reports:sef')}?year={year}")
        status = 400
    figures = sef_figures(school, year, anonymised=False, framework=framework)
    context = {
        "form": form,
        "year": year,
        "figures": figures,
        "descriptors": selectors.grade_descriptors(framework),
        "framework": Framework(framework),
    }
    return render(request, "reports/sef_edit.html", context, status=status)


@membership_required("sef.sign_off")
def sef_sign_off(request):
    """Signing off, in two steps that work without JavaScript: a GET (or a POST without
    `confirmed`, as from an old form) shows what is about to be signed and by whom; the POST from
    that page signs it, keeping a snapshot, and opens the signed copy."""
    membership, year = request.membership, _year(request)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            signed = services.sef_sign_off(membership=membership, academic_year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "You signed off the SEF summary. This signed copy keeps its figures as they are today.",
            )
            return redirect("reports:sign_off", pk=signed.pk)
    context = {
        "year": year,
        "year_label": selectors.academic_year_label(year),
        "state": selectors.sign_off_state(membership, year),
        "signer": request.user.get_full_name() or request.user.get_username(),
    }
    return render(request, "reports/sign_off_confirm.html", context)


def _signed_sef(request, pk, *, anonymised):
    sign_off = selectors.sign_off_for(request.membership, pk)
    figures = selectors.sign_off_figures(sign_off, anonymised=anonymised)
    title = f"SEND self-evaluation summary {figures.year_label}" + (
        " (governor version)" if anonymised else ""
    )
    return _sef_document(
        request,
        figures=figures,
        narrative=sign_off.narrative,
        grade=sign_off.grade,
        rationale=sign_off.grade_rationale,
        safeguarding=sign_off.safeguarding,
        sign_off=sign_off,
        state=None
        if sign_off.is_current
        else selectors.sign_off_state(request.membership, sign_off.academic_year),
        title=title,
    )


@membership_required("sef.view_full")
def sign_off(request, pk):
    return _signed_sef(request, pk, anonymised=False)


@membership_required("sef.view")
def sign_off_governor(request, pk):
    return _signed_sef(request, pk, anonymised=True)


@membership_required("prompts.view")
def prompts(request):
    school, year = request.membership.school, _year(request)
    report = selectors.sef_report_for(school, year)
    framework = report.chosen_framework
    context = {
        "year": year,
        "framework": Framework(framework),
        "renewed": framework == Framework.RENEWED,
        "prompts": selectors.judgement_prompts(request.membership, year),
        "descriptors": selectors.grade_descriptors(framework),
        "descriptors_caption": descriptors_caption(framework),
        "grade": grade_label(framework, report.grade),
        "grade_rationale": report.grade_rationale,
        "can_edit": policy.can(request.membership, "prompts.edit"),
    }
    if framework == Framework.RENEWED:
        title = f"Judgement prompts, renewed framework {selectors.academic_year_label(year)}"
    else:
        title = f"Ofsted-style judgement prompts {selectors.academic_year_label(year)}"
    return render_document(request, "reports/prompts.html", context, title=title)


@membership_required("prompts.edit")
def prompts_edit(request):
    school, year = request.membership.school, _year(request)
    framework = selectors.framework_for(school, year)
    form = PromptsForm(request.POST or None, prompts=selectors.judgement_prompts(request.membership, year))
    if request.method == "POST":
        if form.is_valid():
            services.prompt_responses_save(
                school=school,
                academic_year=year,
                entries=form.entries(),
                by=request.user,
                framework=framework,
            )
            messages.success(request, "The responses were saved.")
            return redirect(f"{reverse('reports:prompts')}?year={year}")
        return render(request, "reports/prompts_edit.html", {"form": form, "year": year}, status=400)
    return render(request, "reports/prompts_edit.html", {"form": form, "year": year})


@membership_required("case_study.view")
def case_studies(request):
    membership = request.membership
    context = {
        "case_studies": selectors.case_studies_for(membership),
        "candidates": selectors.case_study_candidates(membership)
        if policy.can(membership, "case_study.edit")
        else [],
        "can_edit": policy.can(membership, "case_study.edit"),
    }
    return render(request, "reports/case_studies.html", context)


@require_POST
@membership_required("case_study.edit")
def case_study_create(request, pk):
    pupil = access_pupil(request.membership, pk, action="case_study.edit")
    case_study = services.case_study_create(pupil=pupil, by=request.user)
    return redirect("reports:case_study_edit", pk=case_study.pk)


@membership_required("case_study.view")
def case_study(request, pk):
    study = selectors.case_study_for(request.membership, pk)
    context = {
        "study": study,
        "figures": selectors.case_study_figures(study),
        "can_edit": policy.can(request.membership, "case_study.edit"),
    }
    return render_document(
        request, "reports/case_study.html", context, title=f"Case study: {study.pupil_label}"
    )


@membership_required("case_study.edit")
def case_study_edit(request, pk):
    study = selectors.case_study_for(request.membership, pk)
    form = CaseStudyForm(request.POST or None, instance=study)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_study_update(case_study=study, data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The case study was saved.")
                return redirect("reports:case_study", pk=study.pk)
        status = 400
    else:
        status = 200
    context = {"form": form, "study": study, "figures": selectors.case_study_figures(study)}
    return render(request, "reports/case_study_edit.html", context, status=status)


def governor_sef_pdf(membership, pk):
    """The governor version of a signed-off SEF summary as PDF bytes, rendered as the page's own
    download is, for `membership` (outside a request: the trust's governor pack job)."""
    request = RequestFactory().get("/", {"format": "pdf"})
    request.user, request.membership, request.memberships = membership.user, membership, [membership]
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return _signed_sef(request, pk, anonymised=True).content


@require_POST
@membership_required("trust.governor_pack")
def governor_pack(request):
    """Start the job that puts every school's signed-off governor SEF into one zip."""
    organisation = request.membership.school.organisation
    job = runner.start(
        tasks.governor_pack,
        title=f"Governor pack of {organisation.name if organisation else request.membership.school.name}",
        by=request.user,
        school=request.membership.school,
    )
    return redirect("jobs:detail", pk=job.pk)


def _inclusion(request, *, anonymised):
    school, year = request.membership.school, _year(request)
    report = selectors.sef_report_for(school, year)
    framework = report.chosen_framework
    figures = sef_figures(school, year, anonymised=anonymised, framework=framework, with_inclusion=True)
    context = {
        "figures": figures,
        "i": figures.inclusion,
        "year": year,
        "renewed": figures.renewed,
        "framework": Framework(framework),
        "evaluation": report.narrative.get("inclusion", ""),
        "grade": grade_label(framework, report.grade) if figures.renewed else "",
        "grade_rationale": report.grade_rationale if figures.renewed else "",
        "descriptors": selectors.grade_descriptors(framework) if figures.renewed else [],
        "descriptors_caption": descriptors_caption(framework),
        "can_edit": policy.can(request.membership, "sef.edit") and not anonymised,
        "anonymised": anonymised,
    }
    title = f"Inclusion {figures.year_label}" + (" (governor version)" if anonymised else "")
    return render_document(request, "reports/inclusion.html", context, title=title, anonymised=anonymised)


@membership_required("sef.view_full")
def inclusion(request):
    return _inclusion(request, anonymised=False)


@membership_required("sef.view")
def inclusion_governor(request):
    return _inclusion(request, anonymised=True)
