"""The pages that bring every app together: the home page, with the needs-attention list, and
the pupil page, which shows a pupil's record with each app's panel. They sit above the feature
apps because they read all of them; no feature app imports this one."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from assessment.engagement import pupil_page_context as engagement_pupil_context
from assessment.selectors import pupil_assessments
from assessment.selectors import pupil_page_context as assessment_pupil_context
from assessment.selectors_frameworks import pupil_page_context as frameworks_pupil_context
from attendance.selectors import pupil_attendance_summary
from core import policy
from evidence.timeline import pupil_timeline
from plans.selectors import pupil_panel as plans_pupil_panel
from pupils.access import access_pupil
from pupils.access_log import pupil_access_log
from pupils.forms import ArchiveForm, SenStatusChangeForm
from pupils.models import Pupil
from pupils.selectors import pupil_change_history, sen_register_summary
from schools.access import membership_required
from schools.models import classes_for

from .selectors import destinations, needs_attention, next_tasks


def home(request):
    """Each role starts where their work is: their next tasks first, then what needs attention
    (leaders), the school's figures and every page they may open."""
    membership = request.membership
    if not membership:
        return render(request, "schools/no_membership.html", status=403)
    membership = getattr(membership, "_wrapped", membership)
    today = timezone.localdate()
    context = {
        "tasks": next_tasks(membership, today),
        "destinations": destinations(membership),
        "summary": sen_register_summary(membership.school, suppress_below=membership.suppress_below),
        "my_pupils": (
            Pupil.objects.for_membership(membership).count() if policy.can(membership, "pupil.view") else None
        ),
        "attention": (
            needs_attention(membership, today) if policy.can(membership, "attention.view") else None
        ),
    }
    return render(request, "overview/home.html", context)


@membership_required("grid.view")
def my_grid(request):
    """The termly grid, opened straight on the class of whoever sees exactly one class (a teacher
    with one class); everyone else chooses a class or year group first."""
    classes = list(classes_for(request.membership)[:2])
    url = reverse("assessment:grid")
    if len(classes) == 1:
        url += "?" + urlencode({"school_class": classes[0].pk})
    return redirect(url)


@membership_required("pupil.view")
def pupil_detail(request, pk):
    membership = request.membership
    pupil = access_pupil(membership, pk)
    today = timezone.localdate()
    # Read once and shown twice: in their panels and on the timeline.
    sen_history = list(pupil.sen_history.select_related("recorded_by"))
    attendance = pupil_attendance_summary(pupil)
    # Read once for the targets, the other frameworks and the timeline.
    assessments = pupil_assessments(membership, pupil)
    on_assessment = assessment_pupil_context(membership, pupil, today, assessments)
    on_frameworks = frameworks_pupil_context(membership, pupil, today, assessments)
    context = {
        "pupil": pupil,
        "sen_history": sen_history,
        "agencies": pupil.agencies.all(),
        "changes": pupil_change_history(pupil),
        "access_log": (
            pupil_access_log(pupil)[:20] if policy.can(membership, "pupil.view_record_log") else None
        ),
        "sen_form": SenStatusChangeForm(pupil=pupil) if policy.can(membership, "pupil.change") else None,
        "archive_form": ArchiveForm() if policy.can(membership, "pupil.change") else None,
        "attendance_summary": attendance,
        # What a Common Transfer File brought: years at earlier schools, key stage results.
        "earlier_years": pupil.attendance_years.all(),
        "key_stage_results": pupil.key_stage_results.all(),
        "plans_panel": plans_pupil_panel(pupil, membership, today),
        "timeline": pupil_timeline(
            pupil=pupil,
            membership=membership,
            sen_history=sen_history,
            support=on_assessment["support_observations"],
            attendance=attendance,
            assessments=assessments,
        ),
        **on_assessment,
        **engagement_pupil_context(membership, pupil, placements=on_frameworks.pop("placements")),
        **on_frameworks,
    }
    return render(request, "overview/pupil_detail.html", context)
