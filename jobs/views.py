"""A job's page: what it is doing while it runs, and how it ended. Only its requester sees it."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import runner
from .models import Job


def _own_job(request, pk):
    """A job belongs to the person who started it, and to nobody else; a school's job only while
    they are still a member of the school."""
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


@require_GET
def job_list(request):
    jobs = Job.objects.visible_to(request.user)[:30]
    return render(request, "jobs/list.html", {"jobs": jobs})


@require_GET
def job_detail(request, pk):
    job = runner.live(_own_job(request, pk))
    template = "jobs/job.html#progress" if request.htmx else "jobs/job.html"
    return render(request, template, {"job": job})


@require_GET
def job_result(request, pk):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("This job has no file to download.")
    response = FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "no-store"
    return response
