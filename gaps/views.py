from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from core import policy
from core.charts import pair_chart
from core.csv import csv_response
from core.disclosure import suppressed_note
from core.figures import SUPPRESSED_TEXT
from schools.access import membership_required

from . import drafts, services
from .absence import attendance_summary
from .attendance_report import attendance_report
from .cohort import cohort_form
from .dfe import DfeFileError
from .findings import findings_for
from .forms import ComparatorForm, ComparatorUploadForm, FindingForm, SubjectForm
from .grids import average_progress, grid_report, ranked_gaps
from .individual_pupils import pupils_report
from .models import KeyQuestion
from .national import comparator_for, school_comparators
from .sen_status import STATUS_COLUMNS, status_report
from .shared import school_scheme
from .vulnerable_groups import groups_report

# One action, "gaps.view" (core.policy), decides both the menu item in templates/_nav.html and
# who may open the screens.
GRID_MODES = {"percent": "Percentages", "counts": "Counts", "initials": "Pupil initials"}


def _cohort(request):
    form = cohort_form(request.membership, request.GET)
    return form, form.cohort()


def _finding(request, key, cohort, draft):
    """The saved finding for this key question and year, or the draft from the figures."""
    if cohort.academic_year is None:
        return None
    saved = findings_for(request.membership, cohort.academic_year).get(key)
    text = saved.text if saved else draft
    form = None
    if policy.can(request.membership, "finding.edit"):
        form = FindingForm(initial={"academic_year": cohort.academic_year, "text": text})
    return {
        "key": key,
        "label": KeyQuestion(key).label,
        "saved": saved,
        "draft": draft,
        "text": text,
        "form": form,
    }


TABS = [
    ("dashboard", "Overview", "gaps:dashboard"),
    ("A", "A Groups", "gaps:groups"),
    ("B", "B Attainment", "gaps:attainment"),
    ("C", "C Grids and gaps", "gaps:grid"),
    ("D", "D Pupils", "gaps:pupils"),
    ("E", "E–H Attendance", "gaps:attendance"),
]


def _page(request, template, context):
    return render(request, template, {"tabs": TABS, **context})


@membership_required("gaps.view")
def dashboard(request):
    form, cohort = _cohort(request)
    scheme = school_scheme(request.membership)
    groups = groups_report(request.membership, cohort, with_lists=False, with_movement=False)
    gaps = ranked_gaps(request.membership, cohort, scheme, request.membership.suppress_below)
    progress = []
    if cohort.point:
        progress = average_progress(request.membership, cohort, request.membership.suppress_below)
    attendance = attendance_summary(request.membership, cohort)
    chart = _gap_chart(cohort, gaps[:8], scheme)
    context = {
        "form": form,
        "cohort": cohort,
        "groups": groups,
        "gaps": gaps[:10],
        "chart": chart,
        "progress": progress,
        "attendance": attendance,
        "draft": drafts.draft_c(gaps, cohort),
        # With no one outside the group, the chart and table would be rows of "none (0/0)".
        "nobody_else": drafts.nobody_else(gaps),
        "headline": scheme.bands.attainment.headline,
        "measure": scheme.measure_name,
        "tab": "dashboard",
    }
    return _page(request, "gaps/dashboard.html", context)


def _gap_chart(cohort, gaps, scheme):
    """The gaps on the headline attainment line of the school's scheme (assessment.bands)."""
    items = [(f"{g.subject.name}, {g.label}", g.focus, g.rest) for g in gaps]
    headline = scheme.bands.attainment.headline
    return pair_chart(headline.title if headline else "At or above ARE", cohort.label, "Everyone else", items)


@membership_required("gaps.view")
def groups(request):
    form, cohort = _cohort(request)
    report = groups_report(request.membership, cohort)
    context = {
        "form": form,
        "cohort": cohort,
        "report": report,
        "finding": _finding(request, "A", cohort, drafts.draft_a(report)),
        "tab": "A",
    }
    return _page(request, "gaps/groups.html", context)


@membership_required("gaps.view")
def attainment(request):
    form, cohort = _cohort(request)
    scheme = school_scheme(request.membership)
    report = status_report(request.membership, cohort, scheme)
    if request.GET.get("format") == "csv":
        return _attainment_csv(report, scheme, _note_rows(request.membership))
    context = {
        "form": form,
        "cohort": cohort,
        "report": report,
        "columns": STATUS_COLUMNS,
        "finding": _finding(request, "B", cohort, drafts.draft_b(report)),
        "tab": "B",
    }
    return _page(request, "gaps/attainment.html", context)


def _attainment_csv(report, scheme, note):
    """B as CSV: a column per SEN status and line of the scheme (headline lines first)."""
    lines = scheme.bands.lines
    header = ["Academic year", "Subject"] + [
        f"{label}: {line.name}" for _, label in STATUS_COLUMNS for line in lines
    ]
    rows = [
        [r.year_label, r.subject.name]
        + [str(shares.shares[key] or SUPPRESSED_TEXT) for key, _ in STATUS_COLUMNS for shares in r.lines]
        for r in report.rows
    ]
    return csv_response("attainment-by-sen-status.csv", header, rows + note)


