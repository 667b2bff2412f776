"""The findings a school keeps per academic year and key question (drafted by gaps.drafts)."""

from .models import Finding


def findings_for(membership, academic_year):
    """{key question: Finding} of the school's year."""
    return {
        f.key_question: f
        for f in Finding.objects.filter(school_id=membership.school_id, academic_year=academic_year)
    }
