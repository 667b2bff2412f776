from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("new/", views.intervention_create, name="create"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/edit/", views.intervention_edit, name="edit"),
    path("<int:pk>/runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_sheet, name="run"),
    path("runs/<int:pk>/edit/", views.run_edit, name="run_edit"),
    path("runs/<int:pk>/sessions/", views.session_create, name="session_create"),
    path("places/<int:pk>/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/checkpoints/", views.checkpoint_create, name="checkpoint_create"),
    path("impact/", views.impact, name="impact"),
    path("provision-map/", views.provision_map, name="provision_map"),
    path("provision-map.csv", views.provision_map_csv, name="provision_map_csv"),
    path("action-plan/", views.action_plan, name="action_plan"),
    path("action-plan/priorities/", views.priority_create, name="priority_create"),
    path("action-plan/priorities/<int:pk>/actions/", views.action_create, name="action_create"),
    path("action-plan/actions/<int:pk>/", views.action_edit, name="action_edit"),
]
