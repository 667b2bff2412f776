from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.csv import csv_response
from jobs import runner
from pupils.models import Pupil
from schools.access import membership_required

from . import ctf_export as ctf_export_module
from . import selectors, services, tasks
from .cleaning import EXAMPLE_UPN
from .columns import COLUMNS, template_rows
from .forms import CtfExportForm, UploadForm
from .models import CtfExport, ImportBatch, ImportKind

ERRORS_SHOWN = 500
ROWS_SHOWN = 25
# A CTF's preview lists every pupil (up to a whole school's), so that each disagreement between
# the file and the record can be answered.
CTF_ROWS_SHOWN = 2000


def access_batch(membership, pk):
    """A batch of the membership's school; any other id is the same 404."""
    return get_object_or_404(
        ImportBatch.objects.for_membership(membership).select_related("school", "user"), pk=pk
    )


KIND_TEXT = {
    ImportKind.PUPILS: (
        "pupils",
        "Adds new pupils and updates pupils already here, matched by UPN. Only the columns in the "
        "file are changed; importing the same file again changes nothing.",
    ),
    ImportKind.SEN_STATUS: (
        "SEN status",
        "Records dated SEN status (N, K or E) for pupils already here. A file may hold a pupil's "
        "history, one row per change; a row that is already on record changes nothing.",
    ),
    ImportKind.ASSESSMENTS: (
        "assessments",
        "Termly teacher assessments of pupils already here: one row per pupil, subject and "
        "assessment point of your scheme. Bands may be given by code or label, in any case. A "
        "blank cell leaves what is stored as it is.",
    ),
    ImportKind.ATTENDANCE: (
        "attendance",
        "Sessions per pupil per term, as SIMS or Arbor export them (Possible Sessions, Attendance "
        "Marks, Authorised Absences, Unauthorised Absences). A pupil below 90% is flagged as "
        "persistently absent.",
    ),
    ImportKind.BEHAVIOUR: (
        "behaviour",
        "The number of behaviour incidents per pupil per term, as counted in your school's system.",
    ),
    ImportKind.CTF: (
        "Common Transfer File",
        "The XML file every school information system exports (SIMS, Arbor, Bromcom, ScholarPack). "
        "Adds new pupils and updates those already here, matched by UPN, then by name and date of "
        "birth for you to confirm; merges their SEN history, needs, FSM, EAL, looked-after and "
        "service child flags, attendance by year and key stage results. Where the file and the "
        "record disagree, the preview lets you choose.",
    ),
}

# What the preview and the finished import call each action, per kind.
# What each count of a preview means, singular and plural ("1 new pupil", "2 new pupils").
ACTION_WORDS = {
    ImportKind.PUPILS: (
        ("new pupil", "new pupils"),
        ("pupil updated", "pupils updated"),
        ("pupil unchanged", "pupils unchanged"),
    ),
    ImportKind.SEN_STATUS: (
        ("new SEN status change", "new SEN status changes"),
        (
            "status change corrected (same date, different status)",
            "status changes corrected (same date, different status)",
        ),
        ("row already on record, unchanged", "rows already on record, unchanged"),
    ),
}
ACTION_WORDS[ImportKind.CTF] = ACTION_WORDS[ImportKind.PUPILS]
TERMLY_WORDS = (
    ("new record", "new records"),
    ("record changed", "records changed"),
    ("row already on record, unchanged", "rows already on record, unchanged"),
)


def _kinds():
    return [
        {
            "kind": kind,
            "noun": KIND_TEXT[kind][0],
            "text": KIND_TEXT[kind][1],
            "columns": COLUMNS[kind],
        }
        for kind in ImportKind
        if kind != ImportKind.CTF
    ]


def _words(kind):
    """The headings of a confirmed import's counts: "New pupils", "Pupils updated"."""
    create, update, unchanged = (plural for _one, plural in ACTION_WORDS.get(kind, TERMLY_WORDS))
    return {"create": create, "update": update, "unchanged": unchanged}


def _counted(kind, counts):
    """A preview's counts in words, each agreeing with its number: "1 new pupil", "2 pupils
    updated" (ngettext, so that a translation can give its own plural forms)."""
    words = ACTION_WORDS.get(kind, TERMLY_WORDS)
    return [
        f"{counts[action]} {ngettext(one, many, counts[action])}"
        for action, (one, many) in zip(("create", "update", "unchanged"), words, strict=True)
    ]


