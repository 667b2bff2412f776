from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from core import policy
from core.documents import render_document
from core.forms import add_validation_errors
from pupils.access import access_pupil
from pupils.models import Pupil
from pupils.picker import keep_entered, searching
from schools.access import membership_required

from . import selectors, services
from .forms import (
    ConclusionForm,
    ConversationForm,
    ConversationReviewForm,
    EvidenceFilterForm,
    EvidenceForm,
    SurveyForm,
    SurveyRoundForm,
    YearForm,
)
from .models import Lead

PAGE_SIZE = 30


def _year(request, param="year"):
    """The academic year asked for, or the current one; anything unknown is ignored."""
    years = selectors.academic_year_choices()
    form = YearForm(request.GET if param in request.GET else None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0][0]
    return year, YearForm(initial={"year": year}, years=years)


# -- the evidence log ---------------------------------------------------------------------------


@membership_required("evidence.view")
def evidence_list(request):
    membership = request.membership
    form = EvidenceFilterForm(request.GET or None, years=selectors.academic_year_choices())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    items = selectors.evidence_log(membership, **{k: v for k, v in filters.items() if v})
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": form,
        "page": page,
        "querystring": query.urlencode(),
        "can_record": policy.can(membership, "evidence.record"),
    }
    return render(request, "evidence/evidence_list.html", context)


