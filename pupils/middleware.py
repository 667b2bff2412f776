"""Writes the access log at the end of each request: what core.access_log noted that the request
read, as one chained entry per school (pupils.access_log.write_entries)."""

from functools import cache

from django.urls import reverse

from core import access_log

from .access_log import write_entries


@cache
def admin_root():
    return reverse("admin:index")


class AccessLogMiddleware:
    """Collects the pupils a request reads and logs them once, after the view has answered.

    A redirect shows nothing (a form that saved), and a server error shows nothing, so neither is
    logged; every other answer that read pupil data is, pages, partials, PDFs, CSVs, downloads and
    the administration site alike. It sits after CurrentMembershipMiddleware, whose membership
    gives the reader's role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with access_log.recording() as reads:
            reads.everything = request.path.startswith(admin_root())
            response = self.get_response(request)
            if reads and not (300 <= response.status_code < 400 or response.status_code >= 500):
                write_entries(request, response, reads)
        return response
