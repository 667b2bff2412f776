"""A PDF is made without fetching anything: every <img>, <link> and url() that names a resource
is skipped, and the PDF is still made. A data: URI holds its bytes in the page itself, so it is
read without any request; a document never needs one (charts are inline SVG), but one in a
pasted note must not break the PDF either."""

import urllib.request

import pytest
from pypdf import PdfReader

from core.documents import pdf_bytes

# A 1×1 transparent PNG.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

HTML = f"""<!doctype html>
<html><head>
<link rel="stylesheet" href="http://127.0.0.1:9/outside.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>.box {{ background: url("https://example.org/tracker.png"); }}</style>
</head><body>
<h1>Case study</h1>
<img src="http://127.0.0.1:9/photo.png" alt="a photo">
<img src="file:///etc/hostname" alt="a file">
<div class="box">Background from another site</div>
<img src="data:image/png;base64,{PIXEL}" alt="a pixel">
<p>Pupil made good progress.</p>
</body></html>"""


@pytest.fixture
def opened(monkeypatch):
    """Every URL any urllib opener is asked to open (http, https, ftp, file and data alike)."""
    urls = []
    real_open = urllib.request.OpenerDirector.open

    def spy(self, fullurl, *args, **kwargs):
        url = fullurl.full_url if isinstance(fullurl, urllib.request.Request) else fullurl
        urls.append(url)
        if not url.startswith("data:"):
            raise AssertionError(f"the PDF tried to fetch {url}")
        return real_open(self, fullurl, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    return urls


def test_a_document_with_images_links_and_urls_becomes_a_pdf_without_fetching(opened):
    pdf = pdf_bytes(HTML)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(__import__("io").BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Case study" in text
    assert "Pupil made good progress." in text
    # Nothing outside the page was asked for; only the data: URI may be read, from the page itself.
    assert all(url.startswith("data:") for url in opened), opened


def test_the_skipped_resources_are_not_in_the_pdf(opened):
    """The pixel of the data: URI is drawn (an image in the PDF); the http and file images are not."""
    reader = PdfReader(__import__("io").BytesIO(pdf_bytes(HTML)))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
