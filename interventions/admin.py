from django.contrib import admin

from .models import Intervention


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "wave", "area_of_need"]
    list_filter = ["school", "wave"]
