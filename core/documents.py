"""One template, two renderings: every report, plan and sheet is an HTML page in the app and
the same template printed to an A4 PDF by WeasyPrint.

A document template extends `layout` (given by `render_document`) and fills the `document`
block; it can use `{{ document_title }}`, `{{ school }}`, `{{ printed_on }}` and `{{ as_pdf }}`.
On screen the layout is the app's page with a "Download PDF" link; in the PDF it is a bare page
styled by static/css/print.css, which sets A4, the running header and the page numbers.

WeasyPrint fetches nothing: the print stylesheet is read from the static files and any other
resource (there should be none; charts are inline SVG) is skipped, so a PDF can never call out.
A `data:` URI carries its bytes in the page and is read without a request.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

SCREEN_LAYOUT = "documents/layout_screen.html"
PRINT_LAYOUT = "documents/layout_print.html"
PRINT_STYLESHEET = "css/print.css"


def _no_fetching():
    """A WeasyPrint URL fetcher that refuses every URL but a data: URI. WeasyPrint (70) catches
    what a fetcher's `fetch` raises, logs a warning and leaves the resource out (an image is not
    drawn, a stylesheet not applied), and the PDF is still made; `fail_on_errors=False` keeps it
    that way. Built on WeasyPrint's own URLFetcher, as its documentation asks of a custom fetcher."""
    from weasyprint.urls import URLFetcher  # (imported with WeasyPrint, only for a PDF: see pdf_bytes)

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"Documents fetch no resources ({url[:60]}); use inline SVG and print.css.")

    return NoFetching(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)


def wants_pdf(request):
    return request.GET.get("format") == "pdf"


def document_context(request, title, context, *, as_pdf, anonymised=False):
    membership = getattr(request, "membership", None)
    return {
        **context,
        "layout": PRINT_LAYOUT if as_pdf else SCREEN_LAYOUT,
        "as_pdf": as_pdf,
        "anonymised": anonymised,
        "document_title": title,
        "school": context.get("school") or (membership.school if membership else None),
        "printed_on": timezone.localdate(),
    }


def pdf_bytes(html):
    """The PDF of a rendered document page."""
    # WeasyPrint takes a second or more to import (Pango, fonts): only a PDF request pays it.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find(PRINT_STYLESHEET))
    return HTML(string=html, url_fetcher=_no_fetching()).write_pdf(stylesheets=[stylesheet])


def render_document(request, template_name, context, *, title, anonymised=False, as_pdf=None):
    """The document as an HTML page, or as a PDF download when ?format=pdf (or as_pdf) is asked."""
    as_pdf = wants_pdf(request) if as_pdf is None else as_pdf
    full = document_context(request, title, context, as_pdf=as_pdf, anonymised=anonymised)
    html = render_to_string(template_name, full, request=request)
    if not as_pdf:
        return HttpResponse(html)
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    school = full["school"]
    name = slugify(f"{school.name if school else ''} {title} {full['printed_on']:%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
