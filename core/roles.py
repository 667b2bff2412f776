"""The roles a person can hold in a school. What each role may do is `core.policy`'s to say."""

from django.db import models


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    TEACHING_ASSISTANT = "ta", "Teaching assistant"
    HEAD = "head", "Head / senior leader"
    GOVERNOR = "governor", "Governor"
    TRUST_LEAD = "trust_lead", "Trust or local-authority lead"