@membership_required("evidence.record")
def evidence_create(request):
    membership = request.membership
    initial = {"date": selectors.today()}
    pupil_pk = request.GET.get("pupil")
    if pupil_pk and pupil_pk.isdigit():
        initial["pupils"] = [access_pupil(membership, int(pupil_pk), action="evidence.record").pk]
    form = EvidenceForm(request.POST or None, request.FILES or None, membership=membership, initial=initial)
    if searching(request):
        keep_entered(form)
        return render(request, "evidence/evidence_form.html", {"form": form})
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                item = services.evidence_create(membership=membership, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The evidence was recorded.")
                return redirect("evidence:detail", pk=item.pk)
        return render(request, "evidence/evidence_form.html", {"form": form}, status=400)
    return render(request, "evidence/evidence_form.html", {"form": form})


@membership_required("evidence.view")
def evidence_detail(request, pk):
    item = selectors.evidence_item(request.membership, pk)
    return render(request, "evidence/evidence_detail.html", {"item": item})


@membership_required("evidence.edit")
def evidence_edit(request, pk):
    membership = request.membership
    item = selectors.evidence_item(membership, pk)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        membership=membership,
        initial={"pupils": [p.pk for p in item.visible_pupils]},
    )
    if searching(request):
        keep_entered(form)
        return render(request, "evidence/evidence_form.html", {"form": form, "item": item})
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachment = data.pop("attachment", None)
            remove = data.pop("remove_attachment", False) or attachment is False
            new_file = request.FILES.get("attachment")
            try:
                services.evidence_update(
                    item=item,
                    membership=membership,
                    attachment=new_file,
                    remove_attachment=remove,
                    **data,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The evidence was saved.")
                return redirect("evidence:detail", pk=item.pk)
        return render(request, "evidence/evidence_form.html", {"form": form, "item": item}, status=400)
    return render(request, "evidence/evidence_form.html", {"form": form, "item": item})


@membership_required("evidence.view")
def evidence_attachment(request, pk):
    """The attached file, only to someone who may read the item, always as a download.

    Files are at most EVIDENCE_MAX_UPLOAD_BYTES (10 MB), so the bytes are sent in one response
    rather than a streaming FileResponse: the permission walker reads every page's content."""
    item = selectors.evidence_item(request.membership, pk)
    if not item.attachment:
        raise Http404("This evidence has no attached file.")
    try:
        with item.attachment.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as missing:
        raise Http404("The attached file is missing.") from missing
    response = HttpResponse(content, content_type=item.attachment_type or "application/octet-stream")
    name = item.attachment_name or item.attachment.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# -- Part Two and the Appendix A prompts ----------------------------------------------------------


@membership_required("school.view")
def part_two(request):
    membership = request.membership
    year, year_form = _year(request)
    context = {
        "rows": selectors.part_two_overview(membership.school, year),
        "year": year,
        "year_form": year_form,
        "key_question": selectors.PART_TWO_KEY_QUESTION,
    }
    return render_document(request, "evidence/part_two.html", context, title="Part Two: qualitative evidence")


@membership_required("school.view")
def part_two_question(request, number):
    membership = request.membership
    question = selectors.part_two_question_by_number(number)
    year, year_form = _year(request)
    page = selectors.part_two_question(membership, question, year)
    conclusion_form = None
    if policy.can(membership, "conclusion.edit"):
        conclusion_form = ConclusionForm(
            initial={"year": year, "text": page.conclusion.text if page.conclusion else ""},
            years=selectors.academic_year_choices(),
        )
    context = {"page": page, "year_form": year_form, "conclusion_form": conclusion_form}
    return render(request, "evidence/part_two_question.html", context)


@require_POST
@membership_required("conclusion.edit")
def part_two_conclusion(request, number):
    membership = request.membership
    question = selectors.part_two_question_by_number(number)
    years = selectors.academic_year_choices()
    data = request.POST.copy()
    data.setdefault("year", str(years[0][0]))
    form = ConclusionForm(data, years=years)
    if form.is_valid():
        year = form.cleaned_data["year"]
        services.conclusion_save(
            school=membership.school,
            academic_year=year,
            question=question,
            text=form.cleaned_data["text"],
            by=request.user,
        )
        messages.success(request, "The conclusion was saved.")
        return redirect(f"{reverse('evidence:question', kwargs={'number': number})}?year={year}")
    page = selectors.part_two_question(membership, question, years[0][0])
    context = {"page": page, "year_form": YearForm(years=years), "conclusion_form": form}
    return render(request, "evidence/part_two_question.html", context, status=400)


@membership_required("school.view")
def ofsted_prompts(request):
    membership = request.membership
    year, year_form = _year(request)
    context = {
        "rows": selectors.prompt_overview(membership.school, year),
        "year": year,
        "year_form": year_form,
    }
    return render(request, "evidence/prompts.html", context)


# -- structured conversations --------------------------------------------------------------------


@membership_required("school.view")
def conversations(request):
    membership = request.membership
    year, year_form = _year(request)
    term = selectors.current_term_of()
    context = {
        "participation": selectors.conversation_participation(
            membership.school, year, suppress_below=membership.suppress_below
        ),
        "year": year,
        "year_form": year_form,
        "is_current_year": year == selectors.current_academic_year(),
        "term_label": term.label,
    }
    if policy.can(membership, "conversation.view"):
        context["without"] = selectors.pupils_without_conversation(
            membership, year=selectors.current_academic_year(), term=term
        )
        context["recent"] = selectors.recent_conversations(membership, year=year)[:50]
        context["can_record"] = policy.can(membership, "conversation.record")
    return render(request, "evidence/conversations.html", context)


@membership_required("conversation.record")
def conversation_create(request, pk=None):
    """A conversation with the family of the pupil of the URL, or of the pupil chosen on the form
    (the pupil picker) when the URL names none."""
    membership = request.membership
    pupil = access_pupil(membership, pk, action="conversation.record") if pk is not None else None
    lead = Lead.of_role(membership.role)
    today = selectors.today()
    form = ConversationForm(
        request.POST or None,
        initial={"date": today, "led_by": lead, "review_date": services.default_review_date(today)},
        pupils=None if pupil else Pupil.objects.for_membership(membership),
    )
    context = {"form": form, "pupil": pupil}
    if searching(request):
        keep_entered(form)
        return render(request, "evidence/conversation_form.html", context)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = pupil or access_pupil(membership, data.pop("pupil").pk, action="conversation.record")
            try:
                conversation = services.conversation_create(pupil=chosen, by=request.user, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The conversation was recorded.")
                return redirect("evidence:conversation", pk=conversation.pk)
        return render(request, "evidence/conversation_form.html", context, status=400)
    return render(request, "evidence/conversation_form.html", context)


@membership_required("conversation.view")
def conversation_detail(request, pk):
    membership = request.membership
    conversation = selectors.conversation_detail(membership, pk)
    context = {
        "conversation": conversation,
        "can_review": policy.can(membership, "conversation.record"),
    }
    return render(request, "evidence/conversation_detail.html", context)


@membership_required("conversation.record")
def conversation_review(request, pk):
    conversation = selectors.conversation_detail(request.membership, pk)
    form = ConversationReviewForm(
        request.POST or None,
        conversation=conversation,
        initial={"reviewed_on": conversation.review_date or selectors.today()},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.conversation_review(
                    conversation=conversation,
                    reviewed_on=form.cleaned_data["reviewed_on"],
                    outcomes=form.outcomes(),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The outcomes of the targets were recorded.")
                return redirect("evidence:conversation", pk=conversation.pk)
        context = {"form": form, "conversation": conversation}
        return render(request, "evidence/conversation_review.html", context, status=400)
    return render(request, "evidence/conversation_review.html", {"form": form, "conversation": conversation})


# -- surveys -----------------------------------------------------------------------------------


@membership_required("school.view")
def survey_list(request):
    membership = request.membership
    context = {
        "surveys": selectors.surveys_for(membership),
        "can_edit": policy.can(membership, "survey.change"),
    }
    return render(request, "evidence/survey_list.html", context)


@membership_required("survey.change")
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                survey = services.survey_create(school=request.membership.school, **data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The survey was created. Now record its first round of answers.")
                return redirect("evidence:survey_round", pk=survey.pk)
        return render(request, "evidence/survey_form.html", {"form": form}, status=400)
    return render(request, "evidence/survey_form.html", {"form": form})


@membership_required("school.view")
def survey_detail(request, pk):
    membership = request.membership
    survey = selectors.survey_for(membership, pk)
    results = selectors.survey_results(survey, suppress_below=membership.suppress_below)
    context = {
        "survey": survey,
        "results": results,
        "chart": selectors.survey_chart(results),
        "can_edit": policy.can(membership, "survey.change"),
    }
    return render_document(request, "evidence/survey_detail.html", context, title=survey.title)


@membership_required("survey.change")
def survey_round_create(request, pk):
    survey = selectors.survey_for(request.membership, pk)
    questions = list(survey.questions.all())
    form = SurveyRoundForm(request.POST or None, survey=survey, questions=questions)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_round_record(
                    survey=survey,
                    date=form.cleaned_data["date"],
                    label=form.cleaned_data["label"],
                    counts=form.counts(),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "The answers were recorded.")
                return redirect("evidence:survey", pk=survey.pk)
        return render(
            request, "evidence/survey_round_form.html", {"form": form, "survey": survey}, status=400
        )
    return render(request, "evidence/survey_round_form.html", {"form": form, "survey": survey})
