"""Reading back what a PDF says, for tests of the documents WeasyPrint renders."""

import io
import re


def pdf_text(content):
    """The text of every page, with runs of whitespace made single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_pages(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
