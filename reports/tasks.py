"""The reports' background work: the trust's governor pack."""

import io
import zipfile

from django.utils import timezone
from django.utils.text import slugify

from core import policy
from core.calendar import academic_year_label
from jobs.runner import JobFailed, Outcome, job_task
from schools.models import memberships_for

from .models import SefSignOff

NOT_A_LEAD = "Only the trust's lead can build its governor pack, and you no longer are one."


def pack_memberships(user, school_id):
    """The user's memberships of every school of the organisation of `school_id`, if they may
    build its pack (the trust lead's organisation membership covers them all)."""
    memberships = memberships_for(user)
    home = next((m for m in memberships if m.school_id == school_id), None)
    if home is None or not policy.can(home, "trust.governor_pack"):
        raise JobFailed(NOT_A_LEAD)
    organisation = home.school.organisation_id
    if organisation is None:
        return [home]
    return [m for m in memberships if m.school.organisation_id == organisation]


def current_sign_offs(school_ids):
    """Each school's signed-off summary in force: the latest year's latest (one query)."""
    latest = {}
    rows = SefSignOff.objects.filter(school_id__in=school_ids).order_by(
        "school_id", "-academic_year", "-signed_off_at", "-pk"
    )
    for sign_off in rows.only("pk", "school_id", "academic_year"):
        latest.setdefault(sign_off.school_id, sign_off)
    return latest


@job_task("reports.governor_pack")
def governor_pack(job, progress):
    """Every school's signed-off governor SEF summary (anonymised, small groups hidden) in one
    zip, with a list of the schools that have none signed off yet."""
    from .views import governor_sef_pdf  # the page's own rendering, which needs the views

    memberships = sorted(pack_memberships(job.requested_by, job.school_id), key=lambda m: m.school.name)
    signed = current_sign_offs([m.school_id for m in memberships])
    buffer, missing = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for done, membership in enumerate(memberships):
            progress(done, len(memberships), membership.school.name)
            sign_off = signed.get(membership.school_id)
            if sign_off is None:
                missing.append(membership.school.name)
                continue
            name = slugify(f"{membership.school.name} governor SEF {sign_off.academic_year}")
            pack.writestr(f"{name}.pdf", governor_sef_pdf(membership, sign_off.pk))
        pack.writestr("README.txt", _contents(memberships, signed, missing))
    included = len(memberships) - len(missing)
    message = f"The governor pack holds the signed-off summaries of {included} of {len(memberships)} schools."
    if missing:
        message += f" Not signed off yet: {', '.join(missing)}."
    today = timezone.localdate()
    return Outcome(
        message=message,
        file_name=f"governor-pack-{today:%Y-%m-%d}.zip",
        content=buffer.getvalue(),
    )


def _contents(memberships, signed, missing):
    lines = ["Governor versions of each school's signed-off SEND self-evaluation summary.", ""]
    for membership in memberships:
        sign_off = signed.get(membership.school_id)
        held = f"summary of {academic_year_label(sign_off.academic_year)}" if sign_off else "none signed off"
        lines.append(f"{membership.school.name}: {held}")
    if missing:
        lines += ["", f"{len(missing)} school(s) have no signed-off summary yet."]
    return "\n".join(lines) + "\n"