@membership_required("import.run")
def import_index(request):
    membership = request.membership
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = selectors.import_preview(
            school=membership.school,
            kind=form.cleaned_data["kind"],
            content=content,
            file_name=upload.name,
        )
        if preview.ok:
            batch = services.import_batch_create(
                school=membership.school, by=request.user, preview=preview, content=content
            )
            return redirect("imports:batch", pk=batch.pk)
        return render(
            request,
            "imports/preview.html",
            {
                "kind": ImportKind(preview.parsed.kind),
                "words": _words(preview.parsed.kind),
                "file_name": preview.parsed.file_name,
                "errors": preview.errors[:ERRORS_SHOWN],
                "error_count": len(preview.errors),
                "form": UploadForm(initial={"kind": preview.parsed.kind}),
            },
        )
    context = {
        "form": form,
        "kinds": _kinds(),
        "ctf_text": KIND_TEXT[ImportKind.CTF][1],
        "batches": ImportBatch.objects.for_membership(membership).select_related("user")[:10],
    }
    return render(request, "imports/index.html", context)


@membership_required("import.run")
def import_template(request, kind):
    if kind not in ImportKind.values or kind == ImportKind.CTF:
        raise Http404("There is no template of that name.")
    examples = selectors.template_examples(request.membership.school)
    rows = template_rows(kind, example_upn=EXAMPLE_UPN, **examples)
    return csv_response(f"sendtrack-{kind}-template.csv", rows[0], rows[1:])


@membership_required("import.run")
def batch_detail(request, pk):
    batch = access_batch(request.membership, pk)
    context = {
        "batch": batch,
        "kind": ImportKind(batch.kind),
        "words": _words(batch.kind),
        "file_name": batch.file_name,
    }
    if services.batch_is_stale(batch):
        context["stale"] = True
    elif batch.is_pending:
        context.update(_plan_context(selectors.batch_plan(batch)))
    if batch.kind == ImportKind.CTF:
        context["ctf_header"] = batch.columns
        rows = context.get("first_rows", [])
        context["has_choices"] = any(entry.record.choices for entry in rows)
    return render(request, "imports/preview.html", context)


@require_POST
@membership_required("import.run")
def batch_confirm(request, pk):
    batch = access_batch(request.membership, pk)
    if batch.row_count > settings.IMPORT_JOB_ROWS:
        # A large file is stored by a background job, with a progress bar, not inside this request.
        job = runner.start(
            tasks.confirm_batch,
            title=f"Importing {batch.file_name}",
            by=request.user,
            school=batch.school,
            params={"batch": batch.pk, "decisions": _decisions(request)},
        )
        return redirect("jobs:detail", pk=job.pk)
    try:
        plan = services.import_batch_confirm(batch=batch, by=request.user, decisions=_decisions(request))
    except services.BatchNotPending as refused:
        messages.warning(request, str(refused))
        return redirect("imports:batch", pk=batch.pk)
    except services.ImportRejected as rejected:
        context = {
            "batch": batch,
            "kind": ImportKind(batch.kind),
            "file_name": batch.file_name,
            "rejected": True,
            "errors": rejected.errors[:ERRORS_SHOWN],
            "error_count": len(rejected.errors),
        }
        return render(request, "imports/preview.html", context, status=409)
    messages.success(request, tasks.confirmed_message(batch.file_name, plan.counts))
    return redirect("imports:batch", pk=batch.pk)


def _decisions(request):
    """The SENCO's answers to a CTF preview's tick boxes: each box shown is named in `shown`,
    and ticked if it is in `take`. A box not shown (or another kind of file) takes its default."""
    taken = set(request.POST.getlist("take"))
    return {key: key in taken for key in request.POST.getlist("shown")}


def _plan_context(plan):
    return {
        "plan": plan,
        "counts": plan.counts,
        "counted": _counted(plan.kind, plan.counts),
        "errors": plan.errors[:ERRORS_SHOWN],
        "error_count": len(plan.errors),
        "warnings": plan.warnings[:ERRORS_SHOWN],
        "first_rows": plan.rows[: CTF_ROWS_SHOWN if plan.kind == ImportKind.CTF else ROWS_SHOWN],
    }


@membership_required("ctf.export")
def ctf_export(request):
    """Send leaving pupils' records on: a CTF and a PDF of their SEN record, in one zip."""
    membership = request.membership
    pupils = Pupil.objects.for_membership(membership, include_archived=True).order_by(
        "year_group", "legal_surname", "legal_forename"
    )
    exports = (
        CtfExport.objects.filter(school=membership.school).select_related("user").prefetch_related("sent")
    )
    last = exports.first()
    initial = {"source_la": last.source_la, "source_estab": last.source_estab} if last else {}
    form = CtfExportForm(request.POST or None, pupils=pupils, school=membership.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(
            pupils.filter(pk__in=[p.pk for p in data["chosen"]]).prefetch_related(
                "sen_history", "key_stage_results"
            )
        )
        name, content, _log = ctf_export_module.export_zip(
            school=membership.school,
            by=request.user,
            pupils=chosen,
            source={"la": data["source_la"], "estab": data["source_estab"], "name": membership.school.name},
            dest={"la": data["dest_la"], "estab": data["dest_estab"], "name": data["dest_name"]},
            request=request,
        )
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "exports": exports[:20]}
    return render(request, "imports/ctf_export.html", context, status=status)
