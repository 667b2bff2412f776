from django.urls import path

from . import views

app_name = "gaps"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("groups/", views.groups, name="groups"),
    path("attainment/", views.attainment, name="attainment"),
    path("grid/", views.grid, name="grid"),
    path("pupils/", views.pupils, name="pupils"),
    path("attendance/", views.attendance, name="attendance"),
    path("findings/<str:key>/", views.finding_save, name="finding"),
    path("comparators/", views.comparators, name="comparators"),
    path("comparators/upload/", views.comparators_upload, name="comparators_upload"),
    path("comparators/<int:pk>/", views.comparator_edit, name="comparator"),
]
