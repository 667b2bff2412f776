"""Inspection pages: the case sample, each sampled pupil's journey (named and anonymised) and the
SEN information report. Thin views: parse, call reports.sampling / reports.journey /
reports.information_report, render (page, or the A4 PDF with ?format=pdf)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import access_log, policy
from core.access_log import How
from core.calendar import academic_year_label
from core.disclosure import suppressed_note
from core.documents import render_document
from pupils.access import access_pupil
from schools.access import membership_required

from . import information_report as info
from . import sampling
from .inspection_forms import InformationReportForm, SampleSearchForm
from .journey import build_journey
from .selectors import academic_year_choices, parse_academic_year


def _year(request):
    return parse_academic_year(request.GET.get("year") or request.POST.get("year"))


def _sample_url(year, **query):
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{reverse('reports:sample')}?year={year}{extra}"


@membership_required("sample.view")
def sample(request):
    membership, year = request.membership, _year(request)
    saved = sampling.sample_of(membership.school, year)
    entries = sampling.entries_of(membership, saved)
    can_change = policy.can(membership, "sample.change")
    form = SampleSearchForm(request.GET or None)
    results = []
    if can_change:
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if not form.is_bound or form.is_valid():
            results = sampling.search(
                membership,
                text=cleaned.get("q", ""),
                year_group=cleaned.get("year_group"),
                status=cleaned.get("status", ""),
                exclude=[e.pupil.pk for e in entries],
            )
    context = {
        "year": year,
        "year_label": academic_year_label(year),
        "years": academic_year_choices(),
        "entries": entries,
        "make_up": sampling.make_up(saved),
        "requirements": [wanted for _, wanted, _ in sampling.REQUIREMENTS],
        "sample_size": sampling.SAMPLE_SIZE,
        "form": form,
        "results": results,
        "search_limit": sampling.SEARCH_LIMIT,
        "can_change": can_change,
    }
    return render(request, "reports/sample.html", context, status=400 if form.errors else 200)


@require_POST
@membership_required("sample.change")
def sample_add(request, pk):
    membership, year = request.membership, _year(request)
    pupil = access_pupil(membership, pk, action="sample.change")
    try:
        sampling.sample_add(school=membership.school, academic_year=year, pupil=pupil, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pupil.full_name} was added to the sample.")
    return redirect(_sample_url(year))


@require_POST
@membership_required("sample.change")
def sample_remove(request, pk):
    membership, year = request.membership, _year(request)
    pupil = access_pupil(membership, pk, action="sample.change")
    try:
        sampling.sample_remove(school=membership.school, academic_year=year, pupil=pupil, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pupil.full_name} was taken out of the sample.")
    return redirect(_sample_url(year))


def _journey(request, pk, *, anonymised):
    membership, year = request.membership, _year(request)
    pupil = access_pupil(membership, pk, action="journey.view")
    label = sampling.label_for(membership.school, year, pupil) if anonymised else pupil.full_name
    journey = build_journey(pupil, label=label, anonymised=anonymised, today=timezone.localdate())
    as_pdf = request.GET.get("format") == "pdf"
    detail = "Pupil's journey" + (" (anonymised)" if anonymised else "") + (" PDF" if as_pdf else "")
    access_log.note_how(How.PDF if as_pdf else How.PAGE, detail)
    context = {"journey": journey, "year": year, "pupil_pk": pupil.pk}
    title = f"Pupil's journey: {label}"
    return render_document(request, "reports/journey.html", context, title=title)


@membership_required("journey.view")
def journey(request, pk):
    return _journey(request, pk, anonymised=False)


@membership_required("journey.view")
def journey_anonymised(request, pk):
    return _journey(request, pk, anonymised=True)


def _information_context(request, year):
    school = request.membership.school
    figures = info.report_figures(school, year)
    fresh = info.drafts(figures)
    report = info.report_for(school, year)
    return figures, fresh, report


@membership_required("information_report.view")
def information_report(request):
    year = _year(request)
    figures, fresh, report = _information_context(request, year)
    context = {
        "year": year,
        "years": academic_year_choices(),
        "figures": figures,
        "register": figures.register,
        "sections": info.sections_of(report, fresh),
        "report": report,
        "note": suppressed_note(figures.threshold),
        "can_edit": policy.can(request.membership, "information_report.edit"),
    }
    title = f"SEN information report {figures.year_label}"
    return render_document(request, "reports/information_report.html", context, title=title)


@membership_required("information_report.edit")
def information_report_edit(request):
    year = _year(request)
    figures, fresh, report = _information_context(request, year)
    sections = info.sections_of(report, fresh)
    initial = {view.section.key: view.text for view in sections}
    form = InformationReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            info.information_report_save(
                school=request.membership.school,
                academic_year=year,
                texts=form.texts(),
                fresh=fresh,
                by=request.user,
            )
            messages.success(request, "The SEN information report was saved.")
            return redirect(f"{reverse('reports:information_report')}?year={year}")
        status = 400
    context = {
        "form": form,
        "year": year,
        "year_label": figures.year_label,
        "rows": [(form[view.section.key], view) for view in sections],
        "report": report,
    }
    return render(request, "reports/information_report_edit.html", context, status=status)


@require_POST
@membership_required("information_report.edit")
def information_report_redraft(request):
    year = _year(request)
    figures, fresh, _report = _information_context(request, year)
    kept = info.information_report_redraft(
        school=request.membership.school, academic_year=year, fresh=fresh, by=request.user
    )
    if kept:
        messages.success(
            request,
            f"The report was drafted again from today's records. {len(kept)} section"
            f"{'s' if len(kept) != 1 else ''} you edited kept your words: {'; '.join(kept)}.",
        )
    else:
        messages.success(request, "The report was drafted again from today's records.")
    return redirect(f"{reverse('reports:information_report')}?year={year}")
