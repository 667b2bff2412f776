"""A fresh clone passes its tests on its own: no code or test reads a file outside the
repository (the product notes live in a folder beside the development checkout, which a user's
clone does not have; the DfE file the tests and the demo read is in gaps/data with its source and
licence)."""

import re
from pathlib import Path

from django.conf import settings

from gaps.dfe import KS2_FILE

ROOT = Path(settings.BASE_DIR).resolve()
OUTSIDE = re.compile(r"\.\./shared|/work/shared|parents\[[3-9]\]|(\.parent){4}")


def repository_python_files():
    skipped = {".venv", "node_modules", ".git", "uploads"}
    for path in ROOT.rglob("*.py"):
        if not skipped & set(path.relative_to(ROOT).parts):
            yield path


def test_no_python_file_points_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in repository_python_files()
        if path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_the_dfe_file_is_in_the_repository_with_its_source_and_licence():
    assert KS2_FILE.is_file() and KS2_FILE.resolve().is_relative_to(ROOT)
    source = (KS2_FILE.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in source and KS2_FILE.name in source
