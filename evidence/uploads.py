"""What an evidence attachment may be: a few document and image types, under a size limit.

The extension says what the file claims to be and the first bytes say what it is; both must
agree, so a renamed executable ("report.pdf" that starts with MZ) is refused. Word and Excel
files are zip packages: they must open as zips holding a Word document or an Excel workbook.
"""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
ALLOWED_TEXT = "PDF, Word (.docx), Excel (.xlsx), JPEG, PNG or plain text"


def max_bytes():
    return getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def size_text(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


def _zip_holds(content, member):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and member in names


def _is_text(content):
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def content_matches(extension, content):
    """Whether the bytes are of the type the extension claims."""
    if extension == ".pdf":
        return content.startswith(b"%PDF-")
    if extension in (".jpg", ".jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if extension == ".png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == ".docx":
        return content.startswith(b"PK\x03\x04") and _zip_holds(content, "word/document.xml")
    if extension == ".xlsx":
        return content.startswith(b"PK\x03\x04") and _zip_holds(content, "xl/workbook.xml")
    if extension == ".txt":
        return _is_text(content)
    return False


def attachment_problem(name, size, content):
    """A message saying why the file cannot be attached, or None if it can."""
    extension = Path(name or "").suffix.lower()
    if extension not in CONTENT_TYPES:
        return f"“{name}” is not a type that can be attached. Attach a {ALLOWED_TEXT} file."
    limit = max_bytes()
    if size > limit:
        return f"“{name}” is {size_text(size)}, over the limit of {size_text(limit)}."
    if not size:
        return f"“{name}” is empty."
    if not content_matches(extension, content):
        return (
            f"“{name}” is named as a {extension[1:].upper()} file but its content is not one. "
            f"Attach a real {ALLOWED_TEXT} file."
        )
    return None


def _read(file):
    file.seek(0)
    content = file.read()
    file.seek(0)
    return content


def validate_attachment(value):
    """Model field validator: runs on a fresh upload only (a stored file was checked when it came)."""
    upload = getattr(value, "_file", None)
    if upload is None or getattr(value, "_committed", True):
        return
    size = upload.size
    # Read the content only when the size is allowed, so a huge file is not read into memory.
    content = b"" if size > max_bytes() else _read(upload)
    problem = attachment_problem(upload.name, size, content)
    if problem:
        raise ValidationError(problem, code="attachment")


def content_type_for(name):
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
