from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("grid/", views.grid, name="grid"),
    path("pupil/<int:pk>/term/add/", views.term_add, name="term_add"),
    path("term/<int:pk>/", views.term_edit, name="term_edit"),
    path("pupil/<int:pk>/exclusion/add/", views.exclusion_add, name="exclusion_add"),
    path("exclusion/<int:pk>/", views.exclusion_edit, name="exclusion_edit"),
    path("pupil/<int:pk>/behaviour/add/", views.behaviour_add, name="behaviour_add"),
    path("behaviour/<int:pk>/", views.behaviour_edit, name="behaviour_edit"),
    path("pupil/<int:pk>/activity/add/", views.activity_add, name="activity_add"),
    path("activity/<int:pk>/", views.activity_edit, name="activity_edit"),
]
