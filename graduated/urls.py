from django.urls import path

from . import views

app_name = "graduated"

urlpatterns = [
    path("", views.school_map, name="map"),
    path("map.csv", views.school_map_csv, name="map_csv"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/add/", views.checklist_add, name="checklist_add"),
    path("checklist/<int:pk>/remove/", views.checklist_remove, name="checklist_remove"),
    path("pupils/<int:pk>/provision/", views.pupil_provision, name="pupil_provision"),
    path("pupils/<int:pk>/provision/add/", views.provision_add, name="provision_add"),
    path("provision/<int:pk>/", views.provision_edit, name="provision_edit"),
    path("pupils/<int:pk>/readiness/", views.pupil_readiness, name="readiness"),
    path("pupils/<int:pk>/pack/", views.pupil_pack, name="pack"),
]
