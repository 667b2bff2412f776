"""Interventions and their runs. The provision-map issue builds on these; the foundation needs
them because a teaching assistant's access to pupils is through the groups they deliver."""

from django.conf import settings
from django.db import models

from pupils.models import AreaOfNeed, Pupil
from schools.models import School


class Intervention(models.Model):
    class Wave(models.IntegerChoices):
        QUALITY_FIRST = 1, "Wave 1 — quality-first teaching"
        GROUP = 2, "Wave 2 — group"
        INDIVIDUAL = 3, "Wave 3 — individual"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="interventions")
    name = models.CharField(max_length=120)
    area_of_need = models.CharField(max_length=4, choices=AreaOfNeed.choices, blank=True)
    wave = models.PositiveSmallIntegerField(choices=Wave.choices, default=Wave.GROUP)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_intervention_name"),
        ]

    def __str__(self):
        return self.name


class InterventionRun(models.Model):
    """One run of an intervention: dates, the staff who deliver it and its group of pupils."""

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="runs")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="runs_delivered")
    pupils = models.ManyToManyField(Pupil, through="InterventionPlace", related_name="runs")

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.intervention} from {self.start_date:%d/%m/%Y}"


class InterventionPlace(models.Model):
    run = models.ForeignKey(InterventionRun, on_delete=models.PROTECT, related_name="places")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="intervention_places")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "pupil"], name="one_place_per_pupil_per_run"),
        ]

    def __str__(self):
        return f"{self.pupil} in {self.run}"
