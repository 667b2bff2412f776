"""The base of every queryset whose rows hang off a pupil: attendance, assessments, targets,
plans, places in intervention runs, conversations, case studies.

`for_membership(membership)` keeps the rows of the pupils that membership may see, in its
school only, as `Pupil.objects.for_membership` decides (core.policy.pupil_scope says which rule
applies). A subclass names the way from its row to the pupil in `pupil_path` ("pupil",
"plan__pupil"); the pupil model is found by following that path, so this module imports no app.

Pupils who have left (archived) are included, one rule for every record. A pupil's record is
kept after they leave for its history and for subject access; the pupil page still opens for
those who could open it before (pupils.access.access_pupil), so the records on that page must
open too; and the figures count a leaver in the cohort of the points they were on roll for. A
list of current work (reviews due, plans to review) filters to pupils on roll itself, with
`pupil__archived_at__isnull=True`, where it says so.
"""

from .access_log import AuditedQuerySet


class PupilScopedQuerySet(AuditedQuerySet):
    """`for_membership` marks what it returns as audited (core.access_log): the pupils of the rows
    it fetches are written to the access log at the end of the request."""

    pupil_path = "pupil"

    @property
    def audit_path(self):
        return self.pupil_path

    def _pupil_model(self):
        model = self.model
        for name in self.pupil_path.split("__"):
            model = model._meta.get_field(name).related_model
        return model

    def for_membership(self, membership):
        """Rows of the pupils this membership may see, pupils who have left included."""
        pupils = self._pupil_model().objects.for_membership(membership, include_archived=True)
        return self.filter(**{f"{self.pupil_path}__in": pupils}).audited()

    def for_school(self, school):
        """Every row of a school's pupils, for figures that name no pupil."""
        return self.filter(**{f"{self.pupil_path}__school": school})
