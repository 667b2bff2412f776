from django.shortcuts import render
from django.utils import timezone

from core.disclosure import suppressed_note
from schools.access import membership_required

from .selectors import SORTS, comparison


@membership_required("trust.compare")
def comparison_page(request):
    sort = request.GET.get("sort", "school")
    descending = request.GET.get("order") == "desc"
    report = comparison(
        request.membership,
        today=timezone.localdate(),
        sort=sort if sort in SORTS else "school",
        descending=descending,
    )
    thresholds = {row.school.suppression_threshold for row in report.rows if not row.own}
    context = {
        "report": report,
        "sorts": SORTS,
        "note": suppressed_note(max(thresholds or {request.membership.school.suppression_threshold})),
    }
    return render(request, "trusts/comparison.html", context)