@membership_required("gaps.view")
def grid(request):
    form, cohort = _cohort(request)
    mode = request.GET.get("mode") if request.GET.get("mode") in GRID_MODES else "percent"
    scheme = school_scheme(request.membership)
    subject_form = SubjectForm(request.GET, scheme=scheme)
    choice = subject_form.choice
    report = grid_report(request.membership, cohort, scheme, mode=mode, choice=choice)
    # A download of other subjects than asked for would mislead: the page says why there is none.
    if request.GET.get("format") == "csv" and not subject_form.problem:
        return _grid_csv(report, _note_rows(request.membership))
    names_pupils = policy.can(request.membership, "pupil.view")
    modes = {k: v for k, v in GRID_MODES.items() if k != "initials" or names_pupils}
    draft = drafts.draft_c(report.gaps, cohort, subjects=choice.says)
    context = {
        "form": form,
        "subject_form": subject_form,
        "cohort": cohort,
        "report": report,
        "modes": modes,
        "chart": _gap_chart(cohort, report.gaps[:8], scheme),
        "finding": _finding(request, "C", cohort, draft),
        "measure": scheme.measure_name,
        "nobody_else": drafts.nobody_else(report.gaps),
        "tab": "C",
    }
    return _page(request, "gaps/grid.html", context)


def _note_rows(membership):
    """The line that says what "c" means, at the foot of a CSV for a reader whose figures are
    withheld under the threshold."""
    threshold = membership.suppress_below
    return [[suppressed_note(threshold)]] if threshold else []


def _grid_csv(report, note):
    header = ["Grid", "Year group", "Subject", "Band", "Figure"]
    rows = []
    for name, grid in (
        ("Attainment", report.attainment),
        ("Progress", report.progress),
    ):
        for row in grid:
            for subject, cells in zip(report.scheme.subjects, row.cells, strict=True):
                for band, figure, initials in cells:
                    shown = initials if report.mode == "initials" else ("" if figure is None else str(figure))
                    rows.append([name, row.label, subject.name, band.label, shown])
    # Every line of the scheme after the grids: "Progress line", "Year 4", "Reading", its name.
    for name, lines in (
        ("Attainment line", report.attainment_lines),
        ("Progress line", report.progress_lines),
    ):
        for row in lines:
            for line, figure in row.figures:
                rows.append(
                    [name, row.label, row.subject.name, line.name, str(figure) if figure else SUPPRESSED_TEXT]
                )
    # The headline progress line by the framework each pupil was judged on (gaps.frameworks).
    for row in report.breakdowns:
        rows.append(["Progress line by framework", row.label, row.subject.name, "", row.breakdown.says()])
    # The file is named for the subjects it holds: "attainment-and-progress-grid-core-subjects.csv".
    subjects = slugify(report.choice.name) if report.choice else "all-subjects"
    return csv_response(f"attainment-and-progress-grid-{subjects}.csv", header, rows + note)


@membership_required("gaps.view")
def pupils(request):
    form, cohort = _cohort(request)
    scheme = school_scheme(request.membership)
    report = pupils_report(request.membership, cohort, scheme)
    context = {
        "form": form,
        "cohort": cohort,
        "report": report,
        "finding": _finding(request, "D", cohort, drafts.draft_d(report)),
        "measure": scheme.measure_name,
        "tab": "D",
    }
    return _page(request, "gaps/pupils.html", context)


@membership_required("gaps.view")
def attendance(request):
    form, cohort = _cohort(request)
    scheme = school_scheme(request.membership)
    report = attendance_report(request.membership, cohort, scheme)
    context = {
        "form": form,
        "cohort": cohort,
        "report": report,
        "finding": _finding(request, "E", cohort, drafts.draft_e(report)),
        "tab": "E",
    }
    return _page(request, "gaps/attendance.html", context)


@require_POST
@membership_required("finding.edit")
def finding_save(request, key):
    if key not in KeyQuestion.values:
        return render(request, "404.html", status=404)
    form = FindingForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("gaps:dashboard")
    if not _submitted(request):
        messages.error(request, "Nothing was sent: write the finding on a gap screen, then save it.")
        return redirect(back)
    if form.is_valid():
        try:
            services.finding_save(
                school=request.membership.school,
                by=request.user,
                key_question=key,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The finding was saved with this year's review.")
            return redirect(back or reverse("gaps:dashboard"))
    context = {"form": form, "label": KeyQuestion(key).label, "key": key, "next": back}
    return render(request, "gaps/finding_form.html", context, status=400)


@membership_required("gaps.view")
def comparators(request):
    upload = ComparatorUploadForm() if policy.can(request.membership, "comparators.edit") else None
    return _comparators_page(request, upload)


def _comparators_page(request, upload, status=200):
    rows = school_comparators(request.membership)
    can_edit = policy.can(request.membership, "comparators.edit")
    return render(
        request,
        "gaps/comparators.html",
        {"comparators": rows, "upload": upload, "can_edit": can_edit},
        status=status,
    )


@require_POST
@membership_required("comparators.edit")
def comparators_upload(request):
    if not _submitted(request):
        messages.error(request, "Choose the DfE file before importing.")
        return redirect("gaps:comparators")
    upload = ComparatorUploadForm(request.POST, request.FILES)
    if upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            created, updated = services.comparators_import_ks2(
                school=request.membership.school, source=file, file_name=file.name
            )
        except (DfeFileError, ValidationError) as error:
            upload.add_error("file", str(error))
        else:
            messages.success(request, f"{created} national figures added and {updated} updated.")
            return redirect("gaps:comparators")
    return _comparators_page(request, upload, status=400)


@membership_required("comparators.edit")
def comparator_edit(request, pk):
    comparator = comparator_for(request.membership, pk)
    form = ComparatorForm(request.POST or None, instance=comparator)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.comparator_update(comparator=comparator, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The national figure was saved.")
                return redirect("gaps:comparators")
        return render(
            request, "gaps/comparator_form.html", {"form": form, "comparator": comparator}, status=400
        )
    return render(request, "gaps/comparator_form.html", {"form": form, "comparator": comparator})


def _submitted(request):
    """Whether the POST carries anything beyond the CSRF token (a bare POST is sent back to the
    page it came from; a form with bad input is shown again with status 400)."""
    return bool(request.FILES) or any(key != "csrfmiddlewaretoken" for key in request.POST)
