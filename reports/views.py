"""Report pages. Each parses its input, calls one selector or service, and renders a document
through reports.documents.render_document (HTML, or the PDF with ?format=pdf)."""

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
from .forms import CaseStudyForm, PromptsForm, SefForm
from .models import Grade
from .sef import SECTIONS, sef_charts, sef_figures


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
    return render(request, "reports/index.html", context)


def _sef_document(request, *, figures, narrative, grade, rationale, sign_off=None, state=None, title):
    charts = sef_charts(figures)
    context = {
        "figures": figures,
        "charts": charts,
        "measure_charts": [(m, charts.get(m.key)) for m in figures.attainment.measures],
        "sections": [(key, label, (narrative or {}).get(key, "")) for key, label in SECTIONS],
        "narrative": narrative or {},
        "grade": Grade(grade).label if grade else "",
        "grade_rationale": rationale,
        "descriptors": selectors.grade_descriptors(),
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
    figures = sef_figures(school, year, anonymised=anonymised)
    title = f"SEND self-evaluation summary {figures.year_label}"
    return _sef_document(
        request,
        figures=figures,
        narrative=report.narrative,
        grade=report.grade,
        rationale=report.grade_rationale,
        state=state,
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
    form = SefForm(request.POST or None, initial=SefForm.initial_from(report))
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
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The SEF narrative was saved.")
                return redirect(f"{reverse('reports:sef')}?year={year}")
        status = 400
    figures = sef_figures(school, year, anonymised=False)
    context = {"form": form, "year": year, "figures": figures, "descriptors": selectors.grade_descriptors()}
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
    context = {
        "year": year,
        "prompts": selectors.judgement_prompts(request.membership, year),
        "descriptors": selectors.grade_descriptors(),
        "grade": Grade(report.grade).label if report.grade else "",
        "grade_rationale": report.grade_rationale,
        "can_edit": policy.can(request.membership, "prompts.edit"),
    }
    title = f"Ofsted-style judgement prompts {selectors.academic_year_label(year)}"
    return render_document(request, "reports/prompts.html", context, title=title)


@membership_required("prompts.edit")
def prompts_edit(request):
    school, year = request.membership.school, _year(request)
    form = PromptsForm(request.POST or None, prompts=selectors.judgement_prompts(request.membership, year))
    if request.method == "POST":
        if form.is_valid():
            services.prompt_responses_save(
                school=school, academic_year=year, entries=form.entries(), by=request.user
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
